//! [`ApiError`]: what a Frappe error response says, decoded from either envelope.
//!
//! v1 bodies are `{exc_type, exception?, exc?, _server_messages?, _error_message?, message?,
//! session_expired?, _exc_source?}`; v2 bodies are `{"errors":[{type, exception?, message?,
//! title?}]}`. Non-JSON bodies (werkzeug or proxy HTML pages, empty HEAD responses) keep a short
//! plain-text excerpt. `_server_messages` is a JSON string holding a list of JSON strings; each is
//! decoded to a [`ServerMessage`] with HTML stripped, because users read these messages as text.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::mask::SecretMask;
pub(crate) use crate::redact::redact_decode_message;
use crate::redact::redact_secrets;

/// One message the server attached with `frappe.msgprint` / `frappe.throw`.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerMessage {
    /// The message as plain text (HTML tags removed, entities decoded).
    pub message: String,
    /// The dialog title, e.g. `"Message"`, `"Not Permitted"`.
    pub title: Option<String>,
    /// Colour hint: `"red"`, `"green"`, ...
    pub indicator: Option<String>,
    /// `true` when this message is the one the exception was raised with.
    pub raise_exception: bool,
    /// `true` for toast-style alerts.
    pub alert: bool,
}

/// A decoded Frappe error response. Carried by most [`Error`](crate::Error) variants.
///
/// `Debug` is bounded like `Display` (a `main` returning `Result<(), Error>` prints it): the
/// texts are cut at [`ApiError::DISPLAY_MAX_CHARS`] characters and the traceback is shown by
/// its length only; the fields keep everything.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The Python exception class name, e.g. `"MandatoryError"`; kept verbatim, so exception
    /// types this crate does not know (from apps or newer Frappe) survive by name.
    pub exc_type: Option<String>,
    /// The best human-readable message: the server messages, else `_error_message` / `message`,
    /// else the text of `exception`, else (for non-JSON pages) the page's text.
    pub message: String,
    /// Decoded `_server_messages` (v1) or `errors[]` messages (v2).
    pub server_messages: Vec<ServerMessage>,
    /// The server's Python traceback, when the site allows sending it. Not part of `Display`.
    pub traceback: Option<String>,
    /// `_exc_source`, e.g. `"erpnext (app)"`.
    pub exc_source: Option<String>,
    /// The response's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// `true` when the body carried `session_expired: 1`.
    pub session_expired: bool,
    /// The response's `Retry-After`, when it sent one (a 429, or a 503 from a proxy or a site
    /// in maintenance).
    pub retry_after: Option<std::time::Duration>,
    /// Whether the body was a JSON object (a Frappe error) rather than a page or nothing.
    json_body: bool,
}

impl fmt::Display for ApiError {
    /// `HTTP <status> <exc_type>: <message>`, with the message cut at
    /// [`ApiError::DISPLAY_MAX_CHARS`] characters (the field keeps the whole text).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(exc) = &self.exc_type {
            // Class names are short; a longer one is not a class name.
            write!(f, " {}", Limited(exc, 200))?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", Limited(&self.message, Self::DISPLAY_MAX_CHARS))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ServerMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let max = ApiError::DISPLAY_MAX_CHARS;
        f.debug_struct("ServerMessage")
            .field("message", &LimitedDebug(&self.message, max))
            .field(
                "title",
                &self.title.as_deref().map(|t| LimitedDebug(t, 200)),
            )
            .field(
                "indicator",
                &self.indicator.as_deref().map(|t| LimitedDebug(t, 200)),
            )
            .field("raise_exception", &self.raise_exception)
            .field("alert", &self.alert)
            .finish()
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn short(text: &Option<String>) -> Option<LimitedDebug<'_>> {
            text.as_deref().map(|t| LimitedDebug(t, 200))
        }
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("exc_type", &short(&self.exc_type))
            .field(
                "message",
                &LimitedDebug(&self.message, Self::DISPLAY_MAX_CHARS),
            )
            .field("server_messages", &self.server_messages)
            .field(
                "traceback",
                &self.traceback.as_ref().map(|t| Length(t.chars().count())),
            )
            .field("exc_source", &short(&self.exc_source))
            .field("content_type", &short(&self.content_type))
            .field("session_expired", &self.session_expired)
            .field("retry_after", &self.retry_after)
            .field("json_body", &self.json_body)
            .finish()
    }
}

