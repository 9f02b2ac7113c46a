//! [`Client`]: a cheap-to-clone handle (`Arc` inside) to one Frappe site.
//!
//! Every call — typed resources, untyped resources, methods, files, reports, login — goes through
//! one internal path (`execute`, in `execute.rs`) that builds the request, applies auth, opens the
//! tracing span, renews an expired session, retries and maps errors. The public operations live in
//! the modules named for them (`resource`, `list`, `method`, `file`, `report`, `insert_many`);
//! what differs between API versions (paths, page parameters, count route, result envelope) is
//! in `api.rs`; this module holds the client itself, URL building and login/logout.

mod api;
mod arriving;
mod builder;
mod exchange;
mod execute;
mod rate;
pub(crate) mod redirect;
mod response;
mod stats;
pub(crate) use response::without_position;

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use url::Url;

use crate::auth::{Auth, SessionState};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::validation::Validation;

pub use api::ApiVersion;
pub(crate) use api::{Envelope, meta_path, v1_method_path};
pub(crate) use builder::redact_url;
pub use builder::{
    ClientBuilder, DEFAULT_DEADLINE, DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
};
pub use rate::RateLimit;
pub(crate) use response::Response;
pub use stats::{SiteRateLimit, Stats};

/// A connection to one Frappe site. Clone it freely: clones share the connection pool, the
/// session and the concurrency cap. (Feature `client`, on by default.)
///
/// ```no_run
/// # async fn demo() -> frappe_runtime::Result<()> {
/// use frappe_runtime::{Auth, Client};
/// let client = Client::builder("https://erp.example.com")
///     .auth(Auth::token("api-key", "api-secret"))
///     .build()?;
/// let me: String = client.call("frappe.auth.get_logged_user").get().await?;
/// # let _ = me; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    /// What every handle to the site shares: connection pool, session, limits.
    pub(crate) inner: std::sync::Arc<Inner>,
    /// The API generation this handle's resource and method calls use.
    pub(crate) api: ApiVersion,
    /// How much typed inserts and updates are checked against `Document::RULES` first.
    pub(crate) validation: Validation,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_response_bytes: Option<u64>,
    pub(crate) semaphore: tokio::sync::Semaphore,
    pub(crate) retry: RetryPolicy,
    pub(crate) session: SessionState,
    pub(crate) counters: stats::Counters,
    pub(crate) limiter: Option<rate::Limiter>,
    /// Lists ask for compact rows where they can (`ClientBuilder::compact_rows`).
    pub(crate) compact_rows: bool,
    /// The DocTypes and fields whose compact rows did not line up (`Client::list_rows`): their
    /// lists ask for objects.
    pub(crate) misaligned: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("auth", &self.inner.session.auth.kind())
            .field("api", &self.api)
            .field("validation", &self.validation)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// The body of a successful password login.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct LoginInfo {
    /// `"Logged In"` for desk users, `"No App"` for website users.
    #[serde(default)]
    pub message: String,
    /// Where the desk would go next, e.g. `"/app"`.
    #[serde(default)]
    pub home_page: Option<String>,
    /// The user's full name.
    #[serde(default)]
    pub full_name: Option<String>,
}

/// What a request sends as its body.
pub(crate) enum Body {
    Empty,
    /// `Bytes`, so that each retry attempt shares the body instead of copying it.
    Json(Bytes),
    Form(Vec<(String, String)>),
    Multipart(Vec<Part>),
}

/// One part of a multipart body; kept as data so the form can be rebuilt (reqwest forms are
/// single-use).
pub(crate) enum Part {
    Text(&'static str, String),
    File {
        name: &'static str,
        file_name: String,
        content_type: Option<String>,
        bytes: Bytes,
    },
}

/// One request, before auth is applied.
pub(crate) struct Request {
    pub(crate) method: Method,
    /// Path segments below the base URL, each percent-encoded as ONE segment.
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Body,
    /// Sent without credentials (login, token refresh) and never renewed.
    pub(crate) anonymous: bool,
    /// Accept any content type (file downloads) instead of `application/json`.
    pub(crate) accept_any: bool,
    /// Never log in again or refresh the token for this request (logout: renewing a session
    /// only to end it would leave a fresh one open on the server).
    pub(crate) no_renewal: bool,
}

impl Request {
    pub(crate) fn new(
        method: Method,
        segments: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            method,
            segments: segments.into_iter().map(Into::into).collect(),
            query: Vec::new(),
            body: Body::Empty,
            anonymous: false,
            accept_any: false,
            no_renewal: false,
        }
    }

