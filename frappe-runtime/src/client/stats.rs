//! [`Stats`]: what a client and its clones have sent and received, counted as it happens, for
//! metrics without parsing tracing spans.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;

/// Counters shared by a client's clones.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    attempts: AtomicU64,
    responses: AtomicU64,
    error_responses: AtomicU64,
    failures: AtomicU64,
    retries: AtomicU64,
    bytes_received: AtomicU64,
    nanos: AtomicU64,
    site_rate_limit: Mutex<Option<SiteRateLimit>>,
}

impl Counters {
    /// One attempt that ended with a response (`status`, `bytes` of body) after `elapsed`.
    fn response(&self, status: u16, bytes: usize, elapsed: Duration) {
        self.attempt(elapsed);
        self.responses.fetch_add(1, Relaxed);
        if status >= 400 {
            self.error_responses.fetch_add(1, Relaxed);
        }
        self.bytes_received.fetch_add(bytes as u64, Relaxed);
    }

    /// One attempt that ended without a response (connection, timeout, size cap, redirect
    /// refused) after `elapsed`.
    fn failure(&self, elapsed: Duration) {
        self.attempt(elapsed);
        self.failures.fetch_add(1, Relaxed);
    }

    /// An attempt starting now; see [`Attempt`].
    pub(crate) fn start(&self) -> Attempt<'_> {
        Attempt {
            counters: self,
            started: Instant::now(),
            settled: false,
        }
    }

    /// A retry was decided (the wait is about to start).
    pub(crate) fn retry(&self) {
        self.retries.fetch_add(1, Relaxed);
    }

    fn attempt(&self, elapsed: Duration) {
        self.attempts.fetch_add(1, Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        // Saturates instead of wrapping (after ~584 years of requests).
        let _ = self
            .nanos
            .fetch_update(Relaxed, Relaxed, |n| Some(n.saturating_add(nanos)));
    }

    pub(crate) fn snapshot(&self) -> Stats {
        Stats {
            attempts: self.attempts.load(Relaxed),
            responses: self.responses.load(Relaxed),
            error_responses: self.error_responses.load(Relaxed),
            failures: self.failures.load(Relaxed),
            retries: self.retries.load(Relaxed),
            bytes_received: self.bytes_received.load(Relaxed),
            time_in_requests: Duration::from_nanos(self.nanos.load(Relaxed)),
            site_rate_limit: *self
                .site_rate_limit
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        }
    }
}

/// The site's own rate limit as its last answer reported it (`X-RateLimit-*` headers, sent when
/// the site has a `rate_limit` in its site_config.json): a budget of server time per window,
/// shared by every client of the site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SiteRateLimit {
    /// Server time allowed per window (`X-RateLimit-Limit`, microseconds on the wire).
    pub limit: Duration,
    /// Server time left in the window when the request started (`X-RateLimit-Remaining`).
    pub remaining: Duration,
    /// Until the window ends (`X-RateLimit-Reset`, seconds on the wire).
    pub reset: Duration,
    /// Server time the request itself used (`X-RateLimit-Used`; absent on a 429).
    pub used: Option<Duration>,
}

impl SiteRateLimit {
    fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number =
            |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
        Some(Self {
            limit: Duration::from_micros(number("x-ratelimit-limit")?),
            remaining: Duration::from_micros(number("x-ratelimit-remaining")?),
            reset: Duration::from_secs(number("x-ratelimit-reset")?),
            used: number("x-ratelimit-used").map(Duration::from_micros),
        })
    }
}

/// An attempt under way. Dropped before it is settled (the caller gave up on the call: a
/// stream dropped with a page in flight, a timeout of the caller's own), it counts as a failure,
/// since the request may have gone out.
pub(crate) struct Attempt<'a> {
    counters: &'a Counters,
    started: Instant,
    settled: bool,
}

impl Attempt<'_> {
    /// The attempt ended with a response.
    pub(crate) fn response(mut self, status: u16, bytes: usize, headers: &HeaderMap) {
        self.settled = true;
        self.counters
            .response(status, bytes, self.started.elapsed());
        if let Some(limit) = SiteRateLimit::from_headers(headers) {
            *self
                .counters
                .site_rate_limit
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(limit);
        }
    }

    /// The attempt ended without a response.
    pub(crate) fn failure(mut self) {
        self.settled = true;
        self.counters.failure(self.started.elapsed());
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.counters.failure(self.started.elapsed());
        }
    }
}

