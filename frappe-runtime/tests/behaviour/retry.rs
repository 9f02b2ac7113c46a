//! Retries: idempotent requests are retried on 429/502/503/504 with backoff honouring
//! Retry-After; a POST never is.
//!
//! Waiting is mostly checked without clocks: request counts, and the delay
//! `RetryPolicy::retry_delay` computes for a real 429. Two tests observe a real wait end to end
//! (`Retry-After: 1` on a 429 and on a 503): the server sees its second request at least 1 s
//! after answering the first. That lower bound is the behaviour under test (the client waited
//! what it was told, not its 1 ms backoff), not a performance threshold; the only upper bound is
//! a generous timeout so the test cannot hang. Tokio's paused time is not used: with a real
//! socket, auto-advance would jump to the request timeout whenever the runtime idles waiting on
//! I/O.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use frappe_runtime::{Auth, Client, Error, RetryPolicy};
use reqwest::Method;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::mock::{fast_client, json_ok, json_response, received};

fn client(uri: &str, policy: RetryPolicy) -> Client {
    Client::builder(uri)
        .auth(Auth::token("k", "s"))
        .retry(policy)
        .build()
        .unwrap()
}

/// Tiny delays, so the tests do not wait.
fn fast(attempts: u32) -> RetryPolicy {
    RetryPolicy::new(
        attempts,
        Duration::from_millis(1),
        Duration::from_millis(20),
    )
}

fn unavailable() -> ResponseTemplate {
    ResponseTemplate::new(503)
        .set_body_raw("<html><h1>503 Service Unavailable</h1></html>", "text/html")
}

#[tokio::test]
async fn get_is_retried_on_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(unavailable())
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(json_ok(json!({"message": "pong"})))
        .expect(1)
        .mount(&server)
        .await;
    let pong = client(&server.uri(), fast(3)).ping().await.unwrap();
    assert_eq!(pong, "pong");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn get_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(unavailable())
        .expect(3)
        .mount(&server)
        .await;
    let err = client(&server.uri(), fast(3)).ping().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
}

