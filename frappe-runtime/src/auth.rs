//! How the client proves who it is: [`Auth`] and the [`Secret`] wrapper that keeps credentials
//! out of `Debug`, logs and errors.
//!
//! Frappe accepts API key + secret (`Authorization: token key:secret`, or the same pair as HTTP
//! Basic), a session cookie obtained by password login, an OAuth2 bearer token, or nothing (Guest).
//! Header credentials are stateless. Password login and bearer refresh keep mutable state (the
//! `sid` cookie, the current access token and its expiry); that state lives in `SessionState`, owned by the
//! client and renewed through its single request path (see `client::execute`). It also lists
//! every secret the client holds (`SessionState::secrets`), which are masked in any server text
//! that goes into an error (see `mask`).
//!
//! Feature `client` (on by default).

use std::fmt;

use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};

use crate::mask::SecretMask;
use crate::oauth::{OnRefresh, Tokens};

/// How long before its `expires_at` a bearer token with a refresh token is refreshed, so that
/// a request does not leave with a token that expires on the way (half its lifetime instead,
/// for a token that lives less than twice this).
pub const REFRESH_MARGIN: std::time::Duration = std::time::Duration::from_secs(30);

/// A credential string (API secret, password, session id, token).
///
/// `Debug` and `Display` print `***`; the only way to the value is [`Secret::expose`], used by the
/// client where the credential goes on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The credential itself. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// An API key and its secret (User → API Access → Generate Keys).
#[derive(Clone, Debug)]
pub struct ApiKey {
    /// The API key (not secret on its own: it names the user's key pair).
    pub key: String,
    /// The API secret.
    pub secret: Secret,
}

/// A user name (or e-mail) and password for `POST /api/method/login`.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// `usr`: the user's name or e-mail address.
    pub user: String,
    /// `pwd`.
    pub password: Secret,
}

/// An OAuth2 access token, optionally with what is needed to refresh it.
#[derive(Clone, Debug)]
pub struct BearerToken {
    /// The access token sent as `Authorization: Bearer <token>`.
    pub access_token: Secret,
    /// If set, a 401 triggers one refresh through `frappe.integrations.oauth2.get_token`, and
    /// so does a request made less than [`REFRESH_MARGIN`] before `expires_at`.
    pub refresh: Option<OAuthRefresh>,
    /// When the access token expires, if known (see [`Tokens::expires_at`]).
    pub expires_at: Option<DateTime<Utc>>,
}

/// What a refresh-token grant needs.
#[derive(Clone, Debug)]
pub struct OAuthRefresh {
    /// The refresh token.
    pub refresh_token: Secret,
    /// The OAuth Client's `client_id`.
    pub client_id: String,
    /// The OAuth Client's secret, for confidential clients (sent as `client_secret`).
    pub client_secret: Option<Secret>,
    /// Receives each token set a refresh obtains, to store it.
    pub on_refresh: Option<OnRefresh>,
}

impl OAuthRefresh {
    /// A refresh grant for a public client.
    pub fn new(refresh_token: impl Into<Secret>, client_id: impl Into<String>) -> Self {
        Self {
            refresh_token: refresh_token.into(),
            client_id: client_id.into(),
            client_secret: None,
            on_refresh: None,
        }
    }

    /// Adds the client secret of a confidential client.
    #[must_use = "returns the refresh settings with the secret; the original is unchanged"]
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// Hands every token set a refresh obtains to `f` (once per refresh, however many calls
    /// waited for it), so the app can store it: Frappe issues a new refresh token with each
    /// refresh. See [`OnRefresh`].
    #[must_use = "returns the refresh settings with the callback; the original is unchanged"]
    pub fn on_refresh(mut self, f: impl Fn(&Tokens) + Send + Sync + 'static) -> Self {
        self.on_refresh = Some(OnRefresh::new(f));
        self
    }
}

/// How the client authenticates. Pass it to [`ClientBuilder::auth`](crate::ClientBuilder::auth).
///
/// ```
/// use frappe_runtime::Auth;
/// let auth = Auth::token("a1b2c3", "s3cr3t");
/// assert!(!format!("{auth:?}").contains("s3cr3t"));
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Auth {
    /// No credentials: the site sees Guest (403 on anything not allowed for guests).
    #[default]
    Guest,
    /// `Authorization: token <key>:<secret>`.
    Token(ApiKey),
    /// `Authorization: Basic base64(<key>:<secret>)`: the same key pair in Basic form.
    Basic(ApiKey),
    /// Password login; the client keeps the `sid` cookie and logs in again once when the session
    /// expires.
    Password(Credentials),
    /// OAuth2 bearer token.
    Bearer(BearerToken),
}

