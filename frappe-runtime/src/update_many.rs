//! Bulk updates: [`Client::update_many`] (typed) and [`Resource::update_many`] (untyped), both
//! an [`UpdateMany`] request.
//!
//! Frappe has no transactional bulk update (`frappe.client.bulk_update` swallows each
//! document's exception without rolling its changes back), so each document is its own `PUT`,
//! at most [`concurrency`](UpdateMany::concurrency) at a time, and each gets its own result:
//! one document failing does not stop the others. A `PUT` is sent again only when its attempt
//! surely was not processed (see [`RetryPolicy`](crate::RetryPolicy)), so no update is applied
//! twice. Every change is serialized before anything is sent.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use futures_util::StreamExt as _;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::changes::UpdateBody;
use crate::client::Client;
use crate::document::Document;
use crate::error::Result;
use crate::list::Row;
use crate::per_document::{self, DocumentProgress, ProgressFn};
use crate::resource::{Check, Resource, check_name, in_batch, object_body, run_check};
use crate::validation::Mode;

/// A bulk update, built by [`Client::update_many`] or [`Resource::update_many`]: set the
/// options, then [`send`](Self::send) it or `.await` it directly. Resolves to one result per
/// document, in the order given: the saved document, or why it was not saved (with
/// [`maybe_committed`](crate::Error::maybe_committed) telling whether it may have been after
/// all). The outer `Err` is for input refused before anything was sent.
#[must_use = "a bulk update does nothing until sent or awaited"]
pub struct UpdateMany<T> {
    client: Client,
    doctype: String,
    updates: Result<Vec<(String, Value)>>,
    concurrency: usize,
    progress: Option<ProgressFn>,
    output: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for UpdateMany<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateMany")
            .field("doctype", &self.doctype)
            .field("documents", &self.updates.as_ref().map(Vec::len))
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> UpdateMany<T> {
    fn new<N: Into<String>, B: Serialize>(
        client: &Client,
        doctype: &str,
        updates: impl IntoIterator<Item = (N, B)>,
        check: Option<Check>,
    ) -> Self {
        let updates = updates
            .into_iter()
            .enumerate()
            .map(|(i, (name, changes))| {
                let name: String = name.into();
                let at = |e: crate::Error| {
                    crate::Error::InvalidInput(format!("update_many document #{i}: {e}"))
                };
                check_name(doctype, &name).map_err(at)?;
                let body = object_body(doctype, &changes).map_err(at)?;
                run_check(check, &body, Mode::Update).map_err(|e| in_batch(e, i))?;
                Ok((name, body))
            })
            .collect();
        Self {
            client: client.clone(),
            doctype: doctype.to_owned(),
            updates,
            concurrency: 1,
            progress: None,
            output: PhantomData,
        }
    }

    /// Updates in flight at once (default 1; `0` is taken as 1). The client's
    /// [`max_concurrency`](crate::ClientBuilder::max_concurrency) caps them as well.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Called after each document, with the counts so far.
    pub fn on_progress(mut self, progress: impl FnMut(DocumentProgress) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// Sends the updates; one result per document, in the order given. With a
    /// [`concurrency`](Self::concurrency) above 1, a name given twice is refused (its two
    /// updates could reach the site in either order).
    pub async fn send(self) -> Result<Vec<Result<T>>> {
        let updates = self.updates?;
        if self.concurrency > 1 {
            let mut seen = std::collections::HashSet::new();
            if let Some((name, _)) = updates.iter().find(|(name, _)| !seen.insert(name)) {
                return Err(crate::Error::InvalidInput(format!(
                    "{}: update_many gets {name:?} twice; with concurrency above 1 the two \
                     updates could be applied in either order: merge them",
                    self.doctype
                )));
            }
        }
        let total = updates.len();
        let (client, doctype) = (&self.client, self.doctype.as_str());
        // Unordered, so that one slow document does not hold the others back; each answer goes
        // to its document's slot.
        let answers = futures_util::stream::iter(updates.into_iter().enumerate())
            .map(|(i, (name, body))| async move {
                // Checked in `new`, all before any was sent.
                (i, client.update_doc::<T>(doctype, &name, &body, None).await)
            })
            .buffer_unordered(self.concurrency);
        Ok(per_document::collect(answers, total, self.progress).await)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for UpdateMany<T> {
    type Output = Result<Vec<Result<T>>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Updates many documents of `D`, each `(name, changes)` with its own `PUT` (as
    /// [`Client::update`]), [`concurrency`](UpdateMany::concurrency) at a time, and resolves to
    /// the saved documents — one `Result` each, in order. [`Resource::update_many`] is the
    /// untyped form.
    ///
    /// ```no_run
    /// # use frappe_runtime::{Changes, Client};
    /// # #[derive(frappe_derive::Document, serde::Deserialize)] #[frappe(doctype = "ToDo")]
    /// # struct ToDo { name: String, description: String }
    /// # async fn demo(client: Client, names: Vec<String>) -> frappe_runtime::Result<()> {
    /// let results = client
    ///     .update_many(names.iter().map(|n| {
    ///         (n.as_str(), Changes::<ToDo>::new().set(ToDo::description, "Reviewed"))
    ///     }))
    ///     .concurrency(4)
    ///     .await?;
    /// for (name, result) in names.iter().zip(&results) {
    ///     if let Err(e) = result {
    ///         eprintln!("{name}: {e}");
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn update_many<D, N, B>(&self, updates: impl IntoIterator<Item = (N, B)>) -> UpdateMany<D>
    where
        D: Document + DeserializeOwned + Send + 'static,
        N: Into<String>,
        B: UpdateBody<D>,
    {
        UpdateMany::new(self, D::DOCTYPE, updates, self.check::<D>())
    }
}

impl Resource {
    /// Updates many documents of this DocType, each `(name, changes)` with its own `PUT`, as
    /// [`Client::update_many`]; the saved documents come back as [`Row`]s.
    pub fn update_many<N: Into<String>, B: Serialize>(
        &self,
        updates: impl IntoIterator<Item = (N, B)>,
    ) -> UpdateMany<Row> {
        UpdateMany::new(&self.client, &self.doctype, updates, None)
    }
}
