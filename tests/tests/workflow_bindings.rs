//! Generated Workflow bindings (`frappe_tests::workflow_order`): the transitions table as the
//! site's Workflow has it, and the client's `workflow_of` taking and returning the generated
//! enums against a local server.

use frappe_runtime::{Auth, Choice, Client, HasWorkflow};
use frappe_tests::workflow_order::custom::{
    ApprovalOrder, ApprovalOrderWorkflowAction as Action, ApprovalOrderWorkflowState as State,
};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn the_table_holds_the_workflows_transitions() {
    assert_eq!(ApprovalOrder::WORKFLOW, "Order Approval");
    assert_eq!(ApprovalOrder::STATE_FIELD, "workflow_state");
    let rows: Vec<(&State, &Action, &State, &str)> = ApprovalOrder::TRANSITIONS
        .iter()
        .map(|t| (&t.state, &t.action, &t.next_state, t.allowed))
        .collect();
    assert_eq!(
        rows,
        [
            (
                &State::Draft,
                &Action::Review,
                &State::PendingApproval,
                "API Limited"
            ),
            (
                &State::PendingApproval,
                &Action::Approve,
                &State::Approved,
                "System Manager"
            ),
            (
                &State::PendingApproval,
                &Action::Reject,
                &State::Draft,
                "System Manager"
            ),
        ]
    );
    assert_eq!(
        ApprovalOrder::TRANSITIONS[1].condition,
        Some("doc.total < 10000")
    );
    assert!(!ApprovalOrder::TRANSITIONS[1].allow_self_approval);
    assert_eq!(State::OPTIONS, ["Draft", "Pending Approval", "Approved"]);
    assert_eq!(State::PendingApproval.as_str(), "Pending Approval");
}

#[tokio::test]
async fn workflow_of_speaks_the_generated_enums() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.model.workflow.get_transitions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": [
            {"state": "Pending Approval", "action": "Approve", "next_state": "Approved",
             "allowed": "System Manager", "allow_self_approval": 0, "condition": "doc.total < 10000"}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.model.workflow.apply_workflow"))
        .and(body_json(json!({
            "doc": r#"{"doctype":"Approval Order","name":"AO-00001"}"#,
            "action": "Approve"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": {
            "name": "AO-00001", "customer_name": "Acme", "docstatus": 1,
            "workflow_state": "Approved"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri(), Auth::token("api-key", "api-secret")).unwrap();
    let flow = client.workflow_of::<ApprovalOrder>();
    let open = flow.transitions("AO-00001").await.unwrap();
    assert_eq!(open[0].action, Action::Approve);
    assert_eq!(open[0].next_state, State::Approved);
    let order = flow.apply("AO-00001", Action::Approve).await.unwrap();
    assert_eq!(order.workflow_state.as_deref(), Some("Approved"));
}
