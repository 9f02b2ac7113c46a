//! Compact list rows (`as_dict=0`): asked for when the fields allow, and asked for again as
//! objects when the values do not line up (Frappe leaves out a field above the user's
//! permission level instead of sending `null`), for that list's fields from then on.

use frappe_runtime::{Auth, Row};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};

use crate::mock::{fast_client, json_ok, received};

#[tokio::test]
async fn rows_one_value_short_are_asked_for_again_as_objects_and_remembered() {
    let server = MockServer::start().await;
    // As Frappe answers a user without access to `secret` (permlevel 1): the field left out.
    Mock::given(method("GET"))
        .and(path("/api/resource/Note"))
        .and(query_param("as_dict", "0"))
        .respond_with(json_ok(
            json!({"data": [["n-1", "Title 1"], ["n-2", "Title 2"]]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/resource/Note"))
        .respond_with(json_ok(json!({"data": [
            {"name": "n-1", "title": "Title 1"},
            {"name": "n-2", "title": "Title 2"},
        ]})))
        .mount(&server)
        .await;
    let client = fast_client(&server, Auth::token("k", "s"));
    let list = || {
        client
            .doctype("Note")
            .list()
            .fields(["name", "secret", "title"])
    };
    let rows: Vec<Row> = list().send().await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].get("title"), Some(&json!("Title 2")));
    assert_eq!(
        rows[1].get("secret"),
        None,
        "not shifted into another field"
    );
    // Asked for as compact rows, then again as objects.
    let sent = received(&server).await;
    let compact =
        |r: &wiremock::Request| r.url.query_pairs().any(|(k, v)| k == "as_dict" && v == "0");
    assert_eq!(sent.iter().map(compact).collect::<Vec<_>>(), [true, false]);
    // The next list of these fields asks for objects at once; other fields still compact.
    list().send().await.unwrap();
    let other: Vec<Row> = client
        .doctype("Note")
        .list()
        .fields(["name", "title"])
        .send()
        .await
        .unwrap();
    assert_eq!(other[0].get("title"), Some(&json!("Title 1")));
    let sent = received(&server).await;
    assert_eq!(
        sent.iter().map(compact).collect::<Vec<_>>(),
        [true, false, false, true]
    );
}

#[tokio::test]
async fn grouped_lists_and_fields_frappe_may_drop_ask_for_objects() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/ToDo"))
        .respond_with(json_ok(json!({"data": []})))
        .mount(&server)
        .await;
    let client = fast_client(&server, Auth::token("k", "s"));
    let todo = || client.doctype("ToDo").list();
    todo()
        .fields(["status"])
        .group_by("status")
        .send()
        .await
        .unwrap();
    todo().fields(["name", "_assign"]).send().await.unwrap();
    todo()
        .fields(["name", "count(name) as n"])
        .send()
        .await
        .unwrap();
    todo().send().await.unwrap();
    todo().fields(["name", "status"]).send().await.unwrap();
    let compact: Vec<bool> = received(&server)
        .await
        .iter()
        .map(|r| r.url.query_pairs().any(|(k, _)| k == "as_dict"))
        .collect();
    assert_eq!(compact, [false, false, false, false, true]);
}
