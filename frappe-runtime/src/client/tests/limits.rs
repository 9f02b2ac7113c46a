//! Time limits and their defaults, where the test needs the client's insides (its semaphore).

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{Auth, Client, Error, RetryPolicy, TimeLimit};

const SHORT: Duration = Duration::from_millis(150);

#[test]
fn documented_defaults_are_the_real_ones() {
    let c = Client::builder("http://h").build().unwrap();
    assert_eq!(c.inner.timeout, Some(Duration::from_secs(30)));
    assert_eq!(c.inner.deadline, Some(Duration::from_secs(60)));
    assert_eq!(c.inner.max_response_bytes, Some(256 * 1024 * 1024));
}

#[tokio::test]
async fn a_call_still_waiting_for_a_slot_at_its_deadline_was_not_sent() {
    let server = MockServer::start().await;
    let c = Client::builder(server.uri())
        .auth(Auth::token("k", "s"))
        .max_concurrency(1)
        .deadline(SHORT)
        .build()
        .unwrap();
    // Another call holds the only slot for longer than the deadline.
    let busy = c.inner.semaphore.acquire().await.unwrap();
    let err = c
        .doctype("ToDo")
        .insert(&json!({"description": "x"}))
        .await
        .unwrap_err();
    drop(busy);
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.limit, TimeLimit::Deadline(SHORT));
    assert_eq!(t.attempts, 0);
    assert!(!err.maybe_committed(), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn logging_in_counts_against_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let c = Client::builder(server.uri())
        .auth(Auth::password("u", "p"))
        .deadline(SHORT)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = tokio::time::timeout(Duration::from_secs(10), c.logged_user())
        .await
        .expect("the deadline bounds the login")
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout(t) if t.limit == TimeLimit::Deadline(SHORT)),
        "{err:?}"
    );
    let routes: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(routes, ["/api/method/login"]);
}
