//! Behaviour tests against a local wiremock server (127.0.0.1): retries and Retry-After,
//! paging, session renewal, insert_many chunking, the concurrency cap, request building
//! (sub-path sites, headers, encoding, bearer refresh, reports) and document operations without
//! a transcript (amend, typed cancel, child lists, upload by URL, 413). Secret redaction lives in `tests/redaction.rs`. Retry
//! delays are tiny; the only elapsed-time assertions are the lower bounds of two Retry-After
//! tests in `retry.rs`, which observe a one-second wait the server asked for.

#[path = "../support/mod.rs"]
mod support;

mod chunking;
mod concurrency;
mod documents;
mod mock;
mod paging;
mod requests;
mod retry;
mod session;
