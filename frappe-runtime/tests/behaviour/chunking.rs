//! Bulk writes: `insert_many` never sends more than Frappe's 200 documents per call (transcript
//! 169 shows the server refusing 201) and reports per document; `update_many` answers per
//! document.

use frappe_runtime::{Auth, Client, Error, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::mock::{fast_client, json_ok, json_response, received};

/// The names a site gives the documents of an insert_many request: `n-<description>`.
fn names_of(req: &Request) -> Vec<String> {
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    body["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("n-{}", d["description"].as_str().unwrap()))
        .collect()
}

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
        let mut names = names_of(req);
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
    let Err(Error::PartialInsert(p)) = result else {
        panic!("expected PartialInsert, got {result:?}")
    };
    assert_eq!(p.inserted(), 200);
    assert_eq!(p.names.len(), 450);
    assert_eq!(p.names[199].as_deref(), Some("n-199"), "names line up");
    assert!(p.names[200..].iter().all(Option::is_none));
    assert_eq!(p.failed.len(), 1);
    assert_eq!(p.failed[0].documents, 200..400);
    assert_eq!(p.failed[0].error.exc_type(), Some("ValidationError"));
    assert_eq!(p.not_sent(), (400..450).collect::<Vec<_>>());
    let shown = Error::PartialInsert(p).to_string();
    assert!(
        shown.starts_with("insert_many: 200 of 450 documents inserted; documents 200..400 failed:")
            && shown.ends_with("; 50 documents not sent"),
        "{shown}"
    );
    assert_eq!(
        chunk_sizes(&server).await,
        vec![200, 200],
        "stops at the failing chunk"
    );
}

/// Answers the first `deadlocks` calls as Frappe answers a transaction MariaDB rolled back for
/// a deadlock, then with `then` (or names for the docs sent).
struct Deadlocks {
    deadlocks: usize,
    then: Option<u16>,
    calls: std::sync::atomic::AtomicUsize,
}

impl Respond for Deadlocks {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if n < self.deadlocks {
            return ResponseTemplate::new(500).set_body_json(json!({
                "exc_type": "QueryDeadlockError",
                "exception": "frappe.exceptions.QueryDeadlockError: (1213, 'Deadlock found when trying to get lock; try restarting transaction')",
            }));
        }
        if let Some(status) = self.then {
            return ResponseTemplate::new(status)
                .set_body_json(json!({"exc_type": "ValidationError"}));
        }
        json_ok(json!({ "message": names_of(req) }))
    }
}

/// Three documents sent with `resend_deadlocked(resend)` to a site answering `deadlocks`
/// deadlocks, then `then`: what came back, and what the site received.
async fn deadlocked(
    deadlocks: usize,
    then: Option<u16>,
    resend: u32,
) -> (frappe_runtime::Result<Vec<String>>, Vec<Value>) {
    let server = MockServer::start().await;
    Mock::given(path("/api/method/frappe.client.insert_many"))
        .respond_with(Deadlocks {
            deadlocks,
            then,
            calls: Default::default(),
        })
        .mount(&server)
        .await;
    let docs: Vec<Value> = (0..3)
        .map(|i| json!({"description": i.to_string()}))
        .collect();
    let client = fast_client(&server, Auth::token("k", "s"));
    let result = client
        .doctype("ToDo")
        .insert_many(&docs)
        .resend_deadlocked(resend)
        .await;
    let bodies = received(&server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    (result, bodies)
}

#[tokio::test]
async fn a_deadlocked_chunk_is_sent_again_only_when_asked() {
    // Not asked (the default): the deadlock is the caller's, told apart by `is_deadlock`.
    let (result, bodies) = deadlocked(1, None, 0).await;
    let err = result.unwrap_err();
    assert!(err.is_deadlock() && err.maybe_committed(), "{err:?}");
    assert_eq!(bodies.len(), 1);
    // Asked: the same documents again, until the chunk goes in.
    let (result, bodies) = deadlocked(2, None, 2).await;
    assert_eq!(result.unwrap(), ["n-0", "n-1", "n-2"]);
    assert_eq!(bodies.len(), 3);
    let descriptions: Vec<&Value> = bodies[0]["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["description"])
        .collect();
    assert_eq!(descriptions, [&json!("0"), &json!("1"), &json!("2")]);
    assert!(bodies.iter().all(|b| b == &bodies[0]), "{bodies:?}");
    // At most as often as asked, and never after another failure.
    let (result, bodies) = deadlocked(3, None, 1).await;
    assert!(result.unwrap_err().is_deadlock());
    assert_eq!(bodies.len(), 2);
    let (result, bodies) = deadlocked(1, Some(417), 5).await;
    assert_eq!(result.unwrap_err().exc_type(), Some("ValidationError"));
    assert_eq!(bodies.len(), 2);
}

/// Answers each chunk by its first document's description: always a deadlock, always a
/// ValidationError, or the names.
struct ByChunk {
    deadlocks: &'static [&'static str],
    fails: &'static [&'static str],
}

