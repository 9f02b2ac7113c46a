//! Submit and cancel a submittable document: a draft Sales Invoice.
//!
//! ```sh
//! cargo run -p frappe-examples --bin submit_cancel -- ACC-SINV-2026-00001
//! cargo run -p frappe-examples --bin submit_cancel          # the latest draft
//! ```

use frappe_examples::env::{Login, client_or_exit, exit_usage};
use frappe_examples::tasks::invoices::{latest_draft, submit_then_cancel};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let name = match std::env::args().nth(1) {
        Some(name) => name,
        None => match latest_draft(&client).await? {
            Some(draft) => draft.name,
            None => exit_usage("no draft Sales Invoice found; usage: submit_cancel [invoice name]"),
        },
    };
    // PUT {"docstatus": 1}, then PUT {"docstatus": 2}. Cancelling keeps the document (and its
    // ledger entries are reversed); `client.amend(..)` would start a corrected copy.
    let (submitted, cancelled) = submit_then_cancel(&client, &name).await?;
    println!(
        "{name}: submitted ({:?}, status {:?}, total {})",
        submitted.docstatus, submitted.status, submitted.grand_total
    );
    println!(
        "{name}: cancelled ({:?}, status {:?})",
        cancelled.docstatus, cancelled.status
    );
    Ok(())
}
