//! [`Resource`]: the blocking form of [`crate::Resource`].

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ListRequest, Runtime};
use crate::error::Result;
use crate::list::Row;

/// Untyped access to one DocType, from [`Client::doctype`](super::Client::doctype); the
/// blocking form of [`crate::Resource`].
#[derive(Debug, Clone)]
pub struct Resource {
    inner: crate::Resource,
    runtime: Runtime,
}

impl Resource {
    pub(super) fn new(inner: crate::Resource, runtime: Runtime) -> Self {
        Self { inner, runtime }
    }

    /// See [`crate::Resource::doctype`].
    pub fn doctype(&self) -> &str {
        self.inner.doctype()
    }

    /// See [`crate::Resource::bulk`].
    pub fn bulk(&self) -> super::Bulk<Row> {
        super::Bulk::new(self.inner.bulk(), self.runtime.clone())
    }

    /// See [`crate::Resource::workflow`].
    pub fn workflow(&self) -> super::WorkflowCalls<Row> {
        super::WorkflowCalls::new(self.inner.workflow(), self.runtime.clone())
    }

    /// See [`crate::Resource::list`].
    pub fn list(&self) -> ListRequest<Row> {
        ListRequest::new(self.inner.list(), self.runtime.clone())
    }

    /// See [`crate::Resource::list_as`].
    pub fn list_as<T>(&self) -> ListRequest<T> {
        ListRequest::new(self.inner.list_as::<T>(), self.runtime.clone())
    }

    /// See [`crate::Resource::get`].
    pub fn get(&self, name: &str) -> Result<Row> {
        self.runtime.run(self.inner.get(name))
    }

    /// See [`crate::Resource::get_as`].
    pub fn get_as<T: DeserializeOwned>(&self, name: &str) -> Result<T> {
        self.runtime.run(self.inner.get_as::<T>(name))
    }

    /// See [`crate::Resource::insert`].
    pub fn insert(&self, doc: &impl Serialize) -> Result<Row> {
        self.runtime.run(self.inner.insert(doc))
    }

    /// See [`crate::Resource::update`].
    pub fn update(&self, name: &str, changes: &impl Serialize) -> Result<Row> {
        self.runtime.run(self.inner.update(name, changes))
    }

    /// See [`crate::Resource::delete`].
    pub fn delete(&self, name: &str) -> Result<()> {
        self.runtime.run(self.inner.delete(name))
    }

    /// See [`crate::Resource::submit`].
    pub fn submit(&self, name: &str) -> Result<Row> {
        self.runtime.run(self.inner.submit(name))
    }

    /// See [`crate::Resource::cancel`].
    pub fn cancel(&self, name: &str) -> Result<Row> {
        self.runtime.run(self.inner.cancel(name))
    }

    /// See [`crate::Resource::amend`].
    pub fn amend(&self, name: &str) -> Result<Row> {
        self.runtime.run(self.inner.amend(name))
    }

    /// See [`crate::Resource::run_doc_method`].
    pub fn run_doc_method<R: DeserializeOwned>(
        &self,
        name: &str,
        method: &str,
        args: &impl Serialize,
    ) -> Result<R> {
        self.runtime
            .run(self.inner.run_doc_method::<R>(name, method, args))
    }

    /// See [`crate::Resource::update_many`].
    pub fn update_many<N: Into<String>, B: Serialize>(
        &self,
        updates: impl IntoIterator<Item = (N, B)>,
    ) -> super::UpdateMany<crate::Row> {
        super::UpdateMany::new(self.inner.update_many(updates), self.runtime.clone())
    }

    /// See [`crate::Resource::get_many`].
    pub fn get_many<N: Into<String>>(
        &self,
        names: impl IntoIterator<Item = N>,
    ) -> super::GetMany<crate::Row> {
        super::GetMany::new(self.inner.get_many(names), self.runtime.clone())
    }

    /// See [`crate::Resource::get_many_as`].
    pub fn get_many_as<T: DeserializeOwned + Send + 'static>(
        &self,
        names: impl IntoIterator<Item = impl Into<String>>,
    ) -> super::GetMany<T> {
        super::GetMany::new(self.inner.get_many_as(names), self.runtime.clone())
    }

    /// See [`crate::Resource::insert_many`].
    pub fn insert_many(&self, docs: &[impl Serialize]) -> super::InsertMany {
        super::InsertMany::new(self.inner.insert_many(docs), self.runtime.clone())
    }
}
