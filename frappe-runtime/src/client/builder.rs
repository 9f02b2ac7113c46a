//! [`ClientBuilder`]: a consuming builder; every setting is checked in [`ClientBuilder::build`],
//! which names the setting at fault.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    ACCEPT, AUTHORIZATION, COOKIE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use url::Url;

use crate::auth::{Auth, SessionState};
use crate::client::rate::{Limiter, RateLimit};
use crate::client::{ApiVersion, Client, Inner};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::validation::Validation;

/// Default cap on requests in flight at once per client.
pub const DEFAULT_MAX_CONCURRENCY: usize = 16;

/// Default time allowed for one attempt: 30 s (see [`ClientBuilder::timeout`]).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default time allowed for a whole call, retries included: 60 s (see
/// [`ClientBuilder::deadline`]).
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

/// Default cap on one response body: 256 MiB (see [`ClientBuilder::max_response_bytes`]).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 << 20;

/// Builds a [`Client`]. Start with [`Client::builder`].
///
/// Defaults: [`Auth::Guest`], [`DEFAULT_TIMEOUT`] per attempt, [`DEFAULT_DEADLINE`] per call,
/// 10 s connect timeout, [`DEFAULT_MAX_RESPONSE_BYTES`] per response, user agent
/// `frappe-rs/<version>`, at most [`DEFAULT_MAX_CONCURRENCY`] requests in flight,
/// [`RetryPolicy::default`], redirects followed only for GET and HEAD within the site's origin
/// (see [`ClientBuilder::http_client`]).
#[must_use = "a builder does nothing until .build() is called"]
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    auth: Auth,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
    user_agent: String,
    headers: Vec<(String, String)>,
    max_concurrency: usize,
    rate_limit: Option<RateLimit>,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    api: ApiVersion,
    validation: Validation,
    compact_rows: bool,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values are left out: a caller may (against the advice) put a credential there;
        // so may the base URL (`user:pw@`, `?api_secret=`), refused only by `build`.
        f.debug_struct("ClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("max_concurrency", &self.max_concurrency)
            .field("retry", &self.retry)
            .field("api", &self.api)
            .field("validation", &self.validation)
            .field("compact_rows", &self.compact_rows)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    pub(crate) fn new(base_url: impl AsRef<str>) -> Self {
        Self {
            base_url: base_url.as_ref().to_owned(),
            auth: Auth::Guest,
            timeout: Some(DEFAULT_TIMEOUT),
            deadline: Some(DEFAULT_DEADLINE),
            connect_timeout: Some(Duration::from_secs(10)),
            max_response_bytes: Some(DEFAULT_MAX_RESPONSE_BYTES),
            user_agent: concat!("frappe-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
            headers: Vec::new(),
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            rate_limit: None,
            retry: RetryPolicy::default(),
            http: None,
            api: ApiVersion::V1,
            validation: Validation::default(),
            compact_rows: true,
        }
    }

    /// How to authenticate (default [`Auth::Guest`]).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Time allowed for one attempt: connecting, sending, following redirects and reading the
    /// whole answer. A timed-out GET, HEAD, PUT or DELETE is retried (within the
    /// [`deadline`](Self::deadline)); a timed-out POST is not, and its error says it may have
    /// been processed ([`Error::maybe_committed`]). `None`: no per-attempt limit.
    ///
    /// Default [`DEFAULT_TIMEOUT`], 30 s: a Frappe request normally answers in well under a
    /// second, and work that takes longer belongs in a background job (prepared reports,
    /// `frappe.enqueue`); 30 s leaves room for a slow report or a large list, and for a second
    /// attempt within the default deadline when the first one hangs. Raise it (or set `None`)
    /// for a client that calls long-running methods.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// Time allowed for a whole call: waiting for a free slot ([`max_concurrency`]), logging in,
    /// every attempt and every wait between retries. A retry whose wait would end after the
    /// deadline is not started; the call fails with [`Error::Timeout`]
    /// ([`TimeLimit::Deadline`](crate::TimeLimit::Deadline)), keeping the last attempt's error.
    /// `None`: attempts and retries alone bound the call.
    ///
    /// Default [`DEFAULT_DEADLINE`], 60 s: a person at a terminal, or a request handler calling
    /// Frappe, wants an answer or an error within a minute; before, a site that accepted
    /// connections and never answered held a GET for 3 × 60 s. A stream of list pages gets the
    /// deadline per page, not for the whole stream.
    ///
    /// [`max_concurrency`]: Self::max_concurrency
    pub fn deadline(mut self, deadline: impl Into<Option<Duration>>) -> Self {
        self.deadline = deadline.into();
        self
    }

    /// The largest response body the client reads, in bytes; a larger one fails with
    /// [`Error::ResponseTooLarge`], detected from `Content-Length` before reading when the
    /// server announces it, otherwise as soon as the bytes read pass the cap. It applies to
    /// every response, error pages and [`Client::download`] included (downloads are held in
    /// memory whole). `None`: no cap.
    ///
    /// Default [`DEFAULT_MAX_RESPONSE_BYTES`], 256 MiB: five times a 100,000-row list at the
    /// ~500 bytes a row of `fields=["*"]` ToDo takes (50 MB; use [`ListRequest::stream`] for
    /// more), and ten times Frappe's default upload limit (`max_file_size`, 25 MiB), while a
    /// broken or hostile server sending without end stops there instead of exhausting memory.
    ///
    /// [`ListRequest::stream`]: crate::ListRequest::stream
    pub fn max_response_bytes(mut self, limit: impl Into<Option<u64>>) -> Self {
        self.max_response_bytes = limit.into();
        self
    }

    /// Time allowed to establish a connection. `None`: no limit.
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// An extra header sent with every request, e.g. `X-Frappe-Site-Name`. An explicit `Accept`
    /// or `User-Agent` replaces the default. Do not put credentials here: use
    /// [`ClientBuilder::auth`], which keeps them out of logs; `Authorization` or `Cookie` headers
    /// are refused by [`build`](Self::build) unless the auth is [`Auth::Guest`] (and are then
    /// marked sensitive).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Selects the site on a multi-tenant bench (`X-Frappe-Site-Name`).
    pub fn site_name(self, site: impl Into<String>) -> Self {
        self.header("X-Frappe-Site-Name", site)
    }

    /// At most `n` requests of this client (and its clones) in flight at once; more wait.
    /// `0` is treated as 1; `usize::MAX` means no practical cap.
    pub fn max_concurrency(mut self, n: usize) -> Self {
        // tokio's semaphore panics above MAX_PERMITS (usize::MAX >> 3).
        self.max_concurrency = n.clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
        self
    }

    /// At most this many requests per second from this client and its clones (every attempt
    /// counts: retries, logins, token refreshes), waiting asynchronously for a slot; combined
    /// with [`max_concurrency`](Self::max_concurrency). The wait counts toward the
    /// [`deadline`](Self::deadline). Default: none.
    pub fn rate_limit(mut self, limit: impl Into<Option<RateLimit>>) -> Self {
        self.rate_limit = limit.into();
        self
    }

    /// How transient failures of idempotent requests are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Which REST API generation to use (default [`ApiVersion::V1`], which every v15 site
    /// serves; see [`ApiVersion`]).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.api = version;
        self
    }

    /// How much typed inserts and updates (`insert`, `create`, `update`, `insert_many`,
    /// `update_many` on [`Client`]) are checked against the document type's rules from the
    /// metadata before anything is sent (see [`validation`](crate::validation)). A document
    /// that breaks them fails with [`Error::Invalid`], listing every problem by field, and
    /// nothing is sent. Untyped calls ([`Resource`](crate::Resource)) are never checked.
    ///
    /// Default [`Validation::Values`]: lengths, integer ranges and non-negative numbers, each a
    /// check Frappe's own save makes on the same field, so the client only saves a round trip
    /// and reports every problem instead of the server's first (unless a controller shortens
    /// the value before Frappe checks it, see [`Validation`]). [`Validation::Full`] also
    /// requires mandatory fields and checks Select options, right unless a controller fills
    /// fields in on the server (ERPNext does) or the site has options the bindings lack;
    /// [`Validation::Off`] checks nothing.
    /// [`Client::with_validation`] changes it for one handle.
    pub fn validation(mut self, level: Validation) -> Self {
        self.validation = level;
        self
    }

    /// Whether v1 lists ask for their rows as lists of values (`as_dict=0`) when the values are
    /// known to line up with the fields asked for: plain field names, each once, none that
    /// Frappe drops when the table lacks it (a name containing `_assign`, `_comments`,
    /// `_liked_by`, `_seen` or `_user_tags`), no `group_by`. A typed list's own fields qualify.
    /// Each row is still decoded as the object of those fields, so row types see no difference
    /// (but one: a field the site withholds, which an object row leaves out, may come as `null`);
    /// the body is about half the size (2.06 MB instead of 4.45 MB for 10,000 ToDo rows) and the
    /// site writes it faster. When the site leaves a value out (a field above the user's
    /// permission level), the rows are asked for again as objects, and that DocType's list of
    /// fields asks for objects from then on. Default on; off, every list asks for objects, as
    /// [`ApiVersion::V2`] lists always do (v2 has no `as_dict`).
    pub fn compact_rows(mut self, on: bool) -> Self {
        self.compact_rows = on;
        self
    }

    /// Uses a preconfigured `reqwest::Client` (proxies, custom TLS roots). The builder's
    /// timeout, deadline, response cap, user agent and headers still apply; connection settings
    /// (including the connect timeout) come from `http`.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: the client follows
    /// redirects itself, by its own rule (GET and HEAD only, same origin only), but cannot stop
    /// a `reqwest::Client` that follows them on its own — reqwest's default policy re-sends a
    /// 307/308 body (a login's password, a document) to whatever host the redirect names, and
    /// keeps the `Authorization` header on an https→http redirect to the same host and port.
    /// When such a client ends up somewhere the rule does not allow, the call fails with
    /// [`Error::Redirect`] ([`RedirectReason::FollowedByHttpClient`]) instead of returning that
    /// answer, but what was sent on the way cannot be taken back.
    ///
    /// [`RedirectReason::FollowedByHttpClient`]: crate::RedirectReason::FollowedByHttpClient
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the settings and builds the client. Nothing is sent yet (password login happens on
    /// the first request or on [`Client::login`]).
    pub fn build(self) -> Result<Client> {
        let base = parse_base_url(&self.base_url)?;
        let mut headers = HeaderMap::new();
        // A Guest client's own credential headers: masked in server texts like the auth's.
        let mut header_secrets = Vec::new();
        for (name, value) in &self.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidInput(format!("invalid header name {name:?}")))?;
            let mut header_value = HeaderValue::from_str(value)
                .map_err(|_| Error::InvalidInput(format!("invalid value for header {name:?}")))?;
            if header_name == AUTHORIZATION || header_name == COOKIE {
                // Sent next to the auth's own header, the site would see two credentials.
                if !matches!(self.auth, Auth::Guest) {
                    return Err(Error::InvalidInput(format!(
                        "header {name:?} conflicts with the client's {} auth; give credentials \
                         with ClientBuilder::auth only",
                        self.auth.kind()
                    )));
                }
                header_value.set_sensitive(true);
                header_secrets.extend(header_credentials(&header_name, value));
            }
            headers.append(header_name, header_value);
        }
        // Defaults only where the caller did not set the header: an explicit `header(..)` is
        // never silently replaced.
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        }
        if !headers.contains_key(USER_AGENT) {
            let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
                Error::InvalidInput(format!("invalid user agent {:?}", self.user_agent))
            })?;
            headers.insert(USER_AGENT, user_agent);
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                // Redirects are followed by the client's own rule (`client::redirect`).
                let mut b = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build().map_err(|e| {
                    Error::InvalidInput(format!("cannot build the HTTP client: {e}"))
                })?
            }
        };
        let semaphore = tokio::sync::Semaphore::new(self.max_concurrency);
        let limiter = self
            .rate_limit
            .map(Limiter::new)
            .transpose()
            .map_err(Error::InvalidInput)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                headers,
                timeout: self.timeout,
                deadline: self.deadline,
                max_response_bytes: self.max_response_bytes,
                semaphore,
                retry: self.retry,
                session: SessionState::new(self.auth).with_extra_secrets(header_secrets),
                counters: Default::default(),
                limiter,
                compact_rows: self.compact_rows,
                misaligned: Default::default(),
            }),
            api: self.api,
            validation: self.validation,
        })
    }
}

