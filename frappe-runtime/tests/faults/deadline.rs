//! Time limits: each attempt has `ClientBuilder::timeout`, the whole call (waiting for a slot,
//! logging in, every attempt, backoff and redirect) has `ClientBuilder::deadline`. No test
//! asserts on elapsed time; they count requests and read the error.

use std::time::Duration;

use frappe_runtime::{Auth, Client, Error, RetryPolicy, TimeLimit};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::server::{Behaviour, Fault};
use crate::{bounded, received};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test]
async fn a_server_that_never_answers_fails_at_the_deadline() {
    bounded(async {
        let server = Fault::start(Behaviour::Hang).await;
        let c = Client::builder(server.uri())
            .timeout(ms(200))
            .deadline(ms(600))
            .retry(RetryPolicy::new(10, ms(1), ms(5)))
            .build()
            .unwrap();
        let err = c.ping().await.unwrap_err();
        let Error::Timeout(t) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(t.limit, TimeLimit::Deadline(ms(600)), "{err}");
        assert!(err.to_string().contains("deadline"), "{err}");
        // Timed-out GETs were retried, and the deadline, not max_attempts, ended the call.
        assert!(t.attempts < 10 && server.accepted() < 10, "{err}");
    })
    .await;
}

#[tokio::test]
async fn a_retry_whose_wait_would_cross_the_deadline_is_not_started() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(503)
                    .insert_header("Retry-After", "5")
                    .set_body_json(json!({"exc_type": "ServiceUnavailable"})),
            )
            .mount(&server)
            .await;
        let c = Client::builder(server.uri())
            .deadline(ms(1000))
            .retry(RetryPolicy::new(3, ms(1), Duration::from_secs(10)))
            .build()
            .unwrap();
        let err = c.ping().await.unwrap_err();
        assert_eq!(received(&server).await.len(), 1, "the 5 s wait was started");
        let Error::Timeout(t) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(t.limit, TimeLimit::Deadline(ms(1000)));
        // The answer that could not be retried is kept, and still matched on.
        assert_eq!(err.status(), Some(503));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(5)));
        assert!(err.to_string().contains("503"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn without_a_deadline_the_attempts_decide() {
    bounded(async {
        let server = Fault::start(Behaviour::Hang).await;
        let c = Client::builder(server.uri())
            .timeout(ms(100))
            .deadline(None)
            .retry(RetryPolicy::new(3, ms(1), ms(5)))
            .build()
            .unwrap();
        let err = c.ping().await.unwrap_err();
        let Error::Timeout(t) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(t.limit, TimeLimit::Attempt(ms(100)), "{err}");
        assert_eq!(t.attempts, 3);
        assert!(err.to_string().contains("timeout"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn logging_in_counts_against_the_deadline() {
    const SHORT: Duration = Duration::from_millis(150);
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