    /// The DocType this request is about, for error messages: the one its path names
    /// (`/api/resource/<dt>`, `/api/v2/document/<dt>`, `/api/v2/doctype/<dt>`), else a
    /// `doctype` argument in its query or form (`frappe.client.get_list`, ...).
    pub(crate) fn doctype(&self) -> Option<&str> {
        let segments: Vec<&str> = self.segments.iter().map(String::as_str).collect();
        let in_path = match segments.as_slice() {
            ["api", "resource", dt, ..] | ["api", "v2", "document" | "doctype", dt, ..] => {
                Some(*dt)
            }
            _ => None,
        };
        fn argument(pairs: &[(String, String)]) -> Option<&str> {
            pairs
                .iter()
                .find(|(k, v)| k == "doctype" && !v.is_empty())
                .map(|(_, v)| v.as_str())
        }
        in_path
            .or_else(|| argument(&self.query))
            .or(match &self.body {
                Body::Form(fields) => argument(fields),
                _ => None,
            })
    }

    pub(crate) fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    pub(crate) fn json(mut self, body: &impl serde::Serialize) -> Result<Self> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidInput(format!("cannot serialize the request body: {e}")))?;
        self.body = Body::Json(Bytes::from(bytes));
        Ok(self)
    }
}

/// Refuses `value` (a DocType, document name, method or file path segment, described by `what`
/// in the error) when it cannot be one URL path segment as given:
///
/// - empty: `/api/resource/ToDo/` with an empty name would address the collection;
/// - `.` or `..`: URL parsing treats them (even percent-encoded) as "this" and "parent"
///   directory, so they would address another path;
/// - an ASCII control character (U+0000 to U+001F, U+007F): URL parsing drops tab, LF and CR
///   wherever they occur (`"TODO\t-1"` would address `TODO-1`), and no DocType, document name,
///   method or file name legitimately holds any of the others (Frappe strips names on insert),
///   so one is a mistake to report, not a character to send.
pub(crate) fn check_segment(what: &str, value: &str) -> Result<()> {
    let why = if value.is_empty() {
        "it is empty".to_owned()
    } else if value == "." || value == ".." {
        "URL parsing reads it as the current or parent directory".to_owned()
    } else if let Some(c) = value.chars().find(char::is_ascii_control) {
        format!("it contains the control character U+{:04X}", u32::from(c))
    } else {
        return Ok(());
    };
    Err(Error::InvalidInput(format!(
        "{what} {value:?} cannot be used in a URL: {why}"
    )))
}

