//! OAuth2 on the real site, through `frappe_runtime::oauth::OAuthApp`: an OAuth Client
//! registered over REST, the authorize URL opened the way a browser would (a logged-in session
//! following Frappe's redirects), the code redeemed with the PKCE verifier, the API called with
//! the bearer token, the OpenID profile and introspection read, tokens refreshed (explicitly,
//! before expiry and on a 401, each new set handed to the callback once), revoked, and a
//! revoked token refused. Frappe's own answers to a wrong verifier, a used code, an unknown
//! client and a revoked refresh token come back as typed errors.

use std::sync::{Arc, Mutex};

use chrono::{TimeDelta, Utc};
use frappe_runtime::oauth::{OAuthApp, OAuthErrorKind, PendingAuthorization, TokenKind, Tokens};
use frappe_runtime::{Auth, Changes, Client, Error, Secret};
use frappe_tests::live_site::integrations::{
    OAuthClient, OAuthClientGrantType, OAuthClientResponseType,
};
use reqwest::header::LOCATION;
use serde_json::json;

use crate::support::{admin, unique, url, var};

const REDIRECT_URI: &str = "http://127.0.0.1:9/callback";

/// The browser's part: log in, open `authorize_url`, follow Frappe's redirects (skip
/// authorization is on) until the redirect URI, and return the URL the app is called back
/// with. The browser's cookie jar matters: `approve` reads the `user_id` cookie the login set,
/// not only `sid`.
async fn browser_authorizes(authorize_url: &url::Url) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let login = http
        .post(format!("{}/api/method/login", url()))
        .form(&[
            ("usr", "Administrator"),
            ("pwd", &var("FRAPPE_TEST_ADMIN_PASSWORD")),
        ])
        .send()
        .await
        .unwrap();
    assert!(login.status().is_success(), "{}", login.status());
    let mut next = authorize_url.clone();
    for _ in 0..5 {
        if next.as_str().starts_with(REDIRECT_URI) {
            return next.to_string();
        }
        let answer = http.get(next.clone()).send().await.unwrap();
        let location = answer
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .unwrap_or_else(|| panic!("{}: {} without Location", next.path(), answer.status()))
            .to_owned();
        next = next.join(&location).unwrap();
    }
    panic!("too many redirects, last {}", next.path());
}

/// A fresh authorization, authorized by the browser: the pending state and the callback URL.
async fn authorized(app: &OAuthApp) -> (PendingAuthorization, String) {
    let authorization = app.authorize().unwrap();
    let redirect = browser_authorizes(authorization.url()).await;
    (authorization.into_pending(), redirect)
}

fn kind(err: &Error) -> OAuthErrorKind {
    err.oauth_error()
        .unwrap_or_else(|| panic!("not an OAuth error: {err:?}"))
        .kind
}

/// A client holding `tokens` whose callback records every token set it is handed.
fn recording_client(app: &OAuthApp, tokens: &Tokens) -> (Client, Arc<Mutex<Vec<Tokens>>>) {
    let stored = Arc::new(Mutex::new(Vec::new()));
    let sink = stored.clone();
    let client = app
        .client(tokens, move |t| sink.lock().unwrap().push(t.clone()))
        .unwrap();
    (client, stored)
}

