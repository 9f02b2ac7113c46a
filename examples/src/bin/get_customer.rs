//! Get one document by name.
//!
//! ```sh
//! cargo run -p frappe-examples --bin get_customer -- "Wire Customer"
//! ```

use frappe_examples::env::{Login, arg_or_exit, client_or_exit};
use frappe_examples::erpnext::selling::Customer;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let name = arg_or_exit(1, "usage: get_customer <customer name>");
    let customer: Customer = client.get(&name).await?;
    println!(
        "{} ({:?}), modified {:?}",
        customer.customer_name, customer.customer_type, customer.modified
    );
    // Fields the bindings do not declare are kept, not dropped.
    println!(
        "{} other fields, e.g. doctype = {:?}",
        customer.extra.len(),
        customer.extra.get("doctype")
    );
    Ok(())
}