impl Client {
    /// Starts building a client for the site at `base_url` (with or without a trailing slash; a
    /// site in a sub-path such as `https://host/erp/` works).
    pub fn builder(base_url: impl AsRef<str>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// A client with default settings.
    pub fn new(base_url: impl AsRef<str>, auth: Auth) -> Result<Self> {
        Self::builder(base_url).auth(auth).build()
    }

    /// What this client and its clones have sent and received so far: attempts, answers,
    /// failures, retries, bytes and time (see [`Stats`]). Cheap: a handful of atomic loads.
    ///
    /// ```no_run
    /// # async fn run(client: frappe_runtime::Client) -> frappe_runtime::Result<()> {
    /// let before = client.stats();
    /// client.doctype("ToDo").list().all().send().await?;
    /// let used = client.stats().since(&before);
    /// println!("{} requests, {} bytes, {:?}", used.attempts, used.bytes_received, used.time_in_requests);
    /// # Ok(()) }
    /// ```
    pub fn stats(&self) -> Stats {
        self.inner.counters.snapshot()
    }

    /// The site's base URL as configured.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The API generation this handle uses.
    pub fn api_version(&self) -> ApiVersion {
        self.api
    }

    /// A handle to the same site (same connection pool, session and concurrency cap) that uses
    /// `version` for resource and method calls.
    pub fn with_api_version(&self, version: ApiVersion) -> Client {
        Client {
            inner: self.inner.clone(),
            api: version,
            validation: self.validation,
        }
    }

    /// A handle to the same site (same connection pool, session and limits) whose typed inserts
    /// and updates are checked as much as `level` says (see [`ClientBuilder::validation`]):
    /// for one call, `client.with_validation(Validation::Full).create(&changes)` also requires
    /// the mandatory fields.
    pub fn with_validation(&self, level: Validation) -> Client {
        Client {
            inner: self.inner.clone(),
            api: self.api,
            validation: level,
        }
    }

    /// `with_validation(Validation::Off)`: a handle that sends typed documents unchecked.
    pub fn without_validation(&self) -> Client {
        self.with_validation(Validation::Off)
    }

    /// How much this handle checks typed documents before sending them.
    pub fn validation(&self) -> Validation {
        self.validation
    }

    /// The DocType's metadata as the v2 API serves it (`GET /api/v2/doctype/<dt>/meta`: custom
    /// fields merged, property setters applied), whichever [`ApiVersion`] this handle uses.
    pub async fn doctype_meta(&self, doctype: &str) -> Result<crate::list::Row> {
        if doctype.trim().is_empty() {
            return Err(Error::InvalidInput(
                "doctype_meta: the DocType name is empty".into(),
            ));
        }
        check_segment("doctype_meta: the DocType name", doctype)?;
        let req = Request::new(Method::GET, meta_path(doctype));
        self.execute(&req).await?.data()
    }

    /// The URL of `segments` below the base URL; each segment is percent-encoded as one path
    /// segment, so a `/` inside a document name stays inside it.
    ///
    /// A segment the URL would not carry as given is refused (see [`check_segment`]), so that a
    /// request never silently addresses another document, collection or method.
    pub(crate) fn url(&self, segments: &[String]) -> Result<Url> {
        for segment in segments {
            check_segment("a DocType, document, method or file name", segment)?;
        }
        let mut url = self.inner.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        Ok(url)
    }

    /// Logs in with the [`Auth::password`] credentials now (otherwise this happens on the first
    /// request). Replaces any current session, and ends the effect of [`logout`](Self::logout).
    pub async fn login(&self) -> Result<LoginInfo> {
        let Auth::Password(creds) = &self.inner.session.auth else {
            return Err(Error::InvalidInput(format!(
                "login needs Auth::password, this client uses {} auth",
                self.inner.session.auth.kind()
            )));
        };
        let _guard = self.inner.session.renew_lock.lock().await;
        let info = self.password_login(creds).await?;
        // Only a session that started ends a logout: after a failed login the client still
        // does not log in by itself.
        self.inner.session.set_logged_out(false);
        Ok(info)
    }

    /// Ends the session (`POST /api/method/logout`) and forgets the `sid`.
    ///
    /// A password client then stays logged out: later calls (on this client and its clones)
    /// fail with [`Error::LoggedOut`], without sending anything, until [`login`](Self::login)
    /// is called; it never logs in again by itself with the stored password. With token or
    /// Basic auth the call is harmless: API keys keep working after logout.
    pub async fn logout(&self) -> Result<()> {
        let is_password = matches!(self.inner.session.auth, Auth::Password(_));
        // Logins hold the renew lock from the check of the flag until the sid is kept: taking
        // it waits for a login in flight, whose session this logout then ends too.
        let ending = if is_password {
            let _guard = self.inner.session.renew_lock.lock().await;
            // Before the request: a call racing with the logout must not log in again.
            self.inner.session.set_logged_out(true);
            match self.inner.session.credential() {
                Some(session) => Some(session),
                None => return Ok(()),
            }
        } else {
            None
        };
        let mut req = Request::new(Method::POST, v1_method_path("logout"));
        req.body = Body::Form(Vec::new());
        req.no_renewal = true;
        let result = match self.execute(&req).await {
            Ok(_) => Ok(()),
            // The session is already gone on the server: that is what logout wanted.
            Err(Error::SessionExpired) => Ok(()),
            Err(e) => Err(e),
        };
        if ending.is_some() {
            let _guard = self.inner.session.renew_lock.lock().await;
            // A `login()` while the request was out started a session of its own: keep it.
            if self.inner.session.credential() == ending {
                self.inner.session.set_sid(None);
            }
        }
        result
    }

    /// The logged-in user (`frappe.auth.get_logged_user`), e.g. `"Administrator"`.
    pub async fn logged_user(&self) -> Result<String> {
        self.call("frappe.auth.get_logged_user").get().await
    }

    /// `GET /api/method/ping` → `"pong"`; a cheap check that the site answers.
    pub async fn ping(&self) -> Result<String> {
        self.call("ping").get().await
    }
}

#[cfg(test)]
mod unit_tests {
    use super::*;

