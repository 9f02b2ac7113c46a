//! [`Tokens`]: what the token endpoint answers, typed; [`OnRefresh`]: where a refreshing client
//! hands new tokens; and the token request and answer shared by the bearer client's refresh and
//! [`OAuthApp`](crate::oauth::OAuthApp).
//!
//! The answer is read field by field from the JSON object, never through serde's messages: a
//! malformed answer is reported by the field's name, never by its value (which may be a token
//! not yet known to the client's mask).

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::Method;
use serde_json::{Map, Value};

use super::endpoint;
use super::error::from_token_endpoint;
use crate::auth::Secret;
use crate::client::{Body, Request, Response, v1_method_path};
use crate::error::Result;

/// An OAuth2 token set, as the token endpoint answered it (or as the app stored it).
///
/// `Debug` masks the tokens. Build one from storage with [`Tokens::new`] and the setters.
///
/// ```
/// use frappe_runtime::oauth::Tokens;
/// let tokens = Tokens::new("access-1").refresh_token("refresh-1").scopes(["all", "openid"]);
/// assert!(!format!("{tokens:?}").contains("access-1"));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Tokens {
    /// The access token, sent as `Authorization: Bearer <token>`.
    pub access_token: Secret,
    /// `token_type`: `"Bearer"` from Frappe.
    pub token_type: String,
    /// The refresh token, when the site issued one (Frappe does for the code grant).
    pub refresh_token: Option<Secret>,
    /// When the access token expires: the time it was received plus `expires_in` (3600 s on
    /// Frappe). `None` when the site did not say.
    pub expires_at: Option<DateTime<Utc>>,
    /// The granted scopes (`scope`, split on whitespace), e.g. `["all", "openid"]`.
    pub scopes: Vec<String>,
    /// The OpenID Connect ID token (a JWT signed with the client secret, HS256), as given;
    /// Frappe sends one when `openid` is among the scopes.
    pub id_token: Option<Secret>,
}

impl Tokens {
    /// A token set holding only an access token (type `Bearer`).
    pub fn new(access_token: impl Into<Secret>) -> Self {
        Self {
            access_token: access_token.into(),
            token_type: "Bearer".to_owned(),
            refresh_token: None,
            expires_at: None,
            scopes: Vec::new(),
            id_token: None,
        }
    }

    /// Sets the refresh token.
    #[must_use = "returns the token set with the refresh token; the original is unchanged"]
    pub fn refresh_token(mut self, token: impl Into<Secret>) -> Self {
        self.refresh_token = Some(token.into());
        self
    }

    /// Sets when the access token expires.
    #[must_use = "returns the token set with the expiry; the original is unchanged"]
    pub fn expires_at(mut self, at: DateTime<Utc>) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// Sets the granted scopes.
    #[must_use = "returns the token set with the scopes; the original is unchanged"]
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Whether the access token has expired at `now` (`false` when the expiry is unknown).
    pub fn is_expired_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A function that receives every token set a client obtains by refreshing, so the app can
/// store it (the refresh token may have changed: Frappe issues a new one with each refresh).
///
/// Called once per refresh, while the client holds its renewal lock: concurrent calls waiting
/// for the same refresh do not call it again, and calls on the client wait until it returns, so
/// keep it short (hand the tokens to a channel or a store; do not call the client from it).
#[derive(Clone)]
pub struct OnRefresh(Arc<dyn Fn(&Tokens) + Send + Sync>);

impl OnRefresh {
    /// Wraps `f`.
    pub fn new(f: impl Fn(&Tokens) + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    pub(crate) fn call(&self, tokens: &Tokens) {
        (self.0)(tokens);
    }
}

impl fmt::Debug for OnRefresh {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OnRefresh(..)")
    }
}

/// A POST of `form` to the token endpoint, sent without the client's credentials.
pub(crate) fn token_request(form: Vec<(String, String)>) -> Request {
    let mut req = Request::new(Method::POST, v1_method_path(endpoint::TOKEN));
    req.anonymous = true;
    req.body = Body::Form(form);
    req
}

/// The token endpoint's answer: the tokens (received at `now`), or its error, typed
/// ([`OAuthError`](super::OAuthError) for the OAuth errors Frappe answers).
pub(crate) fn token_response(resp: &Response, now: DateTime<Utc>) -> Result<Tokens> {
    if !resp.status.is_success() {
        return Err(from_token_endpoint(resp));
    }
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&resp.body) else {
        return Err(resp.decode_failure(".", "the token response is not a JSON object"));
    };
    if body.contains_key("error") || body.contains_key("exc_type") {
        return Err(from_token_endpoint(resp));
    }
    // The endpoint answers the bare OAuth JSON; accept a `message` envelope too.
    let body = match body.get("message") {
        Some(Value::Object(inner)) if !body.contains_key("access_token") => inner,
        _ => &body,
    };
    decode_tokens(body, now).map_err(|(field, why)| resp.decode_failure(field, why))
}

