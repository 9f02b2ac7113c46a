//! Inspection and faults: every request the site received ([`Recorded`]), and faults a test
//! injects to exercise a client's retry and timeout handling ([`Fault`]): a status answered
//! instead of the request (the site does not process it), a delay before the normal answer,
//! a connection closed without an answer, before or after the site processed the request.

use std::time::Duration;

use serde_json::Value;

/// One request the site received.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, percent-encoded as sent.
    pub path: String,
    /// The query string (`""` without one).
    pub query: String,
    /// The body as JSON, a JSON string of it when it is not JSON, `Null` when empty; the values
    /// of credential keys (`pwd`, `api_secret`, `client_secret`, `*token*`, ...) are `"***"`.
    pub body: Value,
    /// The user the credentials named (`"Guest"` without; credentials themselves are not kept).
    pub user: String,
    /// The status answered; `None` when the connection was closed without an answer.
    pub status: Option<u16>,
}

/// What a fault does.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Answer this status (with `Retry-After` when set) and a plain-text body, as a proxy in
    /// front of Frappe would; the site does not process the request.
    Status {
        /// The status.
        status: u16,
        /// `Retry-After`, in seconds.
        retry_after: Option<u64>,
    },
    /// Wait, then process and answer normally.
    Delay(Duration),
    /// Close the connection without answering; the site does not process the request.
    Drop,
    /// Process the request (its writes happen), then close the connection without answering.
    DropAfterProcessing,
}

/// A fault for the requests it matches, a number of times or for good.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) times: Option<usize>,
    pub(crate) path: Option<String>,
    pub(crate) method: Option<String>,
}

impl Fault {
    fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            times: None,
            path: None,
            method: None,
        }
    }

    /// Answer `status` instead of processing the request.
    pub fn status(status: u16) -> Self {
        Self::new(FaultKind::Status {
            status,
            retry_after: None,
        })
    }

    /// Wait `delay` before processing the request.
    pub fn delay(delay: Duration) -> Self {
        Self::new(FaultKind::Delay(delay))
    }

    /// Close the connection without processing the request.
    pub fn drop_connection() -> Self {
        Self::new(FaultKind::Drop)
    }

    /// Process the request, then close the connection without answering.
    pub fn drop_after_processing() -> Self {
        Self::new(FaultKind::DropAfterProcessing)
    }

    /// With a `Retry-After` header (status faults only).
    pub fn retry_after(mut self, seconds: u64) -> Self {
        if let FaultKind::Status { retry_after, .. } = &mut self.kind {
            *retry_after = Some(seconds);
        }
        self
    }

    /// Only the next `n` matching requests (default: every one until cleared).
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    /// Only requests whose path starts with `prefix` (as sent, percent-encoded), e.g.
    /// `"/api/resource/ToDo"`.
    pub fn on_path(mut self, prefix: impl Into<String>) -> Self {
        self.path = Some(prefix.into());
        self
    }

    /// Only requests of this HTTP method, e.g. `"POST"`.
    pub fn on_method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into().to_uppercase());
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.path.as_deref().is_none_or(|p| path.starts_with(p))
            && self.method.as_deref().is_none_or(|m| m == method)
    }
}

/// The faults in force, in the order injected: the first matching one applies.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    faults: Vec<Fault>,
}

impl Faults {
    pub(crate) fn push(&mut self, fault: Fault) {
        self.faults.push(fault);
    }

    pub(crate) fn clear(&mut self) {
        self.faults.clear();
    }

    /// The fault for this request, counting it down.
    pub(crate) fn take(&mut self, method: &str, path: &str) -> Option<FaultKind> {
        let i = self.faults.iter().position(|f| f.matches(method, path))?;
        let kind = self.faults[i].kind.clone();
        if let Some(n) = &mut self.faults[i].times {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.faults.remove(i);
            }
        }
        Some(kind)
    }
}
