//! The HTTP side: one axum fallback handler that authenticates the request, routes it by path
//! as `frappe/api/v1.py` and `frappe/handler.py` do, and answers with Frappe's envelopes
//! (`{"data": ...}` for resources, `{"message": ...}` for methods) or its error bodies. Routes
//! it does not implement answer 501 naming the route.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, Response, StatusCode, header};
use base64::Engine as _;
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};

use super::error::{SiteError, SiteResult};
use super::faults::{FaultKind, Faults, Recorded};
use super::files;
use super::list;
use super::methods::{self, MethodCall};
use super::store::State;
use super::users::{Caller, User};
use super::{doc_methods, docs};

/// What the handler shares.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) users: Arc<Vec<User>>,
    /// Session id -> user, from `/api/method/login`.
    pub(crate) sessions: Arc<Mutex<HashMap<String, String>>>,
    /// Methods the test registered.
    pub(crate) methods: Arc<methods::Registry>,
    /// Document methods the test registered.
    pub(crate) doc_methods: Arc<doc_methods::DocRegistry>,
    /// File contents by `file_url`.
    pub(crate) files: Arc<Mutex<HashMap<String, files::Stored>>>,
    /// Faults in force.
    pub(crate) faults: Arc<Mutex<Faults>>,
    /// Every request received.
    pub(crate) log: Arc<Mutex<Vec<Recorded>>>,
}

/// A successful answer.
struct Reply {
    status: u16,
    body: Value,
    cookies: Vec<String>,
    /// A body that is not JSON: its content type and bytes.
    raw: Option<(String, Vec<u8>)>,
}

fn reply(status: u16, body: Value) -> SiteResult<Reply> {
    Ok(Reply {
        status,
        body,
        cookies: Vec::new(),
        raw: None,
    })
}

/// Who sent the request, and whether they sent a session cookie that is no longer valid.
struct Auth {
    caller: Caller,
    expired: bool,
}

/// The largest body the site reads.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// Why a connection was closed without an answer (an injected fault).
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Accepts and serves connections (HTTP/1.1, keep-alive) until the task is aborted; aborting
/// it drops the connections' tasks too.
pub(crate) async fn serve(listener: tokio::net::TcpListener, shared: Shared) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let shared = shared.clone();
        connections.spawn(async move {
            let service =
                hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                    let shared = shared.clone();
                    async move { handle(shared, request.map(Body::new)).await }
                });
            // A fault's `Dropped` ends the connection here, without an answer.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
        while connections.try_join_next().is_some() {}
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding a lock cannot leave these structures half-updated in a way that
    // matters to a test; keep serving.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn handle(shared: Shared, request: Request<Body>) -> Result<Response<Body>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            return Ok(error_response(&SiteError::new(
                413,
                "RequestEntityTooLarge",
                e.to_string(),
            )));
        }
    };
    let query = parts.uri.query().unwrap_or("").to_owned();
    let path = parts.uri.path().to_owned();
    let auth = authenticate(&shared, &parts.headers);
    let mut record = Recorded {
        method: parts.method.to_string(),
        path: path.clone(),
        query: query.clone(),
        body: recorded_body(&parts.headers, &body),
        user: auth
            .as_ref()
            .map_or_else(|_| "Guest".to_owned(), |a| a.caller.user.clone()),
        status: None,
    };
    let fault = lock(&shared.faults).take(parts.method.as_str(), &path);
    let mut drop_after = false;
    match fault {
        Some(FaultKind::Status {
            status,
            retry_after,
        }) => {
            record.status = Some(status);
            lock(&shared.log).push(record);
            let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = Response::builder()
                .status(code)
                .header(header::CONTENT_TYPE, "text/plain");
            if let Some(secs) = retry_after {
                response = response.header(header::RETRY_AFTER, secs.to_string());
            }
            let text = format!(
                "{} {}",
                code.as_u16(),
                code.canonical_reason().unwrap_or("")
            );
            return Ok(response.body(Body::from(text)).unwrap_or_default());
        }
        Some(FaultKind::Drop) => {
            lock(&shared.log).push(record);
            return Err(Dropped);
        }
        Some(FaultKind::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(FaultKind::DropAfterProcessing) => drop_after = true,
        None => {}
    }
    let v2 = path.starts_with("/api/v2/");
    let error_response = |e: &SiteError| {
        if v2 {
            json_response(e.status, &e.body_v2(), &[])
        } else {
            error_response(e)
        }
    };
    let response = match auth {
        Err(e) => error_response(&e),
        Ok(auth) => match route(
            &shared,
            &auth.caller,
            &parts.method,
            &path,
            &query,
            &parts.headers,
            &body,
        ) {
            Ok(Reply {
                status,
                raw: Some((content_type, bytes)),
                ..
            }) => Response::builder()
                .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(bytes))
                .unwrap_or_default(),
            Ok(reply) => json_response(reply.status, &reply.body, &reply.cookies),
            Err(e) if auth.expired => error_response(&e.with("session_expired", 1)),
            Err(e) => error_response(&e),
        },
    };
    if drop_after {
        lock(&shared.log).push(record);
        return Err(Dropped);
    }
    record.status = Some(response.status().as_u16());
    lock(&shared.log).push(record);
    Ok(response)
}

