//! The single request path. Policy, in order:
//! 1. a path the URL cannot carry is refused; a password client without a session logs in first
//!    (once, under the renew lock; not after `logout()`, which leaves it logged out);
//! 2. the request is sent under the concurrency cap, inside a `frappe_request` tracing span that
//!    records method, path, status, attempt and elapsed milliseconds — never headers, cookies or
//!    the query string;
//! 3. an expired session (403 + `session_expired`) or a rejected bearer token (401, when a refresh
//!    token is configured) is renewed once; the request is then replayed only if idempotent,
//!    otherwise [`Error::SessionExpired`] is returned;
//! 4. retryable failures of idempotent requests are retried per the [`RetryPolicy`](crate::RetryPolicy).

use std::time::Instant;

use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderValue, SET_COOKIE};
use serde::Deserialize;
use tracing::Instrument as _;

use crate::auth::{Auth, BearerToken, Credential, Credentials, Secret, sid_from_set_cookie};
use crate::client::{Body, Client, LoginInfo, Part, Request, Response};
use crate::error::{Error, Result};
use crate::retry::is_idempotent;

impl Client {
    /// Sends `req` with auth, renewal and retries. `Ok` only for 2xx responses.
    pub(crate) async fn execute(&self, req: &Request) -> Result<Response> {
        // A path the URL cannot carry is refused before anything (even a login) is sent.
        self.url(&req.segments)?;
        let mut attempt = 0u32;
        let mut renewed = false;
        loop {
            attempt += 1;
            let credential = if req.anonymous {
                Credential::None
            } else {
                self.current_credential().await?
            };
            let err = match self.send_once(req, &credential, attempt).await {
                Ok(resp) if resp.status.is_success() => return Ok(resp),
                Ok(resp) => resp.into_error(),
                Err(e) => e,
            };
            if !req.anonymous && !req.no_renewal && !renewed && self.needs_renewal(&err) {
                renewed = true;
                self.renew(&credential).await?;
                if is_idempotent(&req.method) {
                    attempt -= 1;
                    continue;
                }
                return Err(Error::SessionExpired);
            }
            if let Some(delay) = self.0.retry.retry_delay(&req.method, attempt, &err) {
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

    /// One attempt without credentials, renewal or retries (login and token refresh are POSTs,
    /// and they must not recurse into renewal).
    async fn execute_anonymous(&self, req: &Request) -> Result<Response> {
        let resp = self.send_once(req, &Credential::None, 1).await?;
        if resp.status.is_success() {
            Ok(resp)
        } else {
            Err(resp.into_error())
        }
    }

    fn needs_renewal(&self, err: &Error) -> bool {
        match (&self.0.session.auth, err) {
            (Auth::Password(_), Error::SessionExpired) => true,
            (Auth::Bearer(b), Error::Unauthorized(_)) => b.refresh.is_some(),
            _ => false,
        }
    }

    /// The credential for the next request; logs in first if a password client has no session.
    async fn current_credential(&self) -> Result<Credential> {
        if let Some(c) = self.0.session.credential() {
            return Ok(c);
        }
        let _guard = self.0.session.renew_lock.lock().await;
        if let Some(c) = self.0.session.credential() {
            return Ok(c);
        }
        match &self.0.session.auth {
            Auth::Password(creds) => {
                self.0.session.check_not_logged_out()?;
                self.password_login(creds).await?;
            }
            Auth::Bearer(b) => {
                self.refresh_bearer(b).await?;
            }
            _ => {}
        }
        self.0.session.credential().ok_or_else(|| {
            Error::InvalidInput("no credential after login; the site sent no sid cookie".into())
        })
    }

    /// Renews the session unless another task already did since `stale` was read.
    async fn renew(&self, stale: &Credential) -> Result<()> {
        let _guard = self.0.session.renew_lock.lock().await;
        if self.0.session.credential().as_ref() != Some(stale) {
            return Ok(());
        }
        match &self.0.session.auth {
            Auth::Password(creds) => {
                self.0.session.check_not_logged_out()?;
                self.password_login(creds).await.map(|_| ())
            }
            Auth::Bearer(b) => self.refresh_bearer(b).await,
            _ => Ok(()),
        }
    }

    /// `POST /api/method/login` (form `usr`, `pwd`); keeps the `sid`. Caller holds the renew lock.
    pub(crate) async fn password_login(&self, creds: &Credentials) -> Result<LoginInfo> {
        self.0.session.set_sid(None);
        let mut req = Request::new(Method::POST, ["api", "method", "login"]);
        req.anonymous = true;
        req.body = Body::Form(vec![
            ("usr".to_owned(), creds.user.clone()),
            ("pwd".to_owned(), creds.password.expose().to_owned()),
        ]);
        let resp = self.execute_anonymous(&req).await?;
        let sid = sid_from_set_cookie(
            resp.headers
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok()),
        );
        let info: LoginInfo = resp.decode_whole()?;
        match sid {
            Some(sid) => {
                self.0.session.set_sid(Some(sid));
                tracing::debug!(user = %creds.user, "logged in");
                Ok(info)
            }
            None => Err(Error::InvalidInput(format!(
                "login as {:?} returned no session cookie (message: {:?})",
                creds.user,
                resp.mask.str(&info.message)
            ))),
        }
    }

    /// Refresh-token grant at `frappe.integrations.oauth2.get_token`. Caller holds the renew lock.
    async fn refresh_bearer(&self, bearer: &BearerToken) -> Result<()> {
        let Some(refresh) = &bearer.refresh else {
            return Ok(());
        };
        let refresh_token = self
            .0
            .session
            .refresh_token()
            .unwrap_or_else(|| refresh.refresh_token.clone());
        let mut req = Request::new(
            Method::POST,
            ["api", "method", "frappe.integrations.oauth2.get_token"],
        );
        req.anonymous = true;
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
        req.body = Body::Form(form);
        let resp = self.execute_anonymous(&req).await?;
        #[derive(Deserialize)]
        struct TokenResponse {
            access_token: Option<String>,
            refresh_token: Option<String>,
            message: Option<Box<TokenResponse>>,
        }
        let body: TokenResponse = resp.decode_whole()?;
        // The token endpoint answers with the bare OAuth JSON; accept a `message` envelope too.
        let body = match body.message {
            Some(inner) if body.access_token.is_none() => *inner,
            _ => body,
        };
        let access = body.access_token.ok_or_else(|| {
            Error::InvalidInput("token refresh answered without an access_token".into())
        })?;
        self.0
            .session
            .set_tokens(Secret::new(access), body.refresh_token.map(Secret::new));
        tracing::debug!("bearer token refreshed");
        Ok(())
    }

    /// One attempt, under the concurrency cap and inside the request span.
    async fn send_once(
        &self,
        req: &Request,
        credential: &Credential,
        attempt: u32,
    ) -> Result<Response> {
        let url = self.url(&req.segments)?;
        let path = url.path().to_owned();
        let span = tracing::debug_span!(
            "frappe_request",
            method = %req.method,
            path = %path,
            attempt,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        async {
            let _permit = self
                .0
                .semaphore
                .acquire()
                .await
                .map_err(|_| Error::InvalidInput("the client was shut down".into()))?;
            let started = Instant::now();
            let mut headers = self.0.headers.clone();
            if req.accept_any {
                // Replace, not add: a download accepts whatever the file is.
                headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
            }
            let mut builder = self
                .0
                .http
                .request(req.method.clone(), url)
                .headers(headers);
            if let Some(t) = self.0.timeout {
                builder = builder.timeout(t);
            }
            if !req.query.is_empty() {
                builder = builder.query(&req.query);
            }
            match credential {
                Credential::None => {}
                Credential::Header(value) => {
                    builder = builder.header(AUTHORIZATION, sensitive(value.expose())?);
                }
                Credential::Cookie(sid) => {
                    builder = builder.header(COOKIE, sensitive(&format!("sid={}", sid.expose()))?);
                }
            }
            builder = match &req.body {
                Body::Empty => builder,
                Body::Json(bytes) => builder
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(bytes.clone()),
                Body::Form(fields) => builder.form(fields),
                Body::Multipart(parts) => builder.multipart(multipart(parts)?),
            };
            let result = builder.send().await;
            let response = match result {
                Ok(r) => r,
                Err(e) => {
                    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
                    tracing::Span::current().record("elapsed_ms", elapsed);
                    let err = Error::transport(&req.method, &path, e);
                    tracing::debug!(error = %err, "request failed");
                    return Err(err);
                }
            };
            let status = response.status();
            let headers = response.headers().clone();
            let body = response
                .bytes()
                .await
                .map_err(|e| Error::transport(&req.method, &path, e))?;
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            let span = tracing::Span::current();
            span.record("status", status.as_u16());
            span.record("elapsed_ms", elapsed);
            tracing::debug!(
                status = status.as_u16(),
                elapsed_ms = elapsed,
                bytes = body.len(),
                "response"
            );
            Ok(Response {
                status,
                headers,
                body,
                method: req.method.clone(),
                path,
                mask: self.0.session.mask(),
            })
        }
        .instrument(span)
        .await
    }
}

/// A header value marked sensitive, so that neither reqwest nor hyper print it.
fn sensitive(value: &str) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidInput("credential contains characters not allowed in a header".into())
    })?;
    v.set_sensitive(true);
    Ok(v)
}

fn multipart(parts: &[Part]) -> Result<reqwest::multipart::Form> {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        form = match part {
            Part::Text(name, value) => form.text(*name, value.clone()),
            Part::File {
                name,
                file_name,
                content_type,
                bytes,
            } => {
                let mut p = reqwest::multipart::Part::stream(reqwest::Body::from(bytes.clone()))
                    .file_name(file_name.clone());
                if let Some(ct) = content_type {
                    p = p.mime_str(ct).map_err(|_| {
                        Error::InvalidInput(format!(
                            "invalid content type {ct:?} for {file_name:?}"
                        ))
                    })?;
                }
                form.part(*name, p)
            }
        };
    }
    Ok(form)
}

impl Response {
    /// The error this non-2xx response maps to, the client's secrets masked (see
    /// `Response::error`).
    pub(crate) fn into_error(self) -> Error {
        self.error()
    }
}
