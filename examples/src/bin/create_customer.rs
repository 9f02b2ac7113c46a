//! Create a document.
//!
//! ```sh
//! cargo run -p frappe-examples --bin create_customer -- "Ada Industries"
//! ```

use frappe_examples::env::{Login, arg_or_exit, client_or_exit};
use frappe_examples::erpnext::selling::CustomerType;
use frappe_examples::tasks::customers::new_customer;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let name = arg_or_exit(1, "usage: create_customer <customer name>");
    // POST /api/resource/Customer with only the fields set in `new_customer` (the site fills
    // in the rest); never retried automatically (it is not idempotent).
    let saved = client
        .create(&new_customer(&name, CustomerType::Company))
        .await?;
    println!(
        "created {} (group {:?}, territory {:?})",
        saved.name, saved.customer_group, saved.territory
    );
    Ok(())
}
