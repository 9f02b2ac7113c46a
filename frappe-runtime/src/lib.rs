//! An async, typed client for the [Frappe](https://frappeframework.com) / ERPNext REST API.
//!
//! This crate is the runtime half of frappe-rs: [frappe-codegen](https://docs.rs/frappe-codegen)
//! turns your site's DocType metadata into Rust structs carrying `#[derive(Document)]`
//! ([frappe-derive](https://docs.rs/frappe-derive), re-exported here), and the types here give
//! those structs typed field handles, filters and order-by keys; [`Client`] talks to a site.
//! Generated code names everything through this crate (it re-exports [`serde`],
//! [`serde_json`] and [`chrono`]), so a project depends on frappe-runtime alone, plus
//! frappe-codegen as a build-dependency.
//!
//! # Quick start
//!
//! ```no_run
//! use frappe_runtime::serde::{Deserialize, Serialize};
//! use frappe_runtime::{Auth, Changes, Choice, Client, Document, TryStreamExt};
//!
//! // What frappe-codegen generates for ToDo, abridged: in a project it comes from `build.rs`
//! // (`frappe_codegen::Config::compile_snapshot`), with every field of the DocType.
//! #[derive(Debug, Serialize, Deserialize, Document)]
//! #[serde(crate = "frappe_runtime::serde")]
//! #[frappe(doctype = "ToDo")]
//! pub struct ToDo {
//!     #[serde(default)]
//!     pub name: String,
//!     #[serde(default)]
//!     pub description: Option<String>,
//!     #[serde(default)]
//!     pub status: Option<ToDoStatus>,
//! }
//!
//! #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Choice)]
//! #[serde(crate = "frappe_runtime::serde")]
//! pub enum ToDoStatus {
//!     Open,
//!     Closed,
//!     Cancelled,
//!     #[serde(untagged)]
//!     Other(String),
//! }
//!
//! # async fn demo() -> frappe_runtime::Result<()> {
//! let client = Client::builder("https://erp.example.com")
//!     .auth(Auth::token("api-key", "api-secret"))
//!     .build()?;
//!
//! // The field, the operator and the value's type are checked by the compiler.
//! let open: Vec<ToDo> = client
//!     .list::<ToDo>()
//!     .filter(ToDo::status.eq(ToDoStatus::Open))
//!     .order_by(ToDo::name.asc())
//!     .limit(20)
//!     .send()
//!     .await?;
//!
//! // Create and update send only the fields you set; the site fills in the rest.
//! let todo: ToDo = client
//!     .create(&Changes::new().set(ToDo::description, "Write the report"))
//!     .await?;
//! let closed = Changes::new().set(ToDo::status, ToDoStatus::Closed);
//! let todo: ToDo = client.update(&todo.name, &closed).await?;
//!
//! // Every document, a page (500 rows) at a time; the next page arrives while this one is read.
//! let mut all = client.list::<ToDo>().stream();
//! while let Some(todo) = all.try_next().await? {
//!     println!("{}: {:?}", todo.name, todo.description);
//! }
//! # let _ = (open, todo); Ok(()) }
//! ```
//!
//! # Without generated types
//!
//! Every call has an untyped form, documents as JSON objects:
//!
//! ```no_run
//! use frappe_runtime::serde_json::json;
//! use frappe_runtime::{Auth, Client, Row, TryStreamExt};
//!
//! # async fn demo() -> frappe_runtime::Result<()> {
//! let client = Client::builder("https://erp.example.com")
//!     .auth(Auth::token("api-key", "api-secret"))
//!     .build()?;
//!
//! // Untyped: documents as JSON objects.
//! let todos = client.doctype("ToDo");
//! let open: Vec<Row> = todos
//!     .list()
//!     .fields(["name", "description"])
//!     .filter(json!(["status", "=", "Open"]))
//!     .order_by("modified desc")
//!     .limit(20)
//!     .send()
//!     .await?;
//! let created = todos.insert(&json!({"description": "Write the report"})).await?;
//! let name = created["name"].as_str().unwrap_or_default().to_owned();
//! todos.update(&name, &json!({"status": "Closed"})).await?;
//!
//! // Every row, a page (500 rows) at a time; the next page arrives while this one is read.
//! let mut all = todos.list().fields(["name"]).stream();
//! while let Some(row) = all.try_next().await? {
//!     let _ = row;
//! }
//!
//! // Whitelisted methods: the `message` decoded as you ask.
//! let user: String = client.call("frappe.auth.get_logged_user").get().await?;
//! # let _ = (open, user); Ok(()) }
//! ```
//!
//! # Behaviour
//!
//! Errors are one [`Error`] enum; see its variants for how HTTP statuses and Frappe exceptions
//! map. Retries ([`RetryPolicy`]) only ever repeat idempotent requests, and
//! [`Error::maybe_committed`] tells whether a failed write may have taken effect. Every call is
//! bounded in time (a per-attempt [`ClientBuilder::timeout`] and a per-call
//! [`ClientBuilder::deadline`]) and in memory ([`ClientBuilder::max_response_bytes`]); redirects
//! are followed only by GET and HEAD within the site's origin. Credentials never appear in
//! `Debug`, logs or errors, and are never sent to another origin: where a server echoes one of
//! the client's secrets in an error body, it is replaced by `***`. Each request runs in a
//! `frappe_request` `tracing` span (debug level) with method, path, status and elapsed
//! milliseconds.
//!
//! Calls use the v1 REST API (`/api/resource`, `/api/method`), which every v15 site serves;
//! [`ApiVersion::V2`] switches a client (or a [`Client::with_api_version`] handle) to `/api/v2`.
//!
//! # Features
//!
//! - `client` (default): [`Client`] and everything that talks to a site (lists, methods, files,
//!   reports, auth, [`Error`]), on reqwest (rustls), hyper and tokio. Without it the crate is
//!   the types generated code is made of ([`Document`], [`Field`], [`Filter`], [`Link`],
//!   [`Choice`], [`Changes`], [`wire`], [`standard`]; their errors are [`InputError`]s), on
//!   serde, serde_json and chrono alone: what frappe-codegen builds for a `build.rs`.
//! - `blocking`: `blocking::Client`, a synchronous facade with its own tokio runtime (for build
//!   scripts and CLIs, e.g. fetching DocType metadata). Implies `client`.
//! - `derive` (default): re-exports `#[derive(Document, Choice)]` from frappe-derive; code
//!   generated by frappe-codegen needs it.
//! - `decimal`: `rust_decimal::Decimal` as a filter value and a Currency type (re-exports
//!   [`rust_decimal`](https://docs.rs/rust_decimal)).
//! - `oauth`: `oauth::OAuthApp`, the OAuth2 authorization code flow with PKCE for third-party
//!   apps (authorize URL, code exchange, refresh, revoke, introspect, OpenID profile, and a
//!   client that refreshes its tokens and hands them back for storage); adds `getrandom` and
//!   `sha2`, implies `client`. Without it, [`Auth::oauth_tokens`] still takes a token set
//!   obtained elsewhere.
//! - `webhook`: `webhook::Verifier`, a receiver for Frappe's Webhooks: the
//!   `X-Frappe-Webhook-Signature` (HMAC-SHA256) checked in constant time, the body decoded into
//!   a generated struct or a `webhook::Event`; adds `hmac`, `sha2` and `base64`, and does not
//!   need `client`.
//! - `webhook-axum`: the same as an axum extractor, `webhook::axum::Webhook`, answering 401 to
//!   a bad signature and 400 to a body that does not decode. Implies `webhook`.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The types: what generated code and frappe-codegen use. No HTTP stack.
pub mod changes;
pub mod choice;
pub mod document;
pub mod filter;
mod input_error;
pub mod link;
mod redact;
mod row;
pub mod standard;
pub mod transition;
pub mod validation;
pub mod whitelisted;
pub mod wire;