fn json_response(status: u16, value: &Value, cookies: &[String]) -> Response<Body> {
    let mut response = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .header(header::CONTENT_TYPE, "application/json");
    for cookie in cookies {
        response = response.header(header::SET_COOKIE, cookie);
    }
    response
        .body(Body::from(value.to_string()))
        .unwrap_or_default()
}

fn error_response(e: &SiteError) -> Response<Body> {
    json_response(e.status, &e.body(), &[])
}

fn guest() -> Caller {
    Caller {
        user: "Guest".into(),
        roles: vec!["Guest".into()],
    }
}

/// The `sid` cookie's value.
fn sid(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix("sid="))
        .map(str::to_owned)
        .next()
}

/// The caller the credentials name: `token key:secret` or `Basic base64(key:secret)`, else the
/// session of the `sid` cookie; Guest without them; 401 for keys that match no user. An unknown
/// `sid` makes the caller Guest with `session_expired` (Frappe's `SessionExpired` handling).
fn authenticate(shared: &Shared, headers: &HeaderMap) -> SiteResult<Auth> {
    let Some(auth) = headers.get(header::AUTHORIZATION) else {
        let Some(sid) = sid(headers).filter(|s| !s.is_empty() && s != "Guest") else {
            return Ok(Auth {
                caller: guest(),
                expired: false,
            });
        };
        let user = shared
            .sessions
            .lock()
            .ok()
            .and_then(|s| s.get(&sid).cloned());
        let found = user.and_then(|u| shared.users.iter().find(|x| x.name == u));
        return Ok(match found {
            Some(user) => Auth {
                caller: user.caller(),
                expired: false,
            },
            None => Auth {
                caller: guest(),
                expired: true,
            },
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
    shared
        .users
        .iter()
        .find(|u| {
            u.api_key
                .as_ref()
                .is_some_and(|(k, s)| k == key && s == secret)
        })
        .map(|u| Auth {
            caller: u.caller(),
            expired: false,
        })
        .ok_or_else(|| SiteError::new(401, "AuthenticationError", ""))
}

/// `/api/method/login`: `usr` and `pwd` from the form or a JSON body.
fn login(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> SiteResult<Reply> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let fields: HashMap<String, String> = if is_form {
        pairs(&String::from_utf8_lossy(body)).into_iter().collect()
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => m
                .into_iter()
                .map(|(k, v)| (k, super::docs::cstr(Some(&v))))
                .collect(),
            _ => HashMap::new(),
        }
    };
    let usr = fields.get("usr").cloned().unwrap_or_default();
    let pwd = fields.get("pwd").cloned().unwrap_or_default();
    let user = shared
        .users
        .iter()
        .find(|u| u.name == usr && u.password.as_deref() == Some(pwd.as_str()));
    let Some(user) = user else {
        return Err(SiteError::new(401, "AuthenticationError", "")
            .with("message", "Invalid login credentials"));
    };
    let sid = format!(
        "{}{}{}",
        super::naming::hash_name(),
        super::naming::hash_name(),
        super::naming::hash_name()
    );
    if let Ok(mut sessions) = shared.sessions.lock() {
        sessions.insert(sid.clone(), user.name.clone());
    }
    Ok(Reply {
        status: 200,
        body: json!({
            "message": "Logged In",
            "home_page": "/app",
            "full_name": user.full_name.clone().unwrap_or_else(|| user.name.clone()),
        }),
        cookies: vec![format!("sid={sid}; HttpOnly; Path=/; SameSite=Lax")],
        raw: None,
    })
}

/// `/api/method/logout`: ends the cookie's session.
fn logout(shared: &Shared, headers: &HeaderMap) -> SiteResult<Reply> {
    if let (Some(sid), Ok(mut sessions)) = (sid(headers), shared.sessions.lock()) {
        sessions.remove(&sid);
    }
    Ok(Reply {
        status: 200,
        body: json!({"message": "No App", "home_page": "/login", "full_name": "Guest"}),
        cookies: vec![
            "sid=Guest; HttpOnly; Path=/; SameSite=Lax".into(),
            "sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/".into(),
        ],
        raw: None,
    })
}

/// A stored file: private ones to logged-in users only (403 HTML for Guest, as Frappe answers).
fn serve_file(shared: &Shared, caller: &Caller, path: &str) -> SiteResult<Reply> {
    let url = percent_decode_str(path).decode_utf8_lossy().into_owned();
    let html = |status: u16, text: &str| Reply {
        status,
        body: Value::Null,
        cookies: Vec::new(),
        raw: Some((
            "text/html; charset=utf-8".into(),
            format!("<!doctype html>\n<html lang=en>\n<title>{status}</title>\n<p>{text}</p>\n")
                .into_bytes(),
        )),
    };
    let Some(file) = lock(&shared.files).get(&url).cloned() else {
        return Ok(html(404, "Not Found"));
    };
    if file.private && caller.user == "Guest" {
        return Ok(html(
            403,
            "You don&#39;t have permission to access this file",
        ));
    }
    Ok(Reply {
        status: 200,
        body: Value::Null,
        cookies: Vec::new(),
        raw: Some((file.content_type, file.bytes)),
    })
}

/// werkzeug's `NotFound` page, as Frappe sends it for an exception it does not wrap.
fn not_found_page(text: &str) -> Reply {
    Reply {
        status: 404,
        body: Value::Null,
        cookies: Vec::new(),
        raw: Some((
            "text/html; charset=utf-8".into(),
            format!(
                "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>{text}</p>\n"
            )
            .into_bytes(),
        )),
    }
}

/// 403 for Guest calling a method that is not `allow_guest`.
fn not_whitelisted(method: &str) -> SiteError {
    SiteError::permission(format!(
        "<details><summary>You are not permitted to access this resource.</summary>Function <strong>{method}</strong> is not whitelisted.</details>"
    ))
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

/// `frappe.form_dict`: the query string, then the JSON object or form of the body.
fn method_args(
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> SiteResult<serde_json::Map<String, Value>> {
    let mut args: serde_json::Map<String, Value> = pairs(query)
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        for (k, v) in pairs(&String::from_utf8_lossy(body)) {
            args.insert(k, Value::String(v));
        }
    } else if content_type.starts_with("application/json") && !body.is_empty() {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => args.extend(m),
            Ok(_) => {}
            Err(e) => return Err(SiteError::bad_json("the request body", &e)),
        }
    } else if !body.is_empty() && !content_type.is_empty() {
        return Err(SiteError::unsupported(format!(
            "method arguments sent as {content_type}"
        )));
    }
    args.remove("cmd");
    Ok(args)
}

/// API v2 (`frappe/api/v2.py`): its routes answered by the v1 handlers they match, every
/// success in `{"data": ...}`.
fn route_v2(
    shared: &Shared,
    caller: &Caller,
    method: &Method,
    rest: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> SiteResult<Reply> {
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let v1 = |path: String, query: &str| route(shared, caller, method, &path, query, headers, body);
    match segments.as_slice() {
        ["method", "run_doc_method"] => Err(SiteError::unsupported(
            "API v2's run_doc_method (a document and kwargs)",
        )),
        ["method", m] => {
            let mut reply = v1(format!("/api/method/{m}"), query)?;
            if reply.raw.is_none() {
                let mut out =
                    json!({ "data": reply.body.get("message").cloned().unwrap_or(Value::Null) });
                if let Some(Value::String(text)) = reply.body.get("_server_messages") {
                    let outer: Vec<String> = serde_json::from_str(text).unwrap_or_default();
                    let inner: Vec<Value> = outer
                        .iter()
                        .filter_map(|m| serde_json::from_str(m).ok())
                        .collect();
                    out["messages"] = Value::Array(inner);
                }
                reply.body = out;
            }
            Ok(reply)
        }
        ["document", doctype] if *method == Method::GET => {
            // `document_list`: `limit` (default 20) is the page length.
            let mut params: Vec<(String, String)> = pairs(query)
                .into_iter()
                .filter(|(k, _)| k != "limit_page_length")
                .collect();
            let limit = params
                .iter()
                .find(|(k, _)| k == "limit")
                .map_or_else(|| "20".to_owned(), |(_, v)| v.clone());
            params.retain(|(k, _)| k != "limit");
            params.push(("limit_page_length".into(), limit));
            let state = lock(&shared.state);
            let rows = list::get_list(&state, &decode(doctype), &params, caller)?;
            reply(200, json!({ "data": rows }))
        }
        ["document", doctype] => v1(format!("/api/resource/{doctype}"), query),
        ["document", doctype, name @ .., "method", m] if !name.is_empty() => {
            let mut args = method_args(query, headers, body)?;
            args.insert("run_method".into(), Value::String(decode(m)));
            let mut state = lock(&shared.state);
            let name = decode(&name.join("/"));
            match doc_methods::v1(
                &mut state,
                &shared.doc_methods,
                caller,
                method.as_str(),
                &decode(doctype),
                &name,
                args,
            ) {
                Ok(value) => reply(200, json!({ "data": value })),
                Err(e) if e.exc_type == doc_methods::NOT_FOUND => Ok(not_found_page(&e.text)),
                Err(e) => Err(e),
            }
        }
        ["document", doctype, name @ ..] if !name.is_empty() && *method != Method::POST => {
            let method = if *method == Method::PATCH {
                &Method::PUT
            } else {
                method
            };
            route(
                shared,
                caller,
                method,
                &format!("/api/resource/{doctype}/{}", name.join("/")),
                query,
                headers,
                body,
            )
        }
        ["doctype", doctype, "count"] if *method == Method::GET => {
            let doctype = decode(doctype);
            let mut params: Vec<(String, String)> = pairs(query)
                .into_iter()
                .filter(|(k, _)| k == "filters" || k == "or_filters")
                .collect();
            params.push(("limit_page_length".into(), "0".into()));
            params.push(("fields".into(), "[\"name\"]".into()));
            let state = lock(&shared.state);
            let n = list::get_list(&state, &doctype, &params, caller)?.len();
            reply(200, json!({ "data": n }))
        }
        _ => Err(SiteError::unsupported(format!("{method} /api/v2/{rest}"))),
    }
}

fn route(
    shared: &Shared,
    caller: &Caller,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> SiteResult<Reply> {
    if let Some(rest) = path.strip_prefix("/api/v2/") {
        return route_v2(shared, caller, method, rest, query, headers, body);
    }
    let path = path
        .strip_prefix("/api/v1/")
        .map_or_else(|| path.to_owned(), |rest| format!("/api/{rest}"));
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let caller = caller.clone();
    match segments.as_slice() {
        ["", "api", "method", "login"] => return login(shared, headers, body),
        ["", "api", "method", "logout"] => return logout(shared, headers),
        ["", "api", "method", "ping"] => return reply(200, json!({ "message": "pong" })),
        ["", "files", ..] | ["", "private", "files", ..] if *method == Method::GET => {
            return serve_file(shared, &caller, &path);
        }
        ["", "api", "method", m] => {
            if let Some((f, allow_guest)) = shared.methods.get(*m) {
                if caller.user == "Guest" && !allow_guest {
                    return Err(not_whitelisted(m));
                }
                let call = MethodCall {
                    user: caller.user.clone(),
                    http_method: method.to_string(),
                    args: method_args(query, headers, body)?,
                };
                let value = f(&call)?;
                return reply(200, json!({ "message": value }));
            }
            if caller.user == "Guest" {
                return Err(not_whitelisted(m));
            }
        }
        _ => {}
    }
    let mut state = lock(&shared.state);
    match (method, segments.as_slice()) {
        (&Method::GET, ["", "api", "resource", doctype]) => {
            let rows = list::get_list(&state, &decode(doctype), &pairs(query), &caller)?;
            reply(200, json!({ "data": rows }))
        }
        (&Method::POST, ["", "api", "resource", doctype]) => {
            let data = form_data(headers, body)?;
            let doc = docs::insert(&mut state, &decode(doctype), data, &caller)?;
            reply(200, json!({ "data": doc }))
        }
        (_, ["", "api", "resource", doctype, name @ ..]) if !name.is_empty() => {
            let doctype = decode(doctype);
            let name = decode(&name.join("/"));
            match *method {
                Method::GET | Method::POST
                    if *method == Method::POST
                        || pairs(query).iter().any(|(k, _)| k == "run_method") =>
                {
                    let args = method_args(query, headers, body)?;
                    let value = doc_methods::v1(
                        &mut state,
                        &shared.doc_methods,
                        &caller,
                        method.as_str(),
                        &doctype,
                        &name,
                        args,
                    );
                    match value {
                        Ok(value) => reply(200, json!({ "data": value })),
                        Err(e) if e.exc_type == doc_methods::NOT_FOUND => {
                            Ok(not_found_page(&e.text))
                        }
                        Err(e) => Err(e),
                    }
                }
                Method::GET => {
                    let doc = docs::get(&state, &doctype, &name, &caller)?;
                    reply(200, json!({ "data": doc }))
                }
                Method::PUT => {
                    let data = form_data(headers, body)?;
                    let doc = docs::update(&mut state, &doctype, &name, data, &caller)?;
                    reply(200, json!({ "data": doc }))
                }
                Method::DELETE => {
                    docs::delete(&mut state, &doctype, &name, &caller)?;
                    reply(202, json!({ "data": "ok" }))
                }
                _ => Err(SiteError::unsupported(format!("{method} {path}"))),
            }
        }
        (_, ["", "api", "method", "frappe.auth.get_logged_user"]) => {
            reply(200, json!({ "message": caller.user }))
        }
        (&Method::POST, ["", "api", "method", "upload_file"]) => {
            let content_type = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let mut stored = lock(&shared.files);
            let file = files::upload(&mut state, &mut stored, &caller, content_type, body)?;
            reply(200, json!({ "message": file }))
        }
        (_, ["", "api", "method", "run_doc_method" | "runserverobj"]) => {
            let args = method_args(query, headers, body)?;
            let body = doc_methods::run_doc_method(
                &mut state,
                &shared.doc_methods,
                &caller,
                method.as_str(),
                &args,
            )?;
            reply(200, body)
        }
        (_, ["", "api", "method", "frappe.desk.reportview.get"]) => {
            let args = method_args(query, headers, body)?;
            reply(
                200,
                json!({ "message": methods::report_view(&state, &caller, &args)? }),
            )
        }
        (_, ["", "api", "method", m]) if m.starts_with("frappe.client.") => {
            let args = method_args(query, headers, body)?;
            let mut printed = Vec::new();
            let mut body = match methods::call_frappe(&mut state, &caller, m, &args, &mut printed)?
            {
                Some(message) => json!({ "message": message }),
                None => json!({}),
            };
            if !printed.is_empty() {
                let inner: Vec<String> = printed.iter().map(Value::to_string).collect();
                body["_server_messages"] = Value::String(json!(inner).to_string());
            }
            reply(200, body)
        }
        (_, ["", "api", "method", m]) => Err(SiteError::unsupported(format!(
            "the method {m} (register it with TestSiteBuilder::method)"
        ))),
        _ => Err(SiteError::unsupported(format!("{method} {path}"))),
    }
}

/// A request body as the request log keeps it: JSON as a value, anything else as text; the
/// values of credential keys (`pwd`, `api_secret`, `*token*`, ... in JSON or a form) as `***`.
fn recorded_body(headers: &HeaderMap, body: &[u8]) -> Value {
    fn hide(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if crate::redact::is_sensitive_key(key) && !v.is_null() {
                        *v = Value::from("***");
                    } else {
                        hide(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(hide),
            _ => {}
        }
    }
    if body.is_empty() {
        return Value::Null;
    }
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if form {
        let pairs = url::form_urlencoded::parse(body).map(|(k, v)| {
            let hidden = crate::redact::is_sensitive_key(&k);
            (k, if hidden { "***".into() } else { v })
        });
        return Value::String(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish(),
        );
    }
    match serde_json::from_slice(body) {
        Ok(mut value) => {
            hide(&mut value);
            value
        }
        Err(_) => Value::String(String::from_utf8_lossy(body).into_owned()),
    }
}