/// The fields of a token answer; on failure the field and why (never its value).
fn decode_tokens(
    body: &Map<String, Value>,
    now: DateTime<Utc>,
) -> std::result::Result<Tokens, (&'static str, &'static str)> {
    let text = |key: &'static str| -> std::result::Result<Option<&str>, _> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err((key, "expected a string")),
        }
    };
    let access_token = match text("access_token")? {
        Some(t) if !t.is_empty() => Secret::new(t),
        _ => return Err(("access_token", "the token response has no access_token")),
    };
    let expires_at = match body.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let seconds = match v {
                Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            }
            .ok_or(("expires_in", "expected a number of seconds"))?;
            // A negative lifetime means "already expired"; one too large for a date, no expiry.
            TimeDelta::try_seconds(seconds.max(0)).and_then(|d| now.checked_add_signed(d))
        }
    };
    let scopes = match body.get("scope") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => s.split_whitespace().map(str::to_owned).collect(),
        // RFC 6749 says a space-separated string; a list is understood too.
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or(("scope", "expected a string or a list of strings"))?,
        Some(_) => return Err(("scope", "expected a string or a list of strings")),
    };
    let non_empty = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(Secret::new);
    Ok(Tokens {
        access_token,
        token_type: text("token_type")?.unwrap_or("Bearer").to_owned(),
        refresh_token: non_empty(text("refresh_token")?),
        expires_at,
        scopes,
        id_token: non_empty(text("id_token")?),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn decode(body: Value) -> std::result::Result<Tokens, (&'static str, &'static str)> {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        decode_tokens(body.as_object().unwrap(), now)
    }

    #[test]
    fn frappe_token_answer_is_typed() {
        // As frappe.integrations.oauth2.get_token answers the code grant with `openid`.
        let t = decode(json!({
            "access_token": "at-1", "expires_in": 3600, "token_type": "Bearer",
            "scope": "all openid", "refresh_token": "rt-1", "id_token": "eyJ.x.y"
        }))
        .unwrap();
        assert_eq!(t.access_token.expose(), "at-1");
        assert_eq!(t.refresh_token.as_ref().unwrap().expose(), "rt-1");
        assert_eq!(t.id_token.as_ref().unwrap().expose(), "eyJ.x.y");
        assert_eq!(t.token_type, "Bearer");
        assert_eq!(t.scopes, ["all", "openid"]);
        assert_eq!(t.expires_at.unwrap().timestamp(), 1_700_003_600);
        let shown = format!("{t:?}");
        for secret in ["at-1", "rt-1", "eyJ"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }

    #[test]
    fn optional_fields_and_lenient_forms() {
        let t =
            decode(json!({"access_token": "a", "expires_in": "60", "scope": ["x", "y"]})).unwrap();
        assert_eq!(t.expires_at.unwrap().timestamp(), 1_700_000_060);
        assert_eq!(t.scopes, ["x", "y"]);
        assert_eq!(t.token_type, "Bearer");
        assert!(t.refresh_token.is_none() && t.id_token.is_none());
        let t =
            decode(json!({"access_token": "a", "expires_in": -5, "refresh_token": ""})).unwrap();
        assert_eq!(t.expires_at.unwrap().timestamp(), 1_700_000_000);
        assert!(t.refresh_token.is_none());
        let t = decode(json!({"access_token": "a", "scope": "  all  "})).unwrap();
        assert_eq!(t.scopes, ["all"]);
        assert!(t.expires_at.is_none());
    }

    #[test]
    fn malformed_answers_name_the_field_not_the_value() {
        assert_eq!(decode(json!({})).unwrap_err().0, "access_token");
        assert_eq!(
            decode(json!({"access_token": 5})).unwrap_err(),
            ("access_token", "expected a string")
        );
        assert_eq!(
            decode(json!({"access_token": "a", "expires_in": "soon"}))
                .unwrap_err()
                .0,
            "expires_in"
        );
        assert_eq!(
            decode(json!({"access_token": "a", "scope": 1}))
                .unwrap_err()
                .0,
            "scope"
        );
    }

    #[test]
    fn expiry_is_compared_with_the_given_time() {
        let at = DateTime::from_timestamp(100, 0).unwrap();
        let t = Tokens::new("a").expires_at(at);
        assert!(t.is_expired_at(at));
        assert!(!t.is_expired_at(DateTime::from_timestamp(99, 0).unwrap()));
        assert!(!Tokens::new("a").is_expired_at(at));
    }
}
