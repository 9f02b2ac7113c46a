//! The blocking forms of the request builders: [`ListRequest`], [`MethodCall`],
//! [`QueryReportRequest`], [`InsertMany`], [`UpdateMany`] and [`GetMany`]. Each wraps the async builder, forwards the builder methods, and runs
//! the finishing call on the client's runtime.

use futures_util::{Stream, TryStreamExt as _};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Runtime;
use crate::error::Result;
use crate::list::{IntoFilters, IntoOrderBy};
use crate::method::WithMessages;
use crate::report::{QueryReport, ReportView};

/// A list query, the blocking form of [`crate::ListRequest`].
#[must_use = "a list request does nothing until sent"]
pub struct ListRequest<D> {
    inner: crate::ListRequest<D>,
    runtime: Runtime,
}

impl<D> std::fmt::Debug for ListRequest<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<D> Clone for ListRequest<D> {
    // By hand: a derive would demand `D: Clone`, though no `D` is stored.
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            runtime: self.runtime.clone(),
        }
    }
}

impl<D> ListRequest<D> {
    pub(super) fn new(inner: crate::ListRequest<D>, runtime: Runtime) -> Self {
        Self { inner, runtime }
    }

    fn map(self, f: impl FnOnce(crate::ListRequest<D>) -> crate::ListRequest<D>) -> Self {
        Self {
            inner: f(self.inner),
            runtime: self.runtime,
        }
    }

    /// See [`crate::ListRequest::doctype`].
    pub fn doctype(&self) -> &str {
        self.inner.doctype()
    }

    /// See [`crate::ListRequest::filter`].
    pub fn filter(self, filter: impl IntoFilters<D>) -> Self {
        self.map(|r| r.filter(filter))
    }

    /// See [`crate::ListRequest::or_filter`].
    pub fn or_filter(self, filter: impl IntoFilters<D>) -> Self {
        self.map(|r| r.or_filter(filter))
    }

    /// See [`crate::ListRequest::order_by`].
    pub fn order_by(self, key: impl IntoOrderBy<D>) -> Self {
        self.map(|r| r.order_by(key))
    }

    /// See [`crate::ListRequest::fields`].
    pub fn fields<S: Into<String>>(self, fields: impl IntoIterator<Item = S>) -> Self {
        self.map(|r| r.fields(fields))
    }

    /// See [`crate::ListRequest::group_by`].
    pub fn group_by(self, group_by: impl Into<String>) -> Self {
        self.map(|r| r.group_by(group_by))
    }

    /// See [`crate::ListRequest::limit`].
    pub fn limit(self, limit: u64) -> Self {
        self.map(|r| r.limit(limit))
    }

    /// See [`crate::ListRequest::all`].
    pub fn all(self) -> Self {
        self.map(crate::ListRequest::all)
    }

    /// See [`crate::ListRequest::start`].
    pub fn start(self, start: u64) -> Self {
        self.map(|r| r.start(start))
    }

    /// See [`crate::ListRequest::keyset`].
    pub fn keyset(self) -> Self {
        self.map(|r| r.keyset())
    }

    /// See [`crate::ListRequest::page_size`].
    pub fn page_size(self, page_size: u64) -> Self {
        self.map(|r| r.page_size(page_size))
    }

    /// See [`crate::ListRequest::parent`].
    pub fn parent(self, parent_doctype: impl Into<String>) -> Self {
        self.map(|r| r.parent(parent_doctype))
    }

    /// See [`crate::ListRequest::send_rows`].
    pub fn send_rows(self) -> Result<Vec<Vec<Value>>> {
        self.runtime.run(self.inner.send_rows())
    }

    /// See [`crate::ListRequest::count`].
    pub fn count(self) -> Result<u64> {
        self.runtime.run(self.inner.count())
    }

    /// See [`crate::ListRequest::report_view`].
    pub fn report_view(self) -> Result<ReportView> {
        self.runtime.run(self.inner.report_view())
    }
}

impl<D: DeserializeOwned> ListRequest<D> {
    /// See [`crate::ListRequest::send`].
    pub fn send(self) -> Result<Vec<D>> {
        self.runtime.run(self.inner.send())
    }

    /// See [`crate::ListRequest::first`].
    pub fn first(self) -> Result<Option<D>> {
        self.runtime.run(self.inner.first())
    }
}

impl<D: DeserializeOwned + Send + 'static> ListRequest<D> {
    /// Every matching row, fetched page by page with the next page's request in flight while the
    /// current one is read, at most two pages in memory (see [`crate::ListRequest::stream`]). An error is yielded once and
    /// ends the iteration.
    pub fn stream(self) -> impl Iterator<Item = Result<D>> {
        Rows {
            stream: Box::new(self.inner.stream()),
            runtime: self.runtime,
            done: false,
        }
    }
}

