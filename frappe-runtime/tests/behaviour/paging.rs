//! The paging stream: explicit unique order, the next page in flight while one is read (never
//! more), stops after the short page.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use frappe_runtime::{Auth, Client, Error, RetryPolicy, Row};
use futures_util::TryStreamExt as _;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::mock::{fast_client, json_ok, json_response};

/// One page request as the server saw it: (limit_start, limit_page_length, order_by, items the
/// consumer had taken by then).
type PageSeen = (usize, usize, String, usize);

/// Serves `total` generated ToDo rows by `limit_start`/`limit_page_length`, and records how many
/// items the consumer had taken when each page was asked for.
struct Pages {
    total: usize,
    consumed: Arc<AtomicUsize>,
    seen: Arc<std::sync::Mutex<Vec<PageSeen>>>,
}

impl Respond for Pages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let q: std::collections::HashMap<String, String> =
            req.url.query_pairs().into_owned().collect();
        let start: usize = q.get("limit_start").map_or(0, |s| s.parse().unwrap());
        let len: usize = q["limit_page_length"].parse().unwrap();
        let order = q.get("order_by").cloned().unwrap_or_default();
        self.seen
            .lock()
            .unwrap()
            .push((start, len, order, self.consumed.load(Ordering::SeqCst)));
        let end = (start + len).min(self.total);
        let rows: Vec<Value> = (start.min(end)..end)
            .map(|i| json!({"name": format!("todo-{i:05}"), "description": format!("row {i}")}))
            .collect();
        json_ok(json!({ "data": rows }))
    }
}

struct Run {
    names: Vec<String>,
    seen: Vec<PageSeen>,
}

async fn stream(total: usize, page: u64, limit: Option<u64>) -> Run {
    let server = MockServer::start().await;
    let consumed = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    Mock::given(wiremock::matchers::path("/api/resource/ToDo"))
        .respond_with(Pages {
            total,
            consumed: consumed.clone(),
            seen: seen.clone(),
        })
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .auth(Auth::token("k", "s"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let mut req = client
        .doctype("ToDo")
        .list()
        .fields(["name", "description"])
        .page_size(page);
    if let Some(l) = limit {
        req = req.limit(l);
    }
    let mut s = Box::pin(req.stream());
    let mut names = Vec::new();
    while let Some(row) = s.try_next().await.unwrap() {
        let row: Row = row;
        names.push(row["name"].as_str().unwrap().to_owned());
        consumed.fetch_add(1, Ordering::SeqCst);
    }
    let seen = seen.lock().unwrap().clone();
    Run { names, seen }
}

#[tokio::test]
async fn stops_after_the_short_page_and_reads_at_most_one_page_ahead() {
    let run = stream(25, 10, None).await;
    assert_eq!(run.names.len(), 25);
    assert_eq!(run.names[24], "todo-00024");
    let starts: Vec<usize> = run.seen.iter().map(|s| s.0).collect();
    // While the caller waits, the page after next is already asked for: one request past the
    // short last page may go out before the stream sees that it was the last.
    assert!(
        starts == [0, 10, 20] || starts == [0, 10, 20, 30],
        "at most one request past the short last page: {starts:?}"
    );
    for (start, len, order, consumed_before) in &run.seen {
        assert_eq!(*len, 10);
        assert_eq!(
            order, "creation asc, name asc",
            "explicit order ending in name"
        );
        // Page k is requested once page k-1 has arrived, so only after every row of page k-2
        // was taken: at most two pages in memory.
        assert!(
            *consumed_before + 10 >= *start && consumed_before <= start,
            "page at {start} requested after {consumed_before} rows were taken"
        );
    }
}

#[tokio::test]
async fn the_next_page_is_requested_while_the_current_one_is_read() {
    let server = MockServer::start().await;
    let consumed = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    Mock::given(path("/api/resource/ToDo"))
        .respond_with(Pages {
            total: 100,
            consumed: consumed.clone(),
            seen: seen.clone(),
        })
        .mount(&server)
        .await;
    let client = fast_client(&server, Auth::token("k", "s"));
    let mut rows = client.doctype("ToDo").list().page_size(10).stream();
    let first = rows.try_next().await.unwrap().unwrap();
    assert_eq!(first["name"], "todo-00000");
    // Holding the first page, without asking for another row: the second page's request goes
    // out by itself. (Waits for the server to see it, up to a generous bound.)
    let mut waited = 0;
    while seen.lock().unwrap().len() < 2 {
        assert!(waited < 1000, "the second page was never requested");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        waited += 1;
    }
    let starts: Vec<usize> = seen.lock().unwrap().iter().map(|s| s.0).collect();
    assert_eq!(starts, vec![0, 10], "exactly one page requested ahead");
    // Dropping the stream cancels what is in flight; nothing more is requested, then or later.
    drop(rows);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn exact_multiple_ends_with_one_empty_page() {
    let run = stream(20, 10, None).await;
    assert_eq!(run.names.len(), 20);
    let starts: Vec<usize> = run.seen.iter().map(|s| s.0).collect();
    assert!(
        starts == [0, 10, 20] || starts == [0, 10, 20, 30],
        "{starts:?}"
    );
}

#[tokio::test]
async fn limit_caps_the_total_and_the_last_page_length() {
    let run = stream(100, 10, Some(25)).await;
    assert_eq!(run.names.len(), 25);
    let pages: Vec<(usize, usize)> = run.seen.iter().map(|s| (s.0, s.1)).collect();
    assert_eq!(pages, vec![(0, 10), (10, 10), (20, 5)]);
}

#[tokio::test]
async fn caller_order_gets_name_as_tie_breaker() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::query_param(
        "order_by",
        "modified desc, name desc",
    ))
    .respond_with(json_ok(json!({"data": []})))
    .expect(1)
    .mount(&server)
    .await;
    let client = Client::builder(server.uri()).build().unwrap();
    let mut s = Box::pin(
        client
            .doctype("ToDo")
            .list()
            .order_by("modified desc")
            .stream(),
    );
    assert!(s.try_next().await.unwrap().is_none());
}

#[tokio::test]
async fn an_error_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({"exc_type": "PermissionError"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let items: Vec<_> =
        futures_util::StreamExt::collect::<Vec<_>>(client.doctype("ToDo").list().stream()).await;
    assert_eq!(items.len(), 1);
    assert!(items[0].is_err());
}

/// Serves `total` rows of ToDo, paged by limit_start / limit_page_length.
struct NumberedPages {
    total: usize,
}

impl wiremock::Respond for NumberedPages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let param = |k: &str| {
            req.url
                .query_pairs()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.into_owned())
        };
        let start: usize = param("limit_start").map_or(0, |v| v.parse().unwrap());
        let len: usize = param("limit_page_length").unwrap().parse().unwrap();
        let rows: Vec<Value> = (start..(start + len).min(self.total))
            .map(|i| json!({"name": format!("T{i:04}")}))
            .collect();
        json_response(200, json!({ "data": rows }))
    }
}

