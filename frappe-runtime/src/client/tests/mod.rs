//! Behaviour of the request path against a local wiremock server: retries, session renewal,
//! paging, multipart, redaction, typed calls. (Transcript replays live in `tests/replay`.)

mod auth;
mod calls;
mod limits;
mod paging;
mod retry;
mod segments;
mod typed;

use std::time::Duration;

use serde_json::Value;
use wiremock::{MockServer, ResponseTemplate};

use crate::{Auth, Client, RetryPolicy};

fn fast_retry() -> RetryPolicy {
    RetryPolicy::new(3, Duration::from_millis(1), Duration::from_millis(50))
}

fn client(server: &MockServer, auth: Auth) -> Client {
    Client::builder(server.uri())
        .auth(auth)
        .retry(fast_retry())
        .build()
        .unwrap()
}

fn json_response(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}
