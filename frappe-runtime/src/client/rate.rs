//! [`RateLimit`]: a client-side cap on the request rate, shared by a client's clones and every
//! task using them. Each attempt (retries and logins included) takes one slot; a request
//! without a free slot waits asynchronously for its turn (first come, first served), never
//! spinning.
//!
//! The schedule is GCRA (a token bucket kept as one instant): slots come every `1 / per_second`,
//! and up to `burst` may be taken at once after a quiet spell.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// At most `per_second` requests per second on average, with bursts of up to `burst`; set with
/// [`ClientBuilder::rate_limit`](crate::ClientBuilder::rate_limit).
///
/// ```
/// use frappe_runtime::RateLimit;
/// // 5 requests per second, at most 10 back to back after a pause.
/// let limit = RateLimit::per_second(5.0).burst(10);
/// # let _ = limit;
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    per_second: f64,
    burst: u32,
}

impl RateLimit {
    /// `per_second` requests per second on average, one at a time (burst 1). A rate that is not
    /// a positive finite number is refused by [`ClientBuilder::build`](crate::ClientBuilder::build).
    pub fn per_second(per_second: f64) -> Self {
        Self {
            per_second,
            burst: 1,
        }
    }

    /// Up to `burst` requests back to back after a quiet spell (`0` is taken as 1).
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = burst.max(1);
        self
    }

    /// The time between two slots, or why there is none.
    pub(crate) fn interval(&self) -> Result<Duration, String> {
        if !(self.per_second.is_finite() && self.per_second > 0.0) {
            return Err(format!(
                "rate_limit: {} requests per second is not a positive number",
                self.per_second
            ));
        }
        Duration::try_from_secs_f64(1.0 / self.per_second).map_err(|_| {
            format!(
                "rate_limit: {} requests per second is too low",
                self.per_second
            )
        })
    }
}

/// The shared schedule of a rate-limited client.
#[derive(Debug)]
pub(crate) struct Limiter {
    interval: Duration,
    /// How far ahead of the schedule a burst may run.
    tolerance: Duration,
    /// GCRA's theoretical arrival time: when the next slot is due if nobody bursts.
    next: Mutex<Option<Instant>>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Result<Self, String> {
        let interval = limit.interval()?;
        Ok(Self {
            interval,
            tolerance: interval.saturating_mul(limit.burst.saturating_sub(1)),
            next: Mutex::new(None),
        })
    }

    /// Takes the next slot: when the request may leave (now, or later).
    pub(crate) fn reserve(&self, now: Instant) -> Instant {
        // A poisoned lock only means a panic elsewhere; the instant inside is always whole.
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let due = next.map_or(now, |n| n.max(now));
        let start = due.checked_sub(self.tolerance).map_or(now, |s| s.max(now));
        *next = Some(due + self.interval);
        start
    }

    /// Waits for a slot.
    pub(crate) async fn wait(&self) {
        let start = self.reserve(Instant::now());
        tokio::time::sleep_until(start).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn slots_follow_the_rate_after_the_burst() {
        let limiter = Limiter::new(RateLimit::per_second(10.0).burst(3)).unwrap();
        let t0 = Instant::now();
        // Three at once, then one every 100 ms.
        let starts: Vec<Duration> = (0..6).map(|_| limiter.reserve(t0) - t0).collect();
        assert_eq!(starts, [ms(0), ms(0), ms(0), ms(100), ms(200), ms(300)]);
        // After a quiet second the burst is back, and no more.
        let later = t0 + ms(2000);
        let starts: Vec<Duration> = (0..4).map(|_| limiter.reserve(later) - later).collect();
        assert_eq!(starts, [ms(0), ms(0), ms(0), ms(100)]);
    }

    #[test]
    fn bad_rates_are_refused() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-300] {
            assert!(Limiter::new(RateLimit::per_second(rate)).is_err(), "{rate}");
        }
        assert_eq!(
            RateLimit::per_second(1.0).burst(0),
            RateLimit::per_second(1.0)
        );
    }
}
