//! [`Stats`]: what a client and its clones have sent and received, counted as it happens, for
//! metrics without parsing tracing spans.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

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
}

impl Counters {
    /// One attempt that ended with a response (`status`, `bytes` of body) after `elapsed`.
    pub(crate) fn response(&self, status: u16, bytes: usize, elapsed: Duration) {
        self.attempt(elapsed);
        self.responses.fetch_add(1, Relaxed);
        if status >= 400 {
            self.error_responses.fetch_add(1, Relaxed);
        }
        self.bytes_received.fetch_add(bytes as u64, Relaxed);
    }

    /// One attempt that ended without a response (connection, timeout, size cap, redirect
    /// refused) after `elapsed`.
    pub(crate) fn failure(&self, elapsed: Duration) {
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
        }
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
    pub(crate) fn response(mut self, status: u16, bytes: usize) {
        self.settled = true;
        self.counters
            .response(status, bytes, self.started.elapsed());
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
}

impl Stats {
    /// The counts between `earlier` and this snapshot.
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_abandoned_attempt_counts_as_a_failure() {
        let c = Counters::default();
        c.start().response(200, 10);
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
            }
        );
        let interval = now.since(&first);
        assert_eq!(interval.attempts, 2);
        assert_eq!(interval.bytes_received, 20);
        assert_eq!(interval.time_in_requests, Duration::from_millis(8));
    }
}