impl Respond for ByChunk {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        let docs = body["docs"].as_array().unwrap();
        let first = docs[0]["description"].as_str().unwrap();
        if self.deadlocks.contains(&first) {
            return ResponseTemplate::new(500)
                .set_body_json(json!({"exc_type": "QueryDeadlockError"}));
        }
        if self.fails.contains(&first) {
            return ResponseTemplate::new(417)
                .set_body_json(json!({"exc_type": "ValidationError"}));
        }
        json_ok(json!({ "message": names_of(req) }))
    }
}

/// Six documents in two chunks of three, both in flight, with `resend_deadlocked(resend)`:
/// the result, the progress reports (inserted, failed) and the requests per chunk.
async fn two_chunks(
    answers: ByChunk,
    resend: u32,
) -> (
    frappe_runtime::Result<Vec<String>>,
    Vec<(usize, usize)>,
    [usize; 2],
) {
    let server = MockServer::start().await;
    Mock::given(path("/api/method/frappe.client.insert_many"))
        .respond_with(answers)
        .mount(&server)
        .await;
    let docs: Vec<Value> = (0..6)
        .map(|i| json!({"description": i.to_string()}))
        .collect();
    let progress = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = progress.clone();
    let result = fast_client(&server, Auth::token("k", "s"))
        .doctype("ToDo")
        .insert_many(&docs)
        .chunk_size(3)
        .concurrency(2)
        .resend_deadlocked(resend)
        .on_progress(move |p| seen.lock().unwrap().push((p.inserted, p.failed)))
        .await;
    let mut requests = [0; 2];
    for r in received(&server).await {
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        requests[usize::from(body["docs"][0]["description"] != "0")] += 1;
    }
    let progress = progress.lock().unwrap().clone();
    (result, progress, requests)
}

#[tokio::test]
async fn a_chunk_deadlocked_to_the_end_is_reported_beside_the_chunk_that_went_in() {
    let (result, progress, requests) = two_chunks(
        ByChunk {
            deadlocks: &["0"],
            fails: &[],
        },
        2,
    )
    .await;
    let Err(Error::PartialInsert(p)) = result else {
        panic!("expected PartialInsert, got {result:?}")
    };
    assert_eq!(p.names[..3], [None, None, None]);
    assert_eq!(
        p.names[3..],
        [Some("n-3".into()), Some("n-4".into()), Some("n-5".into())]
    );
    assert_eq!(p.failed.len(), 1);
    assert_eq!(p.failed[0].documents, 0..3);
    assert!(p.failed[0].error.is_deadlock(), "{:?}", p.failed[0].error);
    assert_eq!(
        requests,
        [3, 1],
        "sent once and again twice; the other once"
    );
    // One report per chunk, when its last answer came.
    assert_eq!(progress, [(3, 0), (3, 3)]);
}

