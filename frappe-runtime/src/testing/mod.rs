//! An in-process Frappe site for tests of code that uses frappe-rs (feature `testing`).
//!
//! [`TestSite::builder`] takes the DocTypes the test needs, users and seed documents;
//! [`start`](TestSiteBuilder::start) serves Frappe v15's REST API for them on `127.0.0.1` (an
//! ephemeral port) from the test's own tokio runtime, with the data in memory. The handle gives
//! the [`url`](TestSite::url), a [`Client`] authenticated as Administrator
//! ([`client`](TestSite::client)) or as another user ([`client_as`](TestSite::client_as)), and
//! the stored documents ([`documents`](TestSite::documents)); dropping it stops the server.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use frappe_runtime::testing::TestSite;
//! let site = TestSite::builder()
//!     .doctype_json(serde_json::json!({
//!         "name": "Note", "autoname": "NOTE-.####",
//!         "fields": [{"fieldname": "title", "fieldtype": "Data", "reqd": 1, "label": "Title"}],
//!         "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}]
//!     }))
//!     .start()
//!     .await?;
//! let note = site.client().doctype("Note").insert(&serde_json::json!({"title": "hi"})).await?;
//! # let _ = note; Ok(()) }
//! ```
//!
//! # Metadata
//!
//! The site's semantics come from DocType metadata ([`DocTypeMeta`]): fieldtypes (coercion of
//! Check/Int/Float values, Select options, Link targets checked on save, Table rows), `reqd`,
//! `unique`, `default`, `allow_on_submit`, the naming rule (`autoname`), `istable`, `issingle`,
//! `is_submittable`, `is_tree` (with `nsm_parent_field`) and the permission rules. Give it as Frappe's DocType JSON
//! ([`doctype_json`](TestSiteBuilder::doctype_json)): the file an app ships, the body of
//! `/api/resource/DocType/<name>`, or getdoctype's `{"docs": [...]}`. A generated struct
//! ([`doctype`](TestSiteBuilder::doctype)) says less: field names, Table targets, mandatory
//! fields and Select options, but no fieldtypes, so its values are stored as sent, Links are
//! not checked, names are hashes, and only System Manager (Administrator) has rights.
//!
//! # What is implemented
//!
//! Following Frappe 15.44.2's source (`frappe/model/document.py`, `naming.py`, `db_query.py`,
//! `delete_doc.py`, `frappe/api/v1.py`, `api/v2.py`, `handler.py`, `client.py`,
//! `desk/reportview.py`, `utils/nestedset.py`):
//! - `/api/resource` CRUD: naming (hash, autoincrement, `field:`, a series in `autoname`,
//!   `naming_series:`, prompt, amendments), standard fields, child tables (a PUT replaces the
//!   table), defaults, Check/Int/Float coercion, mandatory, Select, unique and Link checks, the
//!   `modified` check, docstatus transitions and what may change after submit, LinkExistsError
//!   on delete and cancel, deletes of submitted documents refused;
//! - lists: fields, filters and or_filters (every operator frappe-runtime sends, `timespan`,
//!   `previous` and `next` as Frappe's date ranges with weeks from Sunday, the tree operators),
//!   order_by, paging, `as_dict`, group_by with aggregates, child rows through `parent`;
//! - tree DocTypes (`is_tree`, `frappe/utils/nestedset.py`): `lft`/`rgt` kept on insert, move
//!   and delete, `old_parent`, loops, leaves with children, deletes of nodes with children and
//!   group-to-leaf merges refused, the tree rebuilt after a merge;
//! - `frappe.client.*` (get_list, get_count, get, get_value, get_single_value, set_value,
//!   insert, insert_many, save, submit, cancel, delete, rename_doc), `frappe.desk.reportview.get`,
//!   `upload_file` and file downloads, methods registered with [`TestSiteBuilder::method`];
//! - document methods (v1 `run_method`, `/api/method/run_doc_method`): those registered with
//!   [`TestSiteBuilder::doc_method`] and Document's `submit` and `cancel`, with Frappe's answers
//!   for a method that is not whitelisted or does not exist and for a user without the right;
//! - token, Basic and password (`sid` cookie) authentication, logout, per-DocType role
//!   permissions, with Frappe's 401 and 403 bodies;
//! - Single DocTypes (`issingle`, stored as `tabSingles` rows): GET and PUT of
//!   `/api/resource/<Single>/<Single>`, POST, DELETE, `get_value`, `get_single_value`,
//!   `set_value`, and the `ProgrammingError` (500) Frappe answers for a list of one;
//! - API v2 (`/api/v2/document` CRUD and lists, `/api/v2/doctype/<dt>/count`,
//!   `/api/v2/method/<m>` in the `data` envelope, document methods at
//!   `/api/v2/document/<dt>/<name>/method/<m>`), errors in v2's `errors` body (the `exception`
//!   is the traceback's last line, Frappe sends the whole traceback);
//! - the request log ([`TestSite::requests`]) and injected faults ([`TestSite::inject`]).
//!
//! Anything else (renaming, submitting or `frappe.client.save` of a Single, Table fields on a
//! Single, Document's `rename` and `add_comment`, `run_doc_method` on an unsaved document, v2's
//! `run_doc_method` and DocType meta route, inserting a Workflow, User Permission or another
//! document Frappe applies to others among them) answers **501** with `exc_type`
//! `NotImplementedError` naming what is missing, never a silent wrong answer. Known
//! differences: names compare case-insensitively but not accent- or trailing-space-insensitively
//! as MariaDB's collation does; a list without `order_by` (unordered in Frappe 15.44) comes by
//! name; timestamps and the dates `timespan` counts from are local time (Frappe's are in the
//! site's time zone); `get_count` on a Single names no database in its error; a registered
//! document method cannot change the stored document; there are no hooks, notifications or
//! version log. The conformance suite (`tests/tests/conformance` in the
//! workspace) runs the same scenarios against this site and a real Frappe and compares them.

