//! [`Response`]: a received response and the envelope decoders (`{"data": ..}` for resources,
//! `{"message": ..}` for methods).
//!
//! Decoding takes the fast path (plain `serde_json`) first; only when that fails is the body decoded
//! again with `serde_path_to_error` to name the JSON path in [`DecodeError`]. Successful decodes
//! therefore pay nothing for error reporting.

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::api_error::{ApiError, excerpt_text, redact_decode_message};
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
    /// The client's secrets when the response arrived: masked in every text of the body that
    /// goes into an error.
    pub(crate) mask: SecretMask,
}

#[derive(Deserialize)]
struct Data<T> {
    data: T,
}

#[derive(Deserialize)]
struct Message<T> {
    message: Option<T>,
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

    /// Decodes the whole body as `T`.
    pub(crate) fn decode_whole<T: DeserializeOwned>(&self) -> Result<T> {
        match serde_json::from_slice::<T>(&self.body) {
            Ok(v) => Ok(v),
            Err(_) => Err(self.decode_error::<T>(None)),
        }
    }

    /// Decodes `{"data": T}` (v1 `/api/resource`).
    pub(crate) fn data<T: DeserializeOwned>(&self) -> Result<T> {
        match serde_json::from_slice::<Data<T>>(&self.body) {
            Ok(v) => Ok(v.data),
            Err(_) => Err(self.decode_error::<Data<T>>(None)),
        }
    }

    /// Decodes `{"message": T}` (v1 `/api/method`). A body without `message` (e.g. `{}` from
    /// `frappe.client.delete`) decodes as JSON `null`, so `()`, `Option<_>` and `Value` accept it.
    pub(crate) fn message<T: DeserializeOwned>(&self) -> Result<T> {
        let parsed = match serde_json::from_slice::<Message<T>>(&self.body) {
            Ok(v) => v,
            Err(_) => return Err(self.decode_error::<Message<T>>(None)),
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

    /// The result of a whitelisted method: `message` (v1) or `data` (v2).
    pub(crate) fn method_result<T: DeserializeOwned>(
        &self,
        api: crate::client::ApiVersion,
    ) -> Result<T> {
        match api {
            crate::client::ApiVersion::V1 => self.message(),
            crate::client::ApiVersion::V2 => self.data(),
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
                    let message = redact_decode_message(&path, e.into_inner().to_string());
                    (path, message)
                }
            }
        };
        // serde quotes the offending value, and a JSON path can hold a key the server chose.
        let mut message = message.unwrap_or(serde_message);
        let mut json_path = json_path;
        self.mask.string(&mut message);
        self.mask.string(&mut json_path);
        Error::Decode(Box::new(DecodeError {
            method: self.method.to_string(),
            path: self.path.clone(),
            json_path,
            message,
            excerpt: excerpt_text(&self.body, 200, &self.mask),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &str) -> Response {
        Response {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
            method: Method::GET,
            path: "/api/resource/ToDo".into(),
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
