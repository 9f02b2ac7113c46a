//! OAuth2 with the Frappe site as the provider (`frappe.integrations.oauth2.*`).
//!
//! Always compiled: [`Tokens`] (a token endpoint's answer, typed), [`OnRefresh`] (where a
//! refreshing client hands new tokens), [`OAuthError`] (the endpoint's error, typed) and the
//! token request and answer that the bearer client's refresh (`client::execute`) shares with
//! the flow. With the `oauth` feature: `OAuthApp`, the authorization code flow with PKCE
//! (S256), refresh, revocation, introspection and the OpenID profile (a CSPRNG and SHA-256
//! come with it).
//!
//! Every endpoint is addressed below the site's base URL and sent through the client's one
//! request path, so a code, verifier or token is never sent to another origin (redirects are
//! followed only by GET and HEAD within the site, see `client::redirect`). Every secret a
//! request carries is masked in any server text that goes into an error.
//!
//! Feature `client` (on by default).

mod error;
mod tokens;

#[cfg(feature = "oauth")]
mod app;
#[cfg(feature = "oauth")]
mod pkce;

pub use error::{OAuthError, OAuthErrorKind};
pub use tokens::{OnRefresh, Tokens};

pub(crate) use tokens::{token_request, token_response};

#[cfg(feature = "oauth")]
pub use app::{
    Authorization, Introspection, OAuthApp, OpenIdProfile, PendingAuthorization, TokenKind,
};

/// Frappe's OAuth2 endpoints, as `/api/method/<name>` paths.
pub(crate) mod endpoint {
    /// `authorize`: where the user's browser goes (GET).
    #[cfg(feature = "oauth")]
    pub(crate) const AUTHORIZE: &str = "frappe.integrations.oauth2.authorize";
    /// `get_token`: the token endpoint (POST, form).
    pub(crate) const TOKEN: &str = "frappe.integrations.oauth2.get_token";
    /// `revoke_token` (POST, form).
    #[cfg(feature = "oauth")]
    pub(crate) const REVOKE: &str = "frappe.integrations.oauth2.revoke_token";
    /// `introspect_token` (POST, form).
    #[cfg(feature = "oauth")]
    pub(crate) const INTROSPECT: &str = "frappe.integrations.oauth2.introspect_token";
    /// `openid_profile` (GET, with the bearer token).
    #[cfg(feature = "oauth")]
    pub(crate) const PROFILE: &str = "frappe.integrations.oauth2.openid_profile";
}
