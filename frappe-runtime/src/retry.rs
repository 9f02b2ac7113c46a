//! [`RetryPolicy`]: which failures are retried, how often, and how long to wait.
//!
//! Policy: failures that prove the request was not sent (connection refused, closed before
//! writing), timeouts, 429, 502, 503 and 504 ([`Error::is_retryable`]) are retried with jittered
//! exponential backoff, honouring `Retry-After` (of a 429, or of a 503 from a proxy or
//! maintenance page) — but only for idempotent methods, and writes only while nothing can have
//! taken effect:
//! - GET and HEAD (reads) are retried after any of those failures;
//! - PUT and DELETE only when the failed attempt certainly was not processed (not sent, or a
//!   429, which Frappe's rate limiter answers before running anything). After a timeout, a 502,
//!   503 or 504 the write may have gone through behind the proxy, and Frappe runs a document's
//!   hooks (notifications, webhooks, version rows) each time it saves one, while a repeated
//!   DELETE answers 404: the error goes to the caller, with [`Error::maybe_committed`] set;
//! - a POST (insert, method call, upload, login) is never retried: a duplicate write is worse
//!   than an error ([`Error::maybe_committed`] tells the caller when resending is safe).
//!
//! A `Retry-After` longer than [`RetryPolicy::max_delay`] is not waited out; the error (with
//! [`Error::retry_after`]) goes to the caller, who can decide. Nor is a wait that would end past the call's
//! [`ClientBuilder::deadline`](crate::ClientBuilder::deadline): the call then fails with
//! [`Error::Timeout`], keeping that error.
//!
//! Feature `client` (on by default).

use std::time::Duration;

use reqwest::Method;

use crate::error::Error;

/// How the client retries transient failures of idempotent requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts including the first (1 = no retries).
    pub max_attempts: u32,
    /// The backoff before the first retry; doubled for each further retry.
    pub base_delay: Duration,
    /// Upper bound of one wait (backoff or `Retry-After`).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 200 ms base delay, 10 s max delay.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// `max_attempts` attempts in total, with the given backoff bounds.
    pub fn new(max_attempts: u32, base_delay: Duration, max_delay: Duration) -> Self {
        Self {
            max_attempts: max_attempts.max(1),
            base_delay,
            max_delay,
        }
    }

    /// The wait before retrying after `attempt` (1-based) failed with `error`, or `None` when the
    /// request must not or need not be retried.
    pub fn retry_delay(&self, method: &Method, attempt: u32, error: &Error) -> Option<Duration> {
        if attempt >= self.max_attempts || !is_idempotent(method) || !error.is_retryable() {
            return None;
        }
        if !is_read(method) && error.maybe_committed() {
            // A write whose outcome is unknown is the caller's to check (see the module docs).
            return None;
        }
        match error.retry_after() {
            Some(wait) if wait > self.max_delay => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(attempt)),
        }
    }

    /// Full-jitter exponential backoff: a random wait in `[d/2, d]` where
    /// `d = min(base_delay * 2^(attempt-1), max_delay)`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        let half = ceiling / 2;
        let spread = (ceiling - half).as_nanos().min(u64::MAX as u128) as u64;
        half + Duration::from_nanos(if spread == 0 {
            0
        } else {
            fastrand::u64(0..=spread)
        })
    }
}

