//! What the per-document bulk calls share ([`update_many`](crate::Client::update_many),
//! [`get_many`](crate::Client::get_many)): one request per document, one result per document in
//! the order given, and a progress report after each answer.

use futures_util::{Stream, StreamExt as _};

use crate::error::Result;

/// How far a per-document bulk call ([`UpdateMany`](crate::UpdateMany),
/// [`GetMany`](crate::GetMany)) has got, handed to its `on_progress` after each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DocumentProgress {
    /// Documents in the whole call.
    pub total: usize,
    /// Documents answered so far (done or failed).
    pub done: usize,
    /// Of those, failed.
    pub failed: usize,
    /// The document just answered (its index in the order given).
    pub document: usize,
}

/// An `on_progress` callback.
pub(crate) type ProgressFn = Box<dyn FnMut(DocumentProgress) + Send>;

/// Collects `total` answers, each tagged with its document's index (in whatever order they
/// come), into one result per document in the order given, reporting progress after each.
pub(crate) async fn collect<T>(
    answers: impl Stream<Item = (usize, Result<T>)>,
    total: usize,
    mut progress: Option<ProgressFn>,
) -> Vec<Result<T>> {
    let mut answers = std::pin::pin!(answers);
    let mut slots: Vec<Option<Result<T>>> = std::iter::repeat_with(|| None).take(total).collect();
    let (mut done, mut failed) = (0, 0);
    while let Some((i, result)) = answers.next().await {
        done += 1;
        failed += usize::from(result.is_err());
        slots[i] = Some(result);
        if let Some(progress) = &mut progress {
            progress(DocumentProgress {
                total,
                done,
                failed,
                document: i,
            });
        }
    }
    slots.into_iter().flatten().collect()
}
