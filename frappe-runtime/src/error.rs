//! The crate's one error type, [`Error`], and [`Result`].
//!
//! Responses map by status first (401, 403, 404, 409, 413, 417, 429, 5xx; a 2xx whose body
//! carries Frappe's error keys is [`Error::Api`]), then by body kind: a
//! JSON Frappe error keeps its `exc_type` and messages in an [`ApiError`]; a non-JSON page (a proxy's
//! 502, werkzeug's 405 or HTML 404) becomes [`Error::ErrorPage`]. Display strings never contain a
//! traceback or any credential, and show at most [`ApiError::DISPLAY_MAX_CHARS`] characters of a
//! server's message (the [`ApiError`] fields keep the whole text).
//!
//! Failures of the exchange itself have their own variants: [`Error::Transport`] (connection),
//! [`Error::Timeout`] (a [`TimeLimit`] ran out), [`Error::Redirect`] (a redirect the client did
//! not follow) and [`Error::ResponseTooLarge`]. [`Error::maybe_committed`] tells whether a failed
//! request may have taken effect, so that a write known not to have been sent can be sent again.

use std::time::Duration;

use crate::api_error::{ApiError, Limited, LimitedDebug};

/// `Result<T, frappe_runtime::Error>` (feature `client`, on by default).
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong talking to a Frappe site. (Feature `client`, on by default; the
/// types alone report an [`InputError`](crate::InputError), which converts into
/// [`Error::InvalidInput`].)
///
/// Match on the variant for the common cases, or use the predicates ([`Error::is_not_found`],
/// [`Error::exc_type`], ...) that look through to the carried [`ApiError`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401: bad credentials (wrong key/secret, wrong password, expired token).
    #[error("unauthorized: {0}")]
    Unauthorized(Box<ApiError>),
    /// 403: not permitted (includes requests that arrive as Guest).
    #[error("forbidden: {0}")]
    Forbidden(Box<ApiError>),
    /// The login session expired (403 with `session_expired: 1`), or a bearer token was rejected
    /// (401, with a refresh token configured), and the request could not be replayed: it was not
    /// idempotent — the client has logged in again / refreshed the token, so a retry by the
    /// caller runs with the new credential — or it failed again after renewal.
    #[error("the session expired; the request was not replayed")]
    SessionExpired,
    /// A password client was logged out with [`Client::logout`](crate::Client::logout) and has not
    /// logged in again: it does not log in by itself after a logout, so that a logout means what
    /// it says. Call [`Client::login`](crate::Client::login) to start a new session. Detected
    /// before anything was sent.
    #[error("logged out: call Client::login() to start a new session")]
    LoggedOut,
    /// 404: unknown document, DocType or route.
    #[error("not found: {0}")]
    NotFound(Box<ApiError>),
    /// 409: a document with that name already exists.
    #[error("duplicate: {0}")]
    Duplicate(Box<ApiError>),
    /// 417: validation failed (`MandatoryError`, `LinkValidationError`,
    /// `TimestampMismatchError`, `DataError`, ...; see [`ApiError::exc_type`]).
    #[error("validation failed: {0}")]
    Validation(Box<ApiError>),
    /// 413: the request body (usually an upload) exceeds the site's size limit.
    #[error("payload too large: {0}")]
    PayloadTooLarge(Box<ApiError>),
    /// 429: rate limited. `retry_after` is the server's `Retry-After`, when it sent one.
    #[error("rate limited (retry after {retry_after:?}): {error}")]
    RateLimited {
        /// The decoded response.
        error: Box<ApiError>,
        /// How long the server asked the client to wait.
        retry_after: Option<Duration>,
        /// Whether an earlier attempt of the same call may have reached the site (e.g. a
        /// GET retried after a 504); the 429 itself proves its own attempt was not
        /// processed. See [`Error::maybe_committed`].
        sent: bool,
    },
    /// 5xx with a Frappe JSON error body; `exc_type` and traceback are kept.
    #[error("server error: {0}")]
    Server(Box<ApiError>),
    /// Any other error status with a Frappe JSON body (400 CSRF/bad Authorization header, 410,
    /// 415, ...).
    ///
    /// Also a success status whose JSON body carries Frappe's error keys (`exc_type` or
    /// `exception` in v1, a non-empty `errors` in v2), with [`ApiError::status`] the status
    /// received (200): Frappe answers an exception with its class's `http_status_code`, which is
    /// 200 for `frappe.exceptions.RequestToken` and for any app exception that sets it so. Not
    /// a validation failure (Frappe's validation errors answer 417), it is reported as is,
    /// whatever type the call decodes to.
    #[error("request failed: {0}")]
    Api(Box<ApiError>),
    /// An error status whose body is not JSON: an HTML page from a proxy (502), werkzeug (405,
    /// 404 for a missing route) or an empty body.
    #[error("error page: {0}")]
    ErrorPage(Box<ApiError>),
    /// The request did not complete: connection refused, TLS, connection dropped, ... (timeouts
    /// of the client's own limits are [`Error::Timeout`]; those of a user-supplied
    /// `reqwest::Client` land here).
    #[error("{method} {path}: {}", describe_transport(source, *sent))]
    Transport {
        /// HTTP method.
        method: String,
        /// URL path (no query, no credentials).
        path: String,
        /// The underlying error, with its URL removed.
        #[source]
        source: reqwest::Error,
        /// Whether the request may have reached the site: by this attempt (unless `source`
        /// proves it was not sent), or by an earlier attempt of the same call (e.g. a retried
        /// GET that first got a 504, then a refused connection). See [`Error::maybe_committed`].
        sent: bool,
    },
    /// A time limit ran out: one attempt exceeded [`ClientBuilder::timeout`], or the whole call
    /// exceeded [`ClientBuilder::deadline`] (see [`TimeoutError`]).
    ///
    /// [`ClientBuilder::timeout`]: crate::ClientBuilder::timeout
    /// [`ClientBuilder::deadline`]: crate::ClientBuilder::deadline
    #[error(transparent)]
    Timeout(Box<TimeoutError>),
    /// The site answered with a redirect the client did not follow: the request was not a GET
    /// or HEAD, or the `Location` is on another origin, or there were too many hops (see
    /// [`RedirectError`]). Nothing was sent to the `Location`.
    #[error(transparent)]
    Redirect(Box<RedirectError>),
    /// The response body is larger than [`ClientBuilder::max_response_bytes`]; reading stopped
    /// there (or before reading, when `Content-Length` announced more).
    ///
    /// [`ClientBuilder::max_response_bytes`]: crate::ClientBuilder::max_response_bytes
    #[error(
        "{method} {path}: the response is larger than {limit} bytes \
         (ClientBuilder::max_response_bytes)"
    )]
    ResponseTooLarge {
        /// HTTP method.
        method: String,
        /// URL path (no query, no credentials).
        path: String,
        /// The cap that was exceeded, in bytes.
        limit: u64,
    },
    /// A success response whose body did not match the expected type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// An OAuth2 error (see [`OAuthError`](crate::oauth::OAuthError)): the token endpoint
    /// refused a grant (`invalid_grant`: the code or refresh token is invalid, expired, revoked
    /// or already used; `invalid_client`: unknown `client_id`; ...), the authorization redirect
    /// carried an error (`access_denied`), or the `state` it returned did not match (nothing
    /// sent). A bearer client whose refresh fails this way returns it too.
    #[error("{0}")]
    OAuth(Box<crate::oauth::OAuthError>),
    /// The document breaks its DocType's rules as the client knows them from the metadata
    /// (mandatory fields, lengths, integer ranges, non-negative numbers, Select options; see
    /// [`validation`](crate::validation)): every problem, by field. Nothing was sent. How much
    /// is checked: [`ClientBuilder::validation`](crate::ClientBuilder::validation), or for one
    /// handle [`Client::with_validation`](crate::Client::with_validation).
    #[error("invalid document: {0}")]
    Invalid(Box<crate::validation::ValidationError>),
    /// Invalid input from the caller (empty DocType name, bad base URL, ...), detected before
    /// anything was sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// `insert_many`'s first chunk, when nothing else was sent, got back a different number of
    /// names than it sent documents (Frappe answers one name per document, in order), so the
    /// names can no longer be lined up with the documents. Carries the chunk, its documents and
    /// the names it answered. (Otherwise it is a failure inside [`Error::PartialInsert`].)
    #[error("{0}")]
    InsertMismatch(Box<crate::insert_many::InsertMismatch>),
    /// `insert_many` failed part-way: which documents were inserted (by name), which chunks
    /// failed and why, and which documents were never sent.
    #[error("{0}")]
    PartialInsert(Box<crate::insert_many::PartialInsert>),
    /// A bulk job ([`crate::bulk_job`]) could not confirm that a document reached the action's
    /// target state, and sent no individual attempt that would say why (an update, a timeout,
    /// a document in another state). The job may have applied it after all.
    #[error("{0}")]
    NotConfirmed(Box<crate::bulk_job::NotConfirmed>),
}