/// A text shown by its length only (a traceback: long, and not for the user).
struct Length(usize);

impl fmt::Debug for Length {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} characters>", self.0)
    }
}

/// `Debug` of at most `.1` characters of `.0` (quoted), then `… (N more characters)`.
pub(crate) struct LimitedDebug<'a>(pub(crate) &'a str, pub(crate) usize);

impl fmt::Debug for LimitedDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let LimitedDebug(text, max) = *self;
        match text.char_indices().nth(max) {
            None => write!(f, "{text:?}"),
            Some((cut, _)) => {
                let more = text[cut..].chars().count();
                write!(f, "{:?}… ({more} more characters)", &text[..cut])
            }
        }
    }
}

/// Displays at most `.1` characters of `.0`, then `… (N more characters)`: error texts come
/// from the server and can be megabytes long, which no log line or terminal should carry.
pub(crate) struct Limited<'a>(pub(crate) &'a str, pub(crate) usize);

impl fmt::Display for Limited<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Limited(text, max) = *self;
        match text.char_indices().nth(max) {
            None => f.write_str(text),
            Some((cut, _)) => {
                let more = text[cut..].chars().count();
                write!(f, "{}… ({more} more characters)", &text[..cut])
            }
        }
    }
}

#[derive(Deserialize, Default)]
struct V1Body {
    exc_type: Option<String>,
    exception: Option<String>,
    exc: Option<String>,
    _server_messages: Option<String>,
    _error_message: Option<String>,
    message: Option<Value>,
    session_expired: Option<Value>,
    _exc_source: Option<String>,
    errors: Option<Vec<V2Error>>,
}

#[derive(Deserialize)]
struct V2Error {
    #[serde(rename = "type")]
    kind: Option<String>,
    exception: Option<String>,
    message: Option<String>,
    title: Option<String>,
    indicator: Option<String>,
}

#[derive(Deserialize)]
struct RawServerMessage {
    message: Option<Value>,
    title: Option<String>,
    indicator: Option<String>,
    raise_exception: Option<Value>,
    alert: Option<Value>,
}

fn truthy(v: &Option<Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => !s.is_empty() && s != "0",
        _ => false,
    }
}

impl ApiError {
    /// How many characters of [`message`](Self::message) `Display` shows (of this error and of
    /// the [`Error`](crate::Error) carrying it); the rest is replaced by
    /// `… (N more characters)`. The `message`, `server_messages` and `traceback` fields always
    /// keep the whole text.
    pub const DISPLAY_MAX_CHARS: usize = 2000;

    /// Decodes an error response body. Never fails: a body that is not a Frappe error becomes an
    /// `ApiError` whose message is an excerpt of the body.
    pub fn from_body(status: u16, content_type: Option<&str>, body: &[u8]) -> Self {
        Self::decode(status, content_type, body, &SecretMask::default())
    }

    /// [`from_body`](Self::from_body), with the client's own secrets replaced by `***` wherever
    /// the server echoed them (before the page excerpt is cut, so no part of one survives).
    pub(crate) fn decode(
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
        mask: &SecretMask,
    ) -> Self {
        let mut err = ApiError {
            status,
            exc_type: None,
            message: String::new(),
            server_messages: Vec::new(),
            traceback: None,
            exc_source: None,
            content_type: content_type.map(str::to_owned),
            session_expired: false,
            retry_after: None,
            json_body: false,
        };
        match serde_json::from_slice::<V1Body>(body) {
            Ok(parsed) => {
                err.json_body = true;
                err.fill(parsed);
                mask.api_error(&mut err);
            }
            Err(_) => {
                err.message = excerpt_text(body, 200, mask);
                mask.api_error(&mut err);
            }
        }
        err
    }