#[tokio::test]
async fn the_authorization_code_flow_with_pkce_end_to_end() {
    let admin = admin();
    let registered: OAuthClient = admin
        .create(
            &Changes::new()
                .set(OAuthClient::app_name, unique("oauth").as_str())
                .set(OAuthClient::skip_authorization, true)
                .set(OAuthClient::scopes, "all openid")
                .set(OAuthClient::redirect_uris, REDIRECT_URI)
                .set(OAuthClient::default_redirect_uri, REDIRECT_URI)
                .set(
                    OAuthClient::grant_type,
                    OAuthClientGrantType::AuthorizationCode,
                )
                .set(OAuthClient::response_type, OAuthClientResponseType::Code),
        )
        .await
        .unwrap();
    let client_id = registered.client_id.clone().expect("client_id");
    let app = OAuthApp::new(url(), client_id.clone(), REDIRECT_URI)
        .unwrap()
        .scopes(["all", "openid"]);

    // The code, redeemed with the verifier whose S256 challenge the authorize URL carried.
    let (pending, redirect) = authorized(&app).await;
    let before = Utc::now();
    let tokens = app.exchange_redirect(&pending, &redirect).await.unwrap();
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.scopes, ["all", "openid"]);
    assert!(tokens.refresh_token.is_some() && tokens.id_token.is_some());
    let lifetime = tokens.expires_at.unwrap() - before;
    assert!(lifetime > TimeDelta::minutes(59) && lifetime <= TimeDelta::minutes(61));
    // A code is single-use.
    let err = app
        .exchange_redirect(&pending, &redirect)
        .await
        .unwrap_err();
    assert_eq!(kind(&err), OAuthErrorKind::InvalidGrant, "{err:?}");
    // Frappe checks the verifier against the challenge.
    let (pending, redirect) = authorized(&app).await;
    let wrong = PendingAuthorization::from_parts(pending.state().clone(), "x".repeat(43));
    let err = app.exchange_redirect(&wrong, &redirect).await.unwrap_err();
    assert_eq!(kind(&err), OAuthErrorKind::InvalidGrant, "{err:?}");

    // The API with the bearer token; the profile and what the site says about the token.
    let (client, stored) = recording_client(&app, &tokens);
    assert_eq!(client.logged_user().await.unwrap(), "Administrator");
    let me = app.profile(&tokens.access_token).await.unwrap();
    assert_eq!(me.email.as_deref(), Some("admin@example.com"));
    assert!(me.roles.iter().any(|r| r == "System Manager"), "{me:?}");
    let info = app
        .introspect(&tokens.access_token, TokenKind::Access)
        .await
        .unwrap();
    assert!(info.active && info.trusted_client, "{info:?}");
    assert_eq!(info.client_id.as_deref(), Some(client_id.as_str()));
    assert_eq!(info.scopes, ["all", "openid"]);

    // Explicit refresh: a new pair.
    let refreshed = app
        .refresh(tokens.refresh_token.as_ref().unwrap())
        .await
        .unwrap();
    assert_ne!(refreshed.access_token, tokens.access_token);
    assert_ne!(refreshed.refresh_token, tokens.refresh_token);

    // The access token expires on the site: the client's next call is answered 401, it
    // refreshes once and repeats the (idempotent) call; the callback gets the new tokens.
    admin
        .doctype("OAuth Bearer Token")
        .update(
            tokens.access_token.expose(),
            &json!({"expiration_time": "2020-01-01 00:00:00"}),
        )
        .await
        .unwrap();
    let plain = Client::new(url(), Auth::bearer(tokens.access_token.clone())).unwrap();
    let err = plain.logged_user().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    assert_eq!(client.logged_user().await.unwrap(), "Administrator");
    let after_401 = {
        let stored = stored.lock().unwrap();
        assert_eq!(stored.len(), 1, "one refresh");
        stored[0].clone()
    };
    assert_ne!(after_401.access_token, tokens.access_token);

    // Tokens known to expire: refreshed before the call, once for concurrent callers.
    let expiring = refreshed
        .clone()
        .expires_at(Utc::now() - TimeDelta::seconds(1));
    let (early, early_stored) = recording_client(&app, &expiring);
    let calls = (0..4).map(|_| early.logged_user());
    for user in futures_util::future::join_all(calls).await {
        assert_eq!(user.unwrap(), "Administrator");
    }
    let after_expiry = {
        let stored = early_stored.lock().unwrap();
        assert_eq!(stored.len(), 1, "one refresh for four callers");
        stored[0].clone()
    };
    assert_ne!(after_expiry.access_token, refreshed.access_token);

    // Revoked: refused by the API, inactive, and its refresh token goes with it, so a
    // refreshing client gets invalid_grant: the user must authorize again.
    app.revoke(&after_expiry.access_token, TokenKind::Access)
        .await
        .unwrap();
    let revoked = Client::new(url(), Auth::bearer(after_expiry.access_token.clone())).unwrap();
    let err = revoked.logged_user().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    let info = app
        .introspect(&after_expiry.access_token, TokenKind::Access)
        .await
        .unwrap();
    assert!(!info.active, "{info:?}");
    let err = early.logged_user().await.unwrap_err();
    assert_eq!(kind(&err), OAuthErrorKind::InvalidGrant, "{err:?}");
    let err = app
        .refresh(after_expiry.refresh_token.as_ref().unwrap())
        .await
        .unwrap_err();
    assert_eq!(kind(&err), OAuthErrorKind::InvalidGrant, "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains(after_expiry.refresh_token.as_ref().unwrap().expose()),
        "{shown}"
    );
    // Revoking by refresh token ends that grant too.
    app.revoke(
        after_401.refresh_token.as_ref().unwrap(),
        TokenKind::Refresh,
    )
    .await
    .unwrap();
    let info = app
        .introspect(&after_401.access_token, TokenKind::Access)
        .await
        .unwrap();
    assert!(!info.active, "{info:?}");

    // An app the site does not know.
    let stranger = OAuthApp::new(url(), "no-such-client", REDIRECT_URI).unwrap();
    let err = stranger
        .refresh(&Secret::new("whatever"))
        .await
        .unwrap_err();
    assert_eq!(kind(&err), OAuthErrorKind::InvalidClient, "{err:?}");

    // The client's tokens and codes link to it: they go first.
    for doctype in ["OAuth Bearer Token", "OAuth Authorization Code"] {
        let rows: Vec<frappe_runtime::Row> = admin
            .doctype(doctype)
            .list()
            .fields(["name"])
            .filter(json!(["client", "=", client_id]))
            .all()
            .send()
            .await
            .unwrap();
        for row in rows {
            let name = row["name"].as_str().unwrap();
            admin.doctype(doctype).delete(name).await.unwrap();
        }
    }
    admin.delete::<OAuthClient>(&registered.name).await.unwrap();
}
