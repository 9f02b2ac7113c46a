//! [`Bulk`] and [`BulkJob`]: the blocking forms of [`crate::Bulk`] and [`crate::BulkJob`].

use std::time::Duration;

use serde::Serialize;

use super::Runtime;
use crate::bulk_job::{BulkProgress, BulkReport};
use crate::changes::UpdateBody;
use crate::document::{Document, Submittable};
use crate::error::Result;
use crate::list::Row;

/// Bulk actions on documents of `D`, the blocking form of [`crate::Bulk`].
#[derive(Debug)]
#[must_use = "a bulk handle does nothing until one of its actions is sent"]
pub struct Bulk<D> {
    inner: crate::Bulk<D>,
    runtime: Runtime,
}

impl<D> Bulk<D> {
    pub(super) fn new(inner: crate::Bulk<D>, runtime: Runtime) -> Self {
        Self { inner, runtime }
    }

    fn job(&self, inner: crate::BulkJob) -> BulkJob {
        BulkJob {
            inner,
            runtime: self.runtime.clone(),
        }
    }

    /// See [`crate::Bulk::delete`].
    pub fn delete<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.job(self.inner.delete(names))
    }
}

impl<D: Submittable> Bulk<D> {
    /// See [`crate::Bulk::submit`].
    pub fn submit<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.job(self.inner.submit(names))
    }

    /// See [`crate::Bulk::cancel`].
    pub fn cancel<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.job(self.inner.cancel(names))
    }
}

impl<D: Document> Bulk<D> {
    /// See [`crate::Bulk::update`].
    pub fn update<N: Into<String>>(
        &self,
        names: impl IntoIterator<Item = N>,
        changes: &impl UpdateBody<D>,
    ) -> BulkJob {
        self.job(self.inner.update(names, changes))
    }
}

impl Bulk<Row> {
    /// See [`crate::Bulk::submit`].
    pub fn submit<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.job(self.inner.submit(names))
    }

    /// See [`crate::Bulk::cancel`].
    pub fn cancel<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.job(self.inner.cancel(names))
    }

    /// See [`crate::Bulk::update`].
    pub fn update<N: Into<String>>(
        &self,
        names: impl IntoIterator<Item = N>,
        changes: &impl Serialize,
    ) -> BulkJob {
        self.job(self.inner.update(names, changes))
    }
}

/// One bulk action, the blocking form of [`crate::BulkJob`].
#[derive(Debug)]
#[must_use = "a bulk job does nothing until sent"]
pub struct BulkJob {
    inner: crate::BulkJob,
    runtime: Runtime,
}

impl BulkJob {
    /// See [`crate::BulkJob::poll_interval`].
    pub fn poll_interval(self, interval: Duration) -> Self {
        Self {
            inner: self.inner.poll_interval(interval),
            ..self
        }
    }

    /// See [`crate::BulkJob::queue_wait`].
    pub fn queue_wait(self, wait: Duration) -> Self {
        Self {
            inner: self.inner.queue_wait(wait),
            ..self
        }
    }

    /// See [`crate::BulkJob::idle`].
    pub fn idle(self, idle: Duration) -> Self {
        Self {
            inner: self.inner.idle(idle),
            ..self
        }
    }

    /// See [`crate::BulkJob::timeout`].
    pub fn timeout(self, timeout: Duration) -> Self {
        Self {
            inner: self.inner.timeout(timeout),
            ..self
        }
    }

    /// See [`crate::BulkJob::on_progress`].
    pub fn on_progress(self, progress: impl FnMut(BulkProgress) + Send + 'static) -> Self {
        Self {
            inner: self.inner.on_progress(progress),
            ..self
        }
    }

    /// See [`crate::BulkJob::send`].
    pub fn send(self) -> Result<BulkReport> {
        self.runtime.run(self.inner.send())
    }
}
