//! Assertions on what the client made of a response.

use frappe_runtime::Error;
use serde::Serialize;
use serde_json::Value;

use super::transcript::Transcript;

/// Asserts that typed values, serialized back with the same wire helpers, equal the recorded
/// objects on every field the type declares (a field the server omitted counts as `null`).
pub fn same_as_recorded<T: Serialize>(file: &str, typed: &[T], recorded: &Value) {
    let recorded = recorded
        .as_array()
        .unwrap_or_else(|| panic!("{file}: recorded value is not a list"));
    assert_eq!(typed.len(), recorded.len(), "{file}: number of rows");
    for (i, (t, r)) in typed.iter().zip(recorded).enumerate() {
        same_fields(&format!("{file} row {i}"), t, r);
    }
}

/// One typed value against one recorded object.
pub fn same_fields<T: Serialize>(what: &str, typed: &T, recorded: &Value) {
    let typed = serde_json::to_value(typed).expect("serialize typed value");
    let Value::Object(fields) = typed else {
        panic!("{what}: typed value is not an object");
    };
    assert!(!fields.is_empty(), "{what}: no fields compared");
    for (k, v) in fields {
        let want = recorded.get(&k).unwrap_or(&Value::Null);
        assert_eq!(&v, want, "{what}: field {k}");
    }
}

/// The recorded `_server_messages` (a JSON string of a list of JSON strings), decoded here
/// independently of the client, as plain words (tags dropped, whitespace collapsed).
pub fn recorded_messages(t: &Transcript) -> Vec<String> {
    let body = t.response_json();
    let Some(raw) = body.get("_server_messages").and_then(Value::as_str) else {
        return Vec::new();
    };
    let items: Vec<String> = serde_json::from_str(raw)
        .unwrap_or_else(|e| panic!("{}: _server_messages is not a list of strings: {e}", t.file));
    items
        .iter()
        .map(|item| {
            let obj: Value = serde_json::from_str(item).expect("server message is JSON");
            words(obj["message"].as_str().unwrap_or_default())
        })
        .collect()
}

/// Text without tags, whitespace collapsed (how a reader sees the message).
pub fn words(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts the error's status, `exc_type` and (if the recording has server messages) that the
/// client's message carries them as plain text.
pub fn api_error(t: &Transcript, err: &Error, exc_type: &str) {
    let f = &t.file;
    assert_eq!(
        err.status(),
        Some(t.response.status),
        "{f}: status of {err:?}"
    );
    assert_eq!(err.exc_type(), Some(exc_type), "{f}: exc_type of {err:?}");
    let api = err
        .api_error()
        .unwrap_or_else(|| panic!("{f}: {err:?} carries no ApiError"));
    assert!(
        !api.message.contains("</"),
        "{f}: message keeps HTML: {:?}",
        api.message
    );
    // Compared without whitespace: where tags stood, spacing is a matter of taste.
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let message = squash(&api.message);
    for m in recorded_messages(t) {
        assert!(
            message.contains(&squash(&m)),
            "{f}: message {:?} lacks server message {m:?}",
            api.message
        );
    }
    let shown = err.to_string();
    assert!(
        !shown.contains("Traceback"),
        "{f}: Display shows a traceback: {shown}"
    );
    if t.response_json().get("exc").is_some() {
        assert!(api.traceback.is_some(), "{f}: the traceback was not kept");
    }
}
