//! Behaviour tests against local servers (wiremock, and two small hand-written ones, on
//! 127.0.0.1), through the public API only: retries and Retry-After (`retry`), paging
//! (`paging`), password sessions, logout and secrets in logs (`session`), `insert_many`
//! chunking (`chunking`), the concurrency cap (`concurrency`), request building: sub-path sites,
//! headers, encoding, bearer refresh, counts, the v2 API (`requests`), names the URL cannot
//! carry (`segments`), methods (`methods`), reports (`reports`), files (`files`), document
//! operations without a transcript (`documents`), typed documents and the blocking client
//! (`typed`), local validation before typed writes (`validation`), what a failed typed decode tells the user (`decode`), the OAuth2 flow (`oauth`, with
//! the `oauth` feature). Secret redaction of server
//! text lives in `tests/redaction.rs`, fault injection in `tests/faults`, transcript replays in
//! `tests/replay`. Retry delays are tiny; the only
//! elapsed-time assertions are the lower bounds of two Retry-After tests in `retry.rs`, which
//! observe a one-second wait the server asked for.

#[path = "../support/mod.rs"]
mod support;

mod bulk_jobs;
mod capture;
mod chunking;
mod compact;
mod concurrency;
mod decode;
mod documents;
mod files;
mod methods;
mod mock;
#[cfg(feature = "oauth")]
mod oauth;
mod paging;
mod redirect_logs;
mod reports;
mod requests;
mod retry;
mod segments;
mod session;
mod session_races;
mod typed;
mod validation;
mod workflows;
