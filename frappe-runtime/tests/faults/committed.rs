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
