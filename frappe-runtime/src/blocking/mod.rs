//! A blocking client for callers without an async runtime (build scripts, small CLIs). Feature
//! `blocking`.
//!
//! It mirrors the async API the way `reqwest::blocking` mirrors `reqwest`: the same types
//! ([`Client`], [`Resource`], [`ListRequest`], [`MethodCall`], [`QueryReportRequest`],
//! [`FrappeClient`], [`WorkflowCalls`]), the same methods with the same arguments, and the result returned instead
//! of a future. [`ListRequest::stream`] is an [`Iterator`]; the next page is fetched on the
//! runtime's worker thread while the current one is read.
//!
//! [`Client`] owns a tokio runtime with one worker thread (an OS thread per
//! [`Client::new`], shared by its clones and the requests built from it, as `reqwest::blocking`
//! has), and drives each call to completion on the calling thread; work spawned by a call (the
//! next page of a stream) goes on on the worker between calls. Inside an async runtime
//! use the async client instead: there the calls return [`Error::InvalidInput`] (tokio forbids
//! blocking a runtime thread), and [`Client::block_on`] panics.
//!
//! ```no_run
//! use frappe_runtime::{Auth, Row, blocking};
//! let client = blocking::Client::new("https://erp.example.com", Auth::token("key", "secret"))?;
//! // getdoctype answers {"docs": [...]} outside the usual `message`: decode the whole body.
//! let meta: Row = client
//!     .call("frappe.desk.form.load.getdoctype")
//!     .arg("doctype", "ToDo")
//!     .get_body()?;
//! let user: String = client.call("frappe.auth.get_logged_user").get()?;
//! let todos = client
//!     .doctype("ToDo")
//!     .list()
//!     .fields(["name", "status"])
//!     .limit(10)
//!     .send()?;
//! # let _ = (meta, user, todos);
//! # Ok::<(), frappe_runtime::Error>(())
//! ```

mod bulk_job;
mod frappe_client;
mod requests;
mod resource;
mod workflow;

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::Auth;
use crate::changes::{Changes, InsertBody, UpdateBody};
use crate::client::{ApiVersion, LoginInfo};
use crate::document::{Document, Submittable};
use crate::error::{Error, Result};
use crate::file::{FileDoc, UploadFile};
use crate::list::Row;

pub use bulk_job::{Bulk, BulkJob};
pub use frappe_client::FrappeClient;
pub use requests::{
    GetMany, InsertMany, ListRequest, MethodCall, QueryReportRequest, TypedCall, UpdateMany,
};
pub use resource::Resource;
pub use workflow::WorkflowCalls;

/// The runtime of one blocking client, shared by its clones and the requests built from it.
#[derive(Clone)]
struct Runtime(Arc<Owned>);

/// Owns the tokio runtime; `Some` until dropped (see the `Drop` impl).
struct Owned(Option<tokio::runtime::Runtime>);

impl Drop for Owned {
    fn drop(&mut self) {
        // Dropping a runtime normally waits for its tasks, which panics when the drop happens
        // on an async runtime's thread. What may still run (a stream's next page, already
        // cancelled when its stream was dropped) needs no waiting for, so let go.
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Runtime(multi_thread, 1 worker)")
    }
}

impl Runtime {
    fn new() -> Result<Self> {
        // One worker thread, as reqwest::blocking has: a call runs on the caller's thread, while
        // spawned work (the next page of a stream) goes on in the background between calls.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| Error::InvalidInput(format!("cannot start a tokio runtime: {e}")))?;
        Ok(Self(Arc::new(Owned(Some(runtime)))))
    }

    /// Runs `future` to completion. Panics inside an async runtime (tokio's rule).
    fn block_on<F: Future>(&self, future: F) -> F::Output {
        match &self.0.0 {
            Some(runtime) => runtime.block_on(future),
            None => unreachable!("the runtime is only taken in drop"),
        }
    }

    /// [`block_on`](Self::block_on) for the calls: an error instead of tokio's panic when
    /// called from async code.
    fn run<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::InvalidInput(
                "the blocking client was called from within an async runtime; use the async \
                 frappe_runtime::Client there"
                    .into(),
            ));
        }
        self.block_on(future)
    }
}

/// A blocking client: an async [`crate::Client`] plus its own runtime. Clone it freely: clones
/// share the runtime, the connection pool and the session.
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Runtime,
}

impl Client {
    /// A blocking client with default settings (see [`crate::Client::new`]).
    pub fn new(base_url: impl AsRef<str>, auth: Auth) -> Result<Self> {
        Self::from_async(crate::Client::new(base_url, auth)?)
    }