/// GET and HEAD (and OPTIONS): reads, retried after any retryable failure.
fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// GET, HEAD, PUT, DELETE (and OPTIONS): the same request sent twice leaves the same data, so
/// they may be replayed after a renewed session and retried per [`RetryPolicy::retry_delay`].
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Parses `Retry-After`: delta-seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        // `try_`: a huge value ("1e300") from a misbehaving server must not panic; it is simply
        // not a usable delay (and would exceed any `max_delay` anyway).
        return Duration::try_from_secs_f64(secs).ok();
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = when.signed_duration_since(chrono::Utc::now());
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_error(status: u16, retry_after: Option<Duration>) -> Error {
        Error::from_response(
            status,
            Some("application/json"),
            retry_after,
            br#"{"exc_type":"X"}"#,
        )
    }

    #[test]
    fn decision_table() {
        let policy = RetryPolicy::new(3, Duration::from_millis(10), Duration::from_secs(1));
        let cases: &[(Method, u16, bool)] = &[
            (Method::GET, 503, true),
            (Method::GET, 502, true),
            (Method::GET, 504, true),
            (Method::GET, 429, true),
            // A write behind a 502/503/504 may have been processed: not sent again.
            (Method::PUT, 503, false),
            (Method::DELETE, 503, false),
            (Method::PUT, 504, false),
            (Method::DELETE, 502, false),
            // A 429 proves its attempt was not processed.
            (Method::PUT, 429, true),
            (Method::DELETE, 429, true),
            (Method::HEAD, 503, true),
            (Method::POST, 503, false),
            (Method::POST, 429, false),
            (Method::GET, 500, false),
            (Method::GET, 404, false),
            (Method::GET, 417, false),
            (Method::PUT, 409, false),
        ];
        for (method, status, retried) in cases {
            let got = policy
                .retry_delay(method, 1, &status_error(*status, None))
                .is_some();
            assert_eq!(got, *retried, "{method} {status}");
        }
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy::new(3, Duration::from_millis(1), Duration::from_secs(1));
        let e = status_error(503, None);
        assert!(policy.retry_delay(&Method::GET, 2, &e).is_some());
        assert!(policy.retry_delay(&Method::GET, 3, &e).is_none());
        assert!(
            RetryPolicy::none()
                .retry_delay(&Method::GET, 1, &e)
                .is_none()
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_max_delay() {
        let policy = RetryPolicy::new(3, Duration::from_millis(1), Duration::from_secs(5));
        let e = status_error(429, Some(Duration::from_secs(2)));
        assert_eq!(
            policy.retry_delay(&Method::GET, 1, &e),
            Some(Duration::from_secs(2))
        );
        let e = status_error(429, Some(Duration::from_secs(60)));
        assert_eq!(policy.retry_delay(&Method::GET, 1, &e), None);
    }

    #[test]
    fn retry_after_of_a_503_is_honoured_too() {
        let policy = RetryPolicy::new(3, Duration::from_millis(1), Duration::from_secs(5));
        for content_type in ["application/json", "text/html"] {
            let e = Error::from_response(
                503,
                Some(content_type),
                Some(Duration::from_secs(2)),
                b"<h1>Service Unavailable</h1>",
            );
            assert_eq!(
                policy.retry_delay(&Method::GET, 1, &e),
                Some(Duration::from_secs(2)),
                "{content_type}"
            );
        }
        // Longer than max_delay: handed to the caller, who can read it.
        let e = Error::from_response(
            503,
            Some("text/html"),
            Some(Duration::from_secs(60)),
            b"maintenance",
        );
        assert_eq!(policy.retry_delay(&Method::GET, 1, &e), None);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(60)));
    }

    #[test]
    fn backoff_grows_within_bounds() {
        let policy = RetryPolicy::new(10, Duration::from_millis(100), Duration::from_millis(350));
        for _ in 0..50 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = policy.backoff(3);
            assert!(third >= Duration::from_millis(175) && third <= Duration::from_millis(350));
        }
    }

    #[test]
    fn retry_after_formats() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after(" 1.5 "),
            Some(Duration::from_millis(1500))
        );
        // A date in the past means "now".
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
        // Out-of-range numbers from the server are not delays, and never panic.
        assert_eq!(parse_retry_after("1e300"), None);
        assert_eq!(parse_retry_after("-1.5"), None);
        assert_eq!(parse_retry_after("NaN"), None);
        assert_eq!(parse_retry_after("inf"), None);
    }
}
