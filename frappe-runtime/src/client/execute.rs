//! The single request path. Policy, in order:
//! 1. a path the URL cannot carry is refused; the call gets its deadline
//!    ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline)), which bounds everything below;
//! 2. a password client without a session logs in first (once, under the renew lock; not after
//!    `logout()`, which leaves it logged out); a bearer client whose token expires within
//!    [`REFRESH_MARGIN`](crate::auth::REFRESH_MARGIN) refreshes it first (once, likewise);
//! 3. the request waits for its slot of the rate limit, if any, and is sent under the concurrency
//!    cap, inside a `frappe_request` tracing span that
//!    records method, path, status, attempt and elapsed milliseconds — never headers, cookies or
//!    the query string; the attempt ends at its timeout or at the deadline, whichever is first;
//!    redirects are followed only per `redirect.rs`, the body is read up to the size cap
//!    (`exchange.rs`);
//! 4. an expired session (403 + `session_expired`) or a rejected bearer token (401, when a refresh
//!    token is configured) is renewed once; the request is then replayed only if idempotent,
//!    otherwise [`Error::SessionExpired`] is returned; a refresh the site refuses is
//!    [`Error::OAuth`], and its new tokens go to the `on_refresh` callback;
//! 5. retryable failures are retried per the [`RetryPolicy`](crate::RetryPolicy) (reads; writes
//!    only when the attempt surely was not processed), unless the wait would end past the deadline.

use std::future::Future;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::SET_COOKIE;
use tokio::time::Instant;
use tracing::Instrument as _;

use crate::auth::{Auth, BearerToken, Credential, Credentials, sid_from_set_cookie};
use crate::client::arriving::Arriving;
use crate::client::{Body, Client, LoginInfo, Request, Response, v1_method_path};
use crate::error::{Error, Result, TimeLimit, TimeoutError};
use crate::oauth;
use crate::retry::is_idempotent;

/// When a call must be over.
#[derive(Clone, Copy)]
struct Deadline {
    at: Instant,
    limit: Duration,
}

impl Deadline {
    /// The call ran out of time after `attempts` attempts; `sent`: whether the request may
    /// have reached the site.
    fn error(
        self,
        req: &Request,
        path: String,
        attempts: u32,
        last: Option<Error>,
        sent: bool,
    ) -> Error {
        Error::Timeout(Box::new(TimeoutError {
            method: req.method.to_string(),
            path,
            limit: TimeLimit::Deadline(self.limit),
            attempts,
            last: last.map(Box::new),
            sent,
        }))
    }
}

impl Client {
    /// Sends `req` with auth, renewal and retries, within the call's deadline. `Ok` only for
    /// 2xx responses.
    pub(crate) async fn execute(&self, req: &Request) -> Result<Response> {
        self.execute_into(req, &mut ()).await
    }

    /// [`execute`](Self::execute), each attempt's success body handed to `arriving` while it
    /// arrives (`arriving.rs`); an attempt that follows another starts it afresh.
    pub(crate) async fn execute_into<A: Arriving>(
        &self,
        req: &Request,
        arriving: &mut A,
    ) -> Result<Response> {
        // Whether any attempt so far may have reached the site: every error leaving the call
        // carries it, so that a refused retry after a 504 is not "not sent".
        let mut sent = false;
        self.attempts(req, &mut sent, arriving)
            .await
            .map_err(|e| e.after_attempts(sent))
    }

    /// [`execute`](Self::execute)'s loop; sets `sent` once an attempt may have reached the site.
    async fn attempts<A: Arriving>(
        &self,
        req: &Request,
        sent: &mut bool,
        arriving: &mut A,
    ) -> Result<Response> {
        // A path the URL cannot carry is refused before anything (even a login) is sent.
        self.url(&req.segments)?;
        let deadline = self.deadline();
        let mut attempt = 0u32;
        let mut renewed = false;
        loop {
            attempt += 1;
            let credential = if req.anonymous {
                Credential::None
            } else {
                let login = self.current_credential(deadline);
                self.within(deadline, req, attempt - 1, *sent, login)
                    .await?
            };
            let err = match self
                .send_once(req, &credential, attempt, deadline, arriving)
                .await
            {
                Ok(resp) if resp.status.is_success() => return Ok(resp),
                Ok(resp) => resp.into_error(),
                Err(e) => e,
            };
            *sent |= err.maybe_committed();
            if !req.anonymous && !req.no_renewal && !renewed && self.needs_renewal(&err) {
                renewed = true;
                let renewal = self.renew(&credential, deadline);
                self.within(deadline, req, attempt, *sent, renewal).await?;
                if is_idempotent(&req.method) {
                    attempt -= 1;
                    continue;
                }
                return Err(Error::SessionExpired);
            }
            if matches!(&err, Error::Timeout(t) if matches!(t.limit, TimeLimit::Deadline(_))) {
                return Err(err);
            }
            if let Some(delay) = self.inner.retry.retry_delay(&req.method, attempt, &err) {
                if let Some(d) = deadline {
                    if Instant::now()
                        .checked_add(delay)
                        .is_none_or(|end| end >= d.at)
                    {
                        // No time would be left for the attempt after the wait.
                        return Err(d.error(req, self.path_of(req), attempt, Some(err), *sent));
                    }
                }
                self.inner.counters.retry();
                tracing::debug!(
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    error = %err,
                    "retrying"
                );
                tokio::time::sleep(delay).await;
                continue;
            }
            return Err(err);
        }
    }