/// The secret parts of an `Authorization` or `Cookie` header value: the whole value, the
/// credential after the scheme, the secret of a `token key:secret` or `Basic base64(key:secret)`
/// pair, and a `sid` cookie's value.
fn header_credentials(name: &HeaderName, value: &str) -> Vec<String> {
    use base64::Engine as _;
    let mut secrets = vec![value.to_owned()];
    if name == AUTHORIZATION {
        if let Some((scheme, credential)) = value.trim().split_once(' ') {
            let credential = credential.trim();
            secrets.push(credential.to_owned());
            let pair = if scheme.eq_ignore_ascii_case("basic") {
                base64::engine::general_purpose::STANDARD
                    .decode(credential)
                    .ok()
                    .and_then(|raw| String::from_utf8(raw).ok())
            } else if scheme.eq_ignore_ascii_case("token") {
                Some(credential.to_owned())
            } else {
                None
            };
            if let Some((_, secret)) = pair.as_deref().and_then(|p| p.split_once(':')) {
                secrets.push(secret.to_owned());
            }
        }
    } else {
        secrets.extend(
            value
                .split(';')
                .filter_map(|pair| pair.trim().strip_prefix("sid="))
                .map(str::to_owned),
        );
    }
    secrets
}

/// Accepts `https://host`, `https://host/`, `http://127.0.0.1:8000/site/`; rejects credentials in
/// the URL (they would end up in logs), other schemes, queries and fragments.
pub(crate) fn parse_base_url(raw: &str) -> Result<Url> {
    let trimmed = raw.trim();
    let url = Url::parse(trimmed).map_err(|e| {
        Error::InvalidInput(format!("invalid base URL {:?}: {e}", redact_url(trimmed)))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::InvalidInput(format!(
            "base URL must be http or https, got {:?}",
            url.scheme()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::InvalidInput(
            "base URL must not contain credentials; use ClientBuilder::auth".to_owned(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        // The query itself is not shown: `?api_key=..&api_secret=..` is a likely mistake here.
        let mut shown = url.clone();
        shown.set_query(None);
        shown.set_fragment(None);
        return Err(Error::InvalidInput(format!(
            "base URL must not have a query or fragment: {shown}?…"
        )));
    }
    if url.cannot_be_a_base() {
        return Err(Error::InvalidInput(format!(
            "invalid base URL {:?}",
            redact_url(trimmed)
        )));
    }
    Ok(url)
}

/// `raw` for an error message: whatever sits between `scheme://` and the last `@` (user and
/// password) and everything from `?` or `#` on are replaced, because the text did not parse as
/// a URL and may still carry credentials. The user info goes first: a password may contain `#`
/// or `?` (`https://user:pa#ss@host:99999/`), and an `@` in the query only hides more.
pub(crate) fn redact_url(raw: &str) -> String {
    let (scheme, rest) = match raw.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, raw),
    };
    let (user_info, rest) = match rest.rsplit_once('@') {
        Some((_, host)) => (true, host),
        None => (false, rest),
    };
    let (rest, had_query) = match rest.find(['?', '#']) {
        Some(i) => (&rest[..i], true),
        None => (rest, false),
    };
    let rest = if user_info {
        format!("***@{rest}")
    } else {
        rest.to_owned()
    };
    let mut out = match scheme {
        Some(scheme) => format!("{scheme}://{rest}"),
        None => rest,
    };
    if had_query {
        out.push_str("?…");
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::Client;

    #[test]
    fn documented_defaults_are_the_real_ones() {
        let c = Client::builder("http://h").build().unwrap();
        assert_eq!(c.inner.timeout, Some(Duration::from_secs(30)));
        assert_eq!(c.inner.deadline, Some(Duration::from_secs(60)));
        assert_eq!(c.inner.max_response_bytes, Some(256 * 1024 * 1024));
    }
}