/// A PUT or DELETE is sent again after a 429 (Frappe refuses before running anything), not after
/// a 502: the write may have gone through behind the proxy, and a second save runs the
/// document's hooks again (a second DELETE answers 404).
#[tokio::test]
async fn put_and_delete_are_retried_only_when_surely_unprocessed() {
    let server = MockServer::start().await;
    for m in ["PUT", "DELETE"] {
        Mock::given(method(m))
            .and(path("/api/resource/ToDo/limited"))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("Retry-After", "0")
                    .set_body_json(json!({"exc_type": "TooManyRequestsError"})),
            )
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method(m))
            .and(path("/api/resource/ToDo/gateway"))
            .respond_with(ResponseTemplate::new(502))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("PUT"))
        .and(path("/api/resource/ToDo/limited"))
        .respond_with(json_ok(json!({"data": {"name": "limited"}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/resource/ToDo/limited"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"data": "ok"})))
        .expect(1)
        .mount(&server)
        .await;
    let todo = client(&server.uri(), fast(3)).doctype("ToDo");
    todo.update("limited", &json!({"status": "Closed"}))
        .await
        .unwrap();
    todo.delete("limited").await.unwrap();
    let put = todo
        .update("gateway", &json!({"status": "Closed"}))
        .await
        .unwrap_err();
    let delete = todo.delete("gateway").await.unwrap_err();
    for err in [put, delete] {
        assert_eq!(err.status(), Some(502), "{err:?}");
        assert!(err.is_retryable(), "a caller may decide to: {err:?}");
        assert!(err.maybe_committed(), "{err:?}");
    }
    assert_eq!(received(&server).await.len(), 6);
}

#[tokio::test]
async fn post_is_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(unavailable())
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server.uri(), fast(5));
    let err = c
        .doctype("ToDo")
        .insert(&json!({"description": "once"}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
    let err2 = c
        .call("frappe.client.insert")
        .arg("doc", json!({}))
        .post::<String>()
        .await;
    assert!(err2.is_err());
    // One insert and one method call: two requests, no retries.
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn server_errors_other_than_502_503_504_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"exc_type": "TypeError", "exception": "TypeError: boom"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server.uri(), fast(5)).ping().await.unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
}

fn rate_limited(retry_after: &str) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("Retry-After", retry_after)
        .set_body_json(json!({"exc_type": "TooManyRequestsError"}))
}

#[tokio::test]
async fn retry_after_is_what_the_policy_waits() {
    // No timing assertion: the delay the policy computes for a real 429 is the server's
    // Retry-After, not its own backoff (base 1 ms), and POSTs get no delay at all.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(rate_limited("7"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server.uri(), RetryPolicy::none())
        .ping()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    let policy = RetryPolicy::new(3, Duration::from_millis(1), Duration::from_secs(10));
    assert_eq!(
        policy.retry_delay(&Method::GET, 1, &err),
        Some(Duration::from_secs(7))
    );
    assert_eq!(policy.retry_delay(&Method::POST, 1, &err), None);
    assert_eq!(
        policy.retry_delay(&Method::GET, 3, &err),
        None,
        "attempts exhausted"
    );
}

#[tokio::test]
async fn retry_after_beyond_max_delay_goes_to_the_caller() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(rate_limited("3600"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server.uri(), fast(5)).ping().await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn rate_limited_get_is_retried_after_the_advertised_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(rate_limited("0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_ok(json!({"message": "pong"})))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client(&server.uri(), fast(2)).ping().await.unwrap(), "pong");
}

/// Serves `first` to the first `GET /api/method/ping`, then `pong`; returns what `ping` gave
/// and when the server saw each request.
async fn ping_after(first: ResponseTemplate) -> (String, Vec<Instant>) {
    let server = MockServer::start().await;
    let seen: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let log = Arc::clone(&seen);
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(move |_: &Request| {
            let mut log = log.lock().unwrap();
            log.push(Instant::now());
            if log.len() == 1 {
                first.clone()
            } else {
                json_ok(json!({"message": "pong"}))
            }
        })
        .mount(&server)
        .await;
    // Backoff alone would wait 0.5-1 ms: only Retry-After can make the client wait a second.
    let policy = RetryPolicy::new(3, Duration::from_millis(1), Duration::from_secs(5));
    let client = client(&server.uri(), policy);
    let pong = tokio::time::timeout(Duration::from_secs(30), client.ping())
        .await
        .expect("ping finishes within 30 s")
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    (pong, seen)
}

fn assert_waited_one_second(seen: &[Instant]) {
    assert_eq!(seen.len(), 2, "one refused attempt, one retry");
    let gap = seen[1] - seen[0];
    assert!(
        gap >= Duration::from_secs(1),
        "the retry came {gap:?} after the first answer, before its Retry-After: 1"
    );
}

#[tokio::test]
async fn retry_after_of_a_429_is_waited_out_end_to_end() {
    let (pong, seen) = ping_after(rate_limited("1")).await;
    assert_eq!(pong, "pong");
    assert_waited_one_second(&seen);
}

#[tokio::test]
async fn retry_after_of_a_503_is_waited_out_end_to_end() {
    let (pong, seen) = ping_after(unavailable().insert_header("Retry-After", "1")).await;
    assert_eq!(pong, "pong");
    assert_waited_one_second(&seen);
}

#[test]
fn backoff_is_jittered_and_bounded() {
    let p = RetryPolicy::new(10, Duration::from_millis(100), Duration::from_millis(1000));
    for attempt in 1..=8 {
        let ceiling =
            Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_millis(1000));
        for _ in 0..50 {
            let d = p.backoff(attempt);
            assert!(d >= ceiling / 2 && d <= ceiling, "attempt {attempt}: {d:?}");
        }
    }
}

#[tokio::test]
async fn connect_errors_are_retried_for_get() {
    // A port that was just bound and released: connecting is refused, which is retryable.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = client(&format!("http://127.0.0.1:{port}"), fast(2))
        .ping()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_json_502_is_retried_until_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(502, json!({"exc_type": "X"})))
        .expect(3)
        .mount(&server)
        .await;
    let err = fast_client(&server, Auth::Guest).ping().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
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
    let capture = crate::capture::global();
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
    let logs = capture.text();
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

/// `Client::stats` counts every attempt of a call, what came back and the retries between, and
/// is shared by clones.
#[tokio::test]
async fn stats_count_attempts_answers_and_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(unavailable())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_ok(json!({"message": "pong"})))
        .mount(&server)
        .await;
    let c = client(&server.uri(), fast(3));
    let before = c.stats();
    c.clone().ping().await.unwrap();
    let used = c.stats().since(&before);
    assert_eq!(used.attempts, 2);
    assert_eq!(used.responses, 2);
    assert_eq!(used.error_responses, 1);
    assert_eq!(used.failures, 0);
    assert_eq!(used.retries, 1);
    let body = br#"{"message": "pong"}"#.len() as u64;
    assert!(used.bytes_received > body, "{used:?}");
    assert!(used.time_in_requests > Duration::ZERO);

    // A connection that fails is an attempt without an answer.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let refused = client(&format!("http://127.0.0.1:{port}"), RetryPolicy::none());
    refused.ping().await.unwrap_err();
    let s = refused.stats();
    assert_eq!((s.attempts, s.responses, s.failures), (1, 0, 1));
}