    /// The deadline of a call starting now.
    fn deadline(&self) -> Option<Deadline> {
        // A limit too large to add to now is no limit.
        let limit = self.inner.deadline?;
        Some(Deadline {
            at: Instant::now().checked_add(limit)?,
            limit,
        })
    }

    /// `work` (logging in, renewing) bounded by the deadline; `sent`: whether `req` may have
    /// taken effect before (see [`Error::maybe_committed`]).
    async fn within<T>(
        &self,
        deadline: Option<Deadline>,
        req: &Request,
        attempts: u32,
        sent: bool,
        work: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        let Some(d) = deadline else {
            return work.await;
        };
        match tokio::time::timeout_at(d.at, work).await {
            Ok(result) => result,
            Err(_) => Err(d.error(req, self.path_of(req), attempts, None, sent)),
        }
    }

    /// The URL path of `req`, for errors raised outside an attempt.
    fn path_of(&self, req: &Request) -> String {
        self.url(&req.segments)
            .map(|u| u.path().to_owned())
            .unwrap_or_default()
    }

    /// One attempt without credentials, renewal or retries (login and token refresh are POSTs,
    /// and they must not recurse into renewal).
    async fn execute_anonymous(
        &self,
        req: &Request,
        deadline: Option<Deadline>,
    ) -> Result<Response> {
        let resp = self
            .send_once(req, &Credential::None, 1, deadline, &mut ())
            .await?;
        if resp.status.is_success() {
            Ok(resp)
        } else {
            Err(resp.into_error())
        }
    }

    fn needs_renewal(&self, err: &Error) -> bool {
        match (&self.inner.session.auth, err) {
            (Auth::Password(_), Error::SessionExpired) => true,
            (Auth::Bearer(b), Error::Unauthorized(_)) => b.refresh.is_some(),
            _ => false,
        }
    }

    /// The credential for the next request; logs in first if a password client has no session.
    async fn current_credential(&self, deadline: Option<Deadline>) -> Result<Credential> {
        if let Some(c) = self.inner.session.credential() {
            return Ok(c);
        }
        let _guard = self.inner.session.renew_lock.lock().await;
        if let Some(c) = self.inner.session.credential() {
            return Ok(c);
        }
        match &self.inner.session.auth {
            Auth::Password(creds) => {
                self.inner.session.check_not_logged_out()?;
                self.login_within(creds, deadline).await?;
            }
            Auth::Bearer(b) => {
                self.refresh_bearer(b, deadline).await?;
                // Fresh from the site: sent even if it is shorter-lived than the margin.
                if let Some(c) = self.inner.session.credential_now() {
                    return Ok(c);
                }
            }
            _ => {}
        }
        self.inner.session.credential().ok_or_else(|| {
            Error::InvalidInput("no credential after login; the site sent no sid cookie".into())
        })
    }

    /// Renews the session unless another task already did since `stale` was read.
    async fn renew(&self, stale: &Credential, deadline: Option<Deadline>) -> Result<()> {
        let _guard = self.inner.session.renew_lock.lock().await;
        if self.inner.session.credential().as_ref() != Some(stale) {
            return Ok(());
        }
        match &self.inner.session.auth {
            Auth::Password(creds) => {
                self.inner.session.check_not_logged_out()?;
                self.login_within(creds, deadline).await.map(|_| ())
            }
            Auth::Bearer(b) => self.refresh_bearer(b, deadline).await,
            _ => Ok(()),
        }
    }

