//! A blocking facade over the async [`Client`](crate::Client), for callers without an async
//! runtime (build scripts, `frappe-codegen` fetching metadata, small CLIs). Feature `blocking`.
//!
//! [`Client`] owns a current-thread tokio runtime and drives each call to completion on the
//! calling thread. It offers the common calls directly ([`Client::get`], [`Client::list`],
//! [`Client::call`], ...) and [`Client::block_on`] for anything else the async client can do.
//! Inside an async runtime use the async client instead: there the convenience methods return
//! [`Error::InvalidInput`] (tokio forbids blocking a runtime thread), and [`Client::block_on`]
//! panics.
//!
//! ```no_run
//! use frappe_runtime::{Auth, blocking};
//! let client = blocking::Client::new("https://erp.example.com", Auth::token("key", "secret"))?;
//! // getdoctype answers {"docs": [...]} outside the usual `message`: decode the whole body.
//! let meta: frappe_runtime::Row =
//!     client.call_body("frappe.desk.form.load.getdoctype", [("doctype", "ToDo")])?;
//! let user: String = client.call("frappe.auth.get_logged_user", ())?;
//! let todos = client.send(client.doctype("ToDo").list().fields(["name", "status"]).limit(10))?;
//! # let _ = (meta, user, todos);
//! # Ok::<(), frappe_runtime::Error>(())
//! ```

use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Auth;
use crate::changes::Changes;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::list::{ListRequest, Row};
use crate::resource::Resource;

/// A blocking client: an async [`crate::Client`] plus its own runtime.
#[derive(Debug)]
pub struct Client {
    inner: crate::Client,
    /// `Some` until dropped (see the `Drop` impl).
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for Client {
    fn drop(&mut self) {
        // Dropping a runtime normally waits for its tasks, which panics when the drop happens
        // on an async runtime's thread; nothing of ours runs after a call returns, so let go
        // without waiting.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Client {
    /// A blocking client with default settings.
    pub fn new(base_url: impl AsRef<str>, auth: Auth) -> Result<Self> {
        Self::from_async(crate::Client::new(base_url, auth)?)
    }

    /// Wraps an async client built with [`crate::Client::builder`].
    pub fn from_async(inner: crate::Client) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::InvalidInput(format!("cannot start a tokio runtime: {e}")))?;
        Ok(Self {
            inner,
            runtime: Some(runtime),
        })
    }

    /// The async client inside (for building requests to pass to [`send`](Self::send) or
    /// [`block_on`](Self::block_on)).
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// Runs any future of the async client to completion.
    ///
    /// # Panics
    ///
    /// When called from within an async runtime (tokio forbids blocking its threads).
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        match &self.runtime {
            Some(runtime) => runtime.block_on(future),
            None => unreachable!("the runtime is only taken in drop"),
        }
    }

    /// [`block_on`](Self::block_on) for the convenience methods: an error instead of tokio's
    /// panic when called from async code.
    fn run<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::InvalidInput(
                "blocking::Client called from within an async runtime; use the async \
                 frappe_runtime::Client there"
                    .into(),
            ));
        }
        self.block_on(future)
    }

    /// Fetches a typed document.
    pub fn get<D: Document + DeserializeOwned>(&self, name: &str) -> Result<D> {
        self.run(self.inner.get::<D>(name))
    }

    /// Inserts a new document of `D` made of only the fields set in `changes` (`POST`, never
    /// retried) and returns it as saved; see [`crate::Client::create`].
    pub fn create<D: Document + DeserializeOwned>(&self, changes: &Changes<D>) -> Result<D> {
        self.run(self.inner.create(changes))
    }

    /// A typed list request; send it with [`send`](Self::send).
    pub fn list<D: Document>(&self) -> ListRequest<D> {
        self.inner.list::<D>()
    }

    /// The untyped handle of a DocType; build lists with it and send them with
    /// [`send`](Self::send).
    pub fn doctype(&self, doctype: impl Into<String>) -> Resource {
        self.inner.doctype(doctype)
    }

    /// Fetches an untyped document.
    pub fn get_row(&self, doctype: &str, name: &str) -> Result<Row> {
        self.run(self.inner.doctype(doctype).get(name))
    }

    /// Sends a list request.
    pub fn send<D: DeserializeOwned>(&self, request: ListRequest<D>) -> Result<Vec<D>> {
        self.run(request.send())
    }

    /// Calls a whitelisted method with `GET`; `args` is anything serializing to a JSON object
    /// (a struct, a map, or a list of `(key, value)` pairs).
    pub fn call<R: DeserializeOwned>(&self, method: &str, args: impl Serialize) -> Result<R> {
        let args = pairs_to_object(args)?;
        self.run(self.inner.call(method).args(args).get::<R>())
    }

    /// Calls a whitelisted method with `GET` and decodes the whole body as `T` instead of its
    /// `message` (see [`crate::MethodCall::get_body`]).
    pub fn call_body<T: DeserializeOwned>(&self, method: &str, args: impl Serialize) -> Result<T> {
        let args = pairs_to_object(args)?;
        self.run(self.inner.call(method).args(args).get_body())
    }

    /// Calls a whitelisted method with `POST` (never retried).
    pub fn call_post<R: DeserializeOwned>(&self, method: &str, args: impl Serialize) -> Result<R> {
        let args = pairs_to_object(args)?;
        self.run(self.inner.call(method).args(args).post::<R>())
    }

    /// Logs in now (password auth).
    pub fn login(&self) -> Result<crate::client::LoginInfo> {
        self.run(self.inner.login())
    }
}

/// Accepts an object as is, and a list of `[key, value]` pairs as an object.
fn pairs_to_object(args: impl Serialize) -> Result<serde_json::Value> {
    use serde_json::Value;
    let value = serde_json::to_value(args)
        .map_err(|e| Error::InvalidInput(format!("arguments cannot be serialized: {e}")))?;
    match value {
        Value::Array(items) => {
            let mut map = serde_json::Map::new();
            for item in items {
                match item {
                    Value::Array(pair) if pair.len() == 2 => {
                        let mut it = pair.into_iter();
                        let (Some(Value::String(k)), Some(v)) = (it.next(), it.next()) else {
                            return Err(Error::InvalidInput(
                                "argument pairs must be (string, value)".into(),
                            ));
                        };
                        map.insert(k, v);
                    }
                    other => {
                        return Err(Error::InvalidInput(format!(
                            "arguments must be an object or (key, value) pairs, got {other}"
                        )));
                    }
                }
            }
            Ok(Value::Object(map))
        }
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_become_an_object() {
        let v = pairs_to_object([("doctype", "ToDo")]).unwrap();
        assert_eq!(v, serde_json::json!({"doctype": "ToDo"}));
        assert!(pairs_to_object([1, 2]).is_err());
    }

    #[tokio::test]
    async fn inside_an_async_runtime_is_an_error_not_a_panic() {
        let client = Client::new("http://127.0.0.1:9", Auth::Guest).unwrap();
        let err = client.call::<String>("ping", ()).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.contains("async")),
            "{err:?}"
        );
        // Dropping it here must not panic either.
        drop(client);
    }

    #[test]
    fn runs_without_an_async_context() {
        // Nothing listens on port 9: a transport error, produced synchronously.
        let client = Client::new("http://127.0.0.1:9", Auth::Guest).unwrap();
        let err = client.call::<String>("ping", ()).unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    }
}
