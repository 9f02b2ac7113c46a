//! Update some fields of a document (a partial `PUT`), guarded against lost updates.
//!
//! ```sh
//! cargo run -p frappe-examples --bin update_customer -- "Ada Industries" Individual
//! ```

use frappe_examples::env::{Login, arg_or_exit, client_or_exit, exit_usage};
use frappe_examples::erpnext::selling::{Customer, CustomerType};
use frappe_runtime::{Choice, wire};
use serde_json::json;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let usage = "usage: update_customer <customer name> <Company|Individual|Partnership>";
    let name = arg_or_exit(1, usage);
    let new_type =
        CustomerType::from_wire(&arg_or_exit(2, usage)).unwrap_or_else(|| exit_usage(usage));

    let current: Customer = client.get(&name).await?;
    // Only the keys given are sent. Sending back `modified` makes Frappe refuse the save (417
    // TimestampMismatchError) if someone saved the customer after we read it.
    let mut changes = json!({ "customer_type": new_type });
    if let Some(modified) = &current.modified {
        changes["modified"] = json!(wire::format_datetime(modified));
    }
    let saved: Customer = client.update(&name, &changes).await?;
    println!(
        "{}: {} -> {}",
        saved.name,
        current.customer_type.as_str(),
        saved.customer_type.as_str()
    );
    Ok(())
}
