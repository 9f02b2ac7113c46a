//! Bulk reads by name: [`Client::get_many`] (typed) and [`Resource::get_many`] (untyped), both a
//! [`GetMany`] request.
//!
//! Frappe has no call that returns many whole documents (a list answers parent fields only,
//! without child tables), so each document is its own `GET`, at most
//! [`concurrency`](GetMany::concurrency) at a time, each with its own result: one missing
//! document does not stop the others. This is how to get whole documents back after
//! [`insert_many`](Client::insert_many), which answers names only.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use futures_util::StreamExt as _;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::list::Row;
use crate::per_document::{self, DocumentProgress, ProgressFn};
use crate::resource::{Resource, check_name};

/// A bulk read, built by [`Client::get_many`] or [`Resource::get_many`]: set the concurrency,
/// then [`send`](Self::send) it or `.await` it directly. Resolves to one result per name, in
/// the order given; the outer `Err` is for names refused before anything was sent.
#[must_use = "a bulk read does nothing until sent or awaited"]
pub struct GetMany<T> {
    client: Client,
    doctype: String,
    names: Result<Vec<String>>,
    concurrency: usize,
    progress: Option<ProgressFn>,
    output: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for GetMany<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GetMany")
            .field("doctype", &self.doctype)
            .field("documents", &self.names.as_ref().map(Vec::len))
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> GetMany<T> {
    fn new<N: Into<String>>(
        client: &Client,
        doctype: &str,
        names: impl IntoIterator<Item = N>,
    ) -> Self {
        let names = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let name: String = name.into();
                check_name(doctype, &name)
                    .map_err(|e| Error::InvalidInput(format!("get_many name #{i}: {e}")))?;
                Ok(name)
            })
            .collect();
        Self {
            client: client.clone(),
            doctype: doctype.to_owned(),
            names,
            concurrency: 1,
            progress: None,
            output: PhantomData,
        }
    }

    /// Reads in flight at once (default 1; `0` is taken as 1). The client's
    /// [`max_concurrency`](crate::ClientBuilder::max_concurrency) caps them as well.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Called after each document, in the order given, with the counts so far.
    pub fn on_progress(mut self, progress: impl FnMut(DocumentProgress) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// Reads the documents; one result per name, in the order given.
    pub async fn send(self) -> Result<Vec<Result<T>>> {
        let names = self.names?;
        let total = names.len();
        let (client, doctype) = (&self.client, self.doctype.as_str());
        // Ordered: reads have no side effect, so a slow one holding the next answers back
        // costs only memory for at most `concurrency` documents.
        let answers = futures_util::stream::iter(names.into_iter().enumerate())
            .map(|(i, name)| async move { (i, client.get_doc::<T>(doctype, &name).await) })
            .buffered(self.concurrency);
        Ok(per_document::collect(answers, total, self.progress).await)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for GetMany<T> {
    type Output = Result<Vec<Result<T>>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Reads many documents of `D` by name, each with its own `GET` (as [`Client::get`]),
    /// [`concurrency`](GetMany::concurrency) at a time — one `Result` each, in order.
    /// [`Resource::get_many`] is the untyped form.
    ///
    /// ```no_run
    /// # use frappe_runtime::{Changes, Client};
    /// # #[derive(frappe_derive::Document, serde::Deserialize)] #[frappe(doctype = "ToDo")]
    /// # struct ToDo { name: String, description: String }
    /// # async fn demo(client: Client, new: Vec<Changes<ToDo>>) -> frappe_runtime::Result<()> {
    /// // insert_many answers names; read the saved documents back.
    /// let names = client.insert_many(&new).await?;
    /// let saved: Vec<ToDo> = client
    ///     .get_many::<ToDo>(&names)
    ///     .concurrency(4)
    ///     .await?
    ///     .into_iter()
    ///     .collect::<frappe_runtime::Result<_>>()?;
    /// # Ok(()) }
    /// ```
    pub fn get_many<D>(&self, names: impl IntoIterator<Item = impl Into<String>>) -> GetMany<D>
    where
        D: Document + DeserializeOwned + Send + 'static,
    {
        GetMany::new(self, D::DOCTYPE, names)
    }
}

impl Resource {
    /// Reads many documents of this DocType by name, each with its own `GET`, as
    /// [`Client::get_many`]; they come back as [`Row`]s.
    pub fn get_many<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> GetMany<Row> {
        GetMany::new(&self.client, &self.doctype, names)
    }

    /// Reads many documents of this DocType by name, decoded as `T` (as
    /// [`get_as`](Resource::get_as) for one).
    pub fn get_many_as<T: DeserializeOwned + Send + 'static>(
        &self,
        names: impl IntoIterator<Item = impl Into<String>>,
    ) -> GetMany<T> {
        GetMany::new(&self.client, &self.doctype, names)
    }
}
