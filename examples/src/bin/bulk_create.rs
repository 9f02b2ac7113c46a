//! Create 1,000 documents with bounded concurrency, reporting progress.
//!
//! ```sh
//! cargo run -p frappe-examples --bin bulk_create -- "Bulk Customer"
//! ```
//!
//! Failed inserts are listed, not retried: a POST that failed on the way back may still have
//! created its document, so look before re-running. For large imports also consider
//! `client.insert_many(..)`: up to 200 documents per request, one transaction each, with
//! `.concurrency(n)`, `.on_progress(..)` and a per-document report when a chunk fails.

use frappe_examples::env::{Login, build_or_exit, builder_or_exit};
use frappe_examples::erpnext::selling::CustomerType;
use frappe_examples::tasks::bulk::create_customers;
use frappe_examples::tasks::customers::new_customer;
use frappe_examples::tasks::errors::explain;

const COUNT: usize = 1_000;
const CONCURRENCY: usize = 8;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // The client's cap applies to every request it sends, whoever sends them.
    let client = build_or_exit(builder_or_exit(Login::Any).max_concurrency(CONCURRENCY));
    let prefix = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Bulk Customer".to_owned());

    let customers = (1..=COUNT)
        .map(|i| new_customer(&format!("{prefix} {i:04}"), CustomerType::Company))
        .collect();
    let outcome = create_customers(&client, customers, CONCURRENCY, |p| {
        if p.done % 50 == 0 || p.done == p.total {
            eprintln!("{}/{} done, {} failed", p.done, p.total, p.failed);
        }
    })
    .await;

    println!("created {} customers", outcome.created.len());
    for (i, e) in &outcome.failed {
        println!("#{} {prefix} {:04} failed: {}", i + 1, i + 1, explain(e));
    }
    Ok(())
}
