//! Workflow calls: what `transitions` and `apply` send to `frappe.model.workflow`, typed states
//! and actions, and Frappe's workflow exceptions as [`WorkflowRefusal`]s.

use frappe_runtime::{Auth, Document, Error, Row, Transition, WorkflowRefusal};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer};

use crate::mock::{fast_client, json_ok, json_response, received};

#[derive(Debug, Deserialize, Document)]
#[frappe(doctype = "API Test Order")]
struct Order {
    name: String,
    workflow_state: Option<String>,
    docstatus: i64,
}

/// States of the test workflow, with a catch-all as generated enums have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum OrderState {
    Draft,
    #[serde(rename = "Pending Approval")]
    PendingApproval,
    Approved,
    #[serde(untagged)]
    Other(String),
}

/// Actions of the test workflow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum OrderAction {
    Review,
    Approve,
    #[serde(untagged)]
    Other(String),
}

fn transition_row(state: &str, action: &str, next: &str, allowed: &str) -> Value {
    json!({
        "name": "r1", "doctype": "Workflow Transition", "parent": "Order Flow",
        "state": state, "action": action, "next_state": next, "allowed": allowed,
        "allow_self_approval": 1, "condition": null
    })
}

#[tokio::test]
async fn transitions_are_listed_with_a_get_of_the_document_reference() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.model.workflow.get_transitions"))
        .and(query_param(
            "doc",
            r#"{"doctype":"API Test Order","name":"ATO-00001"}"#,
        ))
        .respond_with(json_ok(json!({"message": [
            transition_row("Pending Approval", "Approve", "Approved", "System Manager"),
            transition_row("Pending Approval", "Escalate", "Board", "Board Member"),
        ]})))
        .expect(2)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("api-key", "api-secret"));

    let plain: Vec<Transition> = c
        .workflow::<Order>()
        .transitions("ATO-00001")
        .await
        .unwrap();
    assert_eq!(plain.len(), 2);
    assert_eq!(plain[0].action, "Approve");
    assert_eq!(plain[0].next_state, "Approved");
    assert_eq!(plain[0].allowed, "System Manager");
    assert!(plain[0].allow_self_approval);

    let typed = c
        .workflow::<Order>()
        .typed::<OrderState, OrderAction>()
        .transitions("ATO-00001")
        .await
        .unwrap();
    assert_eq!(typed[0].state, OrderState::PendingApproval);
    assert_eq!(typed[0].action, OrderAction::Approve);
    assert_eq!(typed[0].next_state, OrderState::Approved);
    // A state and an action the enums do not know land in their catch-alls.
    assert_eq!(typed[1].action, OrderAction::Other("Escalate".into()));
    assert_eq!(typed[1].next_state, OrderState::Other("Board".into()));
}

