//! The OAuth2 flow (`oauth::OAuthApp`, feature `oauth`) against wiremock: the state checked
//! before anything is sent, the PKCE verifier matching the challenge, token answers typed, the
//! token endpoint's errors typed, a refreshing client refreshing once for concurrent callers
//! and handing the tokens to its callback, codes and tokens never sent to another origin, and
//! secrets masked in `Debug` and errors. Answers are in the form Frappe 15's
//! `frappe.integrations.oauth2` gives them (checked on the live kit, `tests/live/oauth.rs`).

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use chrono::{TimeDelta, Utc};
use frappe_runtime::oauth::{OAuthApp, OAuthErrorKind, PendingAuthorization, TokenKind, Tokens};
use frappe_runtime::{Auth, Error, Secret};
use serde_json::json;
use sha2::Digest as _;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::mock::{json_ok, json_response, received, routes};

const TOKEN: &str = "/api/method/frappe.integrations.oauth2.get_token";
const CALLBACK: &str = "https://app.example/cb";

fn app(server: &MockServer) -> OAuthApp {
    OAuthApp::new(server.uri(), "client-1", CALLBACK)
        .unwrap()
        .scopes(["all", "openid"])
}

/// Frappe's answer to the code grant with `openid`.
fn frappe_tokens(access: &str, refresh: &str) -> serde_json::Value {
    json!({
        "access_token": access, "expires_in": 3600, "token_type": "Bearer",
        "scope": "all openid", "refresh_token": refresh, "id_token": "eyJ0.eyJ1.sig"
    })
}

fn form(req: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&req.body)
        .into_owned()
        .collect()
}

fn field(form: &[(String, String)], key: &str) -> Option<String> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

fn oauth_kind(err: &Error) -> OAuthErrorKind {
    err.oauth_error()
        .unwrap_or_else(|| panic!("not an OAuth error: {err:?}"))
        .kind
}

#[tokio::test]
async fn a_state_mismatch_is_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    let app = app(&server);
    let pending = app.authorize().unwrap().into_pending();
    let err = app
        .exchange(&pending, "code-1", "forged")
        .await
        .unwrap_err();
    assert_eq!(oauth_kind(&err), OAuthErrorKind::StateMismatch);
    assert_eq!(err.status(), None);
    assert!(!err.maybe_committed());
    let redirect = format!("{CALLBACK}?code=code-1&state=forged");
    let err = app
        .exchange_redirect(&pending, &redirect)
        .await
        .unwrap_err();
    assert_eq!(oauth_kind(&err), OAuthErrorKind::StateMismatch);
    // No state at all is a mismatch too.
    let err = app
        .exchange_redirect(&pending, &format!("{CALLBACK}?code=code-1"))
        .await
        .unwrap_err();
    assert_eq!(oauth_kind(&err), OAuthErrorKind::StateMismatch);
    // The user refused: Frappe redirects with `error=access_denied` and no state.
    let err = app
        .exchange_redirect(&pending, &format!("{CALLBACK}?error=access_denied"))
        .await
        .unwrap_err();
    assert_eq!(oauth_kind(&err), OAuthErrorKind::AccessDenied);
    // A session entry lost and read back empty: an empty state never matches, even an empty one.
    let lost = frappe_runtime::oauth::PendingAuthorization::from_parts(
        "",
        pending.code_verifier().expose(),
    );
    for returned in ["", "forged"] {
        let err = app.exchange(&lost, "code-1", returned).await.unwrap_err();
        assert_eq!(
            oauth_kind(&err),
            OAuthErrorKind::StateMismatch,
            "{returned:?}"
        );
    }
    let err = app
        .exchange_redirect(&lost, &format!("{CALLBACK}?code=code-1&state="))
        .await
        .unwrap_err();
    assert_eq!(oauth_kind(&err), OAuthErrorKind::StateMismatch);
    // A stored verifier that is not one: refused, nothing sent.
    let bad =
        frappe_runtime::oauth::PendingAuthorization::from_parts(pending.state().expose(), "short");
    let err = app
        .exchange(&bad, "code-1", pending.state().expose())
        .await
        .unwrap_err();
    assert!(
        matches!(err, frappe_runtime::Error::InvalidInput(_)),
        "{err:?}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn the_code_is_redeemed_with_the_verifier_of_the_challenge() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(json_ok(frappe_tokens("at-1", "rt-1")))
        .expect(1)
        .mount(&server)
        .await;
    let app = app(&server).client_secret("cs-1");
    let authorization = app.authorize().unwrap();
    let challenge = authorization
        .url()
        .query_pairs()
        .find(|(k, _)| k == "code_challenge")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let state = authorization.pending().state().expose().to_owned();
    let redirect = format!("{CALLBACK}?code=code-1&state={state}");
    let before = Utc::now();
    let tokens = app
        .exchange_redirect(authorization.pending(), &redirect)
        .await
        .unwrap();
    let after = Utc::now();

    let sent = form(&received(&server).await[0]);
    assert_eq!(
        field(&sent, "grant_type").as_deref(),
        Some("authorization_code")
    );
    assert_eq!(field(&sent, "code").as_deref(), Some("code-1"));
    assert_eq!(field(&sent, "redirect_uri").as_deref(), Some(CALLBACK));
    assert_eq!(field(&sent, "client_id").as_deref(), Some("client-1"));
    assert_eq!(field(&sent, "client_secret").as_deref(), Some("cs-1"));
    // RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge.
    let verifier = field(&sent, "code_verifier").unwrap();
    let hashed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    assert_eq!(hashed, challenge);

    assert_eq!(tokens.access_token.expose(), "at-1");
    assert_eq!(tokens.refresh_token.as_ref().unwrap().expose(), "rt-1");
    assert_eq!(tokens.id_token.as_ref().unwrap().expose(), "eyJ0.eyJ1.sig");
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.scopes, ["all", "openid"]);
    let expires = tokens.expires_at.unwrap();
    assert!(before + TimeDelta::seconds(3600) <= expires, "{expires}");
    assert!(expires <= after + TimeDelta::seconds(3600), "{expires}");
}