/// A server listing `total` ToDos in pages, for requests ordered by `order_by` (the client's
/// order plus the `name` tie-breaker), expecting exactly `requests` of them.
async fn serve_pages(
    order_by: &str,
    total: usize,
    requests: std::ops::RangeInclusive<u64>,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/ToDo"))
        .and(query_param("order_by", order_by))
        .respond_with(NumberedPages { total })
        .expect(requests)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn stream_pages_until_a_short_page() {
    // Three pages, and perhaps one request past the short last one.
    let server = serve_pages("creation asc, name asc", 5, 3..=4).await;
    let c = fast_client(&server, Auth::Guest);
    let rows: Vec<Row> = c
        .doctype("ToDo")
        .list()
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["T0000", "T0001", "T0002", "T0003", "T0004"]);
    let starts: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert!(starts[0].contains("limit_page_length=2") && !starts[0].contains("limit_start"));
    assert!(starts[1].contains("limit_start=2"));
    assert!(starts[2].contains("limit_start=4"));
}

#[tokio::test]
async fn stream_respects_limit_and_custom_order() {
    let server = serve_pages("modified desc, name desc", 100, 2..=2).await;
    let c = fast_client(&server, Auth::Guest);
    let rows: Vec<Row> = c
        .doctype("ToDo")
        .list()
        .order_by("modified desc")
        .page_size(4)
        .limit(6)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows.len(), 6);
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert!(last.url.query().unwrap().contains("limit_page_length=2"));
}

/// One keyset page request as the server saw it: the name condition, order_by, limit_start.
type KeysetSeen = (Option<Value>, String, Option<String>);

/// Serves rows named `todo-00000`.. by `name` order and the `name >` / `name <` filter of keyset
/// paging, from a table that a test can delete from between pages.
struct ByName {
    names: Arc<std::sync::Mutex<Vec<String>>>,
    seen: Arc<std::sync::Mutex<Vec<KeysetSeen>>>,
}

