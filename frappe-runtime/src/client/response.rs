//! [`Response`]: a received response, the envelope decoders (`{"data": ..}` for resources,
//! `{"message": ..}` for methods) and the mapping of a response to its [`Error`].
//!
//! Every text of the body that goes into an error (error fields, serde's message, the body
//! excerpt) has the client's own secrets masked (`crate::mask`). A success body carrying
//! Frappe's error keys is decoded as the error it is, not as a value.
//!
//! Decoding takes the fast path (plain `serde_json`) first; only when that fails is the body decoded
//! again with `serde_path_to_error` to name the JSON path in [`DecodeError`]. Successful decodes
//! therefore pay nothing for error reporting.

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api_error::{ApiError, excerpt_text, redact_decode_message};
use crate::client::Envelope;
use crate::error::{DecodeError, Error, Result};
use crate::mask::SecretMask;
use crate::retry::parse_retry_after;

/// A received response (status, headers, whole body).
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) method: Method,
    pub(crate) path: String,
    /// The DocType the request was about, if it names one (`Request::doctype`).
    pub(crate) doctype: Option<String>,
    /// The client's secrets when the response arrived: masked in every text of the body that
    /// goes into an error.
    pub(crate) mask: SecretMask,
}

#[derive(Deserialize)]
struct Data<T> {
    data: T,
    #[serde(flatten)]
    exc: ErrorKeys,
}

#[derive(Deserialize)]
struct Message<T> {
    message: Option<T>,
    #[serde(flatten)]
    exc: ErrorKeys,
}

/// The top-level keys only Frappe's error path writes (`frappe.utils.response.report_error`:
/// `exc_type` and, with tracebacks allowed, `exception` in v1; `errors` in v2). The status of an
/// error response is the exception class's `http_status_code`, which is 200 for
/// `frappe.exceptions.RequestToken` and for any app exception that sets it so: such a body is
/// an error although the status is a success. (`exc` alone is not: `frappe.errprint` adds it to
/// successful responses too.)
///
/// Only the shapes that path writes count: a non-empty `exc_type` or `exception` string, or an
/// `errors` list of objects. A result that happens to have a key named `errors` of another shape
/// (a count, a map, a list of strings) is not an error.
#[derive(Deserialize, Default)]
struct ErrorKeys {
    exc_type: Option<Value>,
    exception: Option<Value>,
    errors: Option<Value>,
}

impl ErrorKeys {
    fn present(&self) -> bool {
        let text = |v: &Option<Value>| {
            v.as_ref()
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
        };
        let error_list = self
            .errors
            .as_ref()
            .and_then(Value::as_array)
            .is_some_and(|list| !list.is_empty() && list.iter().all(Value::is_object));
        text(&self.exc_type) || text(&self.exception) || error_list
    }
}

/// Parses `body` as JSON. A body that is valid UTF-8 (every body Frappe sends) is checked once
/// as a whole and parsed as text: serde_json then skips the UTF-8 check it otherwise repeats for
/// every string (typed list decoding took 1.3-1.45x as long parsed as bytes, `benches/decode`). Anything else is
/// parsed as bytes, which reports where the invalid UTF-8 is.
fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

impl Response {
    /// The error this response maps to (see [`Error`] for the mapping), with the client's own
    /// secrets masked in every text taken from the body.
    pub(crate) fn error(&self) -> Error {
        let content_type = self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let mut api = ApiError::decode(self.status.as_u16(), content_type, &self.body, &self.mask);
        api.retry_after = self
            .headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        Error::from_api_error(api)
    }

    /// The error a success body carries ([`ErrorKeys`]), if it carries one.
    fn error_in_body(&self) -> Option<Error> {
        parse::<ErrorKeys>(&self.body)
            .ok()
            .filter(ErrorKeys::present)
            .map(|_| self.error())
    }

    /// Decodes the whole body as `T`; a body carrying Frappe's error keys is that error.
    pub(crate) fn decode_whole<T: DeserializeOwned>(&self) -> Result<T> {
        // A second parse (of the top-level keys only): this serves login, token refresh and
        // `get_body`, not the bulk of the traffic.
        if let Some(err) = self.error_in_body() {
            return Err(err);
        }
        match parse::<T>(&self.body) {
            Ok(v) => Ok(v),
            Err(_) => Err(self.decode_error::<T>(None)),
        }
    }

    /// Decodes `{"data": T}` (v1 `/api/resource`, v2); a body carrying Frappe's error keys is
    /// that error.
    pub(crate) fn data<T: DeserializeOwned>(&self) -> Result<T> {
        match parse::<Data<T>>(&self.body) {
            Ok(v) if v.exc.present() => Err(self.error()),
            Ok(v) => Ok(v.data),
            Err(_) => Err(self
                .error_in_body()
                .unwrap_or_else(|| self.decode_error::<Data<T>>(None))),
        }
    }

