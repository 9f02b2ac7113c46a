//! Authenticate with an API key and secret (User → API Access → Generate Keys).
//!
//! ```sh
//! export FRAPPE_URL=https://erp.example.com FRAPPE_API_KEY=... FRAPPE_API_SECRET=...
//! cargo run -p frappe-examples --bin auth_api_key
//! ```

use frappe_examples::env::{Login, client_or_exit};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Sends `Authorization: token <key>:<secret>` on every request; nothing is stored.
    let client = client_or_exit(Login::ApiKey);
    let user = client.logged_user().await?;
    println!("authenticated as {user} on {}", client.base_url());
    Ok(())
}