impl Respond for ByName {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let q: std::collections::HashMap<String, String> =
            req.url.query_pairs().into_owned().collect();
        let len: usize = q["limit_page_length"].parse().unwrap();
        let filters: Value = q
            .get("filters")
            .map_or(json!([]), |f| serde_json::from_str(f).unwrap());
        let after = filters
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f[0] == "name")
            .cloned();
        self.seen.lock().unwrap().push((
            after.clone(),
            q["order_by"].clone(),
            q.get("limit_start").cloned(),
        ));
        let mut names = self.names.lock().unwrap().clone();
        let descending = q["order_by"].ends_with("desc");
        if descending {
            names.reverse();
        }
        let rows: Vec<Value> = names
            .into_iter()
            .filter(|n| match &after {
                Some(f) if f[1] == ">" => n.as_str() > f[2].as_str().unwrap(),
                Some(f) => n.as_str() < f[2].as_str().unwrap(),
                None => true,
            })
            .take(len)
            .map(|n| json!({ "name": n }))
            .collect();
        json_ok(json!({ "data": rows }))
    }
}

#[tokio::test]
async fn keyset_pages_by_name_and_reads_every_row_despite_deletes() {
    let server = MockServer::start().await;
    let names = Arc::new(std::sync::Mutex::new(
        (0..25).map(|i| format!("todo-{i:05}")).collect::<Vec<_>>(),
    ));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    Mock::given(path("/api/resource/ToDo"))
        .respond_with(ByName {
            names: names.clone(),
            seen: seen.clone(),
        })
        .mount(&server)
        .await;
    let client = fast_client(&server, Auth::token("k", "s"));
    let mut rows = client
        .doctype("ToDo")
        .list()
        .page_size(10)
        .keyset()
        .stream();
    let mut read = Vec::new();
    while let Some(row) = rows.try_next().await.unwrap() {
        read.push(row["name"].as_str().unwrap().to_owned());
        if read.len() == 1 {
            // Rows already read are deleted meanwhile; with offsets the next page would skip
            // as many unread rows.
            names.lock().unwrap().drain(0..5);
        }
    }
    let all: Vec<String> = (0..25).map(|i| format!("todo-{i:05}")).collect();
    assert_eq!(read, all, "every row exactly once");
    let seen = seen.lock().unwrap().clone();
    let afters: Vec<Option<Value>> = seen.iter().map(|s| s.0.clone()).collect();
    assert_eq!(
        afters,
        vec![
            None,
            Some(json!(["name", ">", "todo-00009"])),
            Some(json!(["name", ">", "todo-00019"])),
        ]
    );
    for (_, order, start) in &seen {
        assert_eq!(order, "name asc");
        assert!(start.as_deref().is_none_or(|s| s == "0"), "{start:?}");
    }
}

#[tokio::test]
async fn keyset_descending_and_what_it_refuses() {
    let server = MockServer::start().await;
    let names = Arc::new(std::sync::Mutex::new(
        (0..7).map(|i| format!("n{i}")).collect::<Vec<_>>(),
    ));
    Mock::given(path("/api/resource/ToDo"))
        .respond_with(ByName {
            names,
            seen: Default::default(),
        })
        .mount(&server)
        .await;
    let client = fast_client(&server, Auth::token("k", "s"));
    let list = || client.doctype("ToDo").list().page_size(3).keyset();
    let read: Vec<Row> = list()
        .order_by("name desc")
        .stream()
        .try_collect()
        .await
        .unwrap();
    let read: Vec<&str> = read.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(read, ["n6", "n5", "n4", "n3", "n2", "n1", "n0"]);

    let read: Vec<Row> = list()
        .order_by("NAME Desc")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(read.len(), 7, "the order's case does not matter");
    for err in [
        list().send().await.unwrap_err(),
        list().first().await.unwrap_err(),
        list().send_rows().await.unwrap_err(),
    ] {
        assert!(err.to_string().contains("keyset() pages stream()"), "{err}");
    }
    for (req, expected) in [
        (list().order_by("modified desc"), "orders by name only"),
        (list().group_by("status"), "cannot be grouped"),
        (list().start(5), "not at an offset"),
        (list().fields(["status"]), "needs `name`"),
    ] {
        let err = req.stream().try_next().await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        let shown = err.to_string();
        assert!(
            shown.contains("ToDo: keyset paging") && shown.contains(expected),
            "{shown}"
        );
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        6,
        "refused before sending"
    );
}