impl From<crate::validation::ValidationError> for Error {
    fn from(e: crate::validation::ValidationError) -> Self {
        Error::Invalid(Box::new(e))
    }
}

/// A response body that did not decode into the requested type. `Debug` cuts the texts like
/// `Display` does.
#[derive(Clone, thiserror::Error)]
#[error(
    "cannot decode {} {method} {path} at `{}`: {} (body starts: {excerpt})",
    What(.doctype),
    Limited(.json_path, 200),
    Limited(.message, ApiError::DISPLAY_MAX_CHARS)
)]
#[non_exhaustive]
pub struct DecodeError {
    /// HTTP method of the request.
    pub method: String,
    /// URL path of the request.
    pub path: String,
    /// Where in the body decoding failed, e.g. `data[3].modified`.
    pub json_path: String,
    /// serde's message (which may quote the offending value; `Display` shows at most
    /// [`ApiError::DISPLAY_MAX_CHARS`] characters of it, this field keeps it whole).
    pub message: String,
    /// The first ~200 characters of the body.
    pub excerpt: String,
    /// The DocType the request was about, when it names one: a document or list of it (the
    /// path), or a `doctype` argument of a method.
    pub doctype: Option<String>,
}

/// `Sales Order data from` / `the response of`, for [`DecodeError`]'s message.
struct What<'a>(&'a Option<String>);

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(doctype) => write!(f, "{} data from", Limited(doctype, 140)),
            None => f.write_str("the response of"),
        }
    }
}

