//! A list body that arrives in pieces of odd sizes (HTTP chunks splitting rows, strings, escapes
//! and UTF-8 sequences; several times the 64 KiB the client decodes at a time) decodes, row by
//! row as it arrives, to exactly what the same body sent in one piece decodes to; an attempt
//! that fails half-way keeps none of its rows.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use frappe_runtime::{Client, RetryPolicy, Row};
use futures_util::TryStreamExt as _;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::server::read_request;
use crate::{bounded, json_ok};

const ROWS: usize = 2_000;

/// Rows with what a split can fall inside: multi-byte UTF-8, escaped quotes and backslashes,
/// `\u` escapes, brackets and commas in strings, nested lists and objects.
fn rows() -> Vec<Value> {
    (0..ROWS)
        .map(|i| {
            let description = (i % 3 != 0).then(|| {
                format!("a \"quoted\" [bracket] {{brace}}, comma \\ back\u{1}slash 🎉 Zoë {i}")
            });
            json!({
                "name": format!("TD-{i}-日本"),
                "idx": i,
                "description": description,
                "child": [{"k": [i, "]", {"x": "}"}]}, []],
            })
        })
        .collect()
}

fn body() -> Vec<u8> {
    serde_json::to_vec(&json!({"data": rows(), "exc": "[\"debug output\"]"})).unwrap()
}

#[derive(Debug, PartialEq, Deserialize)]
struct Item {
    name: String,
    idx: u64,
    description: Option<String>,
    child: Vec<Value>,
}

/// Serves `body` to every request as HTTP chunks of 1, 2, ... up to `largest` bytes, one
/// request per connection. With `stale`, the first answer is half of that body instead, and the
/// connection stays open.
async fn in_pieces(
    body: Vec<u8>,
    largest: usize,
    stale: Option<Vec<u8>>,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let body: Arc<[u8]> = body.into();
    let mut stale: Option<Arc<[u8]>> = stale.map(Into::into);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (body, stall) = match stale.take() {
                Some(stale) => (stale, true),
                None => (body.clone(), false),
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let _ = answer(stream, &body, largest, stall, &counter).await;
            });
        }
    });
    (uri, requests)
}

async fn answer(
    mut stream: TcpStream,
    body: &[u8],
    largest: usize,
    stall: bool,
    requests: &AtomicUsize,
) -> std::io::Result<()> {
    read_request(&mut stream).await?;
    requests.fetch_add(1, Ordering::SeqCst);
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    stream.write_all(head.as_bytes()).await?;
    let end = if stall { body.len() / 2 } else { body.len() };
    let (mut at, mut size) = (0, 1);
    while at < end {
        let piece = &body[at..(at + size).min(end)];
        stream
            .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
            .await?;
        stream.write_all(piece).await?;
        stream.write_all(b"\r\n").await?;
        stream.flush().await?;
        at += piece.len();
        size = size % largest + 1;
    }
    if stall {
        // Hold the connection until the client gives up on it.
        let mut sink = [0u8; 1024];
        while stream.read(&mut sink).await? > 0 {}
        return Ok(());
    }
    stream.write_all(b"0\r\n\r\n").await
}

/// The same body, whole, from wiremock.
async fn whole(body: Vec<u8>) -> MockServer {
    let server = MockServer::start().await;
    let value: Value = serde_json::from_slice(&body).unwrap();
    Mock::given(method("GET"))
        .and(path("/api/resource/ToDo"))
        .respond_with(json_ok(value))
        .mount(&server)
        .await;
    server
}

fn client(uri: &str) -> Client {
    Client::builder(uri)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_body_in_pieces_decodes_as_the_same_body_whole() {
    bounded(async {
        let (pieces, requests) = in_pieces(body(), 997, None).await;
        let whole = whole(body()).await;
        let (pieces, whole) = (client(&pieces), client(&whole.uri()));

        let untyped: Vec<Row> = pieces.doctype("ToDo").list().all().send().await.unwrap();
        assert_eq!(untyped.len(), ROWS);
        assert_eq!(
            untyped,
            whole.doctype("ToDo").list().all().send().await.unwrap()
        );
        let expected: Vec<Row> = rows()
            .into_iter()
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        assert_eq!(untyped, expected);

        let typed: Vec<Item> = pieces
            .doctype("ToDo")
            .list_as::<Item>()
            .all()
            .send()
            .await
            .unwrap();
        assert_eq!(typed.len(), ROWS);
        assert_eq!(
            typed,
            whole
                .doctype("ToDo")
                .list_as::<Item>()
                .all()
                .send()
                .await
                .unwrap()
        );
        assert!(typed[1].description.as_deref().unwrap().contains("🎉 Zoë"));

        // A page of the stream (one short page: the stream ends after it).
        let streamed: Vec<Item> = pieces
            .doctype("ToDo")
            .list_as::<Item>()
            .page_size(ROWS as u64 + 1)
            .stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(streamed, typed);
        assert_eq!(requests.load(Ordering::SeqCst), 3);
    })
    .await;
}

#[tokio::test]
async fn a_retried_attempt_keeps_none_of_the_rows_of_the_one_that_stalled() {
    bounded(async {
        // The first answer stops half-way: its attempt times out and the GET is sent again. Its
        // rows have other names of the same length, so that any of them kept would show.
        let stale = String::from_utf8(body()).unwrap().replace("TD-", "XX-");
        // The answers come in larger pieces, so that the one that completes is quick.
        let (uri, requests) = in_pieces(body(), 4096, Some(stale.into_bytes())).await;
        let client = Client::builder(&uri)
            .timeout(Duration::from_secs(1))
            .retry(RetryPolicy::new(
                2,
                Duration::from_millis(1),
                Duration::from_millis(1),
            ))
            .build()
            .unwrap();
        let typed: Vec<Item> = client
            .doctype("ToDo")
            .list_as::<Item>()
            .all()
            .send()
            .await
            .unwrap();
        assert_eq!(requests.load(Ordering::SeqCst), 2);
        let expected: Vec<Item> = rows()
            .into_iter()
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        assert_eq!(typed, expected);
    })
    .await;
}
