//! Submit many draft Sales Invoices in one background job of the site, with progress, and
//! report which were submitted and why the others were not.
//!
//! ```sh
//! cargo run -p frappe-examples --bin bulk_submit -- "Ada Industries"   # one customer's drafts
//! cargo run -p frappe-examples --bin bulk_submit                        # every draft (at most 2,000)
//! ```
//!
//! Frappe runs the job on its worker (from 20 documents) and reports nothing back; the job
//! follows the invoices' `docstatus` to the end and asks the site again, one invoice at a time,
//! for the error of each one it left a draft (see `frappe_runtime::Bulk`).

use frappe_examples::env::{Login, client_or_exit};
use frappe_examples::erpnext::accounts::SalesInvoice;
use frappe_runtime::{DocStatus, TryStreamExt};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let mut drafts = client
        .list::<SalesInvoice>()
        .fields(["name"])
        .filter(SalesInvoice::docstatus.eq(DocStatus::Draft))
        .order_by(SalesInvoice::name.asc());
    if let Some(customer) = std::env::args().nth(1) {
        drafts = drafts.filter(SalesInvoice::customer.eq(customer));
    }
    let names: Vec<String> = drafts
        .limit(2_000)
        .stream()
        .map_ok(|invoice| invoice.name)
        .try_collect()
        .await?;
    if names.is_empty() {
        println!("no draft Sales Invoice to submit");
        return Ok(());
    }

    let report = client
        .bulk::<SalesInvoice>()
        .submit(&names)
        .on_progress(|p| {
            eprintln!(
                "{}/{} submitted, {} failed ({:.0?})",
                p.done, p.total, p.failed, p.elapsed
            )
        })
        .send()
        .await?;
    println!("{} submitted", report.succeeded.len());
    for (name, error) in &report.failed {
        println!("{name}: not submitted: {error}");
    }
    if !report.failed.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
