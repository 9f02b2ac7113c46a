//! Delete a document.
//!
//! ```sh
//! cargo run -p frappe-examples --bin delete_customer -- "Ada Industries"
//! ```

use frappe_examples::env::{Login, arg_or_exit, client_or_exit};
use frappe_examples::erpnext::selling::Customer;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let name = arg_or_exit(1, "usage: delete_customer <customer name>");
    match client.delete::<Customer>(&name).await {
        Ok(()) => println!("deleted {name}"),
        Err(e) if e.is_not_found() => println!("{name} does not exist (nothing to delete)"),
        // e.g. 417 LinkExistsError: invoices still point to the customer.
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