    /// Decodes `{"message": T}` (v1 `/api/method`). A body without `message` (e.g. `{}` from
    /// `frappe.client.delete`) decodes as JSON `null`, so `()`, `Option<_>` and `Value` accept it;
    /// a body carrying Frappe's error keys is that error, whatever `T`.
    pub(crate) fn message<T: DeserializeOwned>(&self) -> Result<T> {
        let parsed = match parse::<Message<T>>(&self.body) {
            Ok(v) if v.exc.present() => return Err(self.error()),
            Ok(v) => v,
            Err(_) => {
                return Err(self
                    .error_in_body()
                    .unwrap_or_else(|| self.decode_error::<Message<T>>(None)));
            }
        };
        match parsed.message {
            Some(v) => Ok(v),
            None => T::deserialize(serde_json::Value::Null).map_err(|e| {
                self.decode_error::<T>(Some(format!(
                    "the response has no `message` and null is not accepted: {e}"
                )))
            }),
        }
    }

    /// Decodes the result held under `envelope` (see [`data`](Self::data) and
    /// [`message`](Self::message)).
    pub(crate) fn decode<T: DeserializeOwned>(&self, envelope: Envelope) -> Result<T> {
        match envelope {
            Envelope::Data => self.data(),
            Envelope::Message => self.message(),
        }
    }

    /// A success body that is not what was expected, reported by `json_path` and `message`
    /// only: the body is not quoted, because it may hold secrets the mask does not know yet
    /// (the tokens of a token answer).
    pub(crate) fn decode_failure(&self, json_path: &str, message: &str) -> Error {
        self.decode_failure_with(
            json_path.to_owned(),
            message.to_owned(),
            "(not shown: it may hold tokens)".to_owned(),
        )
    }

    /// A success body that is not what was expected, at `json_path`, with a (masked) excerpt
    /// of the body; `message` is masked too.
    pub(crate) fn decode_failure_quoted(&self, json_path: &str, message: &str) -> Error {
        let mut message = message.to_owned();
        self.mask.string(&mut message);
        self.decode_failure_with(
            json_path.to_owned(),
            message,
            excerpt_text(&self.body, 200, &self.mask),
        )
    }

    /// The [`Error::Decode`] of this response.
    fn decode_failure_with(&self, json_path: String, message: String, excerpt: String) -> Error {
        Error::Decode(Box::new(DecodeError {
            method: self.method.to_string(),
            path: self.path.clone(),
            json_path,
            message,
            excerpt,
            doctype: self.doctype.clone(),
        }))
    }

    /// The same response with another body (the slow path of compact list rows).
    pub(crate) fn with_body(&self, body: Bytes) -> Response {
        Response {
            status: self.status,
            headers: self.headers.clone(),
            body,
            method: self.method.clone(),
            path: self.path.clone(),
            doctype: self.doctype.clone(),
            mask: self.mask.clone(),
        }
    }

    /// Rebuilds the failure with its JSON path (slow path, errors only).
    fn decode_error<T: DeserializeOwned>(&self, message: Option<String>) -> Error {
        let (json_path, serde_message) = {
            let mut de = serde_json::Deserializer::from_slice(&self.body);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Ok(_) => (String::from("."), String::from("unexpected value")),
                Err(e) => {
                    let path = e.path().to_string();
                    let message = redact_decode_message(&path, without_position(e.into_inner()));
                    (path, message)
                }
            }
        };
        // serde quotes the offending value, and a JSON path can hold a key the server chose.
        let mut message = message.unwrap_or(serde_message);
        let mut json_path = json_path;
        self.mask.string(&mut message);
        self.mask.string(&mut json_path);
        self.decode_failure_with(
            json_path,
            message,
            excerpt_text(&self.body, 200, &self.mask),
        )
    }
}