#[tokio::test]
async fn token_endpoint_errors_are_typed_and_show_no_secret() {
    let cases = [
        // oauthlib's errors, as Frappe answers them (always 400).
        (
            json_response(400, json!({"error": "invalid_grant"})),
            OAuthErrorKind::InvalidGrant,
        ),
        (
            json_response(
                400,
                json!({"error": "invalid_request",
                       "error_description": "Request is missing password parameter."}),
            ),
            OAuthErrorKind::InvalidRequest,
        ),
        (
            json_response(400, json!({"error": "unsupported_grant_type"})),
            OAuthErrorKind::UnsupportedGrantType,
        ),
        // An unknown client_id: Frappe's DoesNotExistError.
        (
            json_response(
                404,
                json!({"exc_type": "DoesNotExistError", "_server_messages":
                    "[\"{\\\"message\\\": \\\"OAuth Client client-1 not found\\\"}\"]"}),
            ),
            OAuthErrorKind::InvalidClient,
        ),
        // A revoked or already used refresh token: the message quotes it.
        (
            json_response(
                404,
                json!({"exc_type": "DoesNotExistError", "_server_messages":
                    "[\"{\\\"message\\\": \\\"OAuth Bearer Token {'refresh_token': 'rt-secret', 'status': 'Active'} not found\\\"}\"]"}),
            ),
            OAuthErrorKind::InvalidGrant,
        ),
    ];
    for (answer, kind) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN))
            .respond_with(answer)
            .mount(&server)
            .await;
        let app = app(&server).client_secret("cs-secret");
        let err = app.refresh(&Secret::new("rt-secret")).await.unwrap_err();
        assert_eq!(oauth_kind(&err), kind, "{err:?}");
        assert!(err.status().is_some());
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("rt-secret") && !shown.contains("cs-secret"),
            "{shown}"
        );
    }
    // Any other failure keeps the client's usual mapping.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(json_response(
            500,
            json!({"exc_type": "OperationalError", "exception": "rt-secret leaked"}),
        ))
        .mount(&server)
        .await;
    let err = app(&server)
        .refresh(&Secret::new("rt-secret"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("rt-secret"));
}

