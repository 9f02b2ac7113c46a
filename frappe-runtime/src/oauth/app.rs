//! [`OAuthApp`]: a third-party app's side of OAuth2 with a Frappe site as the provider: the
//! authorization code flow with PKCE (S256), refresh, revocation, introspection, the OpenID
//! profile, and a [`Client`] that refreshes its tokens and hands them back for storage.
//!
//! Policy: the `state` returned with a code is checked before anything is sent; every endpoint
//! is below the site's base URL, and every request goes through the client's request path
//! (`Client::send_oauth`: one attempt, never retried, redirects only by GET within the site),
//! so codes and tokens never reach another origin; the secrets a request carries are masked in
//! any error it comes back with.

use std::fmt;

use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Map, Value};
use url::Url;

use super::error::{OAuthError, OAuthErrorKind, from_token_endpoint};
use super::{OnRefresh, Tokens, endpoint, pkce, token_request, token_response};
use crate::auth::{Auth, Secret};
use crate::client::{Body, Client, ClientBuilder, Request, v1_method_path};
use crate::error::{Error, Result};

/// What percent-encoding leaves alone in a query value: RFC 3986's unreserved characters. A
/// space becomes `%20`, never `+`, which oauthlib (behind Frappe's endpoints) does not read as
/// a space.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// An app registered on a Frappe site as an OAuth Client (Integrations → OAuth Client: its
/// `client_id`, its redirect URI, the scopes it may ask for).
///
/// ```no_run
/// # async fn demo(code: &str, state: &str) -> frappe_runtime::Result<()> {
/// use frappe_runtime::oauth::OAuthApp;
///
/// let app = OAuthApp::new("https://erp.example.com", "a1b2c3d4e5", "https://app.example.com/cb")?
///     .scopes(["all", "openid"]);
/// // 1. Send the user's browser to the site; keep `pending` (state, verifier) for the callback.
/// let authorization = app.authorize()?;
/// println!("open {}", authorization.url());
/// let pending = authorization.into_pending();
/// // 2. The site redirects to https://app.example.com/cb?code=..&state=..
/// let tokens = app.exchange(&pending, code, state).await?;
/// // 3. A client that refreshes the tokens and hands each new set to the app to store.
/// let client = app.client(&tokens, |new| println!("store {:?}", new.expires_at))?;
/// let me: String = client.call("frappe.auth.get_logged_user").get().await?;
/// # let _ = me; Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct OAuthApp {
    /// The site: its base URL and HTTP settings. Its credentials are never sent by the app's
    /// requests.
    site: Client,
    client_id: String,
    client_secret: Option<Secret>,
    redirect_uri: String,
    scopes: Vec<String>,
}

/// Where to send the user's browser, and what the callback needs to check and redeem the code.
#[derive(Clone)]
pub struct Authorization {
    url: Url,
    pending: PendingAuthorization,
}

impl Authorization {
    /// The authorize URL on the site (`.../api/method/frappe.integrations.oauth2.authorize?..`).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The state and code verifier, to keep until the callback.
    pub fn pending(&self) -> &PendingAuthorization {
        &self.pending
    }

    /// The state and code verifier, to keep until the callback.
    pub fn into_pending(self) -> PendingAuthorization {
        self.pending
    }
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The query holds the state.
        f.debug_struct("Authorization")
            .field("url", &format_args!("{}?***", self.url.path()))
            .field("pending", &self.pending)
            .finish()
    }
}

/// An authorization under way: the `state` sent and the PKCE code verifier, both secret
/// (`Debug` masks them). A web app that handles the callback in another request keeps them in
/// the user's (server-side) session and rebuilds them with [`from_parts`](Self::from_parts).
#[derive(Clone, Debug)]
pub struct PendingAuthorization {
    state: Secret,
    verifier: Secret,
}

impl PendingAuthorization {
    /// Rebuilds an authorization under way from its stored `state` and code verifier.
    pub fn from_parts(state: impl Into<Secret>, code_verifier: impl Into<Secret>) -> Self {
        Self {
            state: state.into(),
            verifier: code_verifier.into(),
        }
    }

    /// The `state` sent with the authorization request.
    pub fn state(&self) -> &Secret {
        &self.state
    }

    /// The PKCE code verifier (43 characters, from the OS CSPRNG).
    pub fn code_verifier(&self) -> &Secret {
        &self.verifier
    }
}

/// Which token a revocation or introspection is about (`token_type_hint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenKind {
    /// An access token.
    Access,
    /// A refresh token (on Frappe, revoking it revokes its access token too: they are one
    /// OAuth Bearer Token).
    Refresh,
}