#[tokio::test]
async fn no_chunk_is_sent_again_once_another_has_failed() {
    // The first chunk is refused at once; the second is rolled back for a deadlock, waits,
    // and then finds the insert failed: it is not sent again.
    let (result, _, requests) = two_chunks(
        ByChunk {
            deadlocks: &["3"],
            fails: &["0"],
        },
        5,
    )
    .await;
    let Err(Error::PartialInsert(p)) = result else {
        panic!("expected PartialInsert, got {result:?}")
    };
    assert_eq!(p.inserted(), 0);
    assert_eq!(p.failed.len(), 2);
    assert_eq!(p.failed[0].error.exc_type(), Some("ValidationError"));
    assert!(p.failed[1].error.is_deadlock(), "{:?}", p.failed[1].error);
    assert_eq!(requests, [1, 1]);
}

#[tokio::test]
async fn a_chunk_answered_with_too_few_names_is_an_error() {
    // 450 documents; the second chunk (documents 200..400) is answered with 199 names, which
    // used to give Ok with 449 names no longer lined up with the documents.
    let (server, result) = run_with(450, None, Some(1)).await;
    let Err(Error::PartialInsert(p)) = result else {
        panic!("expected PartialInsert, got {result:?}")
    };
    assert_eq!(p.inserted(), 200);
    let Error::InsertMismatch(m) = &p.failed[0].error else {
        panic!("expected InsertMismatch, got {:?}", p.failed[0].error)
    };
    assert_eq!(m.chunk, 1);
    assert_eq!(m.documents, 200..400);
    assert_eq!(m.answered.len(), 199);
    let shown = m.to_string();
    assert!(
        shown.contains("chunk #1") && shown.contains("200..400") && shown.contains("199 names"),
        "{shown}"
    );
    assert_eq!(
        chunk_sizes(&server).await,
        vec![200, 200],
        "stops at the mismatched chunk"
    );
    // The only chunk: its own error.
    let (_, result) = run_with(3, None, Some(0)).await;
    match result {
        Err(Error::InsertMismatch(m)) => {
            assert_eq!((m.chunk, m.documents.clone()), (0, 0..3));
        }
        other => panic!("expected InsertMismatch, got {other:?}"),
    }
}

/// Several chunks in flight: never more than asked, names in the order of the documents
/// whatever order the chunks finish in, progress after each chunk.
#[tokio::test]
async fn chunks_in_flight_are_bounded_and_names_keep_document_order() {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::{Arc, Mutex};
    let server = MockServer::start().await;
    // Chunks finished (reported to on_progress) when each request arrived.
    let finished = Arc::new(AtomicUsize::new(0));
    let finished_at_arrival = Arc::new(Mutex::new(Vec::new()));
    Mock::given(path("/api/method/frappe.client.insert_many"))
        .respond_with({
            let (finished, at_arrival) = (finished.clone(), finished_at_arrival.clone());
            move |req: &Request| {
                at_arrival.lock().unwrap().push(finished.load(SeqCst));
                let names = names_of(req);
                // Later chunks answer sooner, so they finish out of order.
                let first: u64 = names[0]["n-".len()..].parse().unwrap();
                json_ok(json!({ "message": names }))
                    .set_delay(std::time::Duration::from_millis(60 - first))
            }
        })
        .mount(&server)
        .await;
    let docs: Vec<Value> = (0..50)
        .map(|i| json!({"description": i.to_string()}))
        .collect();
    let progress = Arc::new(Mutex::new(Vec::new()));
    let names = fast_client(&server, Auth::token("k", "s"))
        .doctype("ToDo")
        .insert_many(&docs)
        .chunk_size(10)
        .concurrency(3)
        .on_progress({
            let (progress, finished) = (progress.clone(), finished.clone());
            move |p| {
                finished.fetch_add(1, SeqCst);
                progress
                    .lock()
                    .unwrap()
                    .push((p.inserted, p.failed, p.total));
            }
        })
        .await
        .unwrap();
    let expected: Vec<String> = (0..50).map(|i| format!("n-{i}")).collect();
    assert_eq!(names, expected);
    assert_eq!(chunk_sizes(&server).await, vec![10; 5]);
    // Request i is sent only once at least i - 2 chunks have finished: at most 3 in flight.
    let at_arrival = finished_at_arrival.lock().unwrap().clone();
    assert_eq!(at_arrival.len(), 5);
    for (i, finished) in at_arrival.iter().enumerate() {
        assert!(
            *finished + 3 > i,
            "request {i} sent with {finished} finished"
        );
    }
    let progress = progress.lock().unwrap().clone();
    assert_eq!(
        progress,
        vec![
            (10, 0, 50),
            (20, 0, 50),
            (30, 0, 50),
            (40, 0, 50),
            (50, 0, 50)
        ]
    );
}