/// serde_json's message without its ` at line 1 column 54` suffix: the JSON path says where,
/// in terms of the document rather than of the body's text.
pub(crate) fn without_position(e: serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&suffix) {
        Some(bare) if e.line() > 0 => bare.to_owned(),
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn response(body: &str) -> Response {
        Response {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
            method: Method::GET,
            path: "/api/resource/ToDo".into(),
            doctype: Some("ToDo".into()),
            mask: SecretMask::default(),
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        name: String,
        idx: u32,
    }

    #[test]
    fn data_envelope() {
        let rows: Vec<Row> = response(r#"{"data":[{"name":"a","idx":1}]}"#)
            .data()
            .unwrap();
        assert_eq!(rows[0].name, "a");
    }

    #[test]
    fn invalid_utf8_is_a_decode_error_naming_where() {
        // Parsed as bytes when the body is not UTF-8: the same error path, never a panic.
        let mut resp = response("");
        resp.body = Bytes::from_static(b"{\"data\":[{\"name\":\"a\xff\",\"idx\":1}]}");
        let err = resp.data::<Vec<Row>>().unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(d.json_path, "data[0].name");
        assert!(d.message.contains("invalid unicode"), "{}", d.message);
        // Valid UTF-8 outside ASCII decodes as before.
        let rows: Vec<Row> = response(r#"{"data":[{"name":"Zoë","idx":1}]}"#)
            .data()
            .unwrap();
        assert_eq!(rows[0].name, "Zoë");
    }

    #[test]
    fn decode_error_names_the_path() {
        let err = response(r#"{"data":[{"name":"a","idx":1},{"name":"b","idx":"x"}]}"#)
            .data::<Vec<Row>>()
            .unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(d.json_path, "data[1].idx");
        assert!(
            d.excerpt.starts_with(r#"{"data":[{"name":"a""#),
            "{}",
            d.excerpt
        );
        assert!(err.to_string().contains("data[1].idx"));
    }

    #[test]
    fn decode_errors_do_not_carry_credentials() {
        // A token response that does not match the expected shape.
        let err = response(
            r#"{"access_token":"TOKEN-SECRET","refresh_token":"TOKEN-SECRET","expires_in":"soon"}"#,
        )
        .decode_whole::<std::collections::HashMap<String, u64>>()
        .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("TOKEN-SECRET"), "{shown}");
        assert!(shown.contains("access_token"), "{shown}");
    }

    #[test]
    fn a_success_carrying_an_exception_is_that_error() {
        // As Frappe answers an exception whose http_status_code is 200 (RequestToken, or an
        // app's own): v1 `exc_type` / `exception`, v2 `errors`.
        let v1 = r#"{"exc_type":"RequestToken","exception":"frappe.exceptions.RequestToken: token needed","_server_messages":"[\"{\\\"message\\\": \\\"token needed\\\"}\"]"}"#;
        let check = |err: Error, exc: &str| {
            assert!(matches!(err, Error::Api(_)), "{err:?}");
            assert_eq!(err.exc_type(), Some(exc));
            assert_eq!(err.status(), Some(200));
            assert!(err.to_string().contains("token needed"), "{err}");
        };
        check(response(v1).message::<Value>().unwrap_err(), "RequestToken");
        check(
            response(v1).message::<String>().unwrap_err(),
            "RequestToken",
        );
        check(response(v1).message::<()>().unwrap_err(), "RequestToken");
        check(
            response(v1).decode_whole::<Value>().unwrap_err(),
            "RequestToken",
        );
        // `message` set as well, even of the wrong type: still the error.
        let both = r#"{"message":"token needed","exc_type":"RequestToken","exception":"E: x"}"#;
        check(
            response(both).message::<Value>().unwrap_err(),
            "RequestToken",
        );
        check(response(both).message::<u64>().unwrap_err(), "RequestToken");
        let only_exception = r#"{"exception":"frappe.exceptions.RequestToken: token needed"}"#;
        let err = response(only_exception).message::<Value>().unwrap_err();
        assert!(matches!(err, Error::Api(_)), "{err:?}");
        let v2 = r#"{"errors":[{"type":"RequestToken","message":"token needed"}]}"#;
        check(response(v2).data::<Value>().unwrap_err(), "RequestToken");
        check(response(v2).data::<Vec<Row>>().unwrap_err(), "RequestToken");
    }

    #[test]
    fn debug_output_and_null_keys_are_not_errors() {
        // frappe.errprint adds `exc` to a successful response; null keys say nothing.
        let body = r#"{"message":1,"exc":"[\"debug output\"]","exc_type":null,"errors":[]}"#;
        assert_eq!(response(body).message::<u64>().unwrap(), 1);
        assert_eq!(
            response(body).decode_whole::<Value>().unwrap()["message"],
            1
        );
        assert!(
            response(r#"{"data":[],"errors":[]}"#)
                .data::<Vec<Value>>()
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_result_with_an_errors_key_of_another_shape_is_not_an_error() {
        // A method's own result may have a key named `errors`: only Frappe's shapes count.
        for body in [
            r#"{"data":[1],"errors":{"row 2":"bad"}}"#,
            r#"{"data":[1],"errors":3}"#,
            r#"{"data":[1],"errors":["row 2 is bad"],"exception":""}"#,
        ] {
            assert_eq!(response(body).data::<Vec<u64>>().unwrap(), [1], "{body}");
            assert_eq!(
                response(body).decode_whole::<Value>().unwrap()["data"][0],
                1
            );
        }
        let v2 = r#"{"errors":[{"type":"ValidationError","message":"bad"}]}"#;
        assert!(response(v2).decode_whole::<Value>().is_err());
    }

    #[test]
    fn missing_message_is_unit_or_none() {
        response("{}").message::<()>().unwrap();
        assert_eq!(response("{}").message::<Option<String>>().unwrap(), None);
        assert_eq!(
            response(r#"{"message":"pong"}"#)
                .message::<String>()
                .unwrap(),
            "pong"
        );
        let err = response("{}").message::<String>().unwrap_err();
        assert!(err.to_string().contains("no `message`"), "{err}");
    }
}
