//! Authenticate with an OAuth2 access token (from your OAuth Client's authorization flow).
//!
//! ```sh
//! export FRAPPE_URL=https://erp.example.com FRAPPE_ACCESS_TOKEN=...
//! cargo run -p frappe-examples --bin auth_bearer
//! ```
//!
//! `Auth::bearer_with_refresh(access, refresh, client_id)` also renews the token once when the
//! site answers 401.

use frappe_examples::env::{Login, client_or_exit};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Sends `Authorization: Bearer <token>`.
    let client = client_or_exit(Login::Bearer);
    println!("authenticated as {}", client.logged_user().await?);
    Ok(())
}
