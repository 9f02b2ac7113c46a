//! Replaying transcripts over a real local HTTP server (wiremock on 127.0.0.1).
//!
//! [`Replay::start`] mounts one mock per transcript that answers a request with the recorded
//! method, path and (semantically equal) query, with the recorded status, content type,
//! `Set-Cookie` headers and body, and expects it exactly once. Anything else hits a loud
//! catch-all: a 500 whose Frappe-shaped body names the unexpected request, and which is itself
//! expected never to fire. After the client call, [`Replay::assert_requests`] compares every
//! request the client actually sent with the recording: method, path, query, headers (masked
//! secrets replaced by test credentials) and body (JSON, form or multipart).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

use super::multipart;
use super::transcript::{SID, Transcript, substitute_with};

/// A running replay of one or more transcripts.
pub struct Replay {
    /// The local server (127.0.0.1, random port).
    pub server: MockServer,
    transcripts: Vec<Transcript>,
    sids: Vec<String>,
    ignored_headers: Vec<String>,
}

/// Builder for a [`Replay`]: which transcripts, which recorded headers not to check.
pub struct ReplayBuilder {
    transcripts: Vec<Transcript>,
    sids: Vec<String>,
    ignored_headers: Vec<String>,
}

impl Replay {
    /// Starts a server replaying `t`.
    pub async fn start(t: Transcript) -> Replay {
        Replay::builder([t]).start().await
    }

    /// A builder for a replay of several transcripts, expected in this order.
    pub fn builder(ts: impl IntoIterator<Item = Transcript>) -> ReplayBuilder {
        let transcripts: Vec<Transcript> = ts.into_iter().collect();
        ReplayBuilder {
            sids: vec![SID.to_string(); transcripts.len()],
            transcripts,
            ignored_headers: Vec::new(),
        }
    }

    /// Base URL of the local server.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The (first) transcript.
    pub fn transcript(&self) -> &Transcript {
        &self.transcripts[0]
    }