#[tokio::test]
async fn a_malformed_token_answer_is_reported_without_its_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(json_ok(
            json!({"access_token": "at-new", "expires_in": "soon"}),
        ))
        .mount(&server)
        .await;
    let err = app(&server)
        .refresh(&Secret::new("rt-1"))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.json_path, "expires_in");
    assert!(!format!("{err} {err:?}").contains("at-new"));
}

/// A site whose API accepts only `Bearer at-2` and whose token endpoint trades `rt-1` for
/// `at-2` / `rt-2`, once.
async fn refreshing_site(old_token_status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=rt-1"))
        .and(body_string_contains("client_id=client-1"))
        .respond_with(
            json_ok(
                json!({"access_token": "at-2", "expires_in": 3600, "token_type": "Bearer",
                           "scope": "all", "refresh_token": "rt-2"}),
            )
            // Long enough for every concurrent call to be waiting for this refresh.
            .set_delay(std::time::Duration::from_millis(200)),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer at-2"))
        .respond_with(json_ok(json!({"message": "Administrator"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer at-1"))
        .respond_with(json_response(
            old_token_status,
            json!({"exc_type": "AuthenticationError"}),
        ))
        .mount(&server)
        .await;
    server
}

/// Eight concurrent calls on a client whose tokens are `tokens`; the token sets its callback
/// received.
async fn eight_calls(server: &MockServer, tokens: Tokens) -> Vec<Tokens> {
    let stored = Arc::new(Mutex::new(Vec::new()));
    let sink = stored.clone();
    let client = app(server)
        .client(&tokens, move |t| sink.lock().unwrap().push(t.clone()))
        .unwrap();
    let calls = (0..8).map(|_| client.logged_user());
    for user in futures_util::future::join_all(calls).await {
        assert_eq!(user.unwrap(), "Administrator");
    }
    stored.lock().unwrap().clone()
}

#[tokio::test]
async fn an_expiring_token_is_refreshed_first_once_for_concurrent_callers() {
    let server = refreshing_site(401).await;
    let expired = Tokens::new("at-1")
        .refresh_token("rt-1")
        .expires_at(Utc::now() - TimeDelta::seconds(1));
    let stored = eight_calls(&server, expired).await;
    assert_eq!(stored.len(), 1, "one refresh, one callback");
    assert_eq!(stored[0].access_token.expose(), "at-2");
    assert_eq!(stored[0].refresh_token.as_ref().unwrap().expose(), "rt-2");
    assert!(stored[0].expires_at.is_some());
    // Refreshed before any call went out: the old token was never sent.
    let order = routes(&server).await;
    assert_eq!(order[0], format!("POST {TOKEN}"), "{order:?}");
    assert_eq!(order.len(), 9, "{order:?}");
}

#[tokio::test]
async fn a_rejected_token_is_refreshed_once_for_concurrent_callers() {
    let server = refreshing_site(401).await;
    // No expiry known: the 401s trigger the refresh.
    let tokens = Tokens::new("at-1").refresh_token("rt-1");
    let stored = eight_calls(&server, tokens).await;
    assert_eq!(stored.len(), 1, "one refresh, one callback");
    assert_eq!(stored[0].refresh_token.as_ref().unwrap().expose(), "rt-2");
}

#[tokio::test]
async fn a_refresh_the_site_refuses_is_an_oauth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(json_response(
            404,
            json!({"exc_type": "DoesNotExistError", "_server_messages":
                "[\"{\\\"message\\\": \\\"OAuth Bearer Token {'refresh_token': 'rt-1'} not found\\\"}\"]"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let expired = Tokens::new("at-1")
        .refresh_token("rt-1")
        .expires_at(Utc::now() - TimeDelta::seconds(1));
    let client = app(&server)
        .client(&expired, |_| panic!("no tokens to store"))
        .unwrap();
    let err = client.logged_user().await.unwrap_err();
    assert_eq!(oauth_kind(&err), OAuthErrorKind::InvalidGrant);
    assert!(!format!("{err} {err:?}").contains("rt-1"));
}

#[tokio::test]
async fn codes_and_tokens_never_go_to_another_origin() {
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(json_ok(frappe_tokens("at-x", "rt-x")))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    // Every endpoint of the site points elsewhere.
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/steal", elsewhere.uri())),
        )
        .mount(&server)
        .await;
    let app = app(&server);
    let authorization = app.authorize().unwrap();
    assert_eq!(
        authorization.url().origin(),
        url::Url::parse(&server.uri()).unwrap().origin()
    );
    let state = authorization.pending().state().expose().to_owned();
    let pending = PendingAuthorization::from_parts(state.clone(), "v".repeat(43));
    let results = [
        app.exchange(&pending, "code-1", &state).await.map(|_| ()),
        app.refresh(&Secret::new("rt-1")).await.map(|_| ()),
        app.revoke(&Secret::new("at-1"), TokenKind::Access).await,
        app.introspect(&Secret::new("at-1"), TokenKind::Access)
            .await
            .map(|_| ()),
        app.profile(&Secret::new("at-1")).await.map(|_| ()),
        app.client(&Tokens::new("at-1"), |_| {})
            .unwrap()
            .logged_user()
            .await
            .map(|_| ()),
    ];
    for result in results {
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Redirect(_)), "{err:?}");
    }
    assert_eq!(received(&server).await.len(), 6);
    assert!(received(&elsewhere).await.is_empty());
    // The client the app builds is for the app's site.
    let client = app.client(&Tokens::new("at-1"), |_| {}).unwrap();
    assert_eq!(client.base_url(), app.site_url());
}

#[tokio::test]
async fn revoke_introspect_and_profile_speak_frappes_forms() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.integrations.oauth2.revoke_token"))
        .and(body_string_contains("token=at-1"))
        .and(body_string_contains("token_type_hint=access_token"))
        .and(body_string_contains("client_id=client-1"))
        .respond_with(json_ok(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(
            "/api/method/frappe.integrations.oauth2.introspect_token",
        ))
        .and(body_string_contains("token_type_hint=refresh_token"))
        .respond_with(json_ok(
            json!({"client_id": "client-1", "trusted_client": 1,
            "active": true, "exp": 1_796_414_266, "scope": "all openid"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/api/method/frappe.integrations.oauth2.openid_profile",
        ))
        .and(header("authorization", "Bearer at-1"))
        .respond_with(json_ok(json!({"sub": null, "name": "Administrator",
            "given_name": "Administrator", "family_name": null, "email": "admin@example.com",
            "picture": null, "roles": ["System Manager"], "iss": "http://127.0.0.1:18000"})))
        .expect(1)
        .mount(&server)
        .await;
    let app = app(&server);
    app.revoke(&Secret::new("at-1"), TokenKind::Access)
        .await
        .unwrap();
    let info = app
        .introspect(&Secret::new("rt-1"), TokenKind::Refresh)
        .await
        .unwrap();
    assert!(info.active && info.trusted_client);
    assert_eq!(info.client_id.as_deref(), Some("client-1"));
    assert_eq!(info.scopes, ["all", "openid"]);
    assert_eq!(info.expires_at.unwrap().timestamp(), 1_796_414_266);
    let me = app.profile(&Secret::new("at-1")).await.unwrap();
    assert_eq!(me.email.as_deref(), Some("admin@example.com"));
    assert_eq!(me.roles, ["System Manager"]);
    // OAuth requests never carry the credentials of the client the app was built from.
    for req in received(&server).await {
        let auth = req
            .headers
            .get("authorization")
            .map(|h| h.to_str().unwrap());
        assert!(auth.is_none() || auth == Some("Bearer at-1"), "{auth:?}");
    }
}

#[test]
fn debug_of_every_oauth_type_masks_its_secrets() {
    let app = OAuthApp::new("https://erp.example.com", "client-1", CALLBACK)
        .unwrap()
        .client_secret("TOPSECRET-cs");
    let authorization = app.authorize().unwrap();
    let tokens = Tokens::new("TOPSECRET-at").refresh_token("TOPSECRET-rt");
    let auth: Auth = app.auth(&tokens, |_| {});
    let pending = PendingAuthorization::from_parts("TOPSECRET-st", "TOPSECRET-v");
    let shown = format!("{app:?} {authorization:?} {tokens:?} {auth:?} {pending:?} {tokens:#?}");
    assert!(!shown.contains("TOPSECRET"), "{shown}");
    for secret in [
        authorization.pending().state().expose(),
        authorization.pending().code_verifier().expose(),
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
}