impl Auth {
    /// API key + secret sent as `Authorization: token key:secret`.
    pub fn token(key: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self::Token(ApiKey {
            key: key.into(),
            secret: secret.into(),
        })
    }

    /// API key + secret sent as HTTP Basic.
    pub fn basic(key: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self::Basic(ApiKey {
            key: key.into(),
            secret: secret.into(),
        })
    }

    /// Password login (lazily on the first request, or explicitly with
    /// [`Client::login`](crate::Client::login)).
    pub fn password(user: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::Password(Credentials {
            user: user.into(),
            password: password.into(),
        })
    }

    /// An OAuth2 access token, without refresh.
    pub fn bearer(access_token: impl Into<Secret>) -> Self {
        Self::Bearer(BearerToken {
            access_token: access_token.into(),
            refresh: None,
            expires_at: None,
        })
    }

    /// An OAuth2 access token that is refreshed (once per failure) with the refresh-token grant
    /// when the site answers 401.
    pub fn bearer_with_refresh(
        access_token: impl Into<Secret>,
        refresh_token: impl Into<Secret>,
        client_id: impl Into<String>,
    ) -> Self {
        Self::bearer_refreshing(access_token, OAuthRefresh::new(refresh_token, client_id))
    }

    /// An OAuth2 access token refreshed with `refresh` (use this form for a confidential client:
    /// `OAuthRefresh::new(token, id).client_secret(secret)`).
    pub fn bearer_refreshing(access_token: impl Into<Secret>, refresh: OAuthRefresh) -> Self {
        Self::Bearer(BearerToken {
            access_token: access_token.into(),
            refresh: Some(refresh),
            expires_at: None,
        })
    }

    /// A token set (as `oauth::OAuthApp::exchange` returns it with the `oauth` feature, or as
    /// stored): its access token, refreshed with its refresh token (if any) for `client_id`
    /// [`REFRESH_MARGIN`] before its `expires_at` and when the site answers 401. Add the client
    /// secret or a callback with the [`OAuthRefresh`] setters:
    /// `Auth::oauth_tokens(&tokens, client_id, |r| r.on_refresh(store))`.
    pub fn oauth_tokens(
        tokens: &Tokens,
        client_id: impl Into<String>,
        refresh: impl FnOnce(OAuthRefresh) -> OAuthRefresh,
    ) -> Self {
        let refresh = tokens
            .refresh_token
            .clone()
            .map(|rt| refresh(OAuthRefresh::new(rt, client_id)));
        Self::Bearer(BearerToken {
            access_token: tokens.access_token.clone(),
            refresh,
            expires_at: tokens.expires_at,
        })
    }

    /// A short name for logs: `"token"`, `"password"`, ... (never the credential).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Guest => "guest",
            Self::Token(_) => "token",
            Self::Basic(_) => "basic",
            Self::Password(_) => "password",
            Self::Bearer(_) => "bearer",
        }
    }
}

/// The credential that goes on one request: a snapshot, so that a failed request can tell
/// whether someone else already renewed it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Credential {
    None,
    Header(Secret),
    Cookie(Secret),
}

/// Mutable authentication state of one client.
pub(crate) struct SessionState {
    pub(crate) auth: Auth,
    /// The `sid` of a password login, or the current bearer access token and refresh token.
    pub(crate) current: std::sync::Mutex<Current>,
    /// Serialises logins and refreshes so concurrent failures renew once.
    pub(crate) renew_lock: tokio::sync::Mutex<()>,
    /// Secrets that never change: those of `auth`, and credential headers a Guest client was
    /// built with.
    fixed_secrets: Vec<String>,
}

/// How many replaced session ids and tokens stay masked: a response to a request sent with
/// the previous one can arrive after a renewal.
const RETIRED_KEPT: usize = 4;

#[derive(Default)]
pub(crate) struct Current {
    /// Session ids and tokens replaced lately, newest last (at most [`RETIRED_KEPT`]).
    retired: Vec<Secret>,
    /// The mask of [`SessionState::secrets`], rebuilt when they change.
    mask: Option<SecretMask>,
    /// Set by `Client::logout` (password auth), cleared by a successful `Client::login`, both
    /// under the renew lock (which every login holds): while set, the client does not log in
    /// by itself.
    pub(crate) logged_out: bool,
    pub(crate) sid: Option<Secret>,
    pub(crate) access_token: Option<Secret>,
    pub(crate) refresh_token: Option<Secret>,
    /// When the current access token expires, if known.
    pub(crate) expires_at: Option<DateTime<Utc>>,
    /// When a refresh brought the current access token; the Unix epoch for the token the
    /// client was built with, whose lifetime is unknown (the full margin applies to it).
    pub(crate) taken_at: DateTime<Utc>,
}