    /// Asserts that the client sent exactly the recorded requests, in order.
    pub async fn assert_requests(&self) {
        let got = self
            .server
            .received_requests()
            .await
            .expect("request recording is on");
        let summary: Vec<String> = got.iter().map(describe).collect();
        assert_eq!(
            got.len(),
            self.transcripts.len(),
            "expected {} request(s) ({}), the client sent: {summary:#?}",
            self.transcripts.len(),
            self.transcripts
                .iter()
                .map(|t| t.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        for ((req, t), sid) in got.iter().zip(&self.transcripts).zip(&self.sids) {
            check_request(req, t, sid, &self.ignored_headers);
        }
    }
}

impl ReplayBuilder {
    /// Do not compare this recorded request header (e.g. `Accept` for the probes that sent
    /// `text/html`, which this client never does by design).
    pub fn ignore_header(mut self, name: &str) -> Self {
        self.ignored_headers.push(name.to_ascii_lowercase());
        self
    }

    /// Uses `sid` for `<SID>` in transcript number `index` (0-based, in this replay), in its
    /// response cookies and in the Cookie its request must carry.
    pub fn sid(mut self, index: usize, sid: &str) -> Self {
        self.sids[index] = sid.to_string();
        self
    }

    /// Starts the server and mounts the mocks.
    pub async fn start(self) -> Replay {
        let server = MockServer::start().await;
        let expected: Vec<String> = self
            .transcripts
            .iter()
            .map(|t| format!("{} {}", t.request.method, t.request.path))
            .collect();
        for (t, sid) in self.transcripts.iter().zip(&self.sids) {
            Mock::given(Recorded::new(t))
                .respond_with(recorded_response(t, sid))
                .up_to_n_times(1)
                .expect(1)
                .named(t.file.clone())
                .mount(&server)
                .await;
        }
        Mock::given(wiremock::matchers::any())
            .respond_with(Unexpected(expected.join(", ")))
            .with_priority(u8::MAX)
            .expect(0)
            .named("catch-all: request not in the transcript")
            .mount(&server)
            .await;
        Replay {
            server,
            transcripts: self.transcripts,
            sids: self.sids,
            ignored_headers: self.ignored_headers,
        }
    }
}

/// The recorded response, with secrets substituted in cookies.
pub fn recorded_response(t: &Transcript, sid: &str) -> ResponseTemplate {
    let ct = t
        .response
        .headers
        .content_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    let mut r = ResponseTemplate::new(t.response.status).set_body_raw(t.response_bytes(), &ct);
    for c in &t.response.headers.set_cookie {
        let value = substitute_with(&c.value, sid);
        let cookie = if c.attrs.is_empty() {
            format!("{}={value}", c.name)
        } else {
            format!("{}={value}; {}", c.name, c.attrs)
        };
        r = r.append_header("set-cookie", cookie.as_str());
    }
    r
}

/// Matches method, percent-decoded path and canonical query of a transcript.
struct Recorded {
    method: String,
    path: String,
    query: BTreeMap<String, Value>,
}

impl Recorded {
    fn new(t: &Transcript) -> Self {
        Recorded {
            method: t.request.method.clone(),
            path: decode(&t.request.path),
            query: recorded_query(t),
        }
    }
}

impl Match for Recorded {
    fn matches(&self, req: &Request) -> bool {
        req.method.as_str() == self.method
            && decode(req.url.path()) == self.path
            && received_query(req) == self.query
    }
}

/// Answers anything unexpected with a loud, Frappe-shaped 500.
struct Unexpected(String);

impl Respond for Unexpected {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let msg = format!(
            "frappe-rs replay: no recorded exchange matches {}; recorded: {}",
            describe(req),
            self.0
        );
        ResponseTemplate::new(500).set_body_json(json!({
            "exc_type": "ReplayMismatch",
            "exception": msg,
        }))
    }
}

/// `METHOD /path?query` of a received request, for messages.
pub fn describe(req: &Request) -> String {
    match req.url.query() {
        Some(q) => format!("{} {}?{q}", req.method, req.url.path()),
        None => format!("{} {}", req.method, req.url.path()),
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The DocType a request is about, used to canonicalise 3- and 4-element filters.
fn doctype_of(path: &str, query: &BTreeMap<String, Value>) -> Option<String> {
    if let Some(Value::String(dt)) = query.get("doctype") {
        return Some(dt.clone());
    }
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    segs.windows(2)
        .find(|w| matches!(w[0], "resource" | "document" | "doctype"))
        .map(|w| w[1].to_string())
}

fn recorded_query(t: &Transcript) -> BTreeMap<String, Value> {
    let raw: BTreeMap<String, Value> = t
        .request
        .query
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => parse_param(&s),
                other => other,
            };
            (k, v)
        })
        .collect();
    canonical(&decode(&t.request.path), raw)
}

/// The query the client sent, decoded and canonicalised like the recording.
pub fn received_query(req: &Request) -> BTreeMap<String, Value> {
    let raw = req
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), parse_param(&v)))
        .collect();
    canonical(&decode(req.url.path()), raw)
}

/// A query value as JSON when it is JSON (`["name"]`, `2`), else as a string (`Open`).
fn parse_param(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()))
}

/// Frappe reads `{f: v}`, `{f: [op, v]}`, `[[f, op, v]]` and `[[dt, f, op, v]]` alike
/// (WIRE.md, 022-025); compare them in one form: `[[dt, f, op, v]]`. Empty filters mean none.
fn canonical(path: &str, mut q: BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    let dt = doctype_of(path, &q);
    for key in ["filters", "or_filters"] {
        if let Some(v) = q.remove(key) {
            let empty = matches!(&v, Value::Array(a) if a.is_empty())
                || matches!(&v, Value::Object(m) if m.is_empty());
            if !empty {
                q.insert(key.to_string(), canonical_filters(dt.as_deref(), v));
            }
        }
    }
    q
}

