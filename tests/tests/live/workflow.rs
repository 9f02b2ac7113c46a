//! Workflows on the real server: a Workflow on API Test Order (Draft -> Pending Approval ->
//! Approved, or back to Draft), created over REST; the limited user (role "API Limited") may
//! only send an order to review, Administrator (every role) approves. Transitions are listed
//! and actions applied as both users, and the refusals arrive as typed
//! [`WorkflowRefusal`]s. frappe-codegen, run on the site meanwhile, keeps the Workflow in its
//! snapshot, reports it as drift and generates its enums and transitions table.
//!
//! A Workflow changes what every save of an API Test Order does, and creating one adds the
//! `workflow_state` Custom Field, so the test holds [`ORDER_WORKFLOW`] for writing (tests that
//! write API Test Orders hold it for reading) and [`METADATA`], keeps the workflow active only
//! for the checks, and removes everything it made: the workflow (deactivated first, which
//! clears the site's workflow cache), the Custom Field, the permission rules it added and the
//! orders. Setup and checks run inside `catch_unwind`, so a failed check cleans up too.

use std::panic::AssertUnwindSafe;

use frappe_runtime::{Client, DocStatus, Error, Row, Transition, WorkflowRefusal};
use frappe_tests::live_site::custom::ApiTestOrder;
use futures_util::FutureExt;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::codegen::codegen;
use crate::support::{METADATA, ORDER_WORKFLOW, admin, limited, unique};

const DOCTYPE: &str = "API Test Order";
const LIMITED_ROLE: &str = "API Limited";
const PERMISSIONS: &str = "frappe.core.page.permission_manager.permission_manager";

/// The test workflow's states, as an application would declare them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum OrderState {
    Draft,
    #[serde(rename = "Pending Approval")]
    PendingApproval,
    Approved,
    #[serde(untagged)]
    Other(String),
}

/// The test workflow's actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum OrderAction {
    Review,
    Approve,
    Reject,
    #[serde(untagged)]
    Other(String),
}

/// Inserts a document unless one of that name exists (the states and actions are site-wide and
/// may be there from an earlier run or from Frappe's install).
async fn ensure(admin: &Client, doctype: &str, doc: serde_json::Value) {
    match admin.doctype(doctype).insert(&doc).await {
        Ok(_) => {}
        Err(e)
            if matches!(e, Error::Duplicate(_)) || e.exc_type() == Some("DuplicateEntryError") => {}
        Err(e) => panic!("{doctype} {doc}: {e}"),
    }
}

/// The Workflow `name` on API Test Order.
fn workflow(name: &str) -> serde_json::Value {
    let state = |state: &str, doc_status: &str, allow_edit: &str| json!({"state": state, "doc_status": doc_status, "allow_edit": allow_edit});
    let transition = |state: &str, action: &str, next: &str, allowed: &str| {
        json!({"state": state, "action": action, "next_state": next, "allowed": allowed,
               "allow_self_approval": 1})
    };
    json!({
        "workflow_name": name,
        "document_type": DOCTYPE,
        "is_active": 1,
        "send_email_alert": 0,
        "workflow_state_field": "workflow_state",
        "states": [
            state("Draft", "0", LIMITED_ROLE),
            state("Pending Approval", "0", "System Manager"),
            state("Approved", "1", "System Manager"),
        ],
        "transitions": [
            transition("Draft", "Review", "Pending Approval", LIMITED_ROLE),
            transition("Pending Approval", "Approve", "Approved", "System Manager"),
            transition("Pending Approval", "Reject", "Draft", "System Manager"),
        ],
    })
}

fn actions<S>(transitions: &[Transition<S, String>]) -> Vec<&str> {
    transitions.iter().map(|t| t.action.as_str()).collect()
}

#[tokio::test]
async fn a_workflow_moves_an_order_and_refuses_what_a_role_may_not_do() {
    let _metadata = METADATA.lock().await;
    let _orders = ORDER_WORKFLOW.write().await;
    let (admin, limited) = (admin(), limited());
    let flow_name = unique("workflow");
    let mut made: Vec<String> = Vec::new();

    let checks = AssertUnwindSafe(run(&admin, &limited, &flow_name, &mut made))
        .catch_unwind()
        .await;
    clean_up(&admin, &flow_name, &made).await;
    if let Err(panic) = checks {
        std::panic::resume_unwind(panic);
    }
}