    /// Whether the body was a JSON object (a Frappe error) rather than an HTML or empty page.
    pub fn is_json(&self) -> bool {
        self.json_body
    }

    fn fill(&mut self, body: V1Body) {
        self.session_expired = truthy(&body.session_expired);
        self.exc_source = body._exc_source;
        self.exc_type = body.exc_type;
        if let Some(raw) = &body._server_messages {
            self.server_messages = decode_server_messages(raw);
        }
        if let Some(exc) = &body.exc {
            self.traceback = Some(match serde_json::from_str::<Vec<String>>(exc) {
                Ok(lines) => lines.join("\n"),
                Err(_) => exc.clone(),
            });
        }
        if let Some(errors) = body.errors {
            for e in errors {
                if self.exc_type.is_none() {
                    self.exc_type = e.kind.clone();
                }
                if let Some(tb) = e.exception.filter(|t| !t.is_empty()) {
                    self.traceback.get_or_insert(tb);
                }
                if let Some(message) = e.message {
                    self.server_messages.push(ServerMessage {
                        message: strip_html(&message),
                        title: e.title,
                        indicator: e.indicator,
                        raise_exception: true,
                        alert: false,
                    });
                }
            }
        }
        let plain_message = match &body.message {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        self.message = if !self.server_messages.is_empty() {
            self.server_messages
                .iter()
                .map(|m| m.message.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        } else if let Some(m) = body._error_message.or(plain_message) {
            strip_html(&m)
        } else if let Some(exception) = &body.exception {
            // "frappe.exceptions.PermissionError: text" -> "text"
            let text = exception
                .split_once(": ")
                .map(|(_, t)| t)
                .unwrap_or_default();
            strip_html(text)
        } else {
            String::new()
        };
    }
}

/// Decodes Frappe's `_server_messages`: a JSON string holding a list of JSON strings, each an
/// object `{message, title, indicator?, raise_exception?, alert?, ...}`. Entries that are not
/// objects are kept as plain messages; a value that is not such a list yields one message with the
/// raw text, so nothing the server said is lost.
pub(crate) fn decode_server_messages(raw: &str) -> Vec<ServerMessage> {
    let plain = |text: &str| ServerMessage {
        message: strip_html(text),
        title: None,
        indicator: None,
        raise_exception: false,
        alert: false,
    };
    let Ok(items) = serde_json::from_str::<Vec<Value>>(raw) else {
        return vec![plain(raw)];
    };
    items
        .into_iter()
        .map(|item| {
            let inner = match item {
                Value::String(s) => s,
                other => other.to_string(),
            };
            match serde_json::from_str::<RawServerMessage>(&inner) {
                Ok(m) => ServerMessage {
                    message: match m.message {
                        Some(Value::String(s)) => strip_html(&s),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    },
                    title: m.title,
                    indicator: m.indicator,
                    raise_exception: truthy(&m.raise_exception),
                    alert: truthy(&m.alert),
                },
                Err(_) => plain(&inner),
            }
        })
        .collect()
}

/// Turns a snippet of HTML into plain text: tags dropped (block-level tags become a space),
/// common entities decoded, whitespace collapsed.
pub(crate) fn strip_html(html: &str) -> String {
    const INLINE: &[&str] = &["b", "strong", "i", "em", "a", "span", "code", "u", "small"];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else {
            // A lone '<' is text, not a tag.
            out.push('<');
            rest = after;
            continue;
        };
        let tag = after[..end]
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !INLINE.contains(&tag.as_str()) {
            out.push(' ');
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A body's text on one line: an HTML page's visible text (its `<head>` dropped; its `<title>`
/// when the body has none), any other text with credential-looking values redacted.
fn plain_text(text: &str) -> String {
    if !text.trim_start().starts_with('<') {
        return redact_secrets(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    // Drop <head> (styles, scripts) of full pages before stripping tags.
    let lower = text.to_ascii_lowercase();
    let body_text = match (lower.find("<head"), lower.find("</head>")) {
        (Some(s), Some(e)) if e > s => {
            let mut t = text[..s].to_string();
            t.push_str(&text[e..]);
            strip_html(&t)
        }
        _ => strip_html(text),
    };
    // A page whose body has no text (icons, scripts) still has a <title>, e.g. "Not Found".
    if body_text.is_empty() {
        html_title(text).unwrap_or_default()
    } else {
        body_text
    }
}

/// How much of a body [`excerpt_text`] reads (plus the longest masked string): enough for the
/// text of a page whose `<head>` holds some styles, while a 256 MiB body costs no more than
/// this to turn into a 200-character excerpt.
const EXCERPT_SOURCE_BYTES: usize = 64 << 10;

/// A short, single-line, plain-text excerpt of a body for error messages. HTML pages give their
/// text (so a werkzeug page reads "403 Forbidden Forbidden You don't have permission...").
/// `mask` is applied to the raw text (before whitespace is collapsed) and again to the plain
/// text (after HTML entities are decoded), both before the excerpt is cut. Only the first
/// [`EXCERPT_SOURCE_BYTES`] of the body are read.
pub(crate) fn excerpt_text(body: &[u8], max_chars: usize, mask: &SecretMask) -> String {
    // A prefix long enough to hold every secret that starts before the cut whole, masked, then
    // cut where the end of a secret starting later (too short to be recognised) can no longer
    // be: a replacement can turn each byte of it into at most `***`.
    let needle = mask.longest();
    let cut_short = body.len() > EXCERPT_SOURCE_BYTES + needle;
    let raw = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_SOURCE_BYTES + needle)]);
    let mut text = mask.str(&raw);
    if cut_short {
        let mut end = text.len().saturating_sub(3 * needle);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text = std::borrow::Cow::Owned(text[..end].to_owned());
    }
    let text = plain_text(&text);
    let excerpt = truncate_chars(&mask.str(&text), max_chars);
    if cut_short && !excerpt.ends_with('…') {
        return excerpt + "…";
    }
    excerpt
}

/// The text of an HTML page's `<title>`, if it has a non-empty one.
fn html_title(html: &str) -> Option<String> {
    // ASCII lowercasing keeps byte offsets, so indices into `lower` are valid in `html`.
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let end = open_end + lower[open_end..].find("</title>")?;
    let title = strip_html(&html[open_end..end]);
    (!title.is_empty()).then_some(title)
}

pub(crate) fn truncate_chars(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Modeled on a 417 MandatoryError (cf. transcript 045); our own text.
    const MANDATORY: &str = r#"{"exception":"frappe.exceptions.MandatoryError: [ToDo, abc]: description","exc_type":"MandatoryError","exc":"[\"Traceback (most recent call last):\\n  File \\\"x.py\\\"\\nMandatoryError\\n\"]","_server_messages":"[\"{\\\"message\\\": \\\"Error: Value missing for ToDo: Description\\\", \\\"title\\\": \\\"Message\\\"}\"]"}"#;

    #[test]
    fn v1_validation_body() {
        let e = ApiError::from_body(417, Some("application/json"), MANDATORY.as_bytes());
        assert_eq!(e.exc_type.as_deref(), Some("MandatoryError"));
        assert_eq!(e.message, "Error: Value missing for ToDo: Description");
        assert_eq!(e.server_messages.len(), 1);
        assert_eq!(e.server_messages[0].title.as_deref(), Some("Message"));
        assert!(e.traceback.as_deref().unwrap().starts_with("Traceback"));
        let shown = e.to_string();
        assert_eq!(
            shown,
            "HTTP 417 MandatoryError: Error: Value missing for ToDo: Description"
        );
        assert!(!shown.contains("Traceback"));
    }

    #[test]
    fn session_expired_and_exception_text() {
        let body = r#"{"session_expired":1,"exception":"frappe.exceptions.PermissionError: <details><summary>You are not permitted.</summary>Function <strong>x.y</strong> is not whitelisted.</details>","exc_type":"PermissionError"}"#;
        let e = ApiError::from_body(403, Some("application/json"), body.as_bytes());
        assert!(e.session_expired);
        assert_eq!(
            e.message,
            "You are not permitted. Function x.y is not whitelisted."
        );
    }

    #[test]
    fn login_failure_uses_message_key() {
        let body = r#"{"message":"Invalid login credentials","exception":"frappe.exceptions.AuthenticationError","exc_type":"AuthenticationError"}"#;
        let e = ApiError::from_body(401, Some("application/json"), body.as_bytes());
        assert_eq!(e.message, "Invalid login credentials");
    }

    #[test]
    fn bare_not_found_body() {
        let e = ApiError::from_body(
            404,
            Some("application/json"),
            br#"{"exc_type":"DoesNotExistError"}"#,
        );
        assert_eq!(e.exc_type.as_deref(), Some("DoesNotExistError"));
        assert_eq!(e.message, "");
        assert_eq!(e.to_string(), "HTTP 404 DoesNotExistError");
    }

    #[test]
    fn v2_errors_body() {
        let body = r#"{"errors":[{"type":"PermissionError","exception":"Traceback ...","message":"No permission for <strong>Note</strong>","title":"Not Permitted","indicator":"red"}],"messages":[]}"#;
        let e = ApiError::from_body(403, Some("application/json"), body.as_bytes());
        assert_eq!(e.exc_type.as_deref(), Some("PermissionError"));
        assert_eq!(e.message, "No permission for Note");
        assert_eq!(e.traceback.as_deref(), Some("Traceback ..."));
        assert_eq!(e.server_messages[0].title.as_deref(), Some("Not Permitted"));
    }

    #[test]
    fn html_page_becomes_text_excerpt() {
        let body = b"<!doctype html>\n<html lang=en>\n<title>403 Forbidden</title>\n<h1>Forbidden</h1>\n<p>You don&#39;t have permission to access this file</p>\n";
        let e = ApiError::from_body(403, Some("text/html; charset=utf-8"), body);
        assert!(!e.is_json());
        assert_eq!(
            e.message,
            "403 Forbidden Forbidden You don't have permission to access this file"
        );
        assert_eq!(e.exc_type, None);
    }

    #[test]
    fn server_messages_with_alert_and_html() {
        let raw = r#"["{\"message\": \"Document renamed from <strong>A</strong> to <strong>B</strong>\", \"title\": \"Message\", \"indicator\": \"green\", \"alert\": 1}", "{\"message\": \"second\", \"raise_exception\": 1}"]"#;
        let msgs = decode_server_messages(raw);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].message, "Document renamed from A to B");
        assert!(msgs[0].alert);
        assert_eq!(msgs[0].indicator.as_deref(), Some("green"));
        assert!(msgs[1].raise_exception);
        // Not a list: kept as one plain message.
        assert_eq!(decode_server_messages("oops")[0].message, "oops");
    }

    #[test]
    fn strip_html_keeps_lone_brackets_and_entities() {
        assert_eq!(strip_html("a < b &amp; c"), "a < b & c");
        assert_eq!(strip_html("line<br>next"), "line next");
    }

    #[test]
    fn excerpts_redact_credential_values() {
        let body = br#"{"message": {"api_key": "k1", "api_secret" : "S3CRET-1", "sid":"S3CRET-2",
            "access_token":"S3CRET-3", "note": "api_secret", "refresh_token": "S3CRET-"4"", "n": 1,
            "pin_password": 31337, "token_count": -4.5e3, "secret_set": true},
            "client_secret": "S3CRET-5"#;
        let e = excerpt_text(body, 500, &SecretMask::default());
        assert!(!e.contains("S3CRET"), "{e}");
        assert!(e.contains(r#""api_secret" : "***""#), "{e}");
        assert!(
            e.contains(r#""api_key": "k1""#) && e.contains(r#""note": "api_secret""#),
            "{e}"
        );
        assert!(e.ends_with(r#""client_secret": "***"#), "{e}");
        // Numbers under credential keys too; other JSON values (a flag) stay.
        assert!(
            e.contains(r#""pin_password": ***,"#) && !e.contains("31337"),
            "{e}"
        );
        assert!(e.contains(r#""token_count": ***,"#), "{e}");
        assert!(e.contains(r#""secret_set": true"#), "{e}");
        // Nothing sensitive: borrowed as is.
        assert!(
            !redact_decode_message("message.api_secret", "string \"S3CRET\"".into())
                .contains("S3CRET")
        );
        assert_eq!(
            redact_decode_message("data[1].idx", "string \"x\"".into()),
            "string \"x\""
        );
        assert!(matches!(
            redact_secrets(r#"{"a":"b"}"#),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn display_is_bounded_and_the_field_keeps_everything() {
        // A 5 MB exception text, as a 500 with a huge `exception` used to show in full.
        let huge = "x".repeat(5_000_000);
        let body = serde_json::json!({"exc_type": "ValueError", "exception": format!("ValueError: {huge}")});
        let e = ApiError::from_body(500, Some("application/json"), body.to_string().as_bytes());
        assert_eq!(e.message.len(), 5_000_000);
        let shown = e.to_string();
        assert_eq!(
            shown,
            format!(
                "HTTP 500 ValueError: {}… (4998000 more characters)",
                &huge[..ApiError::DISPLAY_MAX_CHARS]
            )
        );
        // Cut on a character boundary, counted in characters.
        let e = ApiError::from_body(
            417,
            Some("application/json"),
            serde_json::json!({"message": "é".repeat(2001)})
                .to_string()
                .as_bytes(),
        );
        assert!(
            e.to_string()
                .ends_with(&format!("{}… (1 more characters)", "é".repeat(10))),
            "{e}"
        );
        // Up to the limit, nothing is cut.
        let e = ApiError::from_body(
            417,
            Some("application/json"),
            serde_json::json!({"message": "a".repeat(2000)})
                .to_string()
                .as_bytes(),
        );
        assert!(!e.to_string().contains('…'));
    }

    #[test]
    fn secrets_are_masked_before_the_excerpt_is_cut() {
        // The secret straddles the 200-character cut: masked afterwards, its first characters
        // would survive.
        let mask = SecretMask::new(["TOPSECRET-123"]);
        for page in [
            format!("{} TOPSECRET-123 tail", "x".repeat(195)),
            format!("<p>{} TOPSECRET-123 tail</p>", "y".repeat(195)),
        ] {
            let e = ApiError::decode(502, Some("text/html"), page.as_bytes(), &mask);
            assert!(!e.message.contains("TOPS"), "{}", e.message);
            assert!(e.message.ends_with(" *** …"), "{}", e.message);
        }
    }

    /// `excerpt_text` as it was, reading the whole body.
    fn excerpt_of_the_whole_body(body: &[u8], max_chars: usize, mask: &SecretMask) -> String {
        let raw = String::from_utf8_lossy(body);
        truncate_chars(&mask.str(&plain_text(&mask.str(&raw))), max_chars)
    }

    #[test]
    fn a_big_body_gives_the_same_excerpt_from_its_start() {
        let mask = SecretMask::new(["TOPSECRET-123", "k"]);
        let filler = "lorem ipsum <b>dolor</b> sit amet ".repeat(300_000);
        let bodies = [
            format!("Bad Gateway TOPSECRET-123 {filler}"),
            format!(
                "<html><head><style>{}</style><title>502</title></head><body><h1>Bad                  Gateway</h1><p>TOPSECRET-123 &amp; k</p>{filler}</body></html>",
                "p { margin: 0 } ".repeat(2000)
            ),
            format!(r#"{{"message": {{"api_secret": "S3CRET", "note": "{filler}"}}}}"#),
        ];
        for body in &bodies {
            assert!(body.len() > 8 << 20);
            let excerpt = excerpt_text(body.as_bytes(), 200, &mask);
            assert_eq!(
                excerpt,
                excerpt_of_the_whole_body(body.as_bytes(), 200, &mask)
            );
            assert!(excerpt.ends_with('…'), "{excerpt}");
            assert!(
                !excerpt.contains("TOPS") && !excerpt.contains("S3CRET"),
                "{excerpt}"
            );
        }
    }

    #[test]
    fn a_secret_at_the_cut_leaves_nothing_of_itself() {
        let mask = SecretMask::new(["TOPSECRET-123"]);
        // Whitespace up to the cut, so that the excerpt reaches it; the secret straddles the
        // end of the part read, or starts within the bytes dropped after masking.
        for offset in [0, 1, 5, 12, 13, 20, 44, 45, 46] {
            let start = EXCERPT_SOURCE_BYTES + mask.longest() - offset;
            let body = format!("{}TOPSECRET-123 and a tail", " ".repeat(start));
            let excerpt = excerpt_text(body.as_bytes(), 200, &mask);
            assert!(
                !excerpt.contains('T') && !excerpt.contains("123"),
                "{offset}: {excerpt}"
            );
        }
        // A multi-byte character at the cut is not split.
        let body = "é".repeat(EXCERPT_SOURCE_BYTES);
        assert!(excerpt_text(body.as_bytes(), 200, &mask).starts_with('é'));
    }

    #[test]
    fn debug_is_bounded_too() {
        let huge = "x".repeat(1_000_000);
        let body = serde_json::json!({
            "exc_type": "ValidationError",
            "exception": format!("ValidationError: {huge}"),
            "exc": serde_json::to_string(&[format!("Traceback (most recent call last): {huge}")]).unwrap(),
            "_server_messages": serde_json::to_string(&[serde_json::json!({"message": huge}).to_string()]).unwrap(),
        });
        let e = ApiError::from_body(417, Some("application/json"), body.to_string().as_bytes());
        assert_eq!(e.traceback.as_ref().unwrap().len(), 1_000_035);
        for shown in [
            format!("{e:?}"),
            format!("{e:#?}"),
            format!("{:?}", crate::Error::Validation(Box::new(e.clone()))),
        ] {
            assert!(
                shown.len() < 3 * ApiError::DISPLAY_MAX_CHARS + 1000,
                "{}",
                shown.len()
            );
            assert!(shown.contains("(998000 more characters)"), "{shown:.300}");
            assert!(shown.contains("<1000035 characters>"), "{shown:.300}");
            assert!(!shown.contains("Traceback (most recent"), "{shown:.300}");
        }
        // Short texts are shown as before.
        let e = ApiError::from_body(
            404,
            Some("application/json"),
            br#"{"exc_type":"DoesNotExistError","message":"gone"}"#,
        );
        let shown = format!("{e:?}");
        assert!(
            shown.contains(r#"exc_type: Some("DoesNotExistError"), message: "gone""#),
            "{shown}"
        );
    }

    #[test]
    fn excerpt_is_bounded() {
        let long = "x".repeat(500);
        let e = excerpt_text(long.as_bytes(), 10, &SecretMask::default());
        assert_eq!(e.chars().count(), 11);
    }
}
