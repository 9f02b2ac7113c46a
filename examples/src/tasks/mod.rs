//! The logic of the examples that do more than one call, as functions taking a
//! [`Client`](frappe_runtime::Client): the binaries in `src/bin/` call them, and the tests run
//! them against a local mock server, so the examples are proven, not just compiled.

pub mod bulk;
pub mod customers;
pub mod errors;
pub mod invoices;
pub mod sync;
pub mod webhooks;
