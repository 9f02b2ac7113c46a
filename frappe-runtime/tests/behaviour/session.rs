//! Session renewal: an expired session (403 + `session_expired: 1`) triggers one login; the
//! request is replayed only when idempotent.

use frappe_runtime::{Auth, Client, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::mock::{json_ok, received, routes};

fn login_ok(sid: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .append_header(
            "set-cookie",
            format!("sid={sid}; Max-Age=612000; HttpOnly; Path=/").as_str(),
        )
        .append_header("set-cookie", "system_user=yes; Path=/")
        .set_body_json(
            json!({"message": "Logged In", "home_page": "/app", "full_name": "Administrator"}),
        )
}

fn expired() -> ResponseTemplate {
    ResponseTemplate::new(403)
        .append_header("set-cookie", "sid=Guest; Path=/")
        .set_body_json(json!({"session_expired": 1, "exc_type": "PermissionError"}))
}

async fn server_with_two_sessions() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .and(body_string_contains("usr=Administrator"))
        .respond_with(login_ok("first"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .respond_with(login_ok("second"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header("cookie", "sid=first"))
        .respond_with(expired())
        .mount(&server)
        .await;
    server
}

fn client(uri: &str) -> Client {
    Client::builder(uri)
        .auth(Auth::password("Administrator", "pw-Secret-123"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn expired_session_relogs_in_once_and_replays_a_get() {
    let server = server_with_two_sessions().await;
    Mock::given(method("GET"))
        .and(header("cookie", "sid=second"))
        .respond_with(json_ok(json!({"message": "Administrator"})))
        .expect(1)
        .mount(&server)
        .await;
    let user = client(&server.uri()).logged_user().await.unwrap();
    assert_eq!(user, "Administrator");
    let methods: Vec<String> = routes(&server).await;
    assert_eq!(
        methods,
        [
            "POST /api/method/login",
            "GET /api/method/frappe.auth.get_logged_user",
            "POST /api/method/login",
            "GET /api/method/frappe.auth.get_logged_user",
        ]
    );
}

#[tokio::test]
async fn expired_session_does_not_replay_a_post() {
    let server = server_with_two_sessions().await;
    Mock::given(method("POST"))
        .and(path("/api/resource/ToDo"))
        .and(header("cookie", "sid=second"))
        .respond_with(json_ok(json!({"data": {"name": "dup"}})))
        .expect(0)
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let err = c
        .doctype("ToDo")
        .insert(&json!({"description": "once"}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    let inserts = received(&server)
        .await
        .iter()
        .filter(|r| r.url.path() == "/api/resource/ToDo")
        .count();
    assert_eq!(inserts, 1, "the POST was sent once, not replayed");
}

#[tokio::test]
async fn a_second_expiry_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(path("/api/method/login"))
        .respond_with(login_ok("always-expired"))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(expired())
        .expect(2)
        .mount(&server)
        .await;
    let err = client(&server.uri()).logged_user().await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
}
