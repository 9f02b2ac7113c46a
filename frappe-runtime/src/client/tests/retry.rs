//! Retries: which failures, which methods, how many times, Retry-After.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client, json_response};
use crate::{Auth, Client, Error, RetryPolicy};

/// A proxy's 503 page.
fn busy() -> ResponseTemplate {
    ResponseTemplate::new(503).set_body_string("<html>busy</html>")
}

/// Answers `GET /api/method/ping` with `pong`, once: after the mocks mounted before it have
/// used up their answers (wiremock tries mocks in mounting order).
async fn then_pong(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(json_response(200, json!({"message": "pong"})))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn get_is_retried_on_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(busy())
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    then_pong(&server).await;
    let c = client(&server, Auth::Guest);
    assert_eq!(c.ping().await.unwrap(), "pong");
}

#[tokio::test]
async fn post_is_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/resource/ToDo"))
        .respond_with(busy())
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::token("k", "s"));
    let err = c
        .doctype("ToDo")
        .insert(&json!({"description": "x"}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn retries_stop_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(502, json!({"exc_type": "X"})))
        .expect(3)
        .mount(&server)
        .await;
    let err = client(&server, Auth::Guest).ping().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
}

#[tokio::test]
async fn retry_after_is_honoured_or_handed_to_the_caller() {
    let server = MockServer::start().await;
    // Retry-After: 0 -> retried at once.
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(
            json_response(429, json!({"exc_type": "TooManyRequestsError"}))
                .insert_header("Retry-After", "0"),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    then_pong(&server).await;
    // Retry-After longer than max_delay -> not waited out.
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.auth.get_logged_user"))
        .respond_with(
            json_response(429, json!({"exc_type": "TooManyRequestsError"}))
                .insert_header("Retry-After", "3600"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::Guest);
    assert_eq!(c.ping().await.unwrap(), "pong");
    let err = c.logged_user().await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
}

/// Counts the failed attempts logged for `path` (each attempt logs "request failed" in its
/// `frappe_request` span).
fn failed_attempts(logs: &str, path: &str) -> usize {
    logs.lines()
        .filter(|l| l.contains("request failed") && l.contains(&format!("path={path} ")))
        .count()
}

#[tokio::test]
async fn connect_errors_are_retried_for_get_only() {
    let capture = super::auth::global_capture();
    // Nothing listens on port 9 of 127.0.0.1 (discard service, not run in test environments).
    let c = Client::builder("http://127.0.0.1:9")
        .retry(RetryPolicy::new(
            3,
            Duration::from_millis(1),
            Duration::from_millis(5),
        ))
        .build()
        .unwrap();
    let err = c
        .call("probe.connect_get")
        .get::<String>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
    let err = c
        .call("probe.connect_post")
        .post::<String>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert_eq!(
        failed_attempts(&logs, "/api/method/probe.connect_get"),
        3,
        "{logs}"
    );
    assert_eq!(
        failed_attempts(&logs, "/api/method/probe.connect_post"),
        1,
        "{logs}"
    );
}