#[tokio::test]
async fn apply_posts_the_action_and_returns_the_saved_document() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.model.workflow.apply_workflow"))
        .and(body_json(json!({
            "doc": r#"{"doctype":"API Test Order","name":"ATO-00001"}"#,
            "action": "Approve"
        })))
        .respond_with(json_ok(json!({"message": {
            "name": "ATO-00001", "doctype": "API Test Order", "docstatus": 1,
            "workflow_state": "Approved", "customer_name": "Acme"
        }})))
        .expect(3)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("api-key", "api-secret"));

    let order: Order = c
        .workflow::<Order>()
        .apply("ATO-00001", "Approve")
        .await
        .unwrap();
    assert_eq!(order.name, "ATO-00001");
    assert_eq!(order.workflow_state.as_deref(), Some("Approved"));
    assert_eq!(order.docstatus, 1);

    let typed: Order = c
        .workflow::<Order>()
        .typed::<OrderState, OrderAction>()
        .apply("ATO-00001", OrderAction::Approve)
        .await
        .unwrap();
    assert_eq!(typed.docstatus, 1);

    let row: Row = c
        .doctype("API Test Order")
        .workflow()
        .apply("ATO-00001", "Approve")
        .await
        .unwrap();
    assert_eq!(row["workflow_state"], "Approved");
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let server = MockServer::start().await;
    let c = fast_client(&server, Auth::token("api-key", "api-secret"));
    let flow = c.workflow::<Order>();
    let empty_name = flow.transitions("").await.unwrap_err();
    assert!(
        matches!(empty_name, Error::InvalidInput(_)),
        "{empty_name:?}"
    );
    let empty_action = flow.apply("ATO-00001", "").await.unwrap_err();
    assert!(
        empty_action
            .to_string()
            .contains("API Test Order ATO-00001"),
        "{empty_action}"
    );
    let not_text = c
        .workflow::<Order>()
        .typed::<String, u32>()
        .apply("ATO-00001", 7u32)
        .await
        .unwrap_err();
    assert!(matches!(not_text, Error::InvalidInput(_)), "{not_text:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn frappes_workflow_exceptions_are_matchable() {
    let server = MockServer::start().await;
    // The body Frappe 15 answers `frappe.throw(_("Not a valid Workflow Action"),
    // WorkflowTransitionError)` with.
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.model.workflow.apply_workflow"))
        .respond_with(json_response(
            417,
            json!({
                "exc_type": "WorkflowTransitionError",
                "exception": "frappe.model.workflow.WorkflowTransitionError: Not a valid Workflow Action",
                "_server_messages": "[\"{\\\"message\\\": \\\"Not a valid Workflow Action\\\", \\\"title\\\": \\\"Message\\\", \\\"indicator\\\": \\\"red\\\", \\\"raise_exception\\\": 1}\"]"
            }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.model.workflow.get_transitions"))
        .respond_with(json_response(
            417,
            json!({"exc_type": "WorkflowStateError", "exception": "frappe.model.workflow.WorkflowStateError: Workflow State not set"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("api-key", "api-secret"));

    let refused = c
        .workflow::<Order>()
        .apply("ATO-00001", "Approve")
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Validation(_)), "{refused:?}");
    assert_eq!(
        refused.workflow_refusal(),
        Some(WorkflowRefusal::Transition),
        "{refused:?}"
    );
    assert_eq!(
        refused.api_error().unwrap().message,
        "Not a valid Workflow Action"
    );

    let no_state = c
        .workflow::<Order>()
        .transitions("ATO-00001")
        .await
        .unwrap_err();
    assert_eq!(no_state.workflow_refusal(), Some(WorkflowRefusal::State));
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_mirrors_the_workflow_calls() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/method/frappe.model.workflow.get_transitions"))
            .respond_with(json_ok(json!({"message": [
                transition_row("Draft", "Review", "Pending Approval", "API Limited"),
            ]})))
            .expect(2)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/method/frappe.model.workflow.apply_workflow"))
            .and(body_json(json!({
                "doc": r#"{"doctype":"API Test Order","name":"ATO-00002"}"#,
                "action": "Review"
            })))
            .respond_with(json_ok(json!({"message": {
                "name": "ATO-00002", "docstatus": 0, "workflow_state": "Pending Approval"
            }})))
            .expect(1)
            .mount(&server)
            .await;
        server
    });
    let c =
        frappe_runtime::blocking::Client::new(server.uri(), Auth::token("api-key", "api-secret"))
            .unwrap();
    let typed = c
        .workflow::<Order>()
        .typed::<OrderState, OrderAction>()
        .transitions("ATO-00002")
        .unwrap();
    assert_eq!(typed[0].action, OrderAction::Review);
    assert_eq!(typed[0].next_state, OrderState::PendingApproval);
    let flow = c.doctype("API Test Order").workflow();
    assert_eq!(flow.transitions("ATO-00002").unwrap()[0].action, "Review");
    let row = flow.apply("ATO-00002", "Review").unwrap();
    assert_eq!(row["workflow_state"], "Pending Approval");
}