/// The iterator of [`ListRequest::stream`].
struct Rows<D> {
    stream: Box<dyn Stream<Item = Result<D>> + Unpin>,
    runtime: Runtime,
    done: bool,
}

impl<D> Iterator for Rows<D> {
    type Item = Result<D>;

    fn next(&mut self) -> Option<Result<D>> {
        if self.done {
            return None;
        }
        let stream = &mut self.stream;
        match self.runtime.run(async { stream.try_next().await }) {
            Ok(Some(row)) => Some(Ok(row)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// A call of a whitelisted method, from [`Client::call`](super::Client::call); the blocking
/// form of [`crate::MethodCall`].
#[derive(Debug, Clone)]
#[must_use = "a method call does nothing until .get() or .post()"]
pub struct MethodCall {
    inner: crate::MethodCall,
    runtime: Runtime,
}

impl MethodCall {
    pub(super) fn new(inner: crate::MethodCall, runtime: Runtime) -> Self {
        Self { inner, runtime }
    }

    /// See [`crate::MethodCall::arg`].
    pub fn arg(self, key: impl Into<String>, value: impl Serialize) -> Self {
        Self {
            inner: self.inner.arg(key, value),
            runtime: self.runtime,
        }
    }

    /// See [`crate::MethodCall::args`].
    pub fn args(self, args: impl Serialize) -> Self {
        Self {
            inner: self.inner.args(args),
            runtime: self.runtime,
        }
    }

    /// See [`crate::MethodCall::get`].
    pub fn get<R: DeserializeOwned>(self) -> Result<R> {
        self.runtime.run(self.inner.get::<R>())
    }

    /// See [`crate::MethodCall::post`].
    pub fn post<R: DeserializeOwned>(self) -> Result<R> {
        self.runtime.run(self.inner.post::<R>())
    }

    /// See [`crate::MethodCall::get_body`].
    pub fn get_body<T: DeserializeOwned>(self) -> Result<T> {
        self.runtime.run(self.inner.get_body::<T>())
    }

    /// See [`crate::MethodCall::post_body`].
    pub fn post_body<T: DeserializeOwned>(self) -> Result<T> {
        self.runtime.run(self.inner.post_body::<T>())
    }

    /// See [`crate::MethodCall::get_with_messages`].
    pub fn get_with_messages<R: DeserializeOwned>(self) -> Result<WithMessages<R>> {
        self.runtime.run(self.inner.get_with_messages::<R>())
    }

    /// See [`crate::MethodCall::post_with_messages`].
    pub fn post_with_messages<R: DeserializeOwned>(self) -> Result<WithMessages<R>> {
        self.runtime.run(self.inner.post_with_messages::<R>())
    }
}

/// A request to run a report, from [`Client::query_report`](super::Client::query_report); the
/// blocking form of [`crate::QueryReportRequest`].
#[derive(Debug, Clone)]
#[must_use = "a report request does nothing until .run()"]
pub struct QueryReportRequest {
    inner: crate::QueryReportRequest,
    runtime: Runtime,
}

impl QueryReportRequest {
    pub(super) fn new(inner: crate::QueryReportRequest, runtime: Runtime) -> Self {
        Self { inner, runtime }
    }

    /// See [`crate::QueryReportRequest::filter`].
    pub fn filter(self, key: impl Into<String>, value: impl Serialize) -> Self {
        Self {
            inner: self.inner.filter(key, value),
            runtime: self.runtime,
        }
    }

    /// See [`crate::QueryReportRequest::filters`].
    pub fn filters(self, filters: impl Serialize) -> Self {
        Self {
            inner: self.inner.filters(filters),
            runtime: self.runtime,
        }
    }

    /// See [`crate::QueryReportRequest::ignore_prepared_report`].
    pub fn ignore_prepared_report(self, yes: bool) -> Self {
        Self {
            inner: self.inner.ignore_prepared_report(yes),
            runtime: self.runtime,
        }
    }

    /// See [`crate::QueryReportRequest::run`].
    pub fn run(self) -> Result<QueryReport> {
        self.runtime.run(self.inner.run())
    }
}

/// A bulk insert, the blocking form of [`crate::InsertMany`].
#[must_use = "a bulk insert does nothing until sent"]
#[derive(Debug)]
pub struct InsertMany {
    inner: crate::InsertMany,
    runtime: Runtime,
}

impl InsertMany {
    pub(super) fn new(inner: crate::InsertMany, runtime: Runtime) -> Self {
        Self { inner, runtime }
    }

    /// See [`crate::InsertMany::chunk_size`].
    pub fn chunk_size(self, chunk_size: usize) -> Self {
        Self {
            inner: self.inner.chunk_size(chunk_size),
            ..self
        }
    }

    /// See [`crate::InsertMany::concurrency`].
    pub fn concurrency(self, concurrency: usize) -> Self {
        Self {
            inner: self.inner.concurrency(concurrency),
            ..self
        }
    }

    /// See [`crate::InsertMany::on_progress`].
    pub fn on_progress(self, progress: impl FnMut(crate::InsertProgress) + Send + 'static) -> Self {
        Self {
            inner: self.inner.on_progress(progress),
            ..self
        }
    }

    /// See [`crate::InsertMany::resend_deadlocked`].
    pub fn resend_deadlocked(self, times: u32) -> Self {
        Self {
            inner: self.inner.resend_deadlocked(times),
            ..self
        }
    }

    /// See [`crate::InsertMany::send`].
    pub fn send(self) -> Result<Vec<String>> {
        self.runtime.run(self.inner.send())
    }
}

/// A bulk update, the blocking form of [`crate::UpdateMany`].
#[must_use = "a bulk update does nothing until sent"]
#[derive(Debug)]
pub struct UpdateMany<T> {
    inner: crate::UpdateMany<T>,
    runtime: Runtime,
}

impl<T: DeserializeOwned + Send + 'static> UpdateMany<T> {
    pub(super) fn new(inner: crate::UpdateMany<T>, runtime: Runtime) -> Self {
        Self { inner, runtime }
    }

    /// See [`crate::UpdateMany::concurrency`].
    pub fn concurrency(self, concurrency: usize) -> Self {
        Self {
            inner: self.inner.concurrency(concurrency),
            ..self
        }
    }

    /// See [`crate::UpdateMany::on_progress`].
    pub fn on_progress(
        self,
        progress: impl FnMut(crate::DocumentProgress) + Send + 'static,
    ) -> Self {
        Self {
            inner: self.inner.on_progress(progress),
            ..self
        }
    }

    /// See [`crate::UpdateMany::send`].
    pub fn send(self) -> Result<Vec<Result<T>>> {
        self.runtime.run(self.inner.send())
    }
}

/// A bulk read, the blocking form of [`crate::GetMany`].
#[must_use = "a bulk read does nothing until sent"]
#[derive(Debug)]
pub struct GetMany<T> {
    inner: crate::GetMany<T>,
    runtime: Runtime,
}

impl<T: DeserializeOwned + Send + 'static> GetMany<T> {
    pub(super) fn new(inner: crate::GetMany<T>, runtime: Runtime) -> Self {
        Self { inner, runtime }
    }

    /// See [`crate::GetMany::concurrency`].
    pub fn concurrency(self, concurrency: usize) -> Self {
        Self {
            inner: self.inner.concurrency(concurrency),
            ..self
        }
    }

    /// See [`crate::GetMany::on_progress`].
    pub fn on_progress(
        self,
        progress: impl FnMut(crate::DocumentProgress) + Send + 'static,
    ) -> Self {
        Self {
            inner: self.inner.on_progress(progress),
            ..self
        }
    }

    /// See [`crate::GetMany::send`].
    pub fn send(self) -> Result<Vec<Result<T>>> {
        self.runtime.run(self.inner.send())
    }
}

/// See [`crate::TypedCall`].
#[must_use = "a call does nothing until .send()"]
#[derive(Debug)]
pub struct TypedCall<R> {
    inner: crate::TypedCall<R>,
    runtime: Runtime,
}

impl<R> TypedCall<R> {
    pub(super) fn new(inner: crate::TypedCall<R>, runtime: Runtime) -> Self {
        Self { inner, runtime }
    }

    /// See [`crate::TypedCall::arg`].
    pub fn arg(self, key: &str, value: impl Serialize) -> Self {
        Self {
            inner: self.inner.arg(key, value),
            runtime: self.runtime,
        }
    }
}

impl<R: DeserializeOwned> TypedCall<R> {
    /// See [`crate::TypedCall::send`].
    pub fn send(self) -> Result<R> {
        self.runtime.run(self.inner.send())
    }

    /// See [`crate::TypedCall::send_as`].
    pub fn send_as<T: DeserializeOwned>(self) -> Result<T> {
        self.runtime.run(self.inner.send_as::<T>())
    }

    /// See [`crate::TypedCall::get`].
    pub fn get(self) -> Result<R> {
        self.runtime.run(self.inner.get())
    }

    /// See [`crate::TypedCall::get_as`].
    pub fn get_as<T: DeserializeOwned>(self) -> Result<T> {
        self.runtime.run(self.inner.get_as::<T>())
    }
}