pub use changes::Changes;
pub use choice::Choice;
pub use document::{Document, FieldInfo, Submittable};
pub use filter::{Field, Filter, OrderBy};
pub use input_error::InputError;
pub use link::{DynamicLink, Link};
pub use row::Row;
pub use transition::{HasWorkflow, TransitionRule};
pub use whitelisted::{Args, DocMethod, Method};
pub use wire::DocStatus;

// The client (feature `client`, on by default).
#[cfg(feature = "client")]
mod api_error;
#[cfg(feature = "client")]
pub mod auth;
#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "client")]
pub mod bulk_job;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
pub mod file;
#[cfg(feature = "client")]
mod frappe_client;
#[cfg(feature = "client")]
mod get_many;
#[cfg(feature = "client")]
mod insert_many;
#[cfg(feature = "client")]
pub mod list;
#[cfg(feature = "client")]
mod mask;
#[cfg(feature = "client")]
mod method;
#[cfg(feature = "client")]
pub mod oauth;
#[cfg(feature = "client")]
mod per_document;
#[cfg(feature = "client")]
pub mod report;
#[cfg(feature = "client")]
mod resource;
#[cfg(feature = "client")]
pub mod retry;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(feature = "client")]
mod typed_call;
#[cfg(feature = "client")]
mod update_many;
#[cfg(feature = "webhook")]
pub mod webhook;
#[cfg(feature = "client")]
pub mod workflow;

