//! Move a document through its Workflow: list the actions the current user may take on it now,
//! and apply one. Works for any DocType with an active Workflow (e.g. a Purchase Order with an
//! approval workflow); the document is read untyped, as a `Row`.
//!
//! ```sh
//! cargo run -p frappe-examples --bin workflow_action -- "Purchase Order" PUR-ORD-2026-00001
//! cargo run -p frappe-examples --bin workflow_action -- "Purchase Order" PUR-ORD-2026-00001 Approve
//! ```

use frappe_examples::env::{Login, arg_or_exit, client_or_exit};
use frappe_runtime::{Row, WorkflowRefusal};

const USAGE: &str = "usage: workflow_action <doctype> <name> [action]";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let doctype = arg_or_exit(1, USAGE);
    let name = arg_or_exit(2, USAGE);
    let flow = client.doctype(doctype.as_str()).workflow();

    // Only the transitions out of the document's current state whose role the user has and
    // whose condition holds.
    let open = flow.transitions(&name).await?;
    if open.is_empty() {
        println!("{doctype} {name}: no workflow action open to you");
    }
    for t in &open {
        let condition = t.condition.as_deref().unwrap_or("always");
        println!(
            "{}: {} -> {} (role {}, when {condition})",
            t.action, t.state, t.next_state, t.allowed
        );
    }

    let Some(action) = std::env::args().nth(3) else {
        return Ok(());
    };
    // The site saves, submits or cancels the document as the next state's doc status says.
    match flow.apply(&name, action.as_str()).await {
        Ok(doc) => {
            let doc: Row = doc;
            println!(
                "{doctype} {name}: {action} applied; state {}, docstatus {}",
                doc.get("workflow_state")
                    .and_then(|s| s.as_str())
                    .unwrap_or("(the workflow's own state field)"),
                doc["docstatus"]
            );
        }
        Err(e) if e.workflow_refusal() == Some(WorkflowRefusal::Transition) => {
            println!("{doctype} {name}: {action:?} is not an action open to you now");
            std::process::exit(1);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
