//! A redirect the client follows (same site, GET) is logged with the client's secrets masked in
//! the location.

use frappe_runtime::Auth;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::capture::global as global_capture;
use crate::mock::{fast_client as client, json_response};

#[tokio::test]
async fn a_followed_redirect_is_logged_with_the_secrets_masked() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(
            wiremock::ResponseTemplate::new(302)
                .insert_header("Location", "/api/method/pong/LOC-SECRET-77"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/method/pong/LOC-SECRET-77"))
        .respond_with(json_response(200, json!({"message": "pong"})))
        .expect(1)
        .mount(&server)
        .await;
    let capture = global_capture();
    let c = client(&server, Auth::token("key", "LOC-SECRET-77"));
    assert_eq!(c.ping().await.unwrap(), "pong");
    let logs = capture.text();
    assert!(logs.contains("to=/api/method/pong/***"), "{logs}");
    assert!(!logs.contains("LOC-SECRET-77"), "{logs}");
}
