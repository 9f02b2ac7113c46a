//! [`OAuthError`]: an OAuth2 error, typed by [`OAuthErrorKind`], and how Frappe's OAuth
//! endpoints' failures map to it.
//!
//! Frappe's token endpoint answers an oauthlib error as `400 {"error": "invalid_grant",
//! "error_description"?: ...}` (whatever status oauthlib chose), but an unknown client or an
//! unknown, revoked or already used refresh token as `404 DoesNotExistError` whose message
//! quotes the token: those two are mapped to `invalid_client` and `invalid_grant`, with a
//! description of our own, not the server's text.

use std::fmt;

use serde_json::Value;

use crate::api_error::{Limited, LimitedDebug, truncate_chars};
use crate::client::Response;
use crate::error::Error;

/// What kind of OAuth2 error (RFC 6749 §5.2 and §4.1.2.1 codes, plus the checks this client
/// makes itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OAuthErrorKind {
    /// `invalid_request`: a parameter is missing or malformed.
    InvalidRequest,
    /// `invalid_client`: the site knows no OAuth Client with this `client_id` (or refused its
    /// authentication).
    InvalidClient,
    /// `invalid_grant`: the authorization code or refresh token is invalid, expired, revoked,
    /// already used, issued to another client, or (PKCE) does not match the code verifier.
    /// The user has to authorize the app again.
    InvalidGrant,
    /// `unauthorized_client`: this client may not use this grant type.
    UnauthorizedClient,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `invalid_scope`: a scope the OAuth Client does not allow.
    InvalidScope,
    /// `access_denied`: the user (or the site) refused the authorization.
    AccessDenied,
    /// The `state` returned with the code is not the one this authorization was started with
    /// (a forged or mixed-up callback). Detected before anything was sent.
    StateMismatch,
    /// Another code (see [`OAuthError::code`]).
    Other,
}

impl OAuthErrorKind {
    /// The kind of an RFC 6749 error code.
    fn of(code: &str) -> Self {
        match code {
            "invalid_request" => Self::InvalidRequest,
            "invalid_client" => Self::InvalidClient,
            "invalid_grant" => Self::InvalidGrant,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "invalid_scope" => Self::InvalidScope,
            "access_denied" => Self::AccessDenied,
            "state_mismatch" => Self::StateMismatch,
            _ => Self::Other,
        }
    }
}

/// An OAuth2 error: from the site's token, revocation or authorization endpoint, or from a
/// check this client makes before sending (a `state` mismatch). Carried by
/// [`Error::OAuth`](crate::Error::OAuth).
///
/// The description never holds a secret: the server's text has every secret of the request
/// masked, and where Frappe's message quotes the token, a description of our own replaces it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthError {
    /// The kind of error.
    pub kind: OAuthErrorKind,
    /// The error code as the site sent it (`"invalid_grant"`), or as this client names its own
    /// check (`"state_mismatch"`).
    pub code: String,
    /// `error_description`, when there is one.
    pub description: Option<String>,
    /// The HTTP status of the answer; `None` when nothing was sent (a `state` mismatch, or an
    /// error the authorization redirect carried).
    pub status: Option<u16>,
}

impl OAuthError {
    /// An error of `kind` named `code`.
    pub(crate) fn new(kind: OAuthErrorKind, code: &str, description: Option<String>) -> Self {
        Self {
            kind,
            code: truncate_chars(code, 100),
            description,
            status: None,
        }
    }

    /// An error the site's redirect to the app carried (`?error=access_denied`).
    pub(crate) fn from_code(code: &str, description: Option<String>) -> Self {
        Self::new(OAuthErrorKind::of(code), code, description)
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OAuth error {}", Limited(&self.code, 100))?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(d) = &self.description {
            write!(f, ": {}", Limited(d, crate::ApiError::DISPLAY_MAX_CHARS))?;
        }
        Ok(())
    }
}

impl fmt::Debug for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthError")
            .field("kind", &self.kind)
            .field("code", &LimitedDebug(&self.code, 100))
            .field(
                "description",
                &self
                    .description
                    .as_deref()
                    .map(|d| LimitedDebug(d, crate::ApiError::DISPLAY_MAX_CHARS)),
            )
            .field("status", &self.status)
            .finish()
    }
}

impl std::error::Error for OAuthError {}

/// The error a failed answer of an OAuth endpoint (token, revoke) maps to: an [`OAuthError`]
/// when the body says which, else the client's usual mapping of the response.
pub(crate) fn from_token_endpoint(resp: &Response) -> Error {
    let status = Some(resp.status.as_u16());
    if let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&resp.body) {
        if let Some(Value::String(code)) = body.get("error") {
            let description = match body.get("error_description") {
                Some(Value::String(d)) if !d.is_empty() => Some(resp.mask.str(d).into_owned()),
                _ => None,
            };
            let code = resp.mask.str(code);
            let mut err = OAuthError::from_code(&code, description);
            err.status = status;
            return Error::OAuth(Box::new(err));
        }
    }
    let fallback = resp.error();
    let missing = fallback
        .api_error()
        .filter(|api| api.exc_type.as_deref() == Some("DoesNotExistError"))
        .map(|api| api.message.as_str());
    let (kind, code, description) = match missing {
        Some(m) if m.contains("OAuth Client") => (
            OAuthErrorKind::InvalidClient,
            "invalid_client",
            "the site has no OAuth Client with this client_id",
        ),
        Some(m) if m.contains("OAuth Bearer Token") || m.contains("OAuth Authorization Code") => (
            OAuthErrorKind::InvalidGrant,
            "invalid_grant",
            "the site has no active grant for this token: it is unknown, expired, revoked or \
             already used",
        ),
        _ => return fallback,
    };
    let mut err = OAuthError::new(kind, code, Some(description.to_owned()));
    err.status = status;
    Error::OAuth(Box::new(err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        for (code, kind) in [
            ("invalid_grant", OAuthErrorKind::InvalidGrant),
            ("invalid_client", OAuthErrorKind::InvalidClient),
            ("access_denied", OAuthErrorKind::AccessDenied),
            (
                "unsupported_grant_type",
                OAuthErrorKind::UnsupportedGrantType,
            ),
            ("temporarily_unavailable", OAuthErrorKind::Other),
        ] {
            let e = OAuthError::from_code(code, None);
            assert_eq!(e.kind, kind);
            assert_eq!(e.code, code);
        }
        let e = OAuthError::from_code("invalid_request", Some("missing code".into()));
        assert_eq!(e.to_string(), "OAuth error invalid_request: missing code");
    }
}
