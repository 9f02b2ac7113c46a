//! Keep a CRM's copy of the site's customers in sync through signed Webhooks.
//!
//! ```sh
//! export WEBHOOK_SECRET=...                     # the secret the Webhooks sign with
//! cargo run -p frappe-examples --bin webhook_receiver                 # listen on 127.0.0.1:8080
//! # once, to create the two Webhooks on the site (FRAPPE_URL + credentials needed):
//! cargo run -p frappe-examples --bin webhook_receiver -- --register https://crm.example.com/frappe/customer
//! ```
//!
//! `WEBHOOK_LISTEN` changes the address (`0.0.0.0:8080` to be reached from another host). The
//! site must reach the receiver: Frappe posts from its background worker, after each commit.

use std::sync::{Arc, Mutex};

use frappe_examples::env::{Login, client_or_exit, exit_usage};
use frappe_examples::tasks::webhooks::{CustomerMirror, PATH, register, router};
use frappe_runtime::webhook::Verifier;

const USAGE: &str = "usage: webhook_receiver [--register <public URL of the receiver>]\n\
    export WEBHOOK_SECRET=... (the Webhooks' secret) [WEBHOOK_LISTEN=127.0.0.1:8080]";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let secret = std::env::var("WEBHOOK_SECRET").unwrap_or_default();
    let verifier = Verifier::new(&secret).unwrap_or_else(|_| exit_usage(USAGE));
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {}
        [flag, url] if flag == "--register" => {
            let client = client_or_exit(Login::Any);
            let names = register(&client, "CRM customer sync", url, &secret).await?;
            println!("created the Webhooks {names:?}, posting to {url}");
            return Ok(());
        }
        _ => exit_usage(USAGE),
    }

    let listen = std::env::var("WEBHOOK_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mirror = Arc::new(Mutex::new(CustomerMirror::default()));
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("listening on http://{listen}{PATH}");
    axum::serve(listener, router(verifier, mirror)).await?;
    Ok(())
}