#[cfg(feature = "client")]
pub use api_error::{ApiError, ServerMessage};
#[cfg(feature = "client")]
pub use auth::{Auth, OAuthRefresh, Secret};
#[cfg(feature = "client")]
pub use bulk_job::{Bulk, BulkAction, BulkJob, BulkProgress, BulkReport, NotConfirmed};
#[cfg(feature = "client")]
pub use client::{
    ApiVersion, Client, ClientBuilder, DEFAULT_DEADLINE, DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, LoginInfo, RateLimit, SiteRateLimit, Stats,
};
#[cfg(feature = "client")]
pub use error::{
    DecodeError, Error, RedirectError, RedirectReason, Result, TimeLimit, TimeoutError,
};
#[cfg(feature = "client")]
pub use file::{FileDoc, UploadFile};
#[cfg(feature = "client")]
pub use frappe_client::{FrappeClient, Lookup};
#[cfg(feature = "client")]
pub use get_many::GetMany;
#[cfg(feature = "client")]
pub use insert_many::{
    ChunkFailure, INSERT_MANY_CHUNK, InsertMany, InsertMismatch, InsertProgress, PartialInsert,
};
#[cfg(feature = "client")]
pub use list::{IntoFilters, IntoOrderBy, ListRequest};
#[cfg(feature = "client")]
pub use method::{MethodCall, WithMessages};
#[cfg(feature = "client")]
pub use per_document::DocumentProgress;
#[cfg(feature = "client")]
pub use report::{QueryReport, QueryReportRequest, ReportColumn, ReportView};
#[cfg(feature = "client")]
pub use resource::Resource;
#[cfg(feature = "client")]
pub use retry::RetryPolicy;
#[cfg(feature = "client")]
pub use typed_call::TypedCall;
#[cfg(feature = "client")]
pub use update_many::UpdateMany;
#[cfg(feature = "client")]
pub use workflow::{Transition, WorkflowCalls, WorkflowRefusal};

#[cfg(feature = "derive")]
pub use frappe_derive::{Choice, Document};

// The crates in this crate's API, re-exported: generated code names them through these paths
// (`frappe_runtime::serde`, ...), so a crate using it depends on frappe-runtime alone, at the
// versions the runtime was built with.
pub use chrono;
/// Stream adapters for [`ListRequest::stream`] (`try_next`, `try_collect`, ...), re-exported
/// from futures-util (feature `client`).
#[cfg(feature = "client")]
#[doc(no_inline)]
pub use futures_util::{StreamExt, TryStreamExt};
#[cfg(feature = "decimal")]
pub use rust_decimal;
pub use serde;
pub use serde_json;

/// Re-exports for code generated by frappe-derive. Not public API: may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::choice::Choice;
    pub use crate::document::{Document, FieldInfo, Submittable};
    pub use crate::filter::{Field, FieldKind, FilterValue, Filterable, Joinable};
    pub use crate::validation::FieldRule;
    pub use crate::wire::derived::{
        Codec, De, Fields, Ser, deserialize, deserialize_choice, serialize_choice,
        serialize_flattened,
    };
    pub use serde;
    pub use serde_json::{Map, Value};
}