    /// `POST /api/method/login` (form `usr`, `pwd`) as a call of its own (its own deadline);
    /// keeps the `sid`. Caller holds the renew lock.
    pub(crate) async fn password_login(&self, creds: &Credentials) -> Result<LoginInfo> {
        self.login_within(creds, self.deadline()).await
    }

    /// [`password_login`](Self::password_login) within a call's deadline.
    async fn login_within(
        &self,
        creds: &Credentials,
        deadline: Option<Deadline>,
    ) -> Result<LoginInfo> {
        self.inner.session.set_sid(None);
        let mut req = Request::new(Method::POST, v1_method_path("login"));
        req.anonymous = true;
        req.body = Body::Form(vec![
            ("usr".to_owned(), creds.user.clone()),
            ("pwd".to_owned(), creds.password.expose().to_owned()),
        ]);
        let resp = self.execute_anonymous(&req, deadline).await?;
        let sid = sid_from_set_cookie(
            resp.headers
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok()),
        );
        let info: LoginInfo = resp.decode_whole()?;
        match sid {
            Some(sid) => {
                self.inner.session.set_sid(Some(sid));
                tracing::debug!(user = %creds.user, "logged in");
                Ok(info)
            }
            // The server's message, masked, then cut: it can be of any length.
            None => Err(Error::InvalidInput(format!(
                "login as {:?} returned no session cookie (message: {:?})",
                creds.user,
                crate::api_error::truncate_chars(&resp.mask.str(&info.message), 200)
            ))),
        }
    }

    /// Refresh-token grant at `frappe.integrations.oauth2.get_token`; the new tokens go to the
    /// session and to the `on_refresh` callback. Caller holds the renew lock, so concurrent
    /// calls refresh (and call back) once. A refused grant is [`Error::OAuth`].
    async fn refresh_bearer(&self, bearer: &BearerToken, deadline: Option<Deadline>) -> Result<()> {
        let Some(refresh) = &bearer.refresh else {
            return Ok(());
        };
        let refresh_token = self
            .inner
            .session
            .refresh_token()
            .unwrap_or_else(|| refresh.refresh_token.clone());
        let mut form = vec![
            ("grant_type".to_owned(), "refresh_token".to_owned()),
            (
                "refresh_token".to_owned(),
                refresh_token.expose().to_owned(),
            ),
            ("client_id".to_owned(), refresh.client_id.clone()),
        ];
        if let Some(secret) = &refresh.client_secret {
            form.push(("client_secret".to_owned(), secret.expose().to_owned()));
        }
        let req = oauth::token_request(form);
        let resp = self
            .send_once(&req, &Credential::None, 1, deadline, &mut ())
            .await?;
        let mut tokens = oauth::token_response(&resp, chrono::Utc::now())?;
        // The callback gets a set it can store whole: the refresh token still valid.
        if tokens.refresh_token.is_none() {
            tokens.refresh_token = Some(refresh_token);
        }
        self.inner.session.set_tokens(&tokens);
        tracing::debug!("bearer token refreshed");
        if let Some(on_refresh) = &refresh.on_refresh {
            on_refresh.call(&tokens);
        }
        Ok(())
    }

    /// One request to an OAuth endpoint ([`OAuthApp`](crate::oauth::OAuthApp)): with `bearer`
    /// as its credential, or none; one attempt, never renewed nor retried (a grant is a POST,
    /// a code is single-use), within the client's deadline; the answer returned whatever its
    /// status. `extra` (the code, verifier, token the request carries) joins the mask of the
    /// answer.
    #[cfg(feature = "oauth")]
    pub(crate) async fn send_oauth(
        &self,
        req: &Request,
        bearer: Option<&crate::auth::Secret>,
        extra: &[&crate::auth::Secret],
    ) -> Result<Response> {
        self.url(&req.segments)?;
        let credential = bearer.map_or(Credential::None, |token| {
            Credential::Header(crate::auth::Secret::new(format!(
                "Bearer {}",
                token.expose()
            )))
        });
        let mut resp = self
            .send_once(req, &credential, 1, self.deadline(), &mut ())
            .await?;
        resp.mask = resp.mask.with(extra.iter().map(|s| s.expose()));
        Ok(resp)
    }

    /// One attempt, under the concurrency cap and inside the request span, ending at the
    /// attempt's timeout or the call's deadline, whichever comes first.
    async fn send_once<A: Arriving>(
        &self,
        req: &Request,
        credential: &Credential,
        attempt: u32,
        deadline: Option<Deadline>,
        arriving: &mut A,
    ) -> Result<Response> {
        let mut url = self.url(&req.segments)?;
        let path = url.path().to_owned();
        if !req.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&req.query);
        }
        let span = tracing::debug_span!(
            "frappe_request",
            method = %req.method,
            path = %path,
            attempt,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        async {
            let not_sent = |d: Deadline| d.error(req, path.clone(), attempt - 1, None, false);
            if let Some(limiter) = &self.inner.limiter {
                // The rate first, then a concurrency slot: waiting for the rate holds no slot.
                match deadline {
                    Some(d) => tokio::time::timeout_at(d.at, limiter.wait())
                        .await
                        .map_err(|_| not_sent(d))?,
                    None => limiter.wait().await,
                }
            }
            let acquire = self.inner.semaphore.acquire();
            let permit = match deadline {
                Some(d) => tokio::time::timeout_at(d.at, acquire)
                    .await
                    .map_err(|_| not_sent(d))?,
                None => acquire.await,
            };
            let _permit =
                permit.map_err(|_| Error::InvalidInput("the client was shut down".into()))?;
            let started = Instant::now();
            if let Some(d) = deadline.filter(|d| d.at <= started) {
                return Err(not_sent(d));
            }
            let attempt_end = self
                .inner
                .timeout
                .and_then(|t| started.checked_add(t).map(|at| (at, TimeLimit::Attempt(t))));
            let end = match (attempt_end, deadline) {
                (Some((at, limit)), Some(d)) if at < d.at => Some((at, limit)),
                (_, Some(d)) => Some((d.at, TimeLimit::Deadline(d.limit))),
                (end, None) => end,
            };
            let attempt_stats = self.inner.counters.start();
            let exchange = self.exchange(req, credential, url, &path, arriving);
            let result =
                match end {
                    Some((at, limit)) => tokio::time::timeout_at(at, exchange)
                        .await
                        .unwrap_or_else(|_| {
                            Err(Error::Timeout(Box::new(TimeoutError {
                                method: req.method.to_string(),
                                path: path.clone(),
                                limit,
                                attempts: attempt,
                                last: None,
                                // The request may have gone out before the time ran out.
                                sent: true,
                            })))
                        }),
                    None => exchange.await,
                };
            let took = started.elapsed();
            let elapsed = took.as_secs_f64() * 1000.0;
            let span = tracing::Span::current();
            span.record("elapsed_ms", elapsed);
            match &result {
                Ok(response) => {
                    attempt_stats.response(
                        response.status.as_u16(),
                        response.body.len(),
                        &response.headers,
                    );
                    span.record("status", response.status.as_u16());
                    tracing::debug!(
                        status = response.status.as_u16(),
                        elapsed_ms = elapsed,
                        bytes = response.body.len(),
                        "response"
                    );
                }
                Err(err) => {
                    attempt_stats.failure();
                    tracing::debug!(error = %err, "request failed");
                }
            }
            result
        }
        .instrument(span)
        .await
    }
}

