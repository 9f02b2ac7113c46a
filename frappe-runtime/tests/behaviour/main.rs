//! Behaviour tests against a local wiremock server (127.0.0.1): retries and Retry-After, paging,
//! session renewal and insert_many chunking (secret redaction: tests/redaction.rs). Retry delays are tiny; no test
//! asserts on elapsed time.

#[path = "../support/mod.rs"]
mod support;

mod chunking;
mod paging;
mod retry;
mod session;
