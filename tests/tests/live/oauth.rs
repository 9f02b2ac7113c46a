//! OAuth2 on the real site: an OAuth Client registered over REST, the authorization code obtained
//! the way a browser would (a logged-in session following Frappe's redirects), tokens from the
//! token endpoint, and a bearer client that refreshes its token when it expires on the site.

use frappe_runtime::{Auth, Changes, Client, OAuthRefresh};
use frappe_tests::live_site::integrations::{
    OAuthClient, OAuthClientGrantType, OAuthClientResponseType,
};
use reqwest::header::LOCATION;
use serde::Deserialize;

use crate::support::{admin, unique, url, var};

const REDIRECT_URI: &str = "http://127.0.0.1:9/callback";

#[derive(Debug, Deserialize)]
struct Tokens {
    access_token: String,
    refresh_token: String,
    token_type: String,
}

/// The browser's part: log in, open the authorize URL, follow Frappe's redirects (skip
/// authorization is on) to the redirect URI, and read the code from it. The browser's cookie jar
/// matters: `approve` reads the `user_id` cookie the login set, not only `sid`.
async fn authorization_code(client_id: &str, state: &str) -> String {
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
    let mut next = reqwest::Url::parse_with_params(
        &format!("{}/api/method/frappe.integrations.oauth2.authorize", url()),
        &[
            ("client_id", client_id),
            ("redirect_uri", REDIRECT_URI),
            ("response_type", "code"),
            ("scope", "all"),
            ("state", state),
        ],
    )
    .unwrap();
    for _ in 0..5 {
        if next.as_str().starts_with(REDIRECT_URI) {
            let query: Vec<(String, String)> = next.query_pairs().into_owned().collect();
            let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.clone());
            assert_eq!(get("state").as_deref(), Some(state), "{next}");
            return get("code").unwrap_or_else(|| panic!("no code in {next}"));
        }
        let answer = http.get(next.clone()).send().await.unwrap();
        let location = answer
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .unwrap_or_else(|| panic!("{next}: {} without Location", answer.status()))
            .to_owned();
        next = next.join(&location).unwrap();
    }
    panic!("too many redirects, last {next}");
}

async fn exchange(client_id: &str, code: &str) -> Tokens {
    let answer = reqwest::Client::new()
        .post(format!(
            "{}/api/method/frappe.integrations.oauth2.get_token",
            url()
        ))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
            ("client_id", client_id),
        ])
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let body = answer.text().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

async fn revoke(token: &str) {
    let answer = reqwest::Client::new()
        .post(format!(
            "{}/api/method/frappe.integrations.oauth2.revoke_token",
            url()
        ))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());
}

#[tokio::test]
async fn a_bearer_token_is_refreshed_when_it_expires_on_the_site() {
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

    let code = authorization_code(&client_id, "state-1").await;
    let tokens = exchange(&client_id, &code).await;
    assert_eq!(tokens.token_type, "Bearer");

    let bearer = Client::new(
        url(),
        Auth::bearer_refreshing(
            tokens.access_token.clone(),
            OAuthRefresh::new(tokens.refresh_token.clone(), client_id.clone()),
        ),
    )
    .unwrap();
    assert_eq!(bearer.logged_user().await.unwrap(), "Administrator");

    // The access token expires on the site: the next call is answered 401, the client
    // refreshes once (refresh_token grant) and repeats the (idempotent) call.
    admin
        .doctype("OAuth Bearer Token")
        .update(
            &tokens.access_token,
            &serde_json::json!({"expiration_time": "2020-01-01 00:00:00"}),
        )
        .await
        .unwrap();
    let plain = Client::new(url(), Auth::bearer(tokens.access_token.clone())).unwrap();
    let err = plain.logged_user().await.unwrap_err();
    assert!(err.is_permission(), "an expired token is refused: {err:?}");
    assert_eq!(bearer.logged_user().await.unwrap(), "Administrator");

    // Revoked by the site, the refreshed token is refused with nothing left to refresh it
    // with: the refresh token went with it.
    let active: Vec<frappe_runtime::Row> = admin
        .doctype("OAuth Bearer Token")
        .list()
        .fields(["name"])
        .filter(serde_json::json!(["client", "=", client_id]))
        .filter(serde_json::json!(["status", "=", "Active"]))
        .filter(serde_json::json!(["name", "!=", tokens.access_token]))
        .send()
        .await
        .unwrap();
    assert_eq!(active.len(), 1, "the refreshed token: {active:?}");
    let refreshed = active[0]["name"].as_str().unwrap().to_owned();
    assert_ne!(refreshed, tokens.access_token);
    revoke(&refreshed).await;
    let err = bearer.logged_user().await.unwrap_err();
    assert!(err.is_permission() || err.is_not_found(), "{err:?}");

    // The client's tokens and codes link to it: they go first.
    for doctype in ["OAuth Bearer Token", "OAuth Authorization Code"] {
        let rows: Vec<frappe_runtime::Row> = admin
            .doctype(doctype)
            .list()
            .fields(["name"])
            .filter(serde_json::json!(["client", "=", client_id]))
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