    fn segs(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_doctype_a_request_is_about() {
        let doctype = |segments: &[&str]| {
            Request::new(Method::GET, segs(segments))
                .doctype()
                .map(str::to_owned)
        };
        assert_eq!(
            doctype(&["api", "resource", "Sales Order", "SO-1"]).as_deref(),
            Some("Sales Order")
        );
        assert_eq!(
            doctype(&["api", "v2", "document", "ToDo"]).as_deref(),
            Some("ToDo")
        );
        assert_eq!(
            doctype(&["api", "v2", "doctype", "ToDo", "count"]).as_deref(),
            Some("ToDo")
        );
        assert_eq!(doctype(&["api", "method", "ping"]), None);
        let get_list = Request::new(
            Method::GET,
            segs(&["api", "method", "frappe.client.get_list"]),
        )
        .query("doctype", "Note");
        assert_eq!(get_list.doctype(), Some("Note"));
        let mut form = Request::new(Method::POST, segs(&["api", "method", "run_doc_method"]));
        form.body = Body::Form(vec![("doctype".into(), "Contact".into())]);
        assert_eq!(form.doctype(), Some("Contact"));
    }

    #[test]
    fn base_url_with_or_without_slash_and_sub_path() {
        for base in ["http://127.0.0.1:8000", "http://127.0.0.1:8000/"] {
            let c = Client::builder(base).build().unwrap();
            assert_eq!(
                c.url(&segs(&["api", "resource", "ToDo"])).unwrap().as_str(),
                "http://127.0.0.1:8000/api/resource/ToDo"
            );
        }
        for base in ["https://host/erp", "https://host/erp/"] {
            let c = Client::builder(base).build().unwrap();
            assert_eq!(
                c.url(&segs(&["api", "method", "ping"])).unwrap().as_str(),
                "https://host/erp/api/method/ping"
            );
        }
    }

    #[test]
    fn names_are_one_percent_encoded_segment() {
        let c = Client::builder("http://h").build().unwrap();
        let url = c
            .url(&segs(&["api", "resource", "Sales Invoice", "A/B 50% ü?#"]))
            .unwrap();
        assert_eq!(
            url.as_str(),
            "http://h/api/resource/Sales%20Invoice/A%2FB%2050%25%20%C3%BC%3F%23"
        );
    }

    #[test]
    fn dot_empty_and_control_segments_are_refused() {
        let c = Client::builder("http://h/site/").build().unwrap();
        for name in [".", ".."] {
            let err = c
                .url(&segs(&["api", "resource", "ToDo", name]))
                .unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        }
        // An empty name would address the collection; a tab would be dropped.
        for name in ["", "\t", "TODO\t-1", "a\r\nb", "x\u{7f}"] {
            let err = c
                .url(&segs(&["api", "resource", "ToDo", name]))
                .unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{name:?}: {err:?}");
        }
        // Dots inside a name are ordinary characters.
        assert_eq!(
            c.url(&segs(&["api", "resource", "ToDo", "a..b"]))
                .unwrap()
                .as_str(),
            "http://h/site/api/resource/ToDo/a..b"
        );
    }

    #[test]
    fn bad_base_urls_are_rejected_with_reason() {
        for (base, needle) in [
            ("not a url", "invalid base URL"),
            ("ftp://h", "http or https"),
            ("https://user:pw@h", "credentials"),
            ("https://h/?x=1", "query"),
        ] {
            let err = Client::builder(base).build().unwrap_err().to_string();
            assert!(err.contains(needle), "{base}: {err}");
            assert!(!err.contains("pw@"), "{err}");
        }
    }

    #[test]
    fn bad_base_url_errors_do_not_echo_credentials() {
        for base in [
            // Does not parse (bad port), but still carries a password.
            "https://admin:PW-SECRET@erp.example.com:99999/",
            // Parses; the query carries the secret.
            "https://erp.example.com/?api_secret=PW-SECRET",
            "https://erp.example.com/#sid=PW-SECRET",
            // Does not parse, secret in the query.
            "https://erp example.com/?api_secret=PW-SECRET",
        ] {
            let err = Client::builder(base).build().unwrap_err();
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("PW-SECRET"), "{shown}");
            assert!(shown.contains("erp"), "the host is still named: {shown}");
        }
        // A `#` or `?` inside the password does not end the user info early.
        for base in [
            "https://admin:PW-SE#CRET@erp.example.com:99999/",
            "https://admin:PW-SE?CRET@erp.example.com:99999/",
        ] {
            let err = Client::builder(base).build().unwrap_err();
            let shown = format!("{err} {err:?}");
            assert!(
                !shown.contains("admin") && !shown.contains("PW-"),
                "{shown}"
            );
            assert!(shown.contains("***@erp.example.com"), "{shown}");
        }
    }