fn canonical_filters(dt: Option<&str>, v: Value) -> Value {
    let dt = Value::String(dt.unwrap_or("?").to_string());
    let rows: Vec<Value> = match v {
        Value::Object(m) => m
            .into_iter()
            .map(|(f, val)| match val {
                Value::Array(a) if a.len() == 2 && a[0].is_string() => {
                    json!([dt, f, a[0], a[1]])
                }
                other => json!([dt, f, "=", other]),
            })
            .collect(),
        Value::Array(rows) => rows
            .into_iter()
            .map(|row| match row {
                Value::Array(r) if r.len() == 3 => {
                    let mut r4 = vec![dt.clone()];
                    r4.extend(r);
                    Value::Array(r4)
                }
                other => other,
            })
            .collect(),
        other => return other,
    };
    Value::Array(rows)
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Compares one received request with its transcript; panics with a precise message.
pub fn check_request(req: &Request, t: &Transcript, sid: &str, ignored_headers: &[String]) {
    let f = &t.file;
    assert_eq!(req.method.as_str(), t.request.method, "{f}: method");
    assert_eq!(decode(req.url.path()), decode(&t.request.path), "{f}: path");
    assert_eq!(received_query(req), recorded_query(t), "{f}: query");

    for (name, recorded) in &t.request.headers {
        let lname = name.to_ascii_lowercase();
        if ignored_headers.contains(&lname) || lname == "content-type" {
            continue;
        }
        let want = substitute_with(recorded, sid);
        let got = header(req, &lname);
        if lname == "cookie" {
            let got = got.unwrap_or_else(|| panic!("{f}: no Cookie header, want {want}"));
            let pairs: Vec<&str> = got.split(';').map(str::trim).collect();
            for w in want.split(';').map(str::trim) {
                assert!(pairs.contains(&w), "{f}: Cookie {got:?} lacks {w:?}");
            }
        } else {
            assert_eq!(got, Some(want.as_str()), "{f}: header {name}");
        }
    }
    if !t.request.headers.contains_key("Cookie") {
        assert_eq!(
            header(req, "cookie"),
            None,
            "{f}: the recorded request carried no Cookie"
        );
    }
    if !t.request.headers.contains_key("Authorization") {
        assert_eq!(
            header(req, "authorization"),
            None,
            "{f}: the recorded request carried no Authorization"
        );
    }
    check_body(req, t, sid);
}

fn check_body(req: &Request, t: &Transcript, sid: &str) {
    let f = &t.file;
    let ct = header(req, "content-type").unwrap_or("");
    let Some(body) = &t.request.body else {
        // A POST without arguments may carry an empty body or an empty JSON object.
        let empty = req.body.is_empty()
            || (ct.starts_with("application/json")
                && serde_json::from_slice::<Value>(&req.body).ok() == Some(json!({})));
        assert!(
            empty,
            "{f}: the recorded request had no body, the client sent {:?}",
            String::from_utf8_lossy(&req.body)
        );
        return;
    };
    let encoding = body["encoding"].as_str().unwrap_or_default();
    assert!(
        ct.starts_with(encoding),
        "{f}: Content-Type {ct:?}, recorded {encoding:?}"
    );
    match encoding {
        "application/json" => {
            let got: Value = serde_json::from_slice(&req.body)
                .unwrap_or_else(|e| panic!("{f}: body is not JSON ({e})"));
            assert_eq!(got, body["value"], "{f}: JSON body");
        }
        "application/x-www-form-urlencoded" => {
            let got: Map<String, Value> = url::form_urlencoded::parse(&req.body)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect();
            let want = substitute_values(&body["value"], sid);
            assert_eq!(Value::Object(got), want, "{f}: form body");
        }
        "multipart/form-data" => multipart::check(f, ct, &req.body, body),
        other => panic!("{f}: unsupported recorded encoding {other}"),
    }
}

fn substitute_values(v: &Value, sid: &str) -> Value {
    match v {
        Value::String(s) => Value::String(substitute_with(s, sid)),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), substitute_values(v, sid)))
                .collect(),
        ),
        other => other.clone(),
    }
}
