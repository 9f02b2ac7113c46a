//! Fault injection: local servers (127.0.0.1 only) that redirect elsewhere, never answer, drop
//! the connection, or send bodies without end; and what the client promises in each case.
//! Every test runs under [`bounded`], so a regression fails instead of hanging.
//!
//! - `redirects`: credentials and writes never follow a redirect to another origin or scheme;
//! - `body_limit`: response bodies are capped while being read;
//! - `deadline`: per-attempt timeout and the call's overall deadline;
//! - `committed`: whether a failed request may have been processed;
//! - `arriving`: a list body sent in small pieces decodes as the same body sent whole.

use std::future::Future;
use std::time::Duration;

use serde_json::Value;
use wiremock::{MockServer, Request, ResponseTemplate};

mod arriving;
mod body_limit;
mod committed;
mod deadline;
mod redirects;
mod server;

/// Runs a test body, failing it if it takes longer than 20 s (the limits under test are all
/// far smaller; the bound only keeps a regression from hanging the suite).
pub async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("the test did not finish within its 20 s bound")
}

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
