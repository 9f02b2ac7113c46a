//! Reading JSON text into the metadata model, with errors that name the file and the JSON path
//! (`todo.json: invalid type: string "maybe", expected a 0/1 flag (at .fields[1].reqd)`).
//! Shared by the loaders ([`super::load`]) and the fixture reader ([`super::fixtures`]).

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};

/// Parses `text`; a syntax error names `source` and the line and column.
pub(super) fn parse(text: &str, source: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| syntax_error(source, &e))
}

/// A JSON syntax error in `source`, with its line and column.
pub(super) fn syntax_error(source: &str, e: &serde_json::Error) -> Error {
    Error::Json {
        file: source.to_owned(),
        json_path: format!("line {} column {}", e.line(), e.column()),
        message: format!("invalid JSON: {e}"),
    }
}

/// Deserializes with the failing JSON path in the error; `prefix` is where `value` sits in the
/// body (`.docs[1]`).
pub(super) fn typed<T: DeserializeOwned>(value: &Value, prefix: &str, source: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        Error::Json {
            file: source.to_owned(),
            json_path: if path == "." {
                if prefix.is_empty() {
                    ".".into()
                } else {
                    prefix.into()
                }
            } else {
                format!("{prefix}.{path}")
            },
            message: e.into_inner().to_string(),
        }
    })
}