/// With chunks in flight, a failure stops new chunks; the report accounts for every document.
#[tokio::test]
async fn a_failure_with_chunks_in_flight_accounts_for_every_document() {
    let server = MockServer::start().await;
    Mock::given(path("/api/method/frappe.client.insert_many"))
        .respond_with(Names {
            fail_at: Some(1),
            short_at: None,
            calls: Default::default(),
        })
        .mount(&server)
        .await;
    let docs: Vec<Value> = (0..50)
        .map(|i| json!({"description": i.to_string()}))
        .collect();
    let result = fast_client(&server, Auth::token("k", "s"))
        .doctype("ToDo")
        .insert_many(&docs)
        .chunk_size(10)
        .concurrency(2)
        .await;
    let Err(Error::PartialInsert(p)) = result else {
        panic!("expected PartialInsert, got {result:?}")
    };
    let sent = chunk_sizes(&server).await.len();
    assert!((2..=3).contains(&sent), "{sent} chunks sent");
    assert_eq!(p.failed.len(), 1);
    let failed = p.failed[0].documents.clone();
    let not_sent = p.not_sent();
    assert_eq!(p.inserted() + failed.len() + not_sent.len(), 50);
    for (i, name) in p.names.iter().enumerate() {
        match name {
            Some(n) => assert_eq!(n, &format!("n-{i}")),
            None => assert!(failed.contains(&i) || not_sent.contains(&i), "document {i}"),
        }
    }
    assert_eq!(
        not_sent.len(),
        50 - 10 * sent,
        "no chunk started after the failure"
    );
}