mod doc_methods;
mod docs;
mod error;
mod faults;
mod files;
mod list;
mod meta;
mod methods;
mod naming;
mod server;
mod singles;
mod store;
mod timespan;
mod tree;
mod users;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use serde_json::Value;

pub use doc_methods::{DocMethodCall, DocMethodFn};
pub use error::SiteError;
pub use faults::{Fault, FaultKind, Recorded};
pub use meta::{DocTypeMeta, FieldMeta, MetaError, Permission};
pub use methods::MethodCall;
pub use users::User;

use crate::document::Document;
use crate::{Auth, Client};
use store::State;

/// Why a test site could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum TestSiteError {
    /// DocType JSON that could not be read.
    Meta(MetaError),
    /// A Table field whose row DocType was not given.
    MissingChild {
        /// The DocType with the Table field.
        doctype: String,
        /// The Table field.
        field: String,
        /// The row DocType it names.
        child: String,
    },
    /// A seed document the site refused (the DocType, and Frappe's error).
    Seed {
        /// The seed document's DocType.
        doctype: String,
        /// What the site answered.
        error: SiteError,
    },
    /// The listener could not be bound.
    Bind(std::io::Error),
    /// A client for a user: unknown user or no API key.
    User(String),
    /// Building the client failed.
    Client(crate::Error),
}

impl std::fmt::Display for TestSiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TestSiteError::Meta(e) => write!(f, "test site: DocType JSON: {e}"),
            TestSiteError::MissingChild {
                doctype,
                field,
                child,
            } => write!(
                f,
                "test site: {doctype}.{field} is a Table of {child}, which was not given to the builder"
            ),
            TestSiteError::Seed { doctype, error } => write!(
                f,
                "test site: seeding a {doctype}: {} {}: {}",
                error.status, error.exc_type, error.text
            ),
            TestSiteError::Bind(e) => write!(f, "test site: cannot listen on 127.0.0.1: {e}"),
            TestSiteError::User(user) => write!(f, "test site: no API key for user {user:?}"),
            TestSiteError::Client(e) => write!(f, "test site: client: {e}"),
        }
    }
}

