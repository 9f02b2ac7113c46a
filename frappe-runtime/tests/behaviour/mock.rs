//! Small wiremock helpers the behaviour tests share: JSON answers, a client with fast retries,
//! and what the server saw.

use std::time::Duration;

use frappe_runtime::{Auth, Client, RetryPolicy};
use serde_json::Value;
use wiremock::{MockServer, Request, ResponseTemplate};

/// A 200 answer with a JSON body.
pub fn json_ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// Every request the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// `METHOD /path` of every request the server received, in order.
pub async fn routes(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

/// An answer with `status` and a JSON body.
pub fn json_response(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// Retries with tiny delays, so the tests do not wait.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::new(3, Duration::from_millis(1), Duration::from_millis(50))
}

/// A client of `server` with `auth` and [`fast_retry`].
pub fn fast_client(server: &MockServer, auth: Auth) -> Client {
    Client::builder(server.uri())
        .auth(auth)
        .retry(fast_retry())
        .build()
        .unwrap()
}

/// A Guest client of the site at `uri` that never retries.
pub fn no_retry_client(uri: &str) -> Client {
    Client::builder(uri)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}