/// A document naming another DocType would be inserted as that DocType, and a child row with a
/// parent answers the parent's name: both refused before anything is sent.
#[tokio::test]
async fn foreign_doctypes_and_child_rows_are_refused_before_sending() {
    let server = MockServer::start().await;
    let todo = fast_client(&server, Auth::token("k", "s")).doctype("ToDo");
    for (doc, expected) in [
        (
            json!({"doctype": "User", "email": "x@example.com"}),
            "document #1 says it is a \"User\"",
        ),
        (
            json!({"description": "row", "parent": "SINV-1"}),
            "document #1 has a parent",
        ),
    ] {
        let docs = [json!({"doctype": "ToDo", "description": "fine"}), doc];
        let err = todo.insert_many(&docs).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        assert!(err.to_string().contains(expected), "{err}");
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn chunk_size_out_of_range_is_refused_before_sending() {
    let server = MockServer::start().await;
    let c = fast_client(&server, Auth::token("k", "s"));
    for size in [0, 201] {
        let err = c
            .doctype("ToDo")
            .insert_many(&[json!({"description": "x"})])
            .chunk_size(size)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        assert!(
            err.to_string()
                .contains("ToDo: insert_many chunk_size must be 1 to 200")
        );
    }
    assert!(received(&server).await.is_empty());
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

/// `update_many`: one PUT per document, at most `concurrency` at once, one result per document
/// in the order given; a failing document does not stop the others; a 502 is not sent again.
#[tokio::test]
async fn update_many_gives_one_result_per_document_in_order() {
    use std::sync::{Arc, Mutex};
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/resource/ToDo/t2"))
        .respond_with(
            ResponseTemplate::new(417).set_body_json(json!({"exc_type": "ValidationError"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/resource/ToDo/t4"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(|req: &Request| {
            let name = req.url.path().rsplit('/').next().unwrap().to_owned();
            let body: Value = serde_json::from_slice(&req.body).unwrap();
            // Earlier documents answer later, so answers arrive out of order.
            let n: u64 = name[1..].parse().unwrap();
            json_ok(json!({"data": {"name": name, "status": body["status"]}}))
                .set_delay(std::time::Duration::from_millis(30 - 5 * n))
        })
        .mount(&server)
        .await;
    let names: Vec<String> = (0..6).map(|i| format!("t{i}")).collect();
    let progress = Arc::new(Mutex::new(Vec::new()));
    let results = fast_client(&server, Auth::token("k", "s"))
        .doctype("ToDo")
        .update_many(
            names
                .iter()
                .map(|n| (n.as_str(), json!({"status": "Closed"}))),
        )
        .concurrency(3)
        .on_progress({
            let progress = progress.clone();
            move |p| progress.lock().unwrap().push((p.done, p.failed, p.total))
        })
        .await
        .unwrap();
    assert_eq!(results.len(), 6);
    for (i, result) in results.iter().enumerate() {
        match i {
            2 => {
                let err = result.as_ref().unwrap_err();
                assert_eq!(err.exc_type(), Some("ValidationError"));
            }
            4 => {
                let err = result.as_ref().unwrap_err();
                assert_eq!(err.status(), Some(502));
                assert!(err.maybe_committed(), "{err:?}");
            }
            _ => {
                let row = result.as_ref().unwrap();
                assert_eq!(row["name"], format!("t{i}"));
                assert_eq!(row["status"], "Closed");
            }
        }
    }
    assert_eq!(
        received(&server).await.len(),
        6,
        "one PUT each, none repeated"
    );
    let progress = progress.lock().unwrap().clone();
    assert_eq!(progress.len(), 6);
    assert_eq!(progress.last(), Some(&(6, 2, 6)));

    // Refused before anything is sent: a change that is not a JSON object, a name the URL
    // cannot carry, a name twice with concurrency above 1.
    let todo = fast_client(&server, Auth::token("k", "s")).doctype("ToDo");
    let open = || json!({"status": "Open"});
    for (updates, concurrency, expected) in [
        (
            vec![("t1", open()), ("t2", json!("Open"))],
            1,
            "document #1",
        ),
        (vec![("t1", open()), ("", open())], 1, "document #1"),
        (vec![("t1", open()), ("..", open())], 1, "document #1"),
        (vec![("t1", open()), ("t1", open())], 2, "\"t1\" twice"),
    ] {
        let err = todo
            .update_many(updates)
            .concurrency(concurrency)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        assert!(err.to_string().contains(expected), "{err}");
    }
    assert_eq!(received(&server).await.len(), 6);
}

/// `update_many` keeps `concurrency` PUTs in flight, no more, and a slow one does not hold the
/// others back.
#[tokio::test]
async fn update_many_keeps_its_window_full_and_no_fuller() {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::{Arc, Mutex};
    let server = MockServer::start().await;
    let finished = Arc::new(AtomicUsize::new(0));
    let at_arrival = Arc::new(Mutex::new(Vec::new()));
    let order = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("PUT"))
        .respond_with({
            let (finished, at_arrival) = (finished.clone(), at_arrival.clone());
            move |req: &Request| {
                let name = req.url.path().rsplit('/').next().unwrap().to_owned();
                at_arrival
                    .lock()
                    .unwrap()
                    .push((name.clone(), finished.load(SeqCst)));
                // t0 is slow; the rest are quick.
                let delay = if name == "t0" { 1000 } else { 5 };
                json_ok(json!({"data": {"name": name}}))
                    .set_delay(std::time::Duration::from_millis(delay))
            }
        })
        .mount(&server)
        .await;
    let names: Vec<String> = (0..8).map(|i| format!("t{i}")).collect();
    let results = fast_client(&server, Auth::token("k", "s"))
        .doctype("ToDo")
        .update_many(
            names
                .iter()
                .map(|n| (n.as_str(), json!({"status": "Closed"}))),
        )
        .concurrency(3)
        .on_progress({
            let (finished, order) = (finished.clone(), order.clone());
            move |p| {
                finished.fetch_add(1, SeqCst);
                order.lock().unwrap().push(p.document);
            }
        })
        .await
        .unwrap();
    let got: Vec<String> = results
        .into_iter()
        .map(|r| r.unwrap()["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, names, "results in the order given");
    let at_arrival = at_arrival.lock().unwrap().clone();
    for (i, (name, finished)) in at_arrival.iter().enumerate() {
        assert!(
            finished + 3 > i,
            "{name} sent as request {i} with {finished} finished"
        );
    }
    // While the slow t0 is out, the other seven go through the remaining two slots: t0 is
    // answered last, not first (as it would be if answers were taken in order).
    let order = order.lock().unwrap().clone();
    assert_eq!(order.len(), 8);
    assert_eq!(order.last(), Some(&0), "{order:?}");
}

/// `get_many`: one GET per name, at most `concurrency` at once, one result per name in the order
/// given whatever order the answers come in; a missing document is its own `Err`; a bad name is
/// refused before anything is sent.
#[tokio::test]
async fn get_many_reads_each_document_in_order() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/ToDo/t3"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "exc_type": "DoesNotExistError",
            "_server_messages": "[\"{\\\"message\\\": \\\"ToDo t3 not found\\\"}\"]"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(|req: &Request| {
            let name = req.url.path().rsplit('/').next().unwrap().to_owned();
            let n: u64 = name[1..].parse().unwrap();
            // Earlier names answer later, so answers arrive out of order.
            json_ok(
                json!({"data": {"name": name, "description": format!("d{n}"),
                                    "items": [{"qty": n}]}}),
            )
            .set_delay(std::time::Duration::from_millis(40 - 5 * n))
        })
        .mount(&server)
        .await;
    let names: Vec<String> = (0..6).map(|i| format!("t{i}")).collect();
    let progress = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = fast_client(&server, Auth::token("key", "secret-0123456789"));
    let results = client
        .doctype("ToDo")
        .get_many(&names)
        .concurrency(3)
        .on_progress({
            let progress = progress.clone();
            move |p| {
                progress
                    .lock()
                    .unwrap()
                    .push((p.document, p.done, p.failed, p.total))
            }
        })
        .await
        .unwrap();
    // In the order given, whatever order the answers came in.
    assert_eq!(
        *progress.lock().unwrap(),
        [
            (0, 1, 0, 6),
            (1, 2, 0, 6),
            (2, 3, 0, 6),
            (3, 4, 1, 6),
            (4, 5, 1, 6),
            (5, 6, 1, 6)
        ]
    );
    assert_eq!(results.len(), 6);
    for (i, result) in results.iter().enumerate() {
        if i == 3 {
            let err = result.as_ref().unwrap_err();
            assert_eq!(err.exc_type(), Some("DoesNotExistError"));
        } else {
            let row = result.as_ref().unwrap();
            assert_eq!(row["name"], format!("t{i}"));
            assert_eq!(row["items"][0]["qty"], i);
        }
    }
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 6, "one GET each");

    // Refused before anything is sent.
    let before = received(&server).await.len();
    for bad in ["", ".."] {
        let err = client
            .doctype("ToDo")
            .get_many(["t1", bad])
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.contains("name #1")),
            "{err:?}"
        );
    }
    assert_eq!(received(&server).await.len(), before);
}
