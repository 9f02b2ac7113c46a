//! The `frappe.client.*` methods: the helpers of `Client::frappe_client`, and the operations
//! that call them (`ListRequest::count` as `get_count`, `insert_many`) (core 086, 087, 090, 091,
//! 099, 100, 102-104, 108, 130, 169; ERPNext 037).

use frappe_runtime::{Error, Lookup, Row};
use serde_json::{Value, json};

use crate::docs::*;
use crate::exchange::{fails, ok};
use crate::support::transcript::Transcript;
use crate::support::{check, clients, core, erpnext};

fn message(t: &Transcript) -> &Value {
    &t.response_json()["message"]
}

#[tokio::test]
async fn t086_untyped_count_with_dict_filters() {
    let (r, n) = ok(core(86), clients::token, async |c| {
        c.doctype("ToDo")
            .list()
            .filter(json!({"status": "Open"}))
            .count()
            .await
    })
    .await;
    assert_eq!(json!(n), *message(r.transcript()));
}

#[tokio::test]
async fn t086_typed_list_count() {
    let (_, n) = ok(core(86), clients::token, async |c| {
        c.list::<ToDoStatus>()
            .filter(ToDoStatus::status.eq("Open"))
            .count()
            .await
    })
    .await;
    assert_eq!(n, 6);
}

#[tokio::test]
async fn t130_count_for_limited_user() {
    let (_, n) = ok(core(130), clients::limited, async |c| {
        c.doctype("Role").list().count().await
    })
    .await;
    assert_eq!(n, 29);
}

#[tokio::test]
async fn t087_get_value_fields_by_filters() {
    let (r, got): (_, Option<Row>) = ok(core(87), clients::token, async |c| {
        c.frappe_client()
            .get_value(
                "ToDo",
                &["description", "status"],
                Lookup::from(json!({"name": "ro2rh3r4lm"})),
            )
            .await
    })
    .await;
    assert_eq!(Value::from(got.unwrap()), *message(r.transcript()));
}

#[tokio::test]
async fn t090_set_value() {
    let (r, got) = ok(core(90), clients::token, async |c| {
        c.frappe_client()
            .set_value("ToDo", "ro2sqn4l9i", "priority", "High")
            .await
    })
    .await;
    assert_eq!(Value::from(got), *message(r.transcript()));
}

#[tokio::test]
async fn t091_set_values_dict() {
    let (_, got) = ok(core(91), clients::token, async |c| {
        c.frappe_client()
            .set_values(
                "ToDo",
                "ro2sqn4l9i",
                &json!({"priority": "Medium", "status": "Open"}),
            )
            .await
    })
    .await;
    assert_eq!(got["status"], "Open");
}

#[tokio::test]
async fn t099_client_insert() {
    let (r, got) = ok(core(99), clients::token, async |c| {
        c.frappe_client()
            .insert(&json!({"doctype": "ToDo", "description": "via frappe.client.insert"}))
            .await
    })
    .await;
    assert_eq!(Value::from(got), *message(r.transcript()));
}

#[tokio::test]
async fn t108_client_insert_missing_mandatory() {
    let (r, err) = fails(core(108), clients::token, async |c| {
        c.frappe_client().insert(&json!({"doctype": "ToDo"})).await
    })
    .await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "MandatoryError");
}

#[tokio::test]
async fn t100_insert_many() {
    // Without `doctype` in the docs: `insert_many` fills it in.
    let docs = [
        json!({"description": "many 1"}),
        json!({"description": "many 2"}),
    ];
    let (r, names) = ok(core(100), clients::token, async |c| {
        c.doctype("ToDo").insert_many(&docs).await
    })
    .await;
    assert_eq!(json!(names), *message(r.transcript()));
}

#[tokio::test]
async fn t169_insert_many_over_200_refused_by_server() {
    // The helper never sends more than 200 (see the behaviour tests); a raw call can, and the
    // server's refusal must come through as a validation error.
    let t = core(169);
    let docs = t.request_value()["docs"].clone();
    assert_eq!(docs.as_array().unwrap().len(), 201);
    let (r, err) = fails(t, clients::token, async |c| {
        c.call("frappe.client.insert_many")
            .arg("docs", docs)
            .post::<Vec<String>>()
            .await
    })
    .await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "ValidationError");
    assert!(
        err.to_string().contains("Only 200 inserts allowed"),
        "{err}"
    );
}

#[tokio::test]
async fn t102_rename_doc() {
    let (_, new_name) = ok(core(102), clients::token, async |c| {
        c.frappe_client()
            .rename_doc("Role", "Dup Test Role", "Dup Test Role Renamed", false)
            .await
    })
    .await;
    assert_eq!(new_name, "Dup Test Role Renamed");
}

#[tokio::test]
async fn t102_rename_doc_server_messages() {
    let (_, got) = ok(core(102), clients::token, async |c| c.call("frappe.client.rename_doc").args(json!({"doctype": "Role", "old_name": "Dup Test Role", "new_name": "Dup Test Role Renamed"})).post_with_messages::<String>().await).await;
    assert_eq!(got.value, "Dup Test Role Renamed");
    assert_eq!(got.server_messages.len(), 1);
    let m = &got.server_messages[0];
    assert_eq!(
        m.message,
        "Document renamed from Dup Test Role to Dup Test Role Renamed"
    );
    assert!(m.alert);
    assert_eq!(m.indicator.as_deref(), Some("green"));
}

#[tokio::test]
async fn t103_client_delete_returns_empty_object() {
    ok(core(103), clients::token, async |c| {
        c.frappe_client().delete("ToDo", "ro3mkdgb6r").await
    })
    .await;
}

async fn delete_missing(t: Transcript, doctype: &str, name: &str) {
    let (r, err) = fails(t, clients::token, async |c| {
        c.frappe_client().delete(doctype, name).await
    })
    .await;
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t104_client_delete_missing() {
    delete_missing(core(104), "ToDo", "ro3mkdgb6r").await;
}

#[tokio::test]
async fn erp037_client_delete_missing_customer() {
    delete_missing(erpnext(37), "Customer", "does not exist").await;
}
