//! The HTTP side: one axum fallback handler that authenticates the request, routes it by path
//! as `frappe/api/v1.py` and `frappe/handler.py` do, and answers with Frappe's envelopes
//! (`{"data": ...}` for resources, `{"message": ...}` for methods) or its error bodies. Routes
//! it does not implement answer 501 naming the route.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, Response, StatusCode, header};
use base64::Engine as _;
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};

use super::docs;
use super::error::{SiteError, SiteResult};
use super::list;
use super::store::State;
use super::users::{Caller, User};

/// What the handler shares.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) users: Arc<Vec<User>>,
}

/// The largest body the site reads.
const MAX_BODY: usize = 32 * 1024 * 1024;

pub(crate) async fn handle(shared: Shared, request: Request<Body>) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            return error_response(&SiteError::new(413, "RequestEntityTooLarge", e.to_string()));
        }
    };
    let query = parts.uri.query().unwrap_or("").to_owned();
    let path = parts.uri.path().to_owned();
    match route(&shared, &parts.method, &path, &query, &parts.headers, &body) {
        Ok((status, value)) => json_response(status, &value),
        Err(e) => error_response(&e),
    }
}

fn json_response(status: u16, value: &Value) -> Response<Body> {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(value.to_string()))
        .unwrap_or_default()
}

fn error_response(e: &SiteError) -> Response<Body> {
    json_response(e.status, &e.body())
}

/// The caller the credentials name: `token key:secret` or `Basic base64(key:secret)`; Guest
/// without them; 401 for credentials that match no user.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> SiteResult<Caller> {
    let Some(auth) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller {
            user: "Guest".into(),
            roles: vec!["Guest".into()],
        });
    };
    let auth = auth.to_str().unwrap_or_default();
    let pair = if let Some(t) = auth.strip_prefix("token ") {
        t.to_owned()
    } else if let Some(b) = auth.strip_prefix("Basic ") {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b.trim())
            .map_err(|_| SiteError::new(400, "InvalidAuthorizationToken", ""))?;
        String::from_utf8(bytes)
            .map_err(|_| SiteError::new(400, "InvalidAuthorizationToken", ""))?
    } else {
        return Err(SiteError::unsupported(
            "this Authorization scheme (token and Basic are implemented)",
        ));
    };
    let (key, secret) = pair
        .split_once(':')
        .ok_or_else(|| SiteError::new(401, "AuthenticationError", ""))?;
    for user in shared.users.iter() {
        if let Some((k, s)) = &user.api_key {
            if k == key && s == secret {
                return Ok(if user.name == "Administrator" {
                    Caller::administrator()
                } else {
                    Caller {
                        user: user.name.clone(),
                        roles: user.roles.clone(),
                    }
                });
            }
        }
    }
    Err(SiteError::new(401, "AuthenticationError", ""))
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// The query string as pairs.
pub(crate) fn pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `get_request_form_data`: the form's `data`, or the body as JSON.
fn form_data(headers: &HeaderMap, body: &[u8]) -> SiteResult<Value> {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let text = if form {
        pairs(&String::from_utf8_lossy(body))
            .into_iter()
            .find(|(k, _)| k == "data")
            .map(|(_, v)| v)
            .unwrap_or_default()
    } else {
        String::from_utf8_lossy(body).into_owned()
    };
    serde_json::from_str(&text).map_err(|e| SiteError::bad_json("the request body", &e))
}

fn route(
    shared: &Shared,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> SiteResult<(u16, Value)> {
    let caller = authenticate(shared, headers)?;
    let path = path
        .strip_prefix("/api/v1/")
        .map_or_else(|| path.to_owned(), |rest| format!("/api/{rest}"));
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut state = shared
        .state
        .lock()
        .map_err(|_| SiteError::new(500, "Exception", "the test site's state is poisoned"))?;
    match (method, segments.as_slice()) {
        (_, ["", "api", "resource", ..]) if caller.user == "Guest" => {
            Err(SiteError::permission("Not permitted"))
        }
        (&Method::GET, ["", "api", "resource", doctype]) => {
            let rows = list::get_list(&state, &decode(doctype), &pairs(query), &caller)?;
            Ok((200, json!({ "data": rows })))
        }
        (&Method::POST, ["", "api", "resource", doctype]) => {
            let data = form_data(headers, body)?;
            let doc = docs::insert(&mut state, &decode(doctype), data, &caller)?;
            Ok((200, json!({ "data": doc })))
        }
        (_, ["", "api", "resource", doctype, name @ ..]) if !name.is_empty() => {
            let doctype = decode(doctype);
            let name = decode(&name.join("/"));
            match *method {
                Method::GET => Ok((
                    200,
                    json!({ "data": docs::get(&state, &doctype, &name, &caller)? }),
                )),
                Method::PUT => {
                    let data = form_data(headers, body)?;
                    let doc = docs::update(&mut state, &doctype, &name, data, &caller)?;
                    Ok((200, json!({ "data": doc })))
                }
                Method::DELETE => {
                    docs::delete(&mut state, &doctype, &name, &caller)?;
                    Ok((202, json!({ "data": "ok" })))
                }
                _ => Err(SiteError::unsupported(format!("{method} {path}"))),
            }
        }
        (_, ["", "api", "method", "ping"]) => Ok((200, json!({ "message": "pong" }))),
        (_, ["", "api", "method", "frappe.auth.get_logged_user"]) => {
            if caller.user == "Guest" {
                Err(SiteError::new(401, "AuthenticationError", ""))
            } else {
                Ok((200, json!({ "message": caller.user })))
            }
        }
        _ => Err(SiteError::unsupported(format!("{method} {path}"))),
    }
}
