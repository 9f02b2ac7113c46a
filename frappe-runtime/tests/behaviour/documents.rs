//! Document operations without a transcript of their own: amend, typed cancel, child-table
//! lists needing a parent. Response bodies are either read from the shared transcripts in
//! place or small fixtures of our own in Frappe's format.

use frappe_runtime::wire::DocStatus;
use frappe_runtime::{Document, Error, FieldInfo, Submittable};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::core;

use crate::mock::{json_ok, no_retry_client as client, received};

#[derive(Debug, Serialize, Deserialize)]
struct Order {
    name: String,
    docstatus: DocStatus,
    #[serde(default)]
    amended_from: Option<String>,
}

impl Document for Order {
    const DOCTYPE: &'static str = "API Test Order";
    const FIELDS: &'static [FieldInfo] = &[FieldInfo {
        name: "name",
        column: true,
    }];
}

impl Submittable for Order {}

#[derive(Debug, Deserialize)]
struct Email {
    #[allow(dead_code)]
    name: String,
}

impl Document for Email {
    const DOCTYPE: &'static str = "Contact Email";
    const FIELDS: &'static [FieldInfo] = &[FieldInfo {
        name: "name",
        column: true,
    }];
    const IS_CHILD: bool = true;
}

#[tokio::test]
async fn amend_inserts_a_clean_copy_linked_to_the_cancelled_doc() {
    // The cancelled ATO-00001 as Frappe returned it (transcript 081).
    let cancelled = core(81).response_json()["message"].clone();
    assert_eq!(cancelled["docstatus"], 2);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/API%20Test%20Order/ATO-00001"))
        .respond_with(json_ok(json!({ "data": cancelled })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/resource/API%20Test%20Order"))
        .respond_with(json_ok(
            json!({"data": {"name": "ATO-00001-1", "docstatus": 0, "amended_from": "ATO-00001"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let amended: Order = client(&server.uri()).amend("ATO-00001").await.unwrap();
    assert_eq!(amended.name, "ATO-00001-1");
    assert_eq!(amended.amended_from.as_deref(), Some("ATO-00001"));

    let reqs = received(&server).await;
    let sent: Value = reqs[1].body_json().unwrap();
    for key in ["name", "owner", "creation", "modified", "modified_by"] {
        assert!(
            sent.get(key).is_none(),
            "{key} copied into the amendment: {sent}"
        );
    }
    assert_eq!(sent["docstatus"], 0);
    assert_eq!(sent["amended_from"], "ATO-00001");
    assert_eq!(
        sent["customer_name"], cancelled["customer_name"],
        "fields carried over"
    );
    let items = sent["items"].as_array().unwrap();
    assert_eq!(items.len(), cancelled["items"].as_array().unwrap().len());
    for row in items {
        assert!(
            row.get("name").is_none() && row.get("parent").is_none(),
            "{row}"
        );
        assert!(
            row.get("item").is_some(),
            "child values carried over: {row}"
        );
    }
}

#[tokio::test]
async fn typed_cancel_is_put_docstatus_two() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/resource/API%20Test%20Order/ATO-00004"))
        .and(body_json(json!({"docstatus": 2})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": {"name": "ATO-00004", "docstatus": 2}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let order: Order = client(&server.uri()).cancel("ATO-00004").await.unwrap();
    assert_eq!(order.docstatus, DocStatus::Cancelled);
}

#[tokio::test]
async fn child_table_lists_need_a_parent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/Contact%20Email"))
        .and(wiremock::matchers::query_param("parent", "Contact"))
        .respond_with(json_ok(json!({"data": [{"name": "ro3bgf8tnk"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let err = c.list::<Email>().send().await.unwrap_err();
    match &err {
        Error::InvalidInput(msg) => assert!(
            msg.contains("Contact Email") && msg.contains("parent"),
            "{msg}"
        ),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    let rows = c.list::<Email>().parent("Contact").send().await.unwrap();
    assert_eq!(rows.len(), 1);
    // Only the request with a parent reached the server.
    assert_eq!(received(&server).await.len(), 1);
}
