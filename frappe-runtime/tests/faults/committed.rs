//! `Error::maybe_committed`: `false` only when the request certainly was not processed (so a
//! write can be sent again safely), `true` whenever it may have been.

use std::time::Duration;

use frappe_runtime::{Auth, Client, Error, RetryPolicy, TimeLimit};
use serde_json::json;

use crate::bounded;
use crate::server::{Behaviour, Fault, refused_uri};

fn client(uri: &str) -> Client {
    Client::builder(uri)
        .auth(Auth::token("k", "s"))
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::new(
            3,
            Duration::from_millis(1),
            Duration::from_millis(5),
        ))
        .build()
        .unwrap()
}

async fn insert(c: &Client) -> frappe_runtime::Result<frappe_runtime::Row> {
    c.doctype("ToDo")
        .insert(&json!({"description": "once"}))
        .await
}

#[tokio::test]
async fn a_refused_connection_was_not_sent() {
    bounded(async {
        let err = insert(&client(&refused_uri())).await.unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        assert!(!err.maybe_committed(), "{err:?}");
        let shown = err.to_string();
        assert!(shown.ends_with("(not sent)"), "{shown}");
        assert!(shown.to_lowercase().contains("refused"), "{shown}");
    })
    .await;
}

#[tokio::test]
async fn a_connection_dropped_after_the_request_was_read_may_be_committed() {
    bounded(async {
        let server = Fault::start(Behaviour::ReadThenDrop).await;
        let err = insert(&client(&server.uri())).await.unwrap_err();
        assert!(err.maybe_committed(), "{err:?}");
        assert!(
            err.to_string().ends_with("(may have reached the site)"),
            "{err}"
        );
        assert_eq!(server.requests(), 1, "a POST is never retried");
    })
    .await;
}

#[tokio::test]
async fn a_timeout_waiting_for_the_answer_may_be_committed() {
    bounded(async {
        let server = Fault::start(Behaviour::Hang).await;
        let err = insert(&client(&server.uri())).await.unwrap_err();
        let Error::Timeout(t) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(t.limit, TimeLimit::Attempt(Duration::from_millis(300)));
        assert!(err.maybe_committed(), "{err:?}");
        assert_eq!(server.requests(), 1, "a POST is never retried");
    })
    .await;
}

/// The server closes each connection without reading a byte. On this single-threaded runtime
/// the close reaches the client before hyper starts writing, and hyper hands the request back
/// unsent (`Canceled`). (On a multi-threaded runtime the request usually goes out first; then
/// the client cannot know whether the server read it, and says "maybe".)
#[tokio::test]
async fn a_connection_closed_before_the_request_was_written_was_not_sent() {
    bounded(async {
        let server = Fault::start(Behaviour::CloseUnread).await;
        let err = insert(&client(&server.uri())).await.unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        assert!(!err.maybe_committed(), "{err:?}");
        assert_eq!(server.requests(), 0);
    })
    .await;
}

/// A PUT that got a 504 may have been processed behind the proxy: it is not sent again (the
/// server would refuse the next connection, which would read as "not sent"), and the 504 says
/// it may be committed.
#[tokio::test]
async fn a_write_that_got_a_504_is_not_sent_again() {
    bounded(async {
        let uri = crate::server::answer_once_then_refuse(
            "HTTP/1.1 504 Gateway Timeout\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\
             Connection: close\r\n\r\n<h1>504</h1>",
        )
        .await;
        let err = client(&uri)
            .doctype("ToDo")
            .update("t1", &json!({"description": "once"}))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
        assert_eq!(err.status(), Some(504));
        assert!(err.maybe_committed(), "{err:?}");
    })
    .await;
}

/// A 429 proves its attempt was not processed, so a DELETE is sent again; when that attempt then
/// gets a 504, the call ends there, maybe committed.
#[tokio::test]
async fn a_write_is_retried_after_a_429_and_not_after_a_504() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("DELETE"))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("Retry-After", "0")
                    .set_body_json(json!({"exc_type": "TooManyRequestsError"})),
            )
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .respond_with(ResponseTemplate::new(504).set_body_string("<h1>504</h1>"))
            .expect(1)
            .mount(&server)
            .await;
        let c = Client::builder(server.uri())
            .auth(Auth::token("k", "s"))
            .retry(RetryPolicy::new(
                5,
                Duration::from_millis(1),
                Duration::from_secs(10),
            ))
            .build()
            .unwrap();
        let err = c.doctype("ToDo").delete("t1").await.unwrap_err();
        assert_eq!(err.status(), Some(504), "{err:?}");
        assert!(err.maybe_committed(), "{err:?}");
        server.verify().await;
    })
    .await;
}
