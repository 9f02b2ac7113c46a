//! Creating many documents with bounded concurrency, reporting progress.
//!
//! Policy: at most `concurrency` inserts are in flight (`buffer_unordered`; the client's own
//! `max_concurrency` caps all its requests as well). A failed insert is reported, never retried:
//! a POST that timed out may still have created the document, so retrying blindly could create
//! it twice. The caller decides what to do with the failures.

use frappe_runtime::{Changes, Client, Error};
use futures_util::StreamExt as _;

use crate::erpnext::selling::Customer;

/// How far a bulk run has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Inserts finished (created or failed).
    pub done: usize,
    /// Of those, failed.
    pub failed: usize,
    /// Inserts in the run.
    pub total: usize,
}

/// What a bulk run did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Names of the created documents, in completion order.
    pub created: Vec<String>,
    /// Index (into the input) and error of every failed insert, sorted by index.
    pub failed: Vec<(usize, Error)>,
}

/// Inserts every customer (each only the fields set, see
/// [`new_customer`](super::customers::new_customer)), at most `concurrency` at a time, calling
/// `on_progress` after each.
pub async fn create_customers(
    client: &Client,
    customers: Vec<Changes<Customer>>,
    concurrency: usize,
    mut on_progress: impl FnMut(Progress),
) -> Outcome {
    let total = customers.len();
    let mut results = futures_util::stream::iter(customers.into_iter().enumerate())
        .map(|(i, customer)| async move { (i, client.create(&customer).await) })
        .buffer_unordered(concurrency.max(1));
    let mut outcome = Outcome::default();
    while let Some((i, result)) = results.next().await {
        match result {
            Ok(saved) => outcome.created.push(saved.name),
            Err(e) => outcome.failed.push((i, e)),
        }
        on_progress(Progress {
            done: outcome.created.len() + outcome.failed.len(),
            failed: outcome.failed.len(),
            total,
        });
    }
    outcome.failed.sort_by_key(|(i, _)| *i);
    outcome
}
