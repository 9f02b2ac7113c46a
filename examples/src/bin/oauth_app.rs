//! A third-party app signing a user in with OAuth2 (authorization code + PKCE), then calling
//! the API on their behalf.
//!
//! Register the app on the site first (Integrations → OAuth Client: scopes `all openid`, the
//! redirect URI below, grant type Authorization Code, response type Code), then:
//!
//! ```sh
//! export FRAPPE_URL=https://erp.example.com FRAPPE_OAUTH_CLIENT_ID=<client id> \
//!     FRAPPE_OAUTH_REDIRECT_URI=http://127.0.0.1:8765/callback
//! cargo run -p frappe-examples --bin oauth_app
//! ```
//!
//! The program prints the authorize URL; open it, sign in and allow, and paste the URL the
//! browser is sent to (the page may fail to load: only its address matters). A web app would
//! keep `pending` in the user's session and read `code` and `state` in its callback handler.
//! Set `FRAPPE_OAUTH_CLIENT_SECRET` too for a confidential client.

use std::io::BufRead as _;

use frappe_examples::env::{FRAPPE_URL, exit_usage};
use frappe_runtime::oauth::{OAuthApp, TokenKind};

const CLIENT_ID: &str = "FRAPPE_OAUTH_CLIENT_ID";
const REDIRECT_URI: &str = "FRAPPE_OAUTH_REDIRECT_URI";
const CLIENT_SECRET: &str = "FRAPPE_OAUTH_CLIENT_SECRET";

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (Some(url), Some(client_id), Some(redirect_uri)) =
        (var(FRAPPE_URL), var(CLIENT_ID), var(REDIRECT_URI))
    else {
        exit_usage(&format!(
            "missing environment variables; set the site and the OAuth Client, for example:\n  \
             export {FRAPPE_URL}=https://erp.example.com {CLIENT_ID}=<client id> \
             {REDIRECT_URI}=http://127.0.0.1:8765/callback"
        ));
    };
    let mut app = OAuthApp::new(&url, client_id, redirect_uri)
        .unwrap_or_else(|e| exit_usage(&format!("{FRAPPE_URL}: {e}")))
        .scopes(["all", "openid"]);
    if let Some(secret) = var(CLIENT_SECRET) {
        app = app.client_secret(secret);
    }

    // 1. Send the user to the site. `pending` holds the state and the PKCE verifier.
    let authorization = app.authorize()?;
    println!(
        "open this URL, sign in and allow:\n\n  {}\n",
        authorization.url()
    );
    println!("then paste the address your browser was sent to:");
    let mut redirected_to = String::new();
    std::io::stdin().lock().read_line(&mut redirected_to)?;

    // 2. Redeem the code: the state is checked first, the verifier proves the code is ours.
    let tokens = app
        .exchange_redirect(authorization.pending(), redirected_to.trim())
        .await?;
    println!(
        "signed in: scopes {:?}, access token valid until {:?}",
        tokens.scopes, tokens.expires_at
    );

    // 3. A client that refreshes the token before it expires (and on a 401) and hands each
    //    new set to us: a real app stores it, encrypted, for the next run.
    let client = app.client(&tokens, |new| {
        println!(
            "tokens refreshed; store them (valid until {:?})",
            new.expires_at
        );
    })?;
    println!("the API sees {}", client.logged_user().await?);
    let profile = app.profile(&tokens.access_token).await?;
    println!(
        "OpenID profile: {} <{}>",
        profile.name.unwrap_or_default(),
        profile.email.unwrap_or_default()
    );

    // 4. Sign out: revoking the access token ends its refresh token too.
    app.revoke(&tokens.access_token, TokenKind::Access).await?;
    println!("signed out (token revoked)");
    Ok(())
}
