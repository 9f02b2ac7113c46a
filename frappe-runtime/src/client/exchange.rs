//! One attempt's HTTP exchange: build the request (headers, credential, body), follow the
//! redirects [`redirect`](super::redirect) allows, and read the body up to the client's cap.
//! Time limits, the concurrency cap, renewal and retries are the caller's (`execute.rs`).

use bytes::{Bytes, BytesMut};
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderValue, LOCATION};
use url::Url;

use crate::auth::Credential;
use crate::client::arriving::Arriving;
use crate::client::redirect::{self, Refused};
use crate::client::{Body, Client, Part, Request, Response};
use crate::error::{Error, RedirectError, Result};

/// Capacity reserved up front from `Content-Length`, at most: a server announcing a large body
/// and sending little does not get that memory allocated.
const MAX_RESERVE: u64 = 4 << 20;

/// How many new bytes of a success body are handed to `arriving` at a time (and the rest at
/// its end): decoding after every small chunk made the connection's task wait for this one once
/// per chunk.
const FEED_EVERY: usize = 64 << 10;

impl Client {
    /// Sends `req` to `url` (its query included) and reads the answer, whatever its status.
    /// A success body is handed to `arriving` while it arrives.
    pub(super) async fn exchange<A: Arriving>(
        &self,
        req: &Request,
        credential: &Credential,
        url: Url,
        path: &str,
        arriving: &mut A,
    ) -> Result<Response> {
        let mut headers = self.inner.headers.clone();
        if req.accept_any {
            // Replace, not add: a download accepts whatever the file is.
            headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
        }
        match credential {
            Credential::None => {}
            Credential::Header(value) => {
                headers.insert(AUTHORIZATION, sensitive(value.expose())?);
            }
            Credential::Cookie(sid) => {
                headers.insert(COOKIE, sensitive(&format!("sid={}", sid.expose()))?);
            }
        }
        let refused = |status: Option<u16>, r: Refused| {
            Error::Redirect(Box::new(RedirectError {
                method: req.method.to_string(),
                path: path.to_owned(),
                status,
                location: r.location,
                reason: r.reason,
            }))
        };
        let mask = self.inner.session.mask();
        let mut url = url;
        let mut hops = 0;
        loop {
            let mut builder = self
                .inner
                .http
                .request(req.method.clone(), url.clone())
                .headers(headers.clone());
            // Only the first hop has a body: later ones are GET or HEAD (see `redirect`).
            if hops == 0 {
                builder = match &req.body {
                    Body::Empty => builder,
                    Body::Json(bytes) => builder
                        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                        .body(bytes.clone()),
                    Body::Form(fields) => builder.form(fields),
                    Body::Multipart(parts) => builder.multipart(multipart(parts)?),
                };
            }
            let response = builder
                .send()
                .await
                .map_err(|e| Error::transport(&req.method, path, e))?;
            if *response.url() != url {
                // A user-supplied reqwest::Client followed redirects on its own.
                redirect::check_followed(&req.method, response.url(), &self.inner.base, &mask)
                    .map_err(|r| refused(None, r))?;
            }
            let status = response.status();
            if redirect::is_redirect(status) {
                if let Some(location) = response.headers().get(LOCATION) {
                    url = redirect::next_hop(
                        &req.method,
                        &url,
                        &self.inner.base,
                        location,
                        hops,
                        &mask,
                    )
                    .map_err(|r| refused(Some(status.as_u16()), r))?;
                    hops += 1;
                    tracing::debug!(
                        status = status.as_u16(),
                        to = %redirect::shorten(&mask.str(url.path())),
                        "following a same-origin redirect"
                    );
                    continue;
                }
            }
            let headers = response.headers().clone();
            let arriving = status.is_success().then_some(&mut *arriving);
            let body = self
                .read_body(response, &req.method, path, arriving)
                .await?;
            return Ok(Response {
                status,
                headers,
                body,
                method: req.method.clone(),
                path: path.to_owned(),
                doctype: req.doctype().map(str::to_owned),
                mask,
            });
        }
    }

    /// The whole body, or [`Error::ResponseTooLarge`] as soon as it is known to exceed the
    /// cap: from `Content-Length` before reading, else once the bytes read pass it. The body so
    /// far goes to `arriving` (if any) after each chunk.
    async fn read_body<A: Arriving>(
        &self,
        mut response: reqwest::Response,
        method: &Method,
        path: &str,
        mut arriving: Option<&mut A>,
    ) -> Result<Bytes> {
        let limit = self.inner.max_response_bytes.unwrap_or(u64::MAX);
        let too_large = || Error::ResponseTooLarge {
            method: method.to_string(),
            path: path.to_owned(),
            limit,
        };
        let announced = response.content_length();
        if announced.is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let read_error = |e| Error::transport(method, path, e);
        if let Some(a) = arriving.as_deref_mut() {
            a.start();
        }
        let mut arrived = |body: &[u8]| {
            if let Some(a) = arriving.as_deref_mut() {
                a.arrived(body);
            }
        };
        // The usual single-chunk body is returned without copying.
        let Some(first) = response.chunk().await.map_err(read_error)? else {
            return Ok(Bytes::new());
        };
        if first.len() as u64 > limit {
            return Err(too_large());
        }
        arrived(&first);
        let Some(second) = response.chunk().await.map_err(read_error)? else {
            return Ok(first);
        };
        let reserve = announced.unwrap_or(0).min(MAX_RESERVE) as usize;
        let mut body = BytesMut::with_capacity(reserve.max(first.len() + second.len()));
        body.extend_from_slice(&first);
        let mut next = Some(second);
        let mut fed = first.len();
        while let Some(chunk) = next {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
            if body.len() - fed >= FEED_EVERY {
                arrived(&body);
                fed = body.len();
            }
            next = response.chunk().await.map_err(read_error)?;
        }
        if fed < body.len() {
            arrived(&body);
        }
        Ok(body.freeze())
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
