//! Response bodies are capped (`ClientBuilder::max_response_bytes`) while being read: a body
//! announced larger than the cap is refused before reading, an endless one is cut at the cap.

use frappe_runtime::{Client, Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::bounded;
use crate::server::{Behaviour, CEILING, Fault};

const CAP: u64 = 1 << 20;

fn capped(uri: &str) -> Client {
    Client::builder(uri)
        .max_response_bytes(CAP)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn assert_too_large(err: &Error, path: &str) {
    assert!(
        matches!(err, Error::ResponseTooLarge { limit, path: p, .. } if *limit == CAP && p == path),
        "{err:?}"
    );
    assert!(err.to_string().contains("max_response_bytes"), "{err}");
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_cap() {
    bounded(async {
        let server = Fault::start(Behaviour::Endless { declared: None }).await;
        let err = capped(&server.uri()).ping().await.unwrap_err();
        assert_too_large(&err, "/api/method/ping");
        // The client stopped reading near the cap; without one it reads all the server sends.
        assert!(
            server.written() < CEILING,
            "{} bytes sent",
            server.written()
        );
    })
    .await;
}

#[tokio::test]
async fn a_body_announced_larger_than_the_cap_is_not_read() {
    bounded(async {
        // 2 GiB announced; the server sends its ceiling, then waits for the rest to be read.
        let server = Fault::start(Behaviour::Endless {
            declared: Some(2 << 30),
        })
        .await;
        let err = capped(&server.uri())
            .download("/files/big.bin")
            .await
            .unwrap_err();
        assert_too_large(&err, "/files/big.bin");
        assert!(
            server.written() < CEILING,
            "{} bytes sent",
            server.written()
        );
    })
    .await;
}

#[tokio::test]
async fn the_cap_is_inclusive_and_applies_to_error_pages_too() {
    bounded(async {
        let server = MockServer::start().await;
        let body = |n: u64| vec![b'a'; n as usize];
        Mock::given(path("/files/exact.bin"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(body(CAP)))
            .mount(&server)
            .await;
        Mock::given(path("/files/over.bin"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(body(CAP + 1)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/method/ping"))
            .respond_with(ResponseTemplate::new(502).set_body_bytes(body(CAP + 1)))
            .mount(&server)
            .await;
        let c = capped(&server.uri());
        assert_eq!(
            c.download("/files/exact.bin").await.unwrap().len() as u64,
            CAP
        );
        let err = c.download("/files/over.bin").await.unwrap_err();
        assert_too_large(&err, "/files/over.bin");
        let err = c.ping().await.unwrap_err();
        assert_too_large(&err, "/api/method/ping");
    })
    .await;
}