impl std::fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodeError")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("json_path", &LimitedDebug(&self.json_path, 200))
            .field(
                "message",
                &LimitedDebug(&self.message, ApiError::DISPLAY_MAX_CHARS),
            )
            .field("excerpt", &self.excerpt)
            .field("doctype", &self.doctype)
            .finish()
    }
}

/// Which time limit ran out (see [`Error::Timeout`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeLimit {
    /// One attempt (connecting, sending, redirects, reading the whole answer) took longer than
    /// [`ClientBuilder::timeout`](crate::ClientBuilder::timeout).
    Attempt(Duration),
    /// The call as a whole (waiting for a free slot, logging in, every attempt and every wait
    /// between them) took, or would have taken, longer than
    /// [`ClientBuilder::deadline`](crate::ClientBuilder::deadline).
    Deadline(Duration),
}

/// A call that ran out of time.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub struct TimeoutError {
    /// HTTP method.
    pub method: String,
    /// URL path (no query, no credentials).
    pub path: String,
    /// The limit that ran out.
    pub limit: TimeLimit,
    /// Attempts started; 0 when the deadline passed before the first one was sent (waiting for
    /// a free slot under [`ClientBuilder::max_concurrency`](crate::ClientBuilder::max_concurrency),
    /// or logging in).
    pub attempts: u32,
    /// The failure of the last attempt, when the deadline left no time to retry it (e.g. a 503
    /// whose `Retry-After` reaches past the deadline). [`Error::status`], [`Error::api_error`]
    /// and [`Error::retry_after`] look through to it.
    #[source]
    pub last: Option<Box<Error>>,
    /// Whether the request may have reached the site (see [`Error::maybe_committed`]).
    pub(crate) sent: bool,
}