/// Sets up the workflow and runs the checks; `made` collects the orders created.
async fn run(admin: &Client, limited: &Client, flow_name: &str, made: &mut Vec<String>) {
    for state in ["Draft", "Pending Approval", "Approved"] {
        ensure(
            admin,
            "Workflow State",
            json!({"workflow_state_name": state}),
        )
        .await;
    }
    for action in ["Review", "Approve", "Reject"] {
        ensure(
            admin,
            "Workflow Action Master",
            json!({"workflow_action_name": action}),
        )
        .await;
    }
    // The limited user may read and write API Test Orders (not submit them).
    let _: serde_json::Value = admin
        .call(format!("{PERMISSIONS}.add"))
        .args(json!({"parent": DOCTYPE, "role": LIMITED_ROLE, "permlevel": 0}))
        .post()
        .await
        .unwrap();
    let _: serde_json::Value = admin
        .call(format!("{PERMISSIONS}.update"))
        .args(
            json!({"doctype": DOCTYPE, "role": LIMITED_ROLE, "permlevel": 0,
                     "ptype": "write", "value": 1}),
        )
        .post()
        .await
        .unwrap();
    // API Test Order's metadata before the Workflow, for the drift check below.
    let dir = tempfile::tempdir().unwrap();
    let path = |file: &str| dir.path().join(file).to_str().unwrap().to_owned();
    let (before, during) = (path("before.snapshot.json"), path("during.snapshot.json"));
    let (code, text) = codegen(&["snapshot", "--site", "--doctype", DOCTYPE, "--out", &before]);
    assert_eq!(code, 0, "{text}");

    admin
        .doctype("Workflow")
        .insert(&workflow(flow_name))
        .await
        .unwrap();

    // frappe-codegen sees the Workflow with the DocType (getdoctype's `__workflow_docs`): kept in
    // the snapshot, reported as drift, generated as enums and a transitions table.
    let (code, text) = codegen(&["snapshot", "--site", "--doctype", DOCTYPE, "--out", &during]);
    assert_eq!(code, 0, "{text}");
    let snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&during).unwrap()).unwrap();
    let order_meta = snapshot["doctypes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == DOCTYPE)
        .unwrap();
    assert_eq!(order_meta["workflow"]["workflow_name"], flow_name);
    assert_eq!(
        order_meta["workflow"]["transitions"][1]["action"],
        "Approve"
    );
    let (code, text) = codegen(&["check", "--snapshot", &before, "--site"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("workflow added"), "{text}");
    let (code, code_text) = codegen(&["generate", "--snapshot", &during, "--doctype", DOCTYPE]);
    assert_eq!(code, 0, "{code_text}");
    for expected in [
        "impl frappe_runtime::HasWorkflow for ApiTestOrder",
        "pub enum ApiTestOrderWorkflowState",
        "#[serde(rename = \"Pending Approval\")]",
        "action: ApiTestOrderWorkflowAction::Approve,",
        "allowed: \"System Manager\",",
    ] {
        assert!(code_text.contains(expected), "{expected}: {code_text}");
    }

    let marker = unique("workflow-order");
    let order = admin
        .doctype(DOCTYPE)
        .insert(&json!({"customer_name": marker}))
        .await
        .unwrap();
    let name = order["name"].as_str().unwrap().to_owned();
    made.push(name.clone());
    // The site puts a new document in the workflow's first state.
    assert_eq!(order["workflow_state"], "Draft");

    // Draft: the limited user may send it to review; so may Administrator (every role).
    let limited_flow = limited.doctype(DOCTYPE).workflow();
    let open = limited_flow.transitions(&name).await.unwrap();
    assert_eq!(actions(&open), ["Review"]);
    assert_eq!(open[0].next_state, "Pending Approval");
    assert_eq!(open[0].allowed, LIMITED_ROLE);
    assert_eq!(open[0].condition, None);
    // Approve is not a transition out of Draft, for anyone.
    let early = admin
        .workflow::<ApiTestOrder>()
        .apply(&name, "Approve")
        .await
        .unwrap_err();
    assert_eq!(
        early.workflow_refusal(),
        Some(WorkflowRefusal::Transition),
        "{early:?}"
    );
    let reviewed: Row = limited_flow.apply(&name, "Review").await.unwrap();
    assert_eq!(reviewed["workflow_state"], "Pending Approval");
    assert_eq!(reviewed["docstatus"], 0);

    // Pending Approval: nothing for the limited user, and Approve is refused with the typed
    // error; Administrator may approve or reject.
    assert!(limited_flow.transitions(&name).await.unwrap().is_empty());
    let refused = limited_flow.apply(&name, "Approve").await.unwrap_err();
    assert!(matches!(refused, Error::Validation(_)), "{refused:?}");
    assert_eq!(
        refused.workflow_refusal(),
        Some(WorkflowRefusal::Transition),
        "{refused:?}"
    );
    let typed = admin
        .workflow::<ApiTestOrder>()
        .typed::<OrderState, OrderAction>();
    let open = typed.transitions(&name).await.unwrap();
    let pairs: Vec<(OrderAction, OrderState)> = open
        .iter()
        .map(|t| (t.action.clone(), t.next_state.clone()))
        .collect();
    assert_eq!(
        pairs,
        [
            (OrderAction::Approve, OrderState::Approved),
            (OrderAction::Reject, OrderState::Draft),
        ]
    );
    assert!(open.iter().all(|t| t.state == OrderState::PendingApproval));

    // Approved has doc_status 1: applying Approve submits the order.
    let approved: ApiTestOrder = typed.apply(&name, OrderAction::Approve).await.unwrap();
    assert_eq!(approved.docstatus, DocStatus::Submitted);
    let row = admin.doctype(DOCTYPE).get(&name).await.unwrap();
    assert_eq!(row["workflow_state"], "Approved");
    assert!(typed.transitions(&name).await.unwrap().is_empty());

    // Writing the state field directly to a state no open transition leads to is Frappe's
    // WorkflowPermissionError.
    let other = admin
        .doctype(DOCTYPE)
        .insert(&json!({"customer_name": marker}))
        .await
        .unwrap();
    let other = other["name"].as_str().unwrap().to_owned();
    made.push(other.clone());
    let jump = limited
        .doctype(DOCTYPE)
        .update(
            &other,
            &json!({"workflow_state": "Pending Approval", "total": 1}),
        )
        .await;
    // Draft -> Pending Approval is the limited user's own transition: allowed.
    assert_eq!(jump.unwrap()["workflow_state"], "Pending Approval");
    let skip = limited
        .doctype(DOCTYPE)
        .update(&other, &json!({"workflow_state": "Draft"}))
        .await
        .unwrap_err();
    assert_eq!(
        skip.workflow_refusal(),
        Some(WorkflowRefusal::Permission),
        "{skip:?}"
    );
}

/// Removes the workflow (deactivated first), the Custom Field it added, the permission rules,
/// and the orders with their Workflow Actions. Reports every failure, after trying every step.
async fn clean_up(admin: &Client, flow_name: &str, orders: &[String]) {
    let mut failures = Vec::new();
    let workflows = admin.doctype("Workflow");
    if let Err(e) = workflows.update(flow_name, &json!({"is_active": 0})).await {
        if !e.is_not_found() {
            failures.push(format!("deactivate: {e}"));
        }
    }
    if let Err(e) = workflows.delete(flow_name).await {
        if !e.is_not_found() {
            failures.push(format!("delete workflow: {e}"));
        }
    }
    let field = format!("{DOCTYPE}-workflow_state");
    if let Err(e) = admin.doctype("Custom Field").delete(&field).await {
        if !e.is_not_found() {
            failures.push(format!("delete {field}: {e}"));
        }
    }
    let reset: Result<serde_json::Value, _> = admin
        .call(format!("{PERMISSIONS}.reset"))
        .arg("doctype", DOCTYPE)
        .post()
        .await;
    if let Err(e) = reset {
        failures.push(format!("reset permissions: {e}"));
    }
    for name in orders {
        // The site records a Workflow Action (a to-do for the users who may act next) at each
        // state change; it links the order, so it goes first.
        let pending: Result<Vec<Row>, _> = admin
            .doctype("Workflow Action")
            .list()
            .filter(json!(["reference_doctype", "=", DOCTYPE]))
            .filter(json!(["reference_name", "=", name]))
            .send()
            .await;
        match pending {
            Ok(rows) => {
                for row in rows {
                    let action = row["name"].as_str().unwrap_or_default();
                    if let Err(e) = admin.doctype("Workflow Action").delete(action).await {
                        failures.push(format!("delete Workflow Action {action}: {e}"));
                    }
                }
            }
            Err(e) => failures.push(format!("list Workflow Actions of {name}: {e}")),
        }
        let orders = admin.doctype(DOCTYPE);
        if let Ok(row) = orders.get(name).await {
            if row["docstatus"] == 1 {
                if let Err(e) = orders.cancel(name).await {
                    failures.push(format!("cancel {name}: {e}"));
                }
            }
        }
        if let Err(e) = orders.delete(name).await {
            failures.push(format!("delete {name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "clean-up failed: {failures:#?}");
}