impl SessionState {
    pub(crate) fn new(auth: Auth) -> Self {
        let mut current = Current::default();
        if let Auth::Bearer(b) = &auth {
            current.access_token = Some(b.access_token.clone());
            current.refresh_token = b.refresh.as_ref().map(|r| r.refresh_token.clone());
            current.expires_at = b.expires_at;
        }
        let fixed_secrets = match &auth {
            Auth::Guest => Vec::new(),
            Auth::Token(k) => vec![k.secret.expose().to_owned()],
            Auth::Basic(k) => vec![k.secret.expose().to_owned(), basic_credential(k)],
            Auth::Password(c) => vec![c.password.expose().to_owned()],
            Auth::Bearer(b) => {
                let mut v = vec![b.access_token.expose().to_owned()];
                if let Some(r) = &b.refresh {
                    v.push(r.refresh_token.expose().to_owned());
                    v.extend(r.client_secret.iter().map(|s| s.expose().to_owned()));
                }
                v
            }
        };
        Self {
            auth,
            current: std::sync::Mutex::new(current),
            renew_lock: tokio::sync::Mutex::new(()),
            fixed_secrets,
        }
    }

    /// Adds secrets the client sends outside [`Auth`] (a Guest client's own `Authorization` or
    /// `Cookie` header).
    pub(crate) fn with_extra_secrets(mut self, extra: impl IntoIterator<Item = String>) -> Self {
        self.fixed_secrets.extend(extra);
        self
    }

    /// Every secret string the client holds now, to mask wherever a server's text is shown: the
    /// API secret, the Basic credential in its base64 form (`base64(key:secret)`), the password,
    /// the OAuth client secret, and the current session id and bearer and refresh tokens (with
    /// the last few they replaced). Masking the API secret also masks it inside the
    /// `token key:secret` header value. Empty strings are left out.
    #[cfg(test)]
    pub(crate) fn secrets(&self) -> Vec<String> {
        self.secrets_of(&self.lock())
    }

