//! The same exchanges driven by `#[derive(Document)]` / `#[derive(Choice)]` structs instead of
//! hand-written impls: the derive's field list and handles must produce the recorded requests
//! (core 020, 022, 025, 029, 041).

use chrono::{NaiveDate, NaiveDateTime};
use frappe_derive::{Choice, Document};
use frappe_runtime::wire;
use serde::{Deserialize, Serialize};

use crate::exchange::{ok, typed_rows};
use crate::support::{check, clients, core};

/// ToDo `status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Choice)]
pub enum Status {
    Open,
    Closed,
    Cancelled,
    #[serde(untagged)]
    Other(String),
}

/// ToDo `priority`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Choice)]
pub enum Priority {
    High,
    Medium,
    Low,
    #[serde(untagged)]
    Other(String),
}

#[derive(Debug, Clone, Serialize, Deserialize, Document)]
#[frappe(doctype = "ToDo")]
struct Brief {
    name: String,
    status: Status,
    description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Document)]
#[frappe(doctype = "ToDo")]
struct WithStatus {
    name: String,
    status: Status,
}

#[derive(Debug, Clone, Serialize, Deserialize, Document)]
#[frappe(doctype = "ToDo")]
struct WithPriority {
    name: String,
    priority: Priority,
}

#[derive(Debug, Clone, Serialize, Deserialize, Document)]
#[frappe(doctype = "ToDo")]
struct Ordered {
    name: String,
    priority: Priority,
    #[serde(with = "wire::datetime")]
    creation: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, Deserialize, Document)]
#[frappe(doctype = "ToDo")]
struct Full {
    name: String,
    #[serde(with = "wire::datetime")]
    modified: NaiveDateTime,
    status: Status,
    priority: Priority,
    #[serde(default)]
    date: Option<NaiveDate>,
    description: String,
}

#[tokio::test]
async fn t020_derived_projection() {
    typed_rows(core(20), clients::token, async |c| {
        c.list::<Brief>().send().await
    })
    .await;
}

#[tokio::test]
async fn t022_derived_select_filter() {
    let (_, got) = ok(core(22), clients::token, async |c| {
        c.list::<WithStatus>()
            .filter(WithStatus::status.eq(Status::Open))
            .send()
            .await
    })
    .await;
    assert!(got.iter().all(|t| t.status == Status::Open));
}

#[tokio::test]
async fn t025_derived_in_filter() {
    typed_rows(core(25), clients::token, async |c| {
        c.list::<WithPriority>()
            .filter(WithPriority::priority.is_in([Priority::High, Priority::Medium]))
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn t029_derived_order_by() {
    typed_rows(core(29), clients::token, async |c| {
        c.list::<Ordered>()
            .order_by(Ordered::priority.asc())
            .order_by(Ordered::creation.desc())
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn t041_derived_get() {
    let (r, got): (_, Full) = ok(core(41), clients::token, async |c| {
        c.get("ro2rh3r4lm").await
    })
    .await;
    check::same_fields(
        &r.transcript().file,
        &got,
        &r.transcript().response_json()["data"],
    );
    assert_eq!(got.priority, Priority::High);
}
