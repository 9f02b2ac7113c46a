//! The errors the test site answers, shaped as Frappe v15's v1 error bodies
//! (`frappe/utils/response.py report_error`): `exc_type`, `exception` (the traceback's last line,
//! left out for 404 as Frappe does without `conf.logging`), `exc` (a JSON list of traceback
//! strings; the test site has no traceback, so it holds that one line) and `_server_messages`
//! (a JSON string of a list of JSON strings, each `{message, title, indicator, raise_exception}`).

use serde_json::{Value, json};

/// One error answer: the exception's class and HTTP status, and the messages Frappe would have
/// shown (`msgprint`) before raising it.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteError {
    /// HTTP status (the exception's `http_status_code`).
    pub status: u16,
    /// The exception's class name, e.g. `"DoesNotExistError"`.
    pub exc_type: &'static str,
    /// The exception's text (`str(exc)`).
    pub text: String,
    /// Messages printed (`msgprint`) before raising, each a dict as Frappe sends it.
    pub messages: Vec<Value>,
    /// Other top-level keys of the body (`_error_message`, `session_expired`, `message`).
    pub extra: serde_json::Map<String, Value>,
}

impl SiteError {
    /// An exception with no message printed.
    pub fn new(status: u16, exc_type: &'static str, text: impl Into<String>) -> Self {
        SiteError {
            status,
            exc_type,
            text: text.into(),
            messages: Vec::new(),
            extra: serde_json::Map::new(),
        }
    }

    /// A message printed (`msgprint`, no indicator) before the exception.
    pub fn printed(mut self, message: impl Into<String>) -> Self {
        self.messages
            .push(json!({"message": message.into(), "title": "Message"}));
        self
    }

    /// Adds a top-level key to the body.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_owned(), value.into());
        self
    }

    /// `frappe.throw(msg, exc)`: the message printed with `raise_exception`, and the exception's
    /// text the same message.
    pub fn throw(status: u16, exc_type: &'static str, msg: impl Into<String>) -> Self {
        let msg = msg.into();
        let mut e = Self::new(status, exc_type, msg.clone());
        e.messages.push(json!({
            "message": msg, "title": "Message", "indicator": "red", "raise_exception": 1,
        }));
        e
    }

    /// The printed message's title, when `frappe.throw` was given one.
    pub fn titled(mut self, title: &str) -> Self {
        if let Some(m) = self.messages.last_mut() {
            m["title"] = Value::String(title.to_owned());
        }
        self
    }

    /// 404 `DoesNotExistError`: "`<doctype> <name>` not found".
    pub fn not_found(doctype: &str, name: &str) -> Self {
        Self::throw(
            404,
            "DoesNotExistError",
            format!("{doctype} {name} not found"),
        )
    }

    /// 404 for a DocType the site does not have (`frappe.get_meta` raising on it).
    pub fn no_doctype(doctype: &str) -> Self {
        Self::throw(
            404,
            "DoesNotExistError",
            format!("DocType {doctype} not found"),
        )
    }

    /// 417 `ValidationError` (or a subclass named by `exc_type`) from `frappe.throw`.
    pub fn validation(exc_type: &'static str, msg: impl Into<String>) -> Self {
        Self::throw(417, exc_type, msg)
    }

    /// 403 `PermissionError`.
    pub fn permission(msg: impl Into<String>) -> Self {
        Self::throw(403, "PermissionError", msg)
    }

    /// 409 `DuplicateEntryError` for an insert whose name is taken.
    pub fn duplicate(doctype: &str, name: &str) -> Self {
        let mut e = Self::new(
            409,
            "DuplicateEntryError",
            format!(
                "('{doctype}', '{name}', IntegrityError(1062, \"Duplicate entry '{name}' for key 'PRIMARY'\"))"
            ),
        );
        e.messages.push(json!({
            "message": format!("{doctype} <strong>{name}</strong> already exists"),
            "title": "Duplicate Name", "indicator": "red",
        }));
        e
    }

    /// 501: a request the test site does not implement, naming what is missing. Never a silent
    /// wrong answer.
    pub fn unsupported(what: impl Into<String>) -> Self {
        Self::throw(
            501,
            "NotImplementedError",
            format!("frappe_runtime::testing does not implement {}", what.into()),
        )
    }

    /// A body or parameter that is not valid JSON: Frappe lets `json.JSONDecodeError` through,
    /// a 500.
    pub fn bad_json(what: &str, e: &serde_json::Error) -> Self {
        Self::new(500, "JSONDecodeError", format!("{what}: {e}"))
    }

    /// The JSON body Frappe sends for this error.
    pub fn body(&self) -> Value {
        let mut body = json!({ "exc_type": self.exc_type });
        if self.status != 404 {
            // The module the exception class is defined in.
            let module = match self.exc_type {
                t if t.starts_with("NestedSet") => "frappe.utils.nestedset.",
                "ProgrammingError" => "pymysql.err.",
                // Python's built-in exceptions carry no module.
                "AttributeError" | "KeyError" | "TypeError" => "",
                _ => "frappe.exceptions.",
            };
            let line = if self.text.is_empty() {
                format!("{module}{}", self.exc_type)
            } else {
                format!("{module}{}: {}", self.exc_type, self.text)
            };
            body["exc"] = Value::String(json!([line.clone()]).to_string());
            body["exception"] = Value::String(line);
        }
        if !self.messages.is_empty() {
            let messages: Vec<String> = self.messages.iter().map(Value::to_string).collect();
            body["_server_messages"] = Value::String(json!(messages).to_string());
        }
        for (k, v) in &self.extra {
            body[k.as_str()] = v.clone();
        }
        body
    }
}