    /// Wraps an async client built with [`crate::Client::builder`].
    pub fn from_async(inner: crate::Client) -> Result<Self> {
        Ok(Self {
            inner,
            runtime: Runtime::new()?,
        })
    }

    /// The async client inside.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// Runs any future (e.g. of [`as_async`](Self::as_async)) to completion on this client's
    /// runtime.
    ///
    /// # Panics
    ///
    /// When called from within an async runtime (tokio forbids blocking its threads).
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    fn run<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        self.runtime.run(future)
    }

    /// See [`crate::Client::stats`].
    pub fn stats(&self) -> crate::Stats {
        self.inner.stats()
    }

    /// See [`crate::Client::base_url`].
    pub fn base_url(&self) -> &Url {
        self.inner.base_url()
    }

    /// See [`crate::Client::api_version`].
    pub fn api_version(&self) -> ApiVersion {
        self.inner.api_version()
    }

    /// See [`crate::Client::with_api_version`]; the handle shares this client's runtime.
    pub fn with_api_version(&self, version: ApiVersion) -> Client {
        Client {
            inner: self.inner.with_api_version(version),
            runtime: self.runtime.clone(),
        }
    }

    /// See [`crate::Client::with_validation`]; the handle shares this client's runtime.
    pub fn with_validation(&self, level: crate::validation::Validation) -> Client {
        Client {
            inner: self.inner.with_validation(level),
            runtime: self.runtime.clone(),
        }
    }

    /// See [`crate::Client::without_validation`]; the handle shares this client's runtime.
    pub fn without_validation(&self) -> Client {
        self.with_validation(crate::validation::Validation::Off)
    }

    /// See [`crate::Client::validation`].
    pub fn validation(&self) -> crate::validation::Validation {
        self.inner.validation()
    }

    /// See [`crate::Client::doctype_meta`].
    pub fn doctype_meta(&self, doctype: &str) -> Result<Row> {
        self.run(self.inner.doctype_meta(doctype))
    }

    /// See [`crate::Client::login`].
    pub fn login(&self) -> Result<LoginInfo> {
        self.run(self.inner.login())
    }

    /// See [`crate::Client::logout`].
    pub fn logout(&self) -> Result<()> {
        self.run(self.inner.logout())
    }

    /// See [`crate::Client::logged_user`].
    pub fn logged_user(&self) -> Result<String> {
        self.run(self.inner.logged_user())
    }

    /// See [`crate::Client::ping`].
    pub fn ping(&self) -> Result<String> {
        self.run(self.inner.ping())
    }

    /// See [`crate::Client::list`].
    pub fn list<D: Document>(&self) -> ListRequest<D> {
        ListRequest::new(self.inner.list::<D>(), self.runtime.clone())
    }

    /// See [`crate::Client::doctype`].
    pub fn doctype(&self, doctype: impl Into<String>) -> Resource {
        Resource::new(self.inner.doctype(doctype), self.runtime.clone())
    }

    /// See [`crate::Client::get`].
    pub fn get<D: Document + DeserializeOwned>(&self, name: &str) -> Result<D> {
        self.run(self.inner.get::<D>(name))
    }

    /// See [`crate::Client::get_single`].
    pub fn get_single<D: Document + DeserializeOwned>(&self) -> Result<D> {
        self.run(self.inner.get_single::<D>())
    }

    /// See [`crate::Client::insert`].
    pub fn insert<D: Document + Serialize + DeserializeOwned>(&self, doc: &D) -> Result<D> {
        self.run(self.inner.insert(doc))
    }

    /// See [`crate::Client::create`].
    pub fn create<D: Document + DeserializeOwned>(&self, changes: &Changes<D>) -> Result<D> {
        self.run(self.inner.create(changes))
    }

    /// See [`crate::Client::update`].
    pub fn update<D: Document + DeserializeOwned>(
        &self,
        name: &str,
        changes: &impl UpdateBody<D>,
    ) -> Result<D> {
        self.run(self.inner.update(name, changes))
    }

    /// See [`crate::Client::delete`].
    pub fn delete<D: Document>(&self, name: &str) -> Result<()> {
        self.run(self.inner.delete::<D>(name))
    }

    /// See [`crate::Client::submit`].
    pub fn submit<D: Submittable + DeserializeOwned>(&self, name: &str) -> Result<D> {
        self.run(self.inner.submit::<D>(name))
    }

    /// See [`crate::Client::cancel`].
    pub fn cancel<D: Submittable + DeserializeOwned>(&self, name: &str) -> Result<D> {
        self.run(self.inner.cancel::<D>(name))
    }

    /// See [`crate::Client::amend`].
    pub fn amend<D: Submittable + DeserializeOwned>(&self, name: &str) -> Result<D> {
        self.run(self.inner.amend::<D>(name))
    }

    /// See [`crate::Client::run_doc_method`].
    pub fn run_doc_method<D: Document, R: DeserializeOwned>(
        &self,
        name: &str,
        method: &str,
        args: &impl Serialize,
    ) -> Result<R> {
        self.run(self.inner.run_doc_method::<D, R>(name, method, args))
    }

    /// See [`crate::Client::workflow`].
    pub fn workflow<D: Document>(&self) -> WorkflowCalls<D> {
        WorkflowCalls::new(self.inner.workflow::<D>(), self.runtime.clone())
    }

    /// See [`crate::Client::workflow_of`].
    pub fn workflow_of<D: crate::HasWorkflow>(&self) -> WorkflowCalls<D, D::State, D::Action> {
        WorkflowCalls::new(self.inner.workflow_of::<D>(), self.runtime.clone())
    }

    /// See [`crate::Client::insert_many`].
    pub fn insert_many<D: Document>(&self, docs: &[impl InsertBody<D>]) -> InsertMany {
        InsertMany::new(self.inner.insert_many(docs), self.runtime.clone())
    }

    /// See [`crate::Client::update_many`].
    pub fn update_many<D, N, B>(&self, updates: impl IntoIterator<Item = (N, B)>) -> UpdateMany<D>
    where
        D: Document + DeserializeOwned + Send + 'static,
        N: Into<String>,
        B: crate::changes::UpdateBody<D>,
    {
        UpdateMany::new(self.inner.update_many(updates), self.runtime.clone())
    }

    /// See [`crate::Client::bulk`].
    pub fn bulk<D: Document>(&self) -> Bulk<D> {
        Bulk::new(self.inner.bulk::<D>(), self.runtime.clone())
    }

    /// See [`crate::Client::get_many`].
    pub fn get_many<D>(&self, names: impl IntoIterator<Item = impl Into<String>>) -> GetMany<D>
    where
        D: Document + DeserializeOwned + Send + 'static,
    {
        GetMany::new(self.inner.get_many(names), self.runtime.clone())
    }

    /// See [`crate::Client::call`].
    pub fn call(&self, method: impl Into<String>) -> MethodCall {
        MethodCall::new(self.inner.call(method), self.runtime.clone())
    }

    /// See [`crate::Client::method`].
    pub fn method<M: crate::Method>(&self, call: &M) -> TypedCall<M::Output> {
        TypedCall::new(self.inner.method(call), self.runtime.clone())
    }

    /// See [`crate::Client::document_method`].
    pub fn document_method<M: crate::DocMethod>(
        &self,
        name: &str,
        call: &M,
    ) -> TypedCall<M::Output> {
        TypedCall::new(self.inner.document_method(name, call), self.runtime.clone())
    }

    /// See [`crate::Client::upload`].
    pub fn upload(&self, upload: UploadFile) -> Result<FileDoc> {
        self.run(self.inner.upload(upload))
    }

    /// See [`crate::Client::download`].
    pub fn download(&self, file_url: &str) -> Result<Bytes> {
        self.run(self.inner.download(file_url))
    }

    /// See [`crate::Client::query_report`].
    pub fn query_report(&self, report_name: impl Into<String>) -> QueryReportRequest {
        QueryReportRequest::new(self.inner.query_report(report_name), self.runtime.clone())
    }

    /// See [`crate::Client::frappe_client`].
    pub fn frappe_client(&self) -> FrappeClient<'_> {
        FrappeClient::new(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn inside_an_async_runtime_is_an_error_not_a_panic() {
        let client = Client::new("http://127.0.0.1:9", Auth::Guest).unwrap();
        let err = client.call("ping").get::<String>().unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.contains("async")),
            "{err:?}"
        );
        let mut rows = client.doctype("ToDo").list().stream();
        assert!(matches!(rows.next(), Some(Err(Error::InvalidInput(_)))));
        assert!(rows.next().is_none(), "the error ends the iterator");
        // Dropping it here must not panic either.
        drop(client);
    }

    #[test]
    fn runs_without_an_async_context() {
        // Nothing listens on port 9: a transport error, produced synchronously.
        let client = Client::new("http://127.0.0.1:9", Auth::Guest).unwrap();
        let err = client.call("ping").get::<String>().unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        // A clone and a request built from it outlive the client: the runtime goes with the
        // last of them.
        let client = Client::from_async(
            crate::Client::builder("http://127.0.0.1:9")
                .retry(crate::RetryPolicy::none())
                .build()
                .unwrap(),
        )
        .unwrap();
        let clone = client.clone();
        let list = client.doctype("ToDo").list();
        drop(client);
        assert!(matches!(list.send(), Err(Error::Transport { .. })));
        assert!(matches!(clone.ping(), Err(Error::Transport { .. })));
    }
}
