//! Sync the records changed since the last run (`modified > last_sync`), streamed.
//!
//! ```sh
//! cargo run -p frappe-examples --bin sync_since -- "2026-01-01 00:00:00"
//! ```
//!
//! Prints the new watermark at the end: pass it to the next run.

use chrono::NaiveDateTime;
use frappe_examples::env::{Login, client_or_exit, exit_usage};
use frappe_examples::tasks::sync::{advance, changed_since};
use frappe_runtime::wire;
use futures_util::TryStreamExt as _;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let last_sync = match std::env::args().nth(1) {
        Some(ts) => wire::parse_datetime(&ts)
            .unwrap_or_else(|| exit_usage("usage: sync_since [\"YYYY-MM-DD HH:MM:SS\"]")),
        None => NaiveDateTime::MIN,
    };

    // One page (100 rows) in memory at a time, however many records changed.
    let mut changed = changed_since(&client, last_sync, 100);
    let (mut count, mut watermark) = (0, last_sync);
    while let Some(customer) = changed.try_next().await? {
        println!(
            "{} {:?} {}",
            customer.name, customer.modified, customer.customer_name
        );
        watermark = advance(watermark, &customer);
        count += 1;
    }
    println!(
        "{count} changed; next run: sync_since \"{}\"",
        wire::format_datetime(&watermark)
    );
    Ok(())
}
