//! The transcript replay harness of frappe-runtime's wire tests, shared rather than copied.
//!
//! The files live in `frappe-runtime/tests/support/` (owned by the runtime's tests); they are
//! compiled here as modules of this library, so both suites replay transcripts the same way:
//! [`replay::Replay`] serves recorded responses from wiremock on 127.0.0.1, refuses anything
//! else loudly, and compares each request the client sent (method, path, query with filters in
//! canonical form, headers, JSON/form/multipart body) with the recording.

#[path = "../../frappe-runtime/tests/support/check.rs"]
pub mod check;
#[path = "../../frappe-runtime/tests/support/clients.rs"]
pub mod clients;
#[path = "../../frappe-runtime/tests/support/multipart.rs"]
pub mod multipart;
#[path = "../../frappe-runtime/tests/support/replay.rs"]
pub mod replay;
#[path = "../../frappe-runtime/tests/support/transcript.rs"]
pub mod transcript;

pub use replay::Replay;
pub use transcript::{core, erpnext};