impl std::fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self {
            method,
            path,
            attempts,
            ..
        } = self;
        match (self.limit, &self.last) {
            (TimeLimit::Attempt(limit), _) => write!(
                f,
                "{method} {path}: no complete answer within the {limit:?} timeout of attempt \
                 {attempts} (ClientBuilder::timeout)"
            ),
            (TimeLimit::Deadline(limit), Some(last)) => write!(
                f,
                "{method} {path}: the call's {limit:?} deadline (ClientBuilder::deadline) left no \
                 time to retry after attempt {attempts}: {last}"
            ),
            (TimeLimit::Deadline(limit), None) => write!(
                f,
                "{method} {path}: the call's {limit:?} deadline (ClientBuilder::deadline) passed \
                 after {attempts} attempt(s)"
            ),
        }
    }
}

/// A redirect the client refused to follow (see [`Error::Redirect`]).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{method} {path}: {} to {location} not followed: {reason}", match status {
    Some(s) => format!("redirect ({s})"),
    None => "redirect".to_owned(),
})]
#[non_exhaustive]
pub struct RedirectError {
    /// HTTP method of the request.
    pub method: String,
    /// URL path of the request (no query, no credentials).
    pub path: String,
    /// The redirect's status (301, 302, 303, 307, 308); `None` when a user-supplied
    /// `reqwest::Client` followed redirects itself and only where it ended up is known.
    pub status: Option<u16>,
    /// Where it pointed, resolved against the request URL, without user info, query or
    /// fragment (a removed query shows as `?…`).
    pub location: String,
    /// Why it was not followed.
    pub reason: RedirectReason,
}

/// Why a redirect was not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectReason {
    /// The request was not a GET or HEAD: a write is never re-sent elsewhere, nor turned into a
    /// GET whose answer would pass for the write's.
    NotGetOrHead,
    /// The `Location` is on another origin (scheme, host or port): credentials are only sent to
    /// the site's own origin, and never over a weaker scheme.
    OtherOrigin,
    /// The `Location` is on the site's origin but outside its base path (another site served
    /// from the same host, e.g. `/other-site/` for a client of `https://host/erp/`).
    OutsideBasePath,
    /// More same-origin hops than the client follows for one request (a loop).
    TooManyHops,
    /// The `Location` header is not a valid URL.
    InvalidLocation,
    /// A user-supplied `reqwest::Client` followed a redirect on its own, to a place the client
    /// would not have gone; its answer is not returned (see
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)).
    FollowedByHttpClient,
}

impl std::fmt::Display for RedirectReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotGetOrHead => "only GET and HEAD follow redirects",
            Self::OtherOrigin => "it leaves the site's origin (scheme, host, port)",
            Self::OutsideBasePath => "it leaves the site's base path",
            Self::TooManyHops => "too many redirects",
            Self::InvalidLocation => "the Location is not a valid URL",
            Self::FollowedByHttpClient => {
                "the user-supplied reqwest::Client followed it (build it with \
                 redirect::Policy::none())"
            }
        })
    }
}

impl Error {
    /// The message of an [`Error::InvalidInput`] without the "invalid input" prefix, to be
    /// wrapped into another input error's message (any other error as displayed).
    pub(crate) fn input_message(self) -> String {
        match self {
            Self::InvalidInput(message) => message,
            other => other.to_string(),
        }
    }