    #[test]
    fn builder_debug_does_not_show_credentials_in_the_base_url() {
        for base in [
            "https://admin:PW-SECRET@erp.example.com/",
            "https://erp.example.com/?api_secret=PW-SECRET",
            "https://admin:PW#SECRET@erp.example.com:99999/",
        ] {
            let shown = format!("{:?}", Client::builder(base));
            assert!(
                !shown.contains("SECRET") && !shown.contains("admin"),
                "{shown}"
            );
            assert!(shown.contains("erp.example.com"), "{shown}");
        }
    }

    #[test]
    fn one_builder_serves_several_clients() {
        let base = Client::builder("http://h")
            .auth(Auth::token("k", "s"))
            .site_name("a.example");
        let v1 = base.clone().build().unwrap();
        let v2 = base.api_version(ApiVersion::V2).build().unwrap();
        assert_eq!(v1.api_version(), ApiVersion::V1);
        assert_eq!(v2.api_version(), ApiVersion::V2);
        assert_eq!(
            v1.inner.headers.get("x-frappe-site-name").unwrap(),
            "a.example"
        );
    }

    #[test]
    fn unbounded_concurrency_builds() {
        // usize::MAX ("no cap") used to panic in tokio's Semaphore::new.
        let c = Client::builder("http://h")
            .max_concurrency(usize::MAX)
            .build()
            .unwrap();
        assert!(c.inner.semaphore.available_permits() > 1 << 20);
    }

    #[test]
    fn explicit_headers_win_over_defaults() {
        let c = Client::builder("http://h")
            .header("User-Agent", "my-tool/2")
            .build()
            .unwrap();
        let agents: Vec<_> = c.inner.headers.get_all("user-agent").iter().collect();
        assert_eq!(agents, ["my-tool/2"]);
        assert_eq!(c.inner.headers.get("accept").unwrap(), "application/json");
    }

    #[test]
    fn credential_headers_do_not_double_the_auth() {
        let err = Client::builder("http://h")
            .auth(Auth::token("k", "s"))
            .header("Authorization", "token other:SECRET-X")
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Authorization") && err.contains("token"),
            "{err}"
        );
        assert!(!err.contains("SECRET-X"), "{err}");
        // A Guest client may carry its own, kept out of logs.
        let c = Client::builder("http://h")
            .header("Cookie", "sid=SECRET-X")
            .build()
            .unwrap();
        assert!(c.inner.headers.get("cookie").unwrap().is_sensitive());
        // ... and masked where a server echoes it, like an auth's credentials.
        assert_eq!(
            c.inner.session.mask().str("echo: sid=SECRET-X; SECRET-X"),
            "echo: ***; ***"
        );
        let c = Client::builder("http://h")
            .header("Authorization", "token k:SECRET-Y")
            .build()
            .unwrap();
        assert_eq!(
            c.inner
                .session
                .mask()
                .str("Authorization: token k:SECRET-Y, SECRET-Y"),
            "Authorization: ***, ***"
        );
        // base64("k:SECRET-Z")
        let c = Client::builder("http://h")
            .header("Authorization", "Basic azpTRUNSRVQtWg==")
            .build()
            .unwrap();
        assert_eq!(
            c.inner.session.mask().str("azpTRUNSRVQtWg== SECRET-Z"),
            "*** ***"
        );
    }

    #[test]
    fn bad_header_is_named() {
        let err = Client::builder("http://h")
            .header("X-Bad Name", "v")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("X-Bad Name"), "{err}");
    }

    #[test]
    fn client_and_its_futures_can_cross_threads() {
        fn send_sync<T: Send + Sync>(_: &T) {}
        fn send<T: Send>(_: T) {}
        let c = Client::builder("http://h").build().unwrap();
        send_sync(&c);
        // Futures and streams are Send, so they can be spawned on a multi-threaded runtime.
        send(c.ping());
        send(c.doctype("ToDo").list().send());
        send(c.doctype("ToDo").list().stream());
        send(c.doctype("ToDo").insert(&serde_json::json!({})));
        send(c.login());
    }

    #[test]
    fn builder_debug_shows_no_header_values() {
        let b = Client::builder("http://h")
            .auth(Auth::password("u", "PW-123"))
            .header("X-Api-Secret", "HDR-SECRET");
        let shown = format!("{b:?}");
        assert!(shown.contains("X-Api-Secret"), "{shown}");
        assert!(
            !shown.contains("HDR-SECRET") && !shown.contains("PW-123"),
            "{shown}"
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let c = Client::builder("http://h")
            .auth(Auth::token("k", "VERYSECRET"))
            .build()
            .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("VERYSECRET"));
        assert!(shown.contains("token"));
    }
}
