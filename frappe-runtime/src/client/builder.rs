//! [`ClientBuilder`]: a consuming builder; every setting is checked in [`ClientBuilder::build`],
//! which names the setting at fault.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    ACCEPT, AUTHORIZATION, COOKIE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use url::Url;

use crate::auth::{Auth, SessionState};
use crate::client::{ApiVersion, Client, Inner};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;

/// Default cap on requests in flight at once per client.
pub const DEFAULT_MAX_CONCURRENCY: usize = 16;

/// Builds a [`Client`]. Start with [`Client::builder`].
///
/// Defaults: [`Auth::Guest`], 60 s request timeout, 10 s connect timeout, user agent
/// `frappe-rs/<version>`, at most [`DEFAULT_MAX_CONCURRENCY`] requests in flight,
/// [`RetryPolicy::default`].
#[must_use = "a builder does nothing until .build() is called"]
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    auth: Auth,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    headers: Vec<(String, String)>,
    max_concurrency: usize,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    api: ApiVersion,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values are left out: a caller may (against the advice) put a credential there.
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("max_concurrency", &self.max_concurrency)
            .field("retry", &self.retry)
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    pub(crate) fn new(base_url: impl AsRef<str>) -> Self {
        Self {
            base_url: base_url.as_ref().to_owned(),
            auth: Auth::Guest,
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            user_agent: concat!("frappe-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
            headers: Vec::new(),
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            retry: RetryPolicy::default(),
            http: None,
            api: ApiVersion::V1,
        }
    }

    /// How to authenticate (default [`Auth::Guest`]).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Total time allowed for one request attempt, including reading the body. `None`: no limit.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
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

    /// Uses a preconfigured `reqwest::Client` (proxies, custom TLS roots). The builder's
    /// timeouts, user agent and headers are then still applied per request where reqwest allows
    /// (timeout, headers); connection settings come from `http`.
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
                let mut b = reqwest::Client::builder();
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build().map_err(|e| {
                    Error::InvalidInput(format!("cannot build the HTTP client: {e}"))
                })?
            }
        };
        let semaphore = tokio::sync::Semaphore::new(self.max_concurrency);
        Ok(Client(
            Arc::new(Inner {
                http,
                base,
                headers,
                timeout: self.timeout,
                semaphore,
                retry: self.retry,
                session: SessionState::new(self.auth).with_extra_secrets(header_secrets),
            }),
            self.api,
        ))
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

/// `raw` for an error message: whatever sits between `scheme://` and an `@` (user and
/// password) and everything from `?` or `#` on are replaced, because the text did not parse as
/// a URL and may still carry credentials.
fn redact_url(raw: &str) -> String {
    let (scheme, rest) = match raw.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, raw),
    };
    let (rest, had_query) = match rest.find(['?', '#']) {
        Some(i) => (&rest[..i], true),
        None => (rest, false),
    };
    let rest = match rest.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => rest.to_owned(),
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