    /// The decoded API error, for every variant that carries one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Unauthorized(e)
            | Self::Forbidden(e)
            | Self::NotFound(e)
            | Self::Duplicate(e)
            | Self::Validation(e)
            | Self::PayloadTooLarge(e)
            | Self::Server(e)
            | Self::Api(e)
            | Self::ErrorPage(e)
            | Self::RateLimited { error: e, .. } => Some(e),
            Self::PartialInsert(p) => p.failed.first().and_then(|f| f.error.api_error()),
            Self::Timeout(t) => t.last.as_deref().and_then(Error::api_error),
            _ => None,
        }
    }

    /// The HTTP status, if a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::SessionExpired => Some(403),
            Self::Redirect(r) => r.status,
            Self::OAuth(e) => e.status,
            _ => self.api_error().map(|e| e.status),
        }
    }

    /// The OAuth2 error, for [`Error::OAuth`].
    pub fn oauth_error(&self) -> Option<&crate::oauth::OAuthError> {
        match self {
            Self::OAuth(e) => Some(e),
            _ => None,
        }
    }

    /// The server's exception class name, e.g. `Some("LinkValidationError")`.
    pub fn exc_type(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.exc_type.as_deref())
    }

    /// `true` for 404 (JSON or HTML).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// `true` for permission problems: 401, 403 and an expired session.
    pub fn is_permission(&self) -> bool {
        matches!(self.status(), Some(401 | 403))
    }

    /// `true` for 417 validation errors.
    pub fn is_validation(&self) -> bool {
        self.status() == Some(417)
    }

    /// `true` when the database gave up on the request's transaction because of concurrent
    /// writes: Frappe's `QueryDeadlockError` or `QueryTimeoutError` (MariaDB's deadlock and lock
    /// wait timeout; Frappe 15 answers them with 500). Common when several writers take numbers
    /// from one naming series at once. The database rolled the transaction back and Frappe
    /// rolls back a failed request, so the write did not happen, unless what it ran survives a
    /// rollback: a controller or hook that commits on its own, a schema change (which MariaDB
    /// commits at once), an effect outside the database. The client does not resend a write by
    /// itself ([`maybe_committed`](Self::maybe_committed) stays `true`): the caller knows its
    /// DocTypes ([`InsertMany::resend_deadlocked`](crate::InsertMany::resend_deadlocked)).
    pub fn is_deadlock(&self) -> bool {
        matches!(
            self.exc_type(),
            Some("QueryDeadlockError" | "QueryTimeoutError")
        )
    }

    /// `true` when repeating the same request later may succeed: connect errors and timeouts,
    /// 429, 502, 503, 504. (Whether the client retries also depends on the HTTP method, and on
    /// the time left before the deadline.)
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { source, .. } => source.is_timeout() || connection_unusable(source),
            Self::Timeout(_) => true,
            Self::PartialInsert(_) | Self::Redirect(_) => false,
            _ => matches!(self.status(), Some(429 | 502 | 503 | 504)),
        }
    }

    /// `false` only when the request certainly did not take effect on the site, so that even a
    /// write can be sent again safely; `true` whenever it may have (unknown counts as "may").
    ///
    /// `false` for: invalid input, a client logged out with
    /// [`Client::logout`](crate::Client::logout) and an [`Error::OAuth`] without a status (a
    /// `state` mismatch, an error the authorization redirect carried) (nothing sent); a connection that could not be established
    /// (refused, DNS, TLS handshake, connect timeout); a connection the server closed before
    /// any of the request was written (hyper hands such a request back unsent); a deadline that
    /// passed before the request was sent; 429 (Frappe's rate limiter refuses before running anything); an expired session
    /// (the site ran the request as Guest and refused it with 403, rolling back). `true` for
    /// everything else: a connection lost or a timeout after the request went out, any other
    /// error response (a Frappe method may commit before it fails, and a proxy's 502/504 says
    /// nothing about the worker behind it), a redirect, a success whose body could not be read
    /// or decoded.
    ///
    /// A retried request counts every attempt: when an earlier one may have taken effect (a 504,
    /// an attempt timeout), the call's error says so too, even if the last attempt was refused,
    /// rate limited or ran out of time before it was sent. (Writes are not retried after such a
    /// failure at all; see [`RetryPolicy`](crate::RetryPolicy).)
    pub fn maybe_committed(&self) -> bool {
        match self {
            Self::InvalidInput(_) | Self::Invalid(_) | Self::SessionExpired | Self::LoggedOut => {
                false
            }
            // Answered by the site, or (no status) refused before sending.
            Self::OAuth(e) => e.status.is_some(),
            Self::RateLimited { sent, .. } | Self::Transport { sent, .. } => *sent,
            Self::Timeout(t) => t.sent,
            _ => true,
        }
    }

    /// This error, as the end of a call one of whose earlier attempts may have reached the
    /// site (`sent`), so that [`maybe_committed`](Self::maybe_committed) says so.
    pub(crate) fn after_attempts(mut self, sent: bool) -> Self {
        if sent {
            match &mut self {
                Self::RateLimited { sent, .. } | Self::Transport { sent, .. } => *sent = true,
                Self::Timeout(t) => t.sent = true,
                _ => {}
            }
        }
        self
    }

    /// The server's `Retry-After`: for [`Error::RateLimited`], and for any other error response
    /// that carried one (typically a 503).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => self.api_error().and_then(|e| e.retry_after),
        }
    }

    /// The error a response with this status and body maps to.
    #[cfg(test)]
    pub(crate) fn from_response(
        status: u16,
        content_type: Option<&str>,
        retry_after: Option<Duration>,
        body: &[u8],
    ) -> Self {
        let mut api = ApiError::from_body(status, content_type, body);
        api.retry_after = retry_after;
        Self::from_api_error(api)
    }

    /// The error a decoded response maps to: by status (`api.status`), then by body kind.
    pub(crate) fn from_api_error(api: ApiError) -> Self {
        let (status, retry_after) = (api.status, api.retry_after);
        let is_json = api.is_json();
        let boxed = Box::new(api);
        match status {
            401 => Self::Unauthorized(boxed),
            403 if boxed.session_expired => Self::SessionExpired,
            413 => Self::PayloadTooLarge(boxed),
            429 => Self::RateLimited {
                error: boxed,
                retry_after,
                sent: false,
            },
            _ if !is_json => Self::ErrorPage(boxed),
            403 => Self::Forbidden(boxed),
            404 => Self::NotFound(boxed),
            409 => Self::Duplicate(boxed),
            417 => Self::Validation(boxed),
            500..=599 => Self::Server(boxed),
            _ => Self::Api(boxed),
        }
    }

    pub(crate) fn transport(method: &reqwest::Method, path: &str, err: reqwest::Error) -> Self {
        Self::Transport {
            method: method.to_string(),
            path: path.to_owned(),
            sent: !never_sent(&err),
            source: err.without_url(),
        }
    }
}