impl std::error::Error for TestSiteError {}

/// Sets up a [`TestSite`].
#[derive(Default)]
pub struct TestSiteBuilder {
    methods: methods::Registry,
    doc_methods: doc_methods::DocRegistry,
    admin_password: Option<String>,
    metas: Vec<DocTypeMeta>,
    users: Vec<User>,
    seeds: Vec<(String, Value)>,
    error: Option<TestSiteError>,
}

impl std::fmt::Debug for TestSiteBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestSiteBuilder")
            .field(
                "doctypes",
                &self.metas.iter().map(|m| &m.name).collect::<Vec<_>>(),
            )
            .field("users", &self.users)
            .field("methods", &self.methods.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl TestSiteBuilder {
    /// Adds the DocType of a [`Document`] type (see the module's "Metadata" for what it lacks).
    pub fn doctype<D: Document>(mut self) -> Self {
        self.metas.push(DocTypeMeta::from_document::<D>());
        self
    }

    /// Adds every DocType in Frappe's DocType JSON (see [`DocTypeMeta::from_json`]). A later
    /// DocType of the same name replaces an earlier one.
    pub fn doctype_json(mut self, json: Value) -> Self {
        match DocTypeMeta::from_json(&json) {
            Ok(metas) => self.metas.extend(metas),
            Err(e) => {
                self.error.get_or_insert(TestSiteError::Meta(e));
            }
        }
        self
    }

    /// Adds metadata built by hand.
    pub fn doctype_meta(mut self, meta: DocTypeMeta) -> Self {
        self.metas.push(meta);
        self
    }

    /// Administrator's password for `/api/method/login` (default `admin`).
    pub fn admin_password(mut self, password: impl Into<String>) -> Self {
        self.admin_password = Some(password.into());
        self
    }

    /// Registers a whitelisted method at `/api/method/<path>` for logged-in users: the closure's
    /// value is the answer's `message`; a [`SiteError`] it returns is answered as Frappe
    /// answers that exception.
    pub fn method<F>(mut self, path: impl Into<String>, f: F) -> Self
    where
        F: Fn(&MethodCall) -> Result<Value, SiteError> + Send + Sync + 'static,
    {
        self.methods.insert(path.into(), (Arc::new(f), false));
        self
    }

    /// [`method`](Self::method) with `allow_guest=True`: callable without credentials.
    pub fn guest_method<F>(mut self, path: impl Into<String>, f: F) -> Self
    where
        F: Fn(&MethodCall) -> Result<Value, SiteError> + Send + Sync + 'static,
    {
        self.methods.insert(path.into(), (Arc::new(f), true));
        self
    }

    /// Registers the whitelisted controller method `method` of `doctype`'s documents, run by
    /// v1's `run_method` and `/api/method/run_doc_method`: the closure gets the document and
    /// the keyword arguments; its value is what the method returns, a [`SiteError`] it returns
    /// is answered as Frappe answers that exception. It cannot change the stored document.
    pub fn doc_method<F>(
        mut self,
        doctype: impl Into<String>,
        method: impl Into<String>,
        f: F,
    ) -> Self
    where
        F: Fn(&DocMethodCall) -> Result<Value, SiteError> + Send + Sync + 'static,
    {
        self.doc_methods
            .insert((doctype.into(), method.into()), Arc::new(f));
        self
    }

    /// Adds a user.
    pub fn user(mut self, user: User) -> Self {
        self.users.push(user);
        self
    }

    /// A document inserted (as Administrator, as a POST would) when the site starts.
    pub fn document(mut self, doctype: impl Into<String>, doc: Value) -> Self {
        self.seeds.push((doctype.into(), doc));
        self
    }

    /// Starts the site on `127.0.0.1` (an ephemeral port) in the current tokio runtime.
    pub async fn start(self) -> Result<TestSite, TestSiteError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut state = State::default();
        let file = files::file_meta();
        state.metas.insert(file.name.clone(), Arc::new(file));
        for meta in self.metas {
            state.metas.insert(meta.name.clone(), Arc::new(meta));
        }
        for meta in state.metas.values() {
            for table in meta.table_fields() {
                if !state.metas.contains_key(&table.options) {
                    return Err(TestSiteError::MissingChild {
                        doctype: meta.name.clone(),
                        field: table.fieldname.clone(),
                        child: table.options.clone(),
                    });
                }
            }
        }
        let admin = users::Caller::administrator();
        for (doctype, doc) in self.seeds {
            docs::insert(&mut state, &doctype, doc, &admin)
                .map_err(|error| TestSiteError::Seed { doctype, error })?;
        }
        let admin_key = (
            format!("admin-{}", naming::hash_name()),
            naming::hash_name() + &naming::hash_name(),
        );
        let mut users = vec![
            User::new("Administrator")
                .role("Administrator")
                .role("System Manager")
                .api_key(admin_key.0.clone(), admin_key.1.clone())
                .password(self.admin_password.unwrap_or_else(|| "admin".into())),
        ];
        users.extend(self.users);
        let shared = server::Shared {
            state: Arc::new(Mutex::new(state)),
            users: Arc::new(users),
            sessions: Arc::default(),
            methods: Arc::new(self.methods),
            doc_methods: Arc::new(self.doc_methods),
            faults: Arc::default(),
            log: Arc::default(),
            files: Arc::default(),
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(TestSiteError::Bind)?;
        let addr = listener.local_addr().map_err(TestSiteError::Bind)?;
        let server = tokio::spawn(server::serve(listener, shared.clone()));
        Ok(TestSite {
            addr,
            shared,
            admin_key,
            server,
        })
    }
}

/// A running test site; dropping it stops the server.
pub struct TestSite {
    addr: SocketAddr,
    shared: server::Shared,
    admin_key: (String, String),
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestSite {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl std::fmt::Debug for TestSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestSite")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl TestSite {
    /// A builder with no DocTypes, Administrator as the only user.
    pub fn builder() -> TestSiteBuilder {
        TestSiteBuilder::default()
    }

    /// The site's base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Administrator's API key and secret on this site.
    pub fn admin_api_key(&self) -> (&str, &str) {
        (&self.admin_key.0, &self.admin_key.1)
    }

    /// A client authenticated as Administrator (API key).
    pub fn client(&self) -> Client {
        Client::new(
            self.url(),
            Auth::token(self.admin_key.0.clone(), self.admin_key.1.clone()),
        )
        .unwrap_or_else(|e| unreachable!("the site's own URL is valid: {e}"))
    }

    /// A client authenticated as `user` with the API key the builder gave them.
    pub fn client_as(&self, user: &str) -> Result<Client, TestSiteError> {
        let (key, secret) = self
            .shared
            .users
            .iter()
            .find(|u| u.name == user)
            .and_then(|u| u.api_key.clone())
            .ok_or_else(|| TestSiteError::User(user.to_owned()))?;
        Client::new(self.url(), Auth::token(key, secret)).map_err(TestSiteError::Client)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        server::lock(&self.shared.log).clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        server::lock(&self.shared.log).clear();
    }

    /// Puts a fault in force (after those already injected; the first matching one applies).
    pub fn inject(&self, fault: Fault) {
        server::lock(&self.shared.faults).push(fault);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        server::lock(&self.shared.faults).clear();
    }

    /// Every stored document of `doctype` as a GET would return it, by name.
    pub fn documents(&self, doctype: &str) -> Vec<Value> {
        let state = server::lock(&self.shared.state);
        let Ok(meta) = state.meta(doctype) else {
            return Vec::new();
        };
        let mut docs: Vec<Value> = state
            .all(doctype)
            .map(|d| Value::Object(docs::as_dict(&state, &meta, d)))
            .collect();
        docs.sort_by_key(|d| store::name_text(&d["name"]));
        docs
    }
}
