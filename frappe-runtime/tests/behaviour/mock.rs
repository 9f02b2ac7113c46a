//! Small wiremock helpers the behaviour tests share: JSON answers, and what the server saw.

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