/// What a [`Client`](crate::Client) and its clones have done so far, from
/// [`Client::stats`](crate::Client::stats). Counters only grow; take two snapshots and
/// [`since`](Self::since) for the figures of an interval.
///
/// Every HTTP exchange counts, logins, token refreshes and retries included; requests refused
/// before anything was sent (bad input, logged out, deadline passed while waiting for the
/// concurrency cap) do not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Requests sent (attempts, so a retried call counts each try).
    pub attempts: u64,
    /// Attempts answered with a status (any status).
    pub responses: u64,
    /// Of those, answers with status 400 or more.
    pub error_responses: u64,
    /// Attempts that ended without an answer: connection errors, timeouts, a body over
    /// the size cap, a redirect not followed, and attempts abandoned because the call was
    /// dropped (a stream dropped with a page on its way).
    pub failures: u64,
    /// Retries started (waits after a retryable failure).
    pub retries: u64,
    /// Response body bytes read.
    pub bytes_received: u64,
    /// Time spent in attempts, summed (concurrent attempts add up; waits between retries and
    /// for the concurrency cap are not included). Divide by `attempts` for the mean latency.
    pub time_in_requests: Duration,
    /// The site's own rate limit, as its latest answer that carried `X-RateLimit-*` headers
    /// reported it; `None` if none did (the site has no `rate_limit`).
    pub site_rate_limit: Option<SiteRateLimit>,
}

impl Stats {
    /// The counts between `earlier` and this snapshot (the site's rate limit as of this one).
    pub fn since(&self, earlier: &Stats) -> Stats {
        Stats {
            attempts: self.attempts.saturating_sub(earlier.attempts),
            responses: self.responses.saturating_sub(earlier.responses),
            error_responses: self.error_responses.saturating_sub(earlier.error_responses),
            failures: self.failures.saturating_sub(earlier.failures),
            retries: self.retries.saturating_sub(earlier.retries),
            bytes_received: self.bytes_received.saturating_sub(earlier.bytes_received),
            time_in_requests: self
                .time_in_requests
                .saturating_sub(earlier.time_in_requests),
            site_rate_limit: self.site_rate_limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_rate_limit_headers_are_kept() {
        let c = Counters::default();
        let mut headers = HeaderMap::new();
        c.start().response(200, 1, &headers);
        assert_eq!(c.snapshot().site_rate_limit, None);
        for (name, value) in [
            ("X-RateLimit-Limit", "1000000"),
            ("X-RateLimit-Remaining", "250000"),
            ("X-RateLimit-Reset", "42"),
            ("X-RateLimit-Used", "1500"),
        ] {
            headers.insert(name, value.parse().unwrap());
        }
        c.start().response(200, 1, &headers);
        let limit = c.snapshot().site_rate_limit.unwrap();
        assert_eq!(limit.limit, Duration::from_secs(1));
        assert_eq!(limit.remaining, Duration::from_millis(250));
        assert_eq!(limit.reset, Duration::from_secs(42));
        assert_eq!(limit.used, Some(Duration::from_micros(1500)));
        // A 429 carries no Used; an answer without the headers leaves the last report.
        headers.remove("X-RateLimit-Used");
        c.start().response(429, 1, &headers);
        assert_eq!(c.snapshot().site_rate_limit.unwrap().used, None);
        c.start().response(200, 1, &HeaderMap::new());
        assert!(c.snapshot().site_rate_limit.is_some());
    }

    #[test]
    fn an_abandoned_attempt_counts_as_a_failure() {
        let c = Counters::default();
        c.start().response(200, 10, &HeaderMap::new());
        c.start().failure();
        drop(c.start());
        let s = c.snapshot();
        assert_eq!((s.attempts, s.responses, s.failures), (3, 1, 2));
    }

    #[test]
    fn counts_and_intervals() {
        let c = Counters::default();
        c.response(200, 100, Duration::from_millis(5));
        let first = c.snapshot();
        c.response(417, 20, Duration::from_millis(7));
        c.failure(Duration::from_millis(1));
        c.retry();
        let now = c.snapshot();
        assert_eq!(
            now,
            Stats {
                attempts: 3,
                responses: 2,
                error_responses: 1,
                failures: 1,
                retries: 1,
                bytes_received: 120,
                time_in_requests: Duration::from_millis(13),
                site_rate_limit: None,
            }
        );
        let interval = now.since(&first);
        assert_eq!(interval.attempts, 2);
        assert_eq!(interval.bytes_received, 20);
        assert_eq!(interval.time_in_requests, Duration::from_millis(8));
    }
}
