//! Loading recorded Frappe exchanges from `../shared/frappe-v15` (read in place, never copied).
//!
//! A transcript is one real request/response pair captured on a Frappe v15 site; the file layout
//! is described in `../shared/frappe-v15/README.md`. Secrets in it are masked with placeholders
//! (`<API_KEY>`, `<SID>`, ...) that [`substitute`] swaps for this suite's test credentials.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

/// Test credentials standing in for the masked placeholders of the transcripts.
pub const API_KEY: &str = "wire-key-7f3a";
/// The Administrator API secret used for `<API_SECRET>`.
pub const API_SECRET: &str = "wire-secret-Zq9xK2mP";
/// The limited user's key for `<LIMITED_API_KEY>`.
pub const LIMITED_API_KEY: &str = "wire-limited-key-11b";
/// The limited user's secret for `<LIMITED_API_SECRET>`.
pub const LIMITED_API_SECRET: &str = "wire-limited-secret-Hh4w";
/// The session id for `<SID>`.
pub const SID: &str = "wire-sid-c0ffee5eed";

/// Root of the shared reference data, resolved from this crate's directory.
pub fn shared_root() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/frappe-v15"
    ))
    .to_path_buf()
}

/// One recorded exchange.
#[derive(Debug, Clone, Deserialize)]
pub struct Transcript {
    /// The file it was read from (for messages).
    #[serde(skip)]
    pub file: String,
    /// Short name from the file.
    #[allow(dead_code)]
    pub name: String,
    /// What the exchange was probing.
    #[allow(dead_code)]
    pub note: Option<String>,
    /// The request as sent to Frappe.
    pub request: RecordedRequest,
    /// Frappe's answer.
    pub response: RecordedResponse,
}

/// The request half of a transcript.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path, mostly not percent-encoded (`/api/resource/Contact/Ada Lovelace`).
    pub path: String,
    /// Decoded query parameters; list/dict parameters are JSON strings.
    pub query: Option<Map<String, Value>>,
    /// Headers that were sent, with masked secrets.
    pub headers: BTreeMap<String, String>,
    /// `{encoding, value}` or `{encoding: multipart/form-data, fields, files}`.
    pub body: Option<Value>,
}

/// The response half of a transcript.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// `content-type` and `set-cookie`.
    pub headers: RecordedHeaders,
    /// `json`, `text` or `binary`.
    pub body_kind: String,
    /// The body: JSON, a string, or a `<N bytes of type>` placeholder for binary bodies.
    pub body: Value,
}

/// The response headers kept by the recorder.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordedHeaders {
    /// `Content-Type`.
    #[serde(rename = "content-type")]
    pub content_type: Option<String>,
    /// Every `Set-Cookie`, in order.
    #[serde(rename = "set-cookie", default)]
    pub set_cookie: Vec<RecordedCookie>,
}

/// One `Set-Cookie` header.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordedCookie {
    /// Cookie name.
    pub name: String,
    /// Cookie value (may be `<SID>`).
    pub value: String,
    /// Everything after the value.
    pub attrs: String,
}

/// Core transcript `NNN` (Frappe 15.44.2).
pub fn core(n: u32) -> Transcript {
    load_numbered(&shared_root().join("transcripts"), n)
}

/// ERPNext-site transcript `NNN` (Frappe 15.105 + ERPNext 15.104).
pub fn erpnext(n: u32) -> Transcript {
    load_numbered(&shared_root().join("erpnext/transcripts"), n)
}

fn load_numbered(dir: &Path, n: u32) -> Transcript {
    let prefix = format!("{n:03}-");
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
        panic!(
            "cannot read transcript dir {} ({e}); the shared data must sit at ../shared",
            dir.display()
        )
    });
    let path = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|f| f.to_str())
                .is_some_and(|f| f.starts_with(&prefix) && f.ends_with(".json"))
        })
        .unwrap_or_else(|| panic!("no transcript {prefix}*.json in {}", dir.display()));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut t: Transcript = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a transcript: {e}", path.display()));
    t.file = path
        .strip_prefix(shared_root())
        .unwrap_or(&path)
        .display()
        .to_string();
    t
}

/// Replaces the masked placeholders with the suite's test credentials.
pub fn substitute(s: &str) -> String {
    substitute_with(s, SID)
}

/// [`substitute`], with `sid` standing for `<SID>` (to tell two sessions apart).
pub fn substitute_with(s: &str, sid: &str) -> String {
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{API_KEY}:{API_SECRET}"));
    s.replace("<BASE64(API_KEY:API_SECRET)>", &basic)
        .replace("<LIMITED_API_KEY>", LIMITED_API_KEY)
        .replace("<LIMITED_API_SECRET>", LIMITED_API_SECRET)
        .replace("<API_KEY>", API_KEY)
        .replace("<API_SECRET>", API_SECRET)
        .replace("<SID>", sid)
}

impl Transcript {
    /// The recorded JSON body of the response; panics for text/binary bodies.
    pub fn response_json(&self) -> &Value {
        assert_eq!(
            self.response.body_kind, "json",
            "{}: body is not JSON",
            self.file
        );
        &self.response.body
    }

    /// The recorded request body's `value` (JSON or form), if any.
    pub fn request_value(&self) -> &Value {
        self.request
            .body
            .as_ref()
            .and_then(|b| b.get("value"))
            .unwrap_or_else(|| panic!("{}: request has no body value", self.file))
    }

    /// The response bytes to serve: JSON re-encoded, text as-is, binary synthesised to the
    /// recorded length (the recorder kept only `<N bytes of type>`).
    pub fn response_bytes(&self) -> Vec<u8> {
        match self.response.body_kind.as_str() {
            "json" => serde_json::to_vec(&self.response.body).expect("JSON body"),
            "text" => self
                .response
                .body
                .as_str()
                .unwrap_or_default()
                .as_bytes()
                .to_vec(),
            "binary" => synthetic_binary(self.response.body.as_str().unwrap_or_default()),
            other => panic!("{}: unknown body_kind {other}", self.file),
        }
    }
}

/// Bytes standing in for a `<N bytes of image/png>` placeholder: a PNG signature, then a
/// counting pattern up to N bytes, so a download test can check length and content.
pub fn synthetic_binary(placeholder: &str) -> Vec<u8> {
    let n: usize = placeholder
        .trim_start_matches('<')
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("binary placeholder without a size: {placeholder}"));
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(
        (0..)
            .map(|i: u32| (i % 251) as u8)
            .take(n.saturating_sub(8)),
    );
    bytes.truncate(n);
    bytes
}