impl Response {
    /// The error this non-2xx response maps to, the client's secrets masked (see
    /// `Response::error`).
    pub(crate) fn into_error(self) -> Error {
        self.error()
    }
}

#[cfg(test)]
mod tests {
    //! Where a test needs the client's insides (its semaphore); the rest of the request path is
    //! tested against local servers in `tests/behaviour` and `tests/faults`.

    use serde_json::json;
    use wiremock::MockServer;

    use super::*;
    use crate::Auth;

    const SHORT: Duration = Duration::from_millis(150);

    #[tokio::test]
    async fn a_call_still_waiting_for_a_slot_at_its_deadline_was_not_sent() {
        let server = MockServer::start().await;
        let c = Client::builder(server.uri())
            .auth(Auth::token("k", "s"))
            .max_concurrency(1)
            .deadline(SHORT)
            .build()
            .unwrap();
        // Another call holds the only slot for longer than the deadline.
        let busy = c.inner.semaphore.acquire().await.unwrap();
        let err = c
            .doctype("ToDo")
            .insert(&json!({"description": "x"}))
            .await
            .unwrap_err();
        drop(busy);
        let Error::Timeout(t) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(t.limit, TimeLimit::Deadline(SHORT));
        assert_eq!(t.attempts, 0);
        assert!(!err.maybe_committed(), "{err:?}");
        assert!(server.received_requests().await.unwrap().is_empty());
    }
}