    fn secrets_of(&self, cur: &Current) -> Vec<String> {
        let live = [&cur.sid, &cur.access_token, &cur.refresh_token];
        self.fixed_secrets
            .iter()
            .cloned()
            .chain(live.into_iter().flatten().map(|s| s.expose().to_owned()))
            .chain(cur.retired.iter().map(|s| s.expose().to_owned()))
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A mask of [`secrets`](Self::secrets) (with their encoded forms), cached until they change.
    pub(crate) fn mask(&self) -> SecretMask {
        // Built and stored under one lock: a sid or token set meanwhile (which clears the cache)
        // cannot be overwritten by a mask of the secrets before it.
        let mut cur = self.lock();
        if let Some(mask) = &cur.mask {
            return mask.clone();
        }
        let mask = SecretMask::new(self.secrets_of(&cur));
        cur.mask = Some(mask.clone());
        mask
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Current> {
        // A poisoned lock only means another thread panicked while holding it; the data (an
        // Option<Secret>) cannot be half-written, so keep using it.
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The credential to send now. `None` for a password client that has not logged in yet,
    /// and for a bearer client whose token is due for refresh ([`REFRESH_MARGIN`] before it
    /// expires, when it can be refreshed).
    pub(crate) fn credential(&self) -> Option<Credential> {
        if let Auth::Bearer(BearerToken {
            refresh: Some(_), ..
        }) = &self.auth
        {
            let cur = self.lock();
            let due = cur.expires_at.map(|at| {
                // A token that lives less than twice the margin is refreshed half-way instead:
                // with the full margin it would be due (and refreshed) on every request.
                let margin = TimeDelta::from_std(REFRESH_MARGIN)
                    .unwrap_or_default()
                    .min((at - cur.taken_at) / 2);
                at.checked_sub_signed(margin).unwrap_or(at)
            });
            drop(cur);
            if due.is_some_and(|due| due <= Utc::now()) {
                return None;
            }
        }
        self.credential_now()
    }

    /// The credential as it is, even a bearer token due for refresh (right after a refresh:
    /// a site may issue tokens shorter-lived than the margin).
    pub(crate) fn credential_now(&self) -> Option<Credential> {
        match &self.auth {
            Auth::Guest => Some(Credential::None),
            Auth::Token(k) => Some(Credential::Header(Secret::new(format!(
                "token {}:{}",
                k.key,
                k.secret.expose()
            )))),
            Auth::Basic(k) => Some(Credential::Header(Secret::new(format!(
                "Basic {}",
                basic_credential(k)
            )))),
            Auth::Password(_) => self.lock().sid.clone().map(Credential::Cookie),
            Auth::Bearer(_) => self
                .lock()
                .access_token
                .as_ref()
                .map(|t| Credential::Header(Secret::new(format!("Bearer {}", t.expose())))),
        }
    }

    pub(crate) fn set_sid(&self, sid: Option<Secret>) {
        let mut cur = self.lock();
        let old = std::mem::replace(&mut cur.sid, sid);
        cur.retire(old);
    }

    /// Marks the session as ended by the user (`true`) or started again (`false`).
    pub(crate) fn set_logged_out(&self, logged_out: bool) {
        self.lock().logged_out = logged_out;
    }

    /// `Err(LoggedOut)` while a logout is in force: then nothing may log in implicitly.
    pub(crate) fn check_not_logged_out(&self) -> crate::Result<()> {
        if self.lock().logged_out {
            return Err(crate::Error::LoggedOut);
        }
        Ok(())
    }

    /// Takes the tokens a refresh obtained. A token set without a refresh token keeps the
    /// current one.
    pub(crate) fn set_tokens(&self, tokens: &Tokens) {
        let mut cur = self.lock();
        let old = cur.access_token.replace(tokens.access_token.clone());
        cur.retire(old);
        cur.expires_at = tokens.expires_at;
        cur.taken_at = Utc::now();
        if let Some(refresh) = &tokens.refresh_token {
            let old = cur.refresh_token.replace(refresh.clone());
            cur.retire(old);
        }
    }

    pub(crate) fn refresh_token(&self) -> Option<Secret> {
        self.lock().refresh_token.clone()
    }
}

impl Current {
    /// Keeps a replaced session id or token masked for a while, and drops the cached mask.
    fn retire(&mut self, old: Option<Secret>) {
        self.mask = None;
        if let Some(old) = old {
            self.retired.retain(|s| s != &old);
            self.retired.push(old);
            if self.retired.len() > RETIRED_KEPT {
                self.retired.remove(0);
            }
        }
    }
}

/// `base64(key:secret)`: the credential of `Authorization: Basic`.
fn basic_credential(k: &ApiKey) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", k.key, k.secret.expose()))
}

/// Finds the `sid` among `Set-Cookie` headers. `Guest` and empty values (logout) are not sessions.
pub(crate) fn sid_from_set_cookie<'a>(values: impl Iterator<Item = &'a str>) -> Option<Secret> {
    let mut found = None;
    for header in values {
        let pair = header.split(';').next().unwrap_or("").trim();
        if let Some(value) = pair.strip_prefix("sid=") {
            let value = value.trim_matches('"');
            found = if value.is_empty() || value == "Guest" {
                None
            } else {
                Some(Secret::new(value))
            };
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer_expiring_in(secs: i64) -> SessionState {
        SessionState::new(Auth::Bearer(BearerToken {
            access_token: Secret::new("access"),
            refresh: Some(OAuthRefresh::new("refresh", "client")),
            expires_at: Some(Utc::now() + TimeDelta::seconds(secs)),
        }))
    }

    #[test]
    fn a_token_is_due_a_margin_before_it_expires_or_half_way_when_short_lived() {
        // A token given with 20 s left, lifetime unknown: due at once (30 s margin).
        assert!(bearer_expiring_in(3600).credential().is_some());
        let given = bearer_expiring_in(20);
        assert!(given.credential().is_none());
        // A refresh that brought a token living 20 s: due after 10 s, not at once (which would
        // refresh on every request).
        given.set_tokens(&Tokens::new("short").expires_at(Utc::now() + TimeDelta::seconds(20)));
        assert!(given.credential().is_some());
        // 11 s later (9 s left of its 20): due.
        {
            let mut cur = given.lock();
            cur.taken_at = Utc::now() - TimeDelta::seconds(11);
            cur.expires_at = Some(Utc::now() + TimeDelta::seconds(9));
        }
        assert!(given.credential().is_none());
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let auths = [
            Auth::token("key1", "TOPSECRET"),
            Auth::basic("key1", "TOPSECRET"),
            Auth::password("admin", "TOPSECRET"),
            Auth::bearer("TOPSECRET"),
            Auth::bearer_with_refresh("TOPSECRET", "TOPSECRET", "client"),
            Auth::bearer_refreshing(
                "TOPSECRET",
                OAuthRefresh::new("TOPSECRET", "client").client_secret("TOPSECRET"),
            ),
        ];
        for auth in auths {
            let shown = format!("{auth:?} {:#?}", auth);
            assert!(!shown.contains("TOPSECRET"), "{shown}");
            assert!(shown.contains("***"), "{shown}");
        }
        assert_eq!(Secret::new("x").to_string(), "***");
    }

    #[test]
    fn a_bearer_token_is_due_for_refresh_before_it_expires() {
        let soon = Utc::now() + TimeDelta::seconds(5);
        let later = Utc::now() + TimeDelta::hours(1);
        let refreshing = |at| {
            Auth::oauth_tokens(
                &Tokens::new("at").refresh_token("rt").expires_at(at),
                "client",
                |r| r,
            )
        };
        // Within the margin: no credential, so the client refreshes first.
        let state = SessionState::new(refreshing(soon));
        assert!(state.credential().is_none());
        assert!(state.credential_now().is_some());
        state.set_tokens(&Tokens::new("at-2").expires_at(later));
        assert!(
            matches!(state.credential(), Some(Credential::Header(h)) if h.expose() == "Bearer at-2")
        );
        assert_eq!(state.refresh_token().unwrap().expose(), "rt", "kept");
        assert!(SessionState::new(refreshing(later)).credential().is_some());
        // Nothing to refresh with: the token is sent as it is, the site decides.
        let plain = Auth::oauth_tokens(&Tokens::new("at").expires_at(soon), "client", |r| r);
        assert!(SessionState::new(plain).credential().is_some());
    }

    #[test]
    fn token_and_basic_headers() {
        let state = SessionState::new(Auth::token("k", "s"));
        match state.credential() {
            Some(Credential::Header(h)) => assert_eq!(h.expose(), "token k:s"),
            _ => panic!("expected a header"),
        }
        let state = SessionState::new(Auth::basic("k", "s"));
        match state.credential() {
            // base64("k:s")
            Some(Credential::Header(h)) => assert_eq!(h.expose(), "Basic azpz"),
            _ => panic!("expected a header"),
        }
    }

    #[test]
    fn password_needs_login_first() {
        let state = SessionState::new(Auth::password("u", "p"));
        assert!(state.credential().is_none());
        state.set_sid(Some(Secret::new("abc")));
        assert!(matches!(state.credential(), Some(Credential::Cookie(s)) if s.expose() == "abc"));
    }

    #[test]
    fn secrets_to_mask_follow_the_session() {
        let basic = SessionState::new(Auth::basic("k", "s"));
        assert_eq!(basic.secrets(), ["s", "azpz"]);
        let password = SessionState::new(Auth::password("u", "pw"));
        assert_eq!(password.secrets(), ["pw"]);
        password.set_sid(Some(Secret::new("sid-1")));
        assert_eq!(password.mask().str("a sid-1 pw"), "a *** ***");
        // A new session: the new sid is masked, and the replaced one still is.
        password.set_sid(Some(Secret::new("sid-2")));
        assert_eq!(password.mask().str("sid-1 sid-2"), "*** ***");
        let bearer = SessionState::new(Auth::bearer_refreshing(
            "at",
            OAuthRefresh::new("rt", "client").client_secret("cs"),
        ));
        bearer.set_tokens(&Tokens::new("at-2").refresh_token("rt-2"));
        let mut all = bearer.secrets();
        all.sort();
        assert_eq!(all, ["at", "at", "at-2", "cs", "rt", "rt", "rt-2"]);
        assert!(SessionState::new(Auth::token("k", "")).secrets().is_empty());
        assert!(SessionState::new(Auth::Guest).secrets().is_empty());
    }

    #[test]
    fn sid_is_read_from_set_cookie() {
        let headers = [
            "sid=5e1f; Expires=Fri, 04 Dec 2026 13:02:20 GMT; Max-Age=612000; HttpOnly; Path=/",
            "system_user=yes; Path=/; SameSite=Lax",
        ];
        assert_eq!(
            sid_from_set_cookie(headers.into_iter()).map(|s| s.expose().to_owned()),
            Some("5e1f".to_owned())
        );
        assert!(sid_from_set_cookie(["sid=Guest; Path=/"].into_iter()).is_none());
        assert!(sid_from_set_cookie(["sid=; Expires=Thu"].into_iter()).is_none());
    }
}