/// reqwest's message ("error sending request") with its innermost cause ("Connection refused")
/// and whether the request may have reached the site (`sent`: by this or an earlier attempt).
fn describe_transport(err: &reqwest::Error, sent: bool) -> String {
    let mut text = err.to_string();
    let mut cause = None;
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        cause = Some(e.to_string());
        source = e.source();
    }
    if let Some(cause) = cause.filter(|c| !text.contains(c.as_str())) {
        text.push_str(": ");
        text.push_str(&cause);
    }
    text.push_str(match (never_sent(err), sent) {
        (false, _) => " (may have reached the site)",
        (true, true) => " (not sent; an earlier attempt may have reached the site)",
        (true, false) => " (not sent)",
    });
    text
}

/// Whether reqwest's error proves that nothing of the request was sent: it could not be built,
/// or the connection could not be established or was lost before a byte was written.
fn never_sent(err: &reqwest::Error) -> bool {
    err.is_builder() || connection_unusable(err)
}

/// The connection could not be established (refused, DNS, TLS handshake, connect timeout), or
/// hyper canceled the request before writing a byte: its dispatcher saw the connection closed
/// while the request was still queued, and hands such a request back. Anything else — a reset
/// or close while writing or while waiting for the answer — may have reached the server.
fn connection_unusable(err: &reqwest::Error) -> bool {
    if err.is_connect() {
        return true;
    }
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        if e.downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_canceled)
        {
            return true;
        }
        source = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(status: u16, body: &str) -> Error {
        Error::from_response(status, Some("application/json"), None, body.as_bytes())
    }

    #[test]
    fn status_mapping() {
        type Is = fn(&Error) -> bool;
        let cases: [(u16, &str, Is); 7] = [
            (401, "AuthenticationError", |e| {
                matches!(e, Error::Unauthorized(_))
            }),
            (403, "PermissionError", |e| matches!(e, Error::Forbidden(_))),
            (404, "DoesNotExistError", |e| {
                matches!(e, Error::NotFound(_))
            }),
            (409, "DuplicateEntryError", |e| {
                matches!(e, Error::Duplicate(_))
            }),
            (417, "LinkValidationError", |e| {
                matches!(e, Error::Validation(_))
            }),
            (500, "JSONDecodeError", |e| matches!(e, Error::Server(_))),
            (400, "CSRFTokenError", |e| matches!(e, Error::Api(_))),
        ];
        for (status, exc, is) in cases {
            let e = json(status, &format!(r#"{{"exc_type":"{exc}"}}"#));
            assert!(is(&e), "{status} {exc}: {e:?}");
        }
        // The session flag wins over the plain 403.
        let expired = json(403, r#"{"exc_type":"PermissionError","session_expired":1}"#);
        assert!(matches!(expired, Error::SessionExpired), "{expired:?}");
    }

    #[test]
    fn deadlocks_are_told_apart() {
        for body in [
            r#"{"exc_type":"QueryDeadlockError","exception":"frappe.exceptions.QueryDeadlockError: (1213, 'Deadlock found')"}"#,
            r#"{"exc_type":"QueryTimeoutError"}"#,
        ] {
            let e = json(500, body);
            assert!(e.is_deadlock(), "{e:?}");
            assert!(e.maybe_committed() && !e.is_retryable(), "{e:?}");
        }
        assert!(!json(500, r#"{"exc_type":"ProgrammingError"}"#).is_deadlock());
        assert!(!json(417, r#"{"exc_type":"ValidationError"}"#).is_deadlock());
    }

    #[test]
    fn non_json_pages() {
        let page = |status| {
            Error::from_response(
                status,
                Some("text/html"),
                None,
                b"<html><title>Bad Gateway</title></html>",
            )
        };
        assert!(matches!(page(502), Error::ErrorPage(_)));
        assert!(page(502).is_retryable());
        assert!(matches!(page(404), Error::ErrorPage(_)));
        assert!(page(404).is_not_found());
        assert!(matches!(page(413), Error::PayloadTooLarge(_)));
        // An empty 403 (HEAD) is a page too, and still a permission error.
        let head = Error::from_response(403, Some("application/json"), None, b"");
        assert!(matches!(head, Error::ErrorPage(_)));
        assert!(head.is_permission());
    }

    #[test]
    fn rate_limited_keeps_retry_after() {
        let e = Error::from_response(
            429,
            Some("application/json"),
            Some(Duration::from_secs(3)),
            br#"{"exc_type":"TooManyRequestsError"}"#,
        );
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        assert!(e.is_retryable());
        assert_eq!(e.exc_type(), Some("TooManyRequestsError"));
    }

    #[test]
    fn unknown_exc_type_survives() {
        let e = json(
            417,
            r#"{"exc_type":"MyAppCustomError","_server_messages":"[\"{\\\"message\\\": \\\"nope\\\"}\"]"}"#,
        );
        assert_eq!(e.exc_type(), Some("MyAppCustomError"));
        assert_eq!(
            e.to_string(),
            "validation failed: HTTP 417 MyAppCustomError: nope"
        );
    }

    #[test]
    fn server_display_hides_traceback() {
        let e = json(
            500,
            r#"{"exc_type":"TypeError","exception":"TypeError: f() missing 1 required positional argument","exc":"[\"Traceback (most recent call last): secret-internal-path\"]"}"#,
        );
        let shown = e.to_string();
        assert!(!shown.contains("Traceback"), "{shown}");
        assert!(e.api_error().unwrap().traceback.is_some());
    }

    #[test]
    fn huge_server_texts_are_cut_in_display() {
        let huge = "y".repeat(5_000_000);
        let body = serde_json::json!({"exc_type": "ValidationError", "exception": format!("frappe.exceptions.ValidationError: {huge}")});
        let e = json(417, &body.to_string());
        let shown = e.to_string();
        assert!(shown.len() < 2100, "{} characters", shown.len());
        assert!(
            shown.ends_with("… (4998000 more characters)"),
            "{shown:.80}"
        );
        assert_eq!(e.api_error().unwrap().message, huge);
        // serde quotes a mistyped string in full; Display cuts it too.
        let d = DecodeError {
            method: "GET".into(),
            path: "/api/method/x".into(),
            json_path: "message".into(),
            message: format!("invalid type: string \"{huge}\", expected u64"),
            excerpt: String::new(),
            doctype: None,
        };
        assert!(d.to_string().len() < 2300, "{}", d.to_string().len());
        // Debug too (`main() -> Result<(), Error>` prints it).
        for shown in [format!("{d:?}"), format!("{e:?}")] {
            assert!(shown.len() < 2500, "{}", shown.len());
            assert!(shown.contains("more characters)"), "{shown:.300}");
        }
    }

    #[test]
    fn maybe_committed_is_false_only_when_nothing_took_effect() {
        let not_processed = [
            Error::InvalidInput("bad".into()),
            Error::Invalid(Box::new(crate::validation::ValidationError {
                doctype: "ToDo",
                document: None,
                problems: Vec::new(),
            })),
            Error::LoggedOut,
            json(429, r#"{"exc_type":"TooManyRequestsError"}"#),
            json(403, r#"{"exc_type":"PermissionError","session_expired":1}"#),
        ];
        for e in &not_processed {
            assert!(!e.maybe_committed(), "{e:?}");
        }
        let maybe = [
            json(417, r#"{"exc_type":"ValidationError"}"#),
            json(500, r#"{"exc_type":"TypeError"}"#),
            Error::from_response(502, Some("text/html"), None, b"<h1>Bad Gateway</h1>"),
            Error::from_response(504, Some("text/html"), None, b"<h1>Gateway Timeout</h1>"),
            Error::ResponseTooLarge {
                method: "GET".into(),
                path: "/".into(),
                limit: 1,
            },
            Error::Redirect(Box::new(RedirectError {
                method: "POST".into(),
                path: "/api/resource/ToDo".into(),
                status: Some(302),
                location: "/app/todo".into(),
                reason: RedirectReason::NotGetOrHead,
            })),
        ];
        for e in &maybe {
            assert!(e.maybe_committed(), "{e:?}");
        }
    }

    #[test]
    fn an_earlier_attempt_that_may_have_been_sent_is_carried() {
        let not_sent = || {
            Error::Timeout(Box::new(TimeoutError {
                method: "PUT".into(),
                path: "/api/resource/ToDo/t1".into(),
                limit: TimeLimit::Deadline(Duration::from_secs(1)),
                attempts: 1,
                last: None,
                sent: false,
            }))
        };
        let limited = || json(429, r#"{"exc_type":"TooManyRequestsError"}"#);
        assert!(!not_sent().after_attempts(false).maybe_committed());
        assert!(not_sent().after_attempts(true).maybe_committed());
        assert!(!limited().after_attempts(false).maybe_committed());
        assert!(limited().after_attempts(true).maybe_committed());
    }

    #[test]
    fn a_timeout_says_which_limit_and_looks_through_to_the_last_error() {
        let timeout = |limit, last: Option<Error>| {
            Error::Timeout(Box::new(TimeoutError {
                method: "GET".into(),
                path: "/api/method/ping".into(),
                limit,
                attempts: 2,
                last: last.map(Box::new),
                sent: true,
            }))
        };
        let attempt = timeout(TimeLimit::Attempt(Duration::from_secs(30)), None);
        assert_eq!(
            attempt.to_string(),
            "GET /api/method/ping: no complete answer within the 30s timeout of attempt 2 \
             (ClientBuilder::timeout)"
        );
        let busy = Error::from_response(
            503,
            Some("application/json"),
            Some(Duration::from_secs(90)),
            br#"{"exc_type":"ServiceUnavailable"}"#,
        );
        let deadline = timeout(TimeLimit::Deadline(Duration::from_secs(60)), Some(busy));
        let shown = deadline.to_string();
        assert!(
            shown.starts_with("GET /api/method/ping: the call's 60s deadline"),
            "{shown}"
        );
        assert!(shown.contains("HTTP 503"), "{shown}");
        assert_eq!(deadline.status(), Some(503));
        assert_eq!(deadline.retry_after(), Some(Duration::from_secs(90)));
        assert_eq!(deadline.exc_type(), Some("ServiceUnavailable"));
        assert!(std::error::Error::source(&deadline).is_some());
    }

    #[test]
    fn error_is_small() {
        // Keeps `Result<T>` cheap to move.
        assert!(
            std::mem::size_of::<Error>() <= 64,
            "{}",
            std::mem::size_of::<Error>()
        );
    }
}
