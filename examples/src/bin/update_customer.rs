//! Update some fields of a document (a partial `PUT`), guarded against lost updates.
//!
//! ```sh
//! cargo run -p frappe-examples --bin update_customer -- "Ada Industries" Individual
//! ```

use frappe_examples::env::{Login, arg_or_exit, client_or_exit, exit_usage};
use frappe_examples::erpnext::selling::CustomerType;
use frappe_examples::tasks::customers::change_type;
use frappe_runtime::Choice;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let usage = "usage: update_customer <customer name> <Company|Individual|Partnership>";
    let name = arg_or_exit(1, usage);
    let new_type =
        CustomerType::from_wire(&arg_or_exit(2, usage)).unwrap_or_else(|| exit_usage(usage));

    // GET, then PUT {"customer_type": .., "modified": <as read>}: only the fields set are sent.
    let (before, saved) = change_type(&client, &name, new_type).await?;
    println!(
        "{}: {} -> {}",
        saved.name,
        // Mandatory, yet `None` on customers saved before it was (see the README's field types).
        before
            .customer_type
            .as_ref()
            .map_or("(not set)", |t| t.as_str()),
        saved
            .customer_type
            .as_ref()
            .map_or("(not set)", |t| t.as_str())
    );
    Ok(())
}
