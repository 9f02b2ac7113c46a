//! Wire tests: real Frappe v15 exchanges (../shared/frappe-v15) replayed over a local server.
//!
//! Each test loads a transcript, serves its recorded response from wiremock on 127.0.0.1, runs
//! the client call that should produce the recorded request, then asserts on the request the
//! client actually sent and on what it made of the response.

#[path = "../support/mod.rs"]
mod support;

mod harness;