impl SiteError {
    /// The JSON body Frappe's API v2 sends for this error (`report_error`, `_make_logs_v2`):
    /// `errors` holds one entry, the exception's `type`, its `exception` (Frappe's is the whole
    /// traceback; here its last line) and the message raised with it (for an exception raised
    /// without `frappe.throw`, every message); the other messages are under `messages`.
    pub fn body_v2(&self) -> Value {
        let mut error = json!({ "type": self.exc_type });
        let v1 = self.body();
        if let Some(line) = v1.get("exception") {
            error["exception"] = line.clone();
        }
        // `_link_error_with_message_log` matches messages to the exception by
        // `__frappe_exc_id`: a thrown exception has the id of its message; a raised one has none,
        // nor have printed messages, so every one of them matches.
        let thrown = self
            .messages
            .iter()
            .any(|m| m.get("raise_exception").is_some());
        let mut messages = Vec::new();
        for m in &self.messages {
            if !thrown || m.get("raise_exception").is_some() {
                if let (Value::Object(e), Value::Object(m)) = (&mut error, m) {
                    for (k, v) in m {
                        if k != "raise_exception" {
                            e.insert(k.clone(), v.clone());
                        }
                    }
                }
            } else {
                messages.push(m.clone());
            }
        }
        let mut body = json!({ "errors": [error] });
        if !messages.is_empty() {
            body["messages"] = Value::Array(messages);
        }
        body
    }
}

/// What the site's operations return.
pub type SiteResult<T> = Result<T, SiteError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_has_no_exception_line_and_one_raised_message() {
        let body = SiteError::not_found("ToDo", "x").body();
        assert_eq!(body["exc_type"], "DoesNotExistError");
        assert!(body.get("exception").is_none());
        let outer: Vec<String> =
            serde_json::from_str(body["_server_messages"].as_str().expect("string")).expect("list");
        let inner: Value = serde_json::from_str(&outer[0]).expect("json");
        assert_eq!(inner["message"], "ToDo x not found");
        assert_eq!(inner["raise_exception"], 1);
    }

    #[test]
    fn validation_errors_carry_the_exception_line() {
        let body = SiteError::validation("MandatoryError", "[ToDo, a]: description").body();
        assert_eq!(
            body["exception"],
            "frappe.exceptions.MandatoryError: [ToDo, a]: description"
        );
    }
}
