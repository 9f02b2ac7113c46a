//! Typed lists with the generated types: the query the generated code sends must equal the
//! recorded one (fields, filters in canonical form, or_filters, order_by, paging), and the
//! recorded rows must decode into the generated types and serialize back to the same values.
//!
//! Lists of a few fields use projections: small `#[derive(Document)]` structs over the same
//! DocType whose field types are the generated ones (e.g. the generated `ToDoStatus` enum); a
//! list of a projection requests exactly its fields, as the recordings did. The full generated
//! `ToDo` requests every column unless told otherwise (`fields(...)`).

use chrono::{NaiveDate, NaiveDateTime};
use frappe_runtime::{Document, wire};
use frappe_tests::bindings::desk::{ToDo, ToDoPriority, ToDoStatus};
use frappe_tests::json::{assert_keeps, assert_round_trip};
use frappe_tests::support::{Replay, clients, core};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, Document)]
#[frappe(doctype = "ToDo")]
struct TodoStatus {
    name: String,
    status: Option<ToDoStatus>,
}

#[derive(Debug, Serialize, Deserialize, Document)]
#[frappe(doctype = "ToDo")]
struct TodoDate {
    name: String,
    date: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, Document)]
#[frappe(doctype = "ToDo")]
struct TodoTriage {
    name: String,
    status: Option<ToDoStatus>,
    priority: Option<ToDoPriority>,
}

#[derive(Debug, Serialize, Deserialize, Document)]
#[frappe(doctype = "ToDo")]
struct TodoByPriority {
    name: String,
    priority: Option<ToDoPriority>,
    #[serde(with = "wire::datetime")]
    creation: NaiveDateTime,
}

/// Every recorded row decodes and serializes back to the recorded values.
fn rows_match<T: Serialize>(file: &str, rows: &[T], recorded: &serde_json::Value) {
    let recorded = recorded.as_array().expect("recorded data is a list");
    assert_eq!(rows.len(), recorded.len(), "{file}: number of rows");
    assert!(!rows.is_empty(), "{file}: nothing compared");
    for (i, (row, want)) in rows.iter().zip(recorded).enumerate() {
        let what = format!("{file} row {i}");
        assert_round_trip(&what, row, want);
        assert_keeps(&what, row, want);
    }
}

#[tokio::test]
async fn t022_select_enum_filter() {
    let r = Replay::start(core(22)).await;
    let rows = clients::token(&r.uri())
        .list::<TodoStatus>()
        .filter(TodoStatus::status.eq(ToDoStatus::Open))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    assert!(rows.iter().all(|t| t.status == Some(ToDoStatus::Open)));
    rows_match(
        &r.transcript().file,
        &rows,
        &r.transcript().response_json()["data"],
    );
}

#[tokio::test]
async fn t026_like_on_the_generated_struct() {
    let r = Replay::start(core(26)).await;
    let rows: Vec<ToDo> = clients::token(&r.uri())
        .list::<ToDo>()
        .fields([ToDo::name.name(), ToDo::description.name()])
        .filter(ToDo::description.like("%two%"))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(rows[0].description, "Seed two");
    // The full struct has more fields than the two requested (they take their defaults), so
    // only the other direction holds: every recorded value comes back unchanged.
    let recorded = &r.transcript().response_json()["data"];
    assert_eq!(rows.len(), recorded.as_array().unwrap().len());
    for (row, want) in rows.iter().zip(recorded.as_array().unwrap()) {
        assert_eq!(assert_keeps(&r.transcript().file, row, want), 2);
    }
}

#[tokio::test]
async fn t027_is_set_on_a_date() {
    let r = Replay::start(core(27)).await;
    let rows = clients::token(&r.uri())
        .list::<TodoDate>()
        .filter(TodoDate::date.is_set())
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(rows[0].date, NaiveDate::from_ymd_opt(2024, 1, 15));
    rows_match(
        &r.transcript().file,
        &rows,
        &r.transcript().response_json()["data"],
    );
}

#[tokio::test]
async fn t028_or_filters() {
    let r = Replay::start(core(28)).await;
    let rows = clients::token(&r.uri())
        .list::<TodoTriage>()
        .or_filter(TodoTriage::status.eq(ToDoStatus::Closed))
        .or_filter(TodoTriage::priority.eq(ToDoPriority::High))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    assert!(
        rows.iter().all(|t| t.status == Some(ToDoStatus::Closed)
            || t.priority == Some(ToDoPriority::High))
    );
    rows_match(
        &r.transcript().file,
        &rows,
        &r.transcript().response_json()["data"],
    );
}

#[tokio::test]
async fn t029_order_by_two_keys() {
    let r = Replay::start(core(29)).await;
    let rows = clients::token(&r.uri())
        .list::<TodoByPriority>()
        .order_by(TodoByPriority::priority.asc())
        .order_by(TodoByPriority::creation.desc())
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    rows_match(
        &r.transcript().file,
        &rows,
        &r.transcript().response_json()["data"],
    );
}

#[tokio::test]
async fn t021_star_rows_with_nulls_decode_into_the_generated_struct() {
    // `fields=["*"]` rows carry every column, null where unset: the generated struct takes
    // them all (nullable fields as None, never-null numbers from null as 0).
    let r = Replay::start(core(21)).await;
    let rows: Vec<ToDo> = clients::token(&r.uri())
        .list::<ToDo>()
        .fields(["*"])
        .limit(2)
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].name, "ro2rh3r4lm");
    assert!(ToDo::list_fields().len() > 10);
    rows_match(
        &r.transcript().file,
        &rows,
        &r.transcript().response_json()["data"],
    );
}

#[tokio::test]
async fn t120_files_attached_to_documents() {
    // The generated File has no mandatory field, so a list of a few fields decodes into it.
    use frappe_tests::bindings::core_::File;
    let r = Replay::start(core(120)).await;
    let rows: Vec<File> = clients::token(&r.uri())
        .list::<File>()
        .fields([
            File::name.name(),
            File::file_name.name(),
            File::file_url.name(),
            File::is_private.name(),
            File::attached_to_doctype.name(),
            File::attached_to_name.name(),
            File::attached_to_field.name(),
            File::file_size.name(),
        ])
        .filter(File::attached_to_name.is_in(["ro2rh3r4lm", "Ada Lovelace"]))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    assert!(!rows.is_empty());
    let recorded = r.transcript().response_json()["data"].as_array().unwrap();
    assert_eq!(rows.len(), recorded.len());
    for (row, want) in rows.iter().zip(recorded) {
        assert_eq!(assert_keeps(&r.transcript().file, row, want), 8);
    }
}
