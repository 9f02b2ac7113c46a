//! Call whitelisted server methods (`/api/method/<dotted.path>`), with typed results.
//!
//! ```sh
//! cargo run -p frappe-examples --bin call_method
//! ```

use frappe_examples::env::{Login, client_or_exit};
use frappe_examples::erpnext::selling::Customer;
use frappe_runtime::Document;
use serde_json::json;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);

    // GET: arguments go into the query string; the `message` is decoded as the type asked for.
    let enabled: u64 = client
        .call("frappe.client.get_count")
        .arg("doctype", Customer::DOCTYPE)
        .arg("filters", json!([Customer::disabled.eq(false).to_json()]))
        .get()
        .await?;
    println!("{enabled} enabled customers");

    // POST: arguments as a JSON body. Never retried automatically: a method may change data.
    let user: String = client.call("frappe.auth.get_logged_user").post().await?;
    println!("logged in as {user}");
    Ok(())
}
