//! Wire tests: real Frappe v15 exchanges (../shared/frappe-v15) replayed over a local server.
//!
//! Each test loads a transcript, serves its recorded response from wiremock on 127.0.0.1, runs
//! the client call that should produce the recorded request, then asserts on the request the
//! client actually sent (`Replay::assert_requests`) and on what it made of the response.
//! Test names start with the transcript number (`t042_...`, ERPNext: `erp021_...`).
//!
//! SKIPPED transcripts, and why (everything else is covered):
//! (filled in below as the suite grows)

#[path = "../support/mod.rs"]
mod support;

mod auth;
mod docs;
mod documents;
mod errors;
mod files;
mod harness;
mod list;
mod methods;
mod updates;
mod v2;
