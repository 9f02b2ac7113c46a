//! Log in with a user name and password, use the session, log out.
//!
//! ```sh
//! export FRAPPE_URL=https://erp.example.com FRAPPE_USER=jane@example.com FRAPPE_PASSWORD=...
//! cargo run -p frappe-examples --bin auth_password
//! ```

use frappe_examples::env::{Login, client_or_exit};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Password);
    // POST /api/method/login; the client keeps the `sid` cookie (and logs in again by itself
    // if the session expires). Without this call, the first request would log in.
    let info = client.login().await?;
    println!("{} ({})", info.message, info.full_name.unwrap_or_default());
    println!("session user: {}", client.logged_user().await?);
    client.logout().await?;
    println!("logged out");
    Ok(())
}
