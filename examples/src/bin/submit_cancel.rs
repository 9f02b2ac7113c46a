//! Submit and cancel a submittable document: a draft Sales Invoice, or a new one.
//!
//! ```sh
//! cargo run -p frappe-examples --bin submit_cancel -- ACC-SINV-2026-00001
//! cargo run -p frappe-examples --bin submit_cancel          # the latest draft
//! cargo run -p frappe-examples --bin submit_cancel -- --new "Ada Industries" "My Company" ITEM-001 2 25.50
//! ```

use chrono::{Days, Local};
use frappe_examples::env::{Login, arg_or_exit, client_or_exit, exit_usage};
use frappe_examples::erpnext::accounts::SalesInvoice;
use frappe_examples::tasks::invoices::{Line, latest_draft, new_invoice, submit_then_cancel};

const USAGE: &str = "usage: submit_cancel [invoice name]\n       \
                     submit_cancel --new <customer> <company> <item code> <qty> <rate>";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let name = match std::env::args().nth(1).as_deref() {
        Some("--new") => {
            let number = |n| {
                arg_or_exit(n, USAGE)
                    .parse::<f64>()
                    .unwrap_or_else(|_| exit_usage(USAGE))
            };
            let item_code = arg_or_exit(4, USAGE);
            let line = Line {
                item_code: &item_code,
                qty: number(5),
                rate: number(6),
            };
            let today = Local::now().date_naive();
            let due = today.checked_add_days(Days::new(30)).unwrap_or(today);
            let draft = new_invoice(
                &arg_or_exit(2, USAGE),
                &arg_or_exit(3, USAGE),
                today,
                due,
                &[line],
            );
            // POST with only the fields set; the site computes item names, accounts, totals.
            let created: SalesInvoice = client.create(&draft).await?;
            println!(
                "{}: created (total {} {})",
                created.name,
                created.grand_total,
                created.currency.as_deref().unwrap_or_default()
            );
            created.name
        }
        Some(name) => name.to_owned(),
        None => match latest_draft(&client).await? {
            Some(draft) => draft.name,
            None => exit_usage(&format!("no draft Sales Invoice found; {USAGE}")),
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
