//! [`WorkflowCalls`]: the blocking form of [`crate::WorkflowCalls`].

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Runtime;
use crate::error::Result;
use crate::workflow::Transition;

/// Workflow calls on one DocType's documents, from
/// [`Client::workflow`](super::Client::workflow) or
/// [`Resource::workflow`](super::Resource::workflow); the blocking form of
/// [`crate::WorkflowCalls`].
#[must_use = "workflow calls do nothing until .transitions() or .apply()"]
pub struct WorkflowCalls<D, S = String, A = String> {
    inner: crate::WorkflowCalls<D, S, A>,
    runtime: Runtime,
}

impl<D, S, A> Clone for WorkflowCalls<D, S, A> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            runtime: self.runtime.clone(),
        }
    }
}

impl<D, S, A> std::fmt::Debug for WorkflowCalls<D, S, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<D, S, A> WorkflowCalls<D, S, A> {
    pub(super) fn new(inner: crate::WorkflowCalls<D, S, A>, runtime: Runtime) -> Self {
        Self { inner, runtime }
    }

    /// See [`crate::WorkflowCalls::typed`].
    pub fn typed<S2, A2>(self) -> WorkflowCalls<D, S2, A2> {
        WorkflowCalls {
            inner: self.inner.typed(),
            runtime: self.runtime,
        }
    }

    /// See [`crate::WorkflowCalls::doctype`].
    pub fn doctype(&self) -> &str {
        self.inner.doctype()
    }

    /// See [`crate::WorkflowCalls::transitions`].
    pub fn transitions(&self, name: &str) -> Result<Vec<Transition<S, A>>>
    where
        S: DeserializeOwned,
        A: DeserializeOwned,
    {
        self.runtime.run(self.inner.transitions(name))
    }

    /// See [`crate::WorkflowCalls::apply`].
    pub fn apply(&self, name: &str, action: impl Into<A>) -> Result<D>
    where
        D: DeserializeOwned,
        A: Serialize,
    {
        self.runtime.run(self.inner.apply(name, action))
    }
}
