//! The paging stream: page windows, order, limits, the last short page.

use futures_util::TryStreamExt as _;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request as WireRequest, ResponseTemplate};

use super::{client, json_response};
use crate::{Auth, Row};

/// Serves `total` rows of ToDo, paged by limit_start / limit_page_length.
struct Pages {
    total: usize,
}

impl wiremock::Respond for Pages {
    fn respond(&self, req: &WireRequest) -> ResponseTemplate {
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
async fn serve_pages(order_by: &str, total: usize, requests: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/ToDo"))
        .and(query_param("order_by", order_by))
        .respond_with(Pages { total })
        .expect(requests)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn stream_pages_until_a_short_page() {
    let server = serve_pages("creation asc, name asc", 5, 3).await;
    let c = client(&server, Auth::Guest);
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
    let server = serve_pages("modified desc, name desc", 100, 2).await;
    let c = client(&server, Auth::Guest);
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