impl TokenKind {
    fn hint(self) -> &'static str {
        match self {
            Self::Access => "access_token",
            Self::Refresh => "refresh_token",
        }
    }
}

/// What the site says about a token (`introspect_token`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Introspection {
    /// Whether the token is active: known, not revoked. (Frappe reports an expired token as
    /// active until revoked; compare [`expires_at`](Self::expires_at).)
    pub active: bool,
    /// The OAuth Client the token was issued to.
    pub client_id: Option<String>,
    /// When the access token expires.
    pub expires_at: Option<DateTime<Utc>>,
    /// The granted scopes.
    pub scopes: Vec<String>,
    /// Whether the OAuth Client skips the user's authorization (`skip_authorization`).
    pub trusted_client: bool,
    /// The user's subject identifier, when the site has one (openid scope and a social login).
    pub sub: Option<String>,
}

/// The user's OpenID Connect profile (`openid_profile`): the claims Frappe sends.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct OpenIdProfile {
    /// Subject identifier (Frappe's social login user id; often `None`).
    #[serde(default)]
    pub sub: Option<String>,
    /// Full name.
    #[serde(default)]
    pub name: Option<String>,
    /// First name.
    #[serde(default)]
    pub given_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub family_name: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// URL of the user's image.
    #[serde(default)]
    pub picture: Option<String>,
    /// The user's roles.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The issuer (the site's URL).
    #[serde(default)]
    pub iss: Option<String>,
    /// Any other claim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl OAuthApp {
    /// The app `client_id` on the site at `site_url`, with `redirect_uri` (one of the OAuth
    /// Client's redirect URIs, exactly as registered).
    pub fn new(
        site_url: impl AsRef<str>,
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Result<Self> {
        let site = Client::new(site_url, Auth::Guest)?;
        Ok(Self::with_client(site, client_id, redirect_uri))
    }

    /// Like [`new`](Self::new), with the site's URL and HTTP settings (timeouts, TLS, proxy)
    /// taken from `site`. Its credentials are not used: OAuth requests carry their own.
    pub fn with_client(
        site: Client,
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Self {
            site,
            client_id: client_id.into(),
            client_secret: None,
            redirect_uri: redirect_uri.into(),
            scopes: Vec::new(),
        }
    }

    /// The OAuth Client's secret, sent with grants as `client_secret` (a public app, such as a
    /// desktop or mobile one, has none and relies on PKCE).
    #[must_use = "returns the app with the secret; the original is unchanged"]
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// The scopes to ask for (Frappe's are `all` and `openid`); none: the OAuth Client's own.
    #[must_use = "returns the app with the scopes; the original is unchanged"]
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The site's base URL.
    pub fn site_url(&self) -> &Url {
        self.site.base_url()
    }

    /// The OAuth Client's `client_id`.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Starts an authorization: a fresh `state` and PKCE code verifier (OS CSPRNG), and the
    /// site's authorize URL carrying the state and the S256 challenge of the verifier. Nothing
    /// is sent.
    pub fn authorize(&self) -> Result<Authorization> {
        let pending = PendingAuthorization {
            state: Secret::new(pkce::state()?),
            verifier: Secret::new(pkce::verifier()?),
        };
        let challenge = pkce::challenge_s256(pending.verifier.expose());
        let scope = self.scopes.join(" ");
        let mut params = vec![
            ("response_type", "code"),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("state", pending.state.expose()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        if !scope.is_empty() {
            params.push(("scope", scope.as_str()));
        }
        let query = params
            .iter()
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, QUERY_VALUE)))
            .collect::<Vec<_>>()
            .join("&");
        let mut url = self.site.url(&v1_method_path(endpoint::AUTHORIZE))?;
        url.set_query(Some(&query));
        Ok(Authorization { url, pending })
    }

    /// Redeems the code the site redirected back with, after checking that `returned_state` is
    /// the state `pending` sent ([`OAuthErrorKind::StateMismatch`] otherwise, with nothing
    /// sent; an empty state never matches, so a lost session entry read back as `""` cannot
    /// let a forged callback through). Sends the code verifier; the site checks it against the
    /// challenge.
    pub async fn exchange(
        &self,
        pending: &PendingAuthorization,
        code: &str,
        returned_state: &str,
    ) -> Result<Tokens> {
        let expected = pending.state.expose();
        if expected.is_empty() || !pkce::same(returned_state, expected) {
            return Err(Error::OAuth(Box::new(OAuthError::new(
                OAuthErrorKind::StateMismatch,
                "state_mismatch",
                Some(
                    "the state returned with the code is not the one this authorization sent; \
                      the code was not redeemed"
                        .to_owned(),
                ),
            ))));
        }
        if code.is_empty() {
            return Err(Error::InvalidInput(
                "OAuth exchange: the authorization code is empty".into(),
            ));
        }
        if !pkce::is_verifier(pending.verifier.expose()) {
            return Err(Error::InvalidInput(
                "OAuth exchange: the stored code verifier is not 43 to 128 unreserved characters \
                 (RFC 7636)"
                    .into(),
            ));
        }
        let code = Secret::new(code);
        let form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("client_id", self.client_id.as_str()),
            ("code_verifier", pending.verifier.expose()),
        ];
        self.grant(form, &[&code, &pending.verifier]).await
    }

    /// [`exchange`](Self::exchange) with the URL the site redirected the browser to
    /// (`<redirect_uri>?code=..&state=..`, or `?error=access_denied` when the user refused:
    /// [`Error::OAuth`] then, nothing sent).
    pub async fn exchange_redirect(
        &self,
        pending: &PendingAuthorization,
        redirected_to: &str,
    ) -> Result<Tokens> {
        // Not quoted in the error: the URL holds the code.
        let url = Url::parse(redirected_to).map_err(|e| {
            Error::InvalidInput(format!(
                "OAuth exchange: the redirect URL is not a URL ({e})"
            ))
        })?;
        let param = |key: &str| {
            url.query_pairs()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned())
        };
        let state = param("state");
        if let Some(code) = param("error") {
            // Frappe's refusal carries no state; an error with a foreign state is a forgery.
            if state
                .as_deref()
                .is_none_or(|s| pkce::same(s, pending.state.expose()))
            {
                return Err(Error::OAuth(Box::new(OAuthError::from_code(
                    &code,
                    param("error_description"),
                ))));
            }
        }
        let code = param("code").unwrap_or_default();
        self.exchange(pending, &code, state.as_deref().unwrap_or_default())
            .await
    }

    /// Refresh-token grant: a new token set (Frappe issues a new refresh token too). A refresh
    /// token that is unknown, revoked or already replaced is [`OAuthErrorKind::InvalidGrant`].
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<Tokens> {
        let form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
            ("client_id", self.client_id.as_str()),
        ];
        let mut tokens = self.grant(form, &[refresh_token]).await?;
        if tokens.refresh_token.is_none() {
            tokens.refresh_token = Some(refresh_token.clone());
        }
        Ok(tokens)
    }

    /// Revokes `token` (`revoke_token`). On Frappe an access token and its refresh token are
    /// one grant: revoking either ends both. Revoking a token the site does not know succeeds
    /// (RFC 7009).
    pub async fn revoke(&self, token: &Secret, kind: TokenKind) -> Result<()> {
        let req = self.form_request(
            endpoint::REVOKE,
            &[
                ("token", token.expose()),
                ("token_type_hint", kind.hint()),
                ("client_id", self.client_id.as_str()),
            ],
        );
        let resp = self.site.send_oauth(&req, None, &[token]).await?;
        if resp.status.is_success() {
            Ok(())
        } else {
            Err(from_token_endpoint(&resp))
        }
    }

    /// What the site says about `token` (`introspect_token`): active or not, client, expiry,
    /// scopes. An unknown token is `active: false`.
    pub async fn introspect(&self, token: &Secret, kind: TokenKind) -> Result<Introspection> {
        let req = self.form_request(
            endpoint::INTROSPECT,
            &[("token", token.expose()), ("token_type_hint", kind.hint())],
        );
        let resp = self.site.send_oauth(&req, None, &[token]).await?;
        if !resp.status.is_success() {
            return Err(resp.error());
        }
        #[derive(Deserialize)]
        struct Body {
            #[serde(default)]
            active: bool,
            client_id: Option<String>,
            exp: Option<i64>,
            scope: Option<String>,
            trusted_client: Option<Value>,
            sub: Option<String>,
        }
        let body: Body = resp.decode_whole()?;
        Ok(Introspection {
            active: body.active,
            client_id: body.client_id,
            expires_at: body.exp.and_then(|s| DateTime::from_timestamp(s, 0)),
            scopes: body
                .scope
                .map(|s| s.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
            trusted_client: match body.trusted_client {
                Some(Value::Bool(b)) => b,
                Some(Value::Number(n)) => n.as_i64().is_some_and(|n| n != 0),
                _ => false,
            },
            sub: body.sub,
        })
    }

    /// The OpenID Connect profile of the user `access_token` was issued for
    /// (`openid_profile`, sent with the token). A rejected token is
    /// [`Error::Unauthorized`].
    pub async fn profile(&self, access_token: &Secret) -> Result<OpenIdProfile> {
        let req = Request::new(Method::GET, v1_method_path(endpoint::PROFILE));
        let resp = self
            .site
            .send_oauth(&req, Some(access_token), &[access_token])
            .await?;
        if !resp.status.is_success() {
            return Err(resp.error());
        }
        resp.decode_whole()
    }

    /// The [`Auth`] for `tokens`: the access token, refreshed through this app (its client id
    /// and secret) [`REFRESH_MARGIN`](crate::auth::REFRESH_MARGIN) before it expires and when
    /// the site answers 401, each new token set handed to `on_refresh`. Give it only to a
    /// client of this app's site ([`client`](Self::client) does): a bearer token is good for
    /// any request to the site it was issued by.
    pub fn auth(
        &self,
        tokens: &Tokens,
        on_refresh: impl Fn(&Tokens) + Send + Sync + 'static,
    ) -> Auth {
        let secret = self.client_secret.clone();
        let on_refresh = OnRefresh::new(on_refresh);
        Auth::oauth_tokens(tokens, self.client_id.clone(), move |r| {
            let r = match secret {
                Some(s) => r.client_secret(s),
                None => r,
            };
            crate::auth::OAuthRefresh {
                on_refresh: Some(on_refresh),
                ..r
            }
        })
    }

    /// A builder for a client of this app's site that uses [`auth`](Self::auth) (set other
    /// settings on it, not another URL). It shares the site client's HTTP connection pool and
    /// its transport settings (TLS roots, proxy, connect timeout); per-call settings (timeout,
    /// deadline, retries, concurrency, rate limit) start from the defaults.
    pub fn client_builder(
        &self,
        tokens: &Tokens,
        on_refresh: impl Fn(&Tokens) + Send + Sync + 'static,
    ) -> ClientBuilder {
        Client::builder(self.site.base_url().as_str())
            .http_client(self.site.inner.http.clone())
            .auth(self.auth(tokens, on_refresh))
    }

    /// A client of this app's site that uses [`auth`](Self::auth), from
    /// [`client_builder`](Self::client_builder) as it is.
    pub fn client(
        &self,
        tokens: &Tokens,
        on_refresh: impl Fn(&Tokens) + Send + Sync + 'static,
    ) -> Result<Client> {
        self.client_builder(tokens, on_refresh).build()
    }

    /// A grant at the token endpoint: `form` plus the client secret, `secrets` masked.
    async fn grant(&self, form: Vec<(&str, &str)>, secrets: &[&Secret]) -> Result<Tokens> {
        let mut form: Vec<(String, String)> = form
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let mut masked = secrets.to_vec();
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret".to_owned(), secret.expose().to_owned()));
            masked.push(secret);
        }
        let req = token_request(form);
        let resp = self.site.send_oauth(&req, None, &masked).await?;
        token_response(&resp, Utc::now())
    }

    /// A form POST to the OAuth endpoint `method`.
    fn form_request(&self, method: &str, form: &[(&str, &str)]) -> Request {
        let mut req = Request::new(Method::POST, v1_method_path(method));
        req.anonymous = true;
        req.body = Body::Form(
            form.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        req
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorize_url_carries_state_and_s256_challenge() {
        let app = OAuthApp::new(
            "https://erp.example.com/erp/",
            "cid",
            "https://app.test/cb?x=1",
        )
        .unwrap()
        .scopes(["all", "openid"]);
        let a = app.authorize().unwrap();
        let url = a.url();
        assert_eq!(url.origin(), app.site_url().origin());
        assert_eq!(
            url.path(),
            "/erp/api/method/frappe.integrations.oauth2.authorize"
        );
        let q: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("client_id"), Some("cid"));
        assert_eq!(get("redirect_uri"), Some("https://app.test/cb?x=1"));
        assert_eq!(get("scope"), Some("all openid"));
        assert_eq!(get("state"), Some(a.pending().state().expose()));
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(
            get("code_challenge"),
            Some(pkce::challenge_s256(a.pending().code_verifier().expose()).as_str())
        );
        // Spaces as %20: oauthlib does not read `+` as a space.
        assert!(url.as_str().contains("scope=all%20openid"), "{url}");
        let shown = format!("{a:?}");
        assert!(!shown.contains(a.pending().state().expose()), "{shown}");
        assert!(
            !shown.contains(a.pending().code_verifier().expose()),
            "{shown}"
        );
        // Each authorization is new.
        let b = app.authorize().unwrap();
        assert_ne!(b.pending().state(), a.pending().state());
    }

    #[test]
    fn no_scopes_means_the_clients_own() {
        let app = OAuthApp::new("https://erp.example.com", "cid", "https://app.test/cb").unwrap();
        let a = app.authorize().unwrap();
        assert!(!a.url().query_pairs().any(|(k, _)| k == "scope"));
    }
}
