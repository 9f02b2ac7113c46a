//! `insert_many` never sends more than Frappe's 200 documents per call (transcript 169 shows the
//! server refusing 201).

use frappe_runtime::{Auth, Client, Error, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::mock::{fast_client, json_ok, json_response, received};

/// Answers each insert_many with names for the docs it got; fails the call number `fail_at`
/// and answers one name short on the call number `short_at`.
struct Names {
    fail_at: Option<usize>,
    short_at: Option<usize>,
    calls: std::sync::atomic::AtomicUsize,
}

impl Respond for Names {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if Some(n) == self.fail_at {
            return ResponseTemplate::new(417)
                .set_body_json(json!({"exc_type": "ValidationError"}));
        }
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        let mut names: Vec<String> = body["docs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("n-{}", d["description"].as_str().unwrap()))
            .collect();
        if Some(n) == self.short_at {
            names.remove(names.len() / 2);
        }
        json_ok(json!({ "message": names }))
    }
}

async fn run(
    count: usize,
    fail_at: Option<usize>,
) -> (MockServer, frappe_runtime::Result<Vec<String>>) {
    run_with(count, fail_at, None).await
}

async fn run_with(
    count: usize,
    fail_at: Option<usize>,
    short_at: Option<usize>,
) -> (MockServer, frappe_runtime::Result<Vec<String>>) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(
        "/api/method/frappe.client.insert_many",
    ))
    .respond_with(Names {
        fail_at,
        short_at,
        calls: Default::default(),
    })
    .mount(&server)
    .await;
    let docs: Vec<Value> = (0..count)
        .map(|i| json!({"description": i.to_string()}))
        .collect();
    let client = Client::builder(server.uri())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let result = client.doctype("ToDo").insert_many(&docs).await;
    (server, result)
}

async fn chunk_sizes(server: &MockServer) -> Vec<usize> {
    received(server)
        .await
        .iter()
        .map(|r| {
            r.body_json::<Value>().unwrap()["docs"]
                .as_array()
                .unwrap()
                .len()
        })
        .collect()
}

#[tokio::test]
async fn four_hundred_and_one_docs_go_in_three_calls() {
    let (server, result) = run(401, None).await;
    let names = result.unwrap();
    assert_eq!(chunk_sizes(&server).await, vec![200, 200, 1]);
    assert_eq!(names.len(), 401);
    assert_eq!(names[0], "n-0");
    assert_eq!(names[400], "n-400");
}

#[tokio::test]
async fn a_failed_chunk_reports_what_was_inserted() {
    let (server, result) = run(450, Some(1)).await;
    match result {
        Err(Error::PartialInsert { inserted, source }) => {
            assert_eq!(inserted.len(), 200);
            assert_eq!(source.exc_type(), Some("ValidationError"));
        }
        other => panic!("expected PartialInsert, got {other:?}"),
    }
    assert_eq!(
        chunk_sizes(&server).await,
        vec![200, 200],
        "stops at the failing chunk"
    );
}

#[tokio::test]
async fn a_chunk_answered_with_too_few_names_is_an_error() {
    // 450 documents; the second chunk (documents 200..400) is answered with 199 names, which
    // used to give Ok with 449 names no longer lined up with the documents.
    let (server, result) = run_with(450, None, Some(1)).await;
    let err = result.unwrap_err();
    let Error::InsertMismatch(m) = &err else {
        panic!("expected InsertMismatch, got {err:?}")
    };
    assert_eq!(m.chunk, 1);
    assert_eq!(m.documents, 200..400);
    assert_eq!(m.answered.len(), 199);
    assert_eq!(m.inserted.len(), 200);
    assert_eq!(m.inserted[199], "n-199", "confirmed names line up");
    let shown = err.to_string();
    assert!(
        shown.contains("chunk #1") && shown.contains("200..400") && shown.contains("199 names"),
        "{shown}"
    );
    assert_eq!(
        chunk_sizes(&server).await,
        vec![200, 200],
        "stops at the mismatched chunk"
    );
    // The first chunk: nothing confirmed.
    let (_, result) = run_with(3, None, Some(0)).await;
    match result {
        Err(Error::InsertMismatch(m)) => {
            assert_eq!((m.chunk, m.documents.clone()), (0, 0..3));
            assert!(m.inserted.is_empty());
        }
        other => panic!("expected InsertMismatch, got {other:?}"),
    }
}

#[tokio::test]
async fn insert_many_is_chunked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.client.insert_many"))
        .respond_with(|req: &Request| {
            let body: Value = serde_json::from_slice(&req.body).unwrap();
            let n = body["docs"].as_array().unwrap().len();
            json_response(
                200,
                json!({"message": (0..n).map(|i| format!("n{i}")).collect::<Vec<_>>()}),
            )
        })
        .expect(2)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "s"));
    let docs: Vec<Value> = (0..250)
        .map(|i| json!({"description": i.to_string()}))
        .collect();
    let names = c.doctype("ToDo").insert_many(&docs).await.unwrap();
    assert_eq!(names.len(), 250);
    let reqs = server.received_requests().await.unwrap();
    let first: Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(first["docs"].as_array().unwrap().len(), 200);
    assert_eq!(first["docs"][0]["doctype"], "ToDo");
}
