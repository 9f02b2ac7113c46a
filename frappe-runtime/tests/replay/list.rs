//! Lists: `GET /api/resource/<DocType>` with fields, filters, or_filters, order, paging,
//! `as_dict=0`, group_by, and their errors (transcripts 013, 019-036, 039, 040, 120, 123, 125,
//! 170, 172; ERPNext 007, 015, 025, 031-032).

use frappe_runtime::{Error, Row};
use serde_json::{Value, json};

use crate::docs::*;
use crate::support::{Replay, check, clients, core, erpnext};

fn rows(t: &crate::support::transcript::Transcript) -> &Value {
    &t.response_json()["data"]
}

/// Untyped rows must equal the recorded rows exactly.
fn same_rows(r: &Replay, got: &[Row]) {
    let want = rows(r.transcript());
    let got = Value::Array(got.iter().cloned().map(Value::Object).collect());
    assert_eq!(&got, want, "{}", r.transcript().file);
}

#[tokio::test]
async fn t019_default_list_untyped() {
    let r = Replay::start(core(19)).await;
    let got = clients::token(&r.uri())
        .doctype("ToDo")
        .list()
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    same_rows(&r, &got);
}

#[tokio::test]
async fn t170_default_page_of_twenty() {
    let r = Replay::start(core(170)).await;
    let got = clients::token(&r.uri())
        .doctype("ToDo")
        .list()
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(got.len(), 20, "Frappe's default page length");
    same_rows(&r, &got);
}

#[tokio::test]
async fn t020_typed_projection_sends_its_fields() {
    let r = Replay::start(core(20)).await;
    let got = clients::token(&r.uri())
        .list::<ToDoBrief>()
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, rows(r.transcript()));
}

#[tokio::test]
async fn t021_fields_star_into_full_todo() {
    let r = Replay::start(core(21)).await;
    let got = clients::token(&r.uri())
        .list::<ToDo>()
        .fields(["*"])
        .limit(2)
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, rows(r.transcript()));
    assert_eq!(got[0].creation.to_string(), "2026-11-27 16:32:20.376095");
    assert_eq!(got[0].date, chrono::NaiveDate::from_ymd_opt(2024, 1, 15));
    assert_eq!(got[0].color, None);
}

#[tokio::test]
async fn t022_typed_filter() {
    let r = Replay::start(core(22)).await;
    let got = clients::token(&r.uri())
        .list::<ToDoStatus>()
        .filter(ToDoStatus::status.eq("Open"))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, rows(r.transcript()));
    assert!(got.iter().all(|t| t.status == "Open"));
}

#[tokio::test]
async fn t023_raw_four_element_filter() {
    let r = Replay::start(core(23)).await;
    let got = clients::token(&r.uri())
        .doctype("ToDo")
        .list()
        .fields(["name", "status"])
        .filter(json!([["ToDo", "status", "=", "Open"]]))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    same_rows(&r, &got);
}

#[tokio::test]
async fn t024_raw_dict_filter() {
    let r = Replay::start(core(24)).await;
    let got = clients::token(&r.uri())
        .doctype("ToDo")
        .list()
        .fields(["name", "status"])
        .filter(json!({"status": "Open"}))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    same_rows(&r, &got);
}

#[tokio::test]
async fn t025_typed_in_filter() {
    let r = Replay::start(core(25)).await;
    let got = clients::token(&r.uri())
        .list::<ToDoPriority>()
        .filter(ToDoPriority::priority.is_in(["High", "Medium"]))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, rows(r.transcript()));
}

#[tokio::test]
async fn t026_typed_like_filter() {
    let r = Replay::start(core(26)).await;
    let got = clients::token(&r.uri())
        .list::<ToDoDescription>()
        .filter(ToDoDescription::description.like("%two%"))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, rows(r.transcript()));
}

#[tokio::test]
async fn t027_typed_is_set_filter() {
    let r = Replay::start(core(27)).await;
    let got = clients::token(&r.uri())
        .list::<ToDoDate>()
        .filter(ToDoDate::date.is_set())
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, rows(r.transcript()));
    assert!(got.iter().all(|t| t.date.is_some()));
}

#[tokio::test]
async fn t028_typed_or_filters() {
    let r = Replay::start(core(28)).await;
    let got = clients::token(&r.uri())
        .list::<ToDoStatusPriority>()
        .or_filter(ToDoStatusPriority::status.eq("Closed"))
        .or_filter(ToDoStatusPriority::priority.eq("High"))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, rows(r.transcript()));
}

#[tokio::test]
async fn t029_typed_order_by() {
    let r = Replay::start(core(29)).await;
    let got = clients::token(&r.uri())
        .list::<ToDoCreation>()
        .order_by(ToDoCreation::priority.asc())
        .order_by(ToDoCreation::creation.desc())
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, rows(r.transcript()));
}

#[tokio::test]
async fn t030_start_and_page_length() {
    let r = Replay::start(core(30)).await;
    let got = clients::token(&r.uri())
        .list::<ToDoName>()
        .start(1)
        .limit(2)
        .order_by("creation asc")
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, rows(r.transcript()));
}

#[tokio::test]
async fn t032_limit_zero_is_all() {
    let r = Replay::start(core(32)).await;
    let got = clients::token(&r.uri())
        .list::<ToDoName>()
        .all()
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, rows(r.transcript()));
}

#[tokio::test]
async fn t033_as_dict_zero_rows_are_lists() {
    let r = Replay::start(core(33)).await;
    let got = clients::token(&r.uri())
        .list::<ToDoStatus>()
        .limit(3)
        .send_rows()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(&json!(got), rows(r.transcript()));
}

#[tokio::test]
async fn t034_group_by_with_aggregate() {
    let r = Replay::start(core(34)).await;
    let got = clients::token(&r.uri())
        .doctype("ToDo")
        .list()
        .fields(["status", "count(name) as cnt"])
        .group_by("status")
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    same_rows(&r, &got);
    assert!(got.iter().all(|row| row["cnt"].is_u64()));
}

#[tokio::test]
async fn t172_typed_list_without_order() {
    let r = Replay::start(core(172)).await;
    let got = clients::token(&r.uri())
        .doctype("ToDo")
        .list()
        .fields(["name", "modified", "creation"])
        .limit(5)
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    same_rows(&r, &got);
}

#[tokio::test]
async fn t120_file_list_with_in_filter() {
    let r = Replay::start(core(120)).await;
    let got = clients::token(&r.uri())
        .doctype("File")
        .list()
        .fields([
            "name",
            "file_name",
            "file_url",
            "is_private",
            "attached_to_doctype",
            "attached_to_name",
            "attached_to_field",
            "file_size",
        ])
        .filter(json!({"attached_to_name": ["in", ["ro2rh3r4lm", "Ada Lovelace"]]}))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    same_rows(&r, &got);
}

#[tokio::test]
async fn t125_limited_user_gets_empty_list() {
    let r = Replay::start(core(125)).await;
    let got = clients::limited(&r.uri())
        .doctype("Contact")
        .list()
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    assert!(got.is_empty());
}

#[tokio::test]
async fn t035_unknown_field_is_data_error() {
    let r = Replay::start(core(35)).await;
    let err = clients::token(&r.uri())
        .list::<ToDoNoSuchField>()
        .send()
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DataError");
}

#[tokio::test]
async fn t036_unknown_filter_field_is_data_error() {
    let r = Replay::start(core(36)).await;
    let err = clients::token(&r.uri())
        .doctype("ToDo")
        .list()
        .filter(json!([["no_such_field", "=", "x"]]))
        .send()
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DataError");
}

#[tokio::test]
async fn t039_unknown_doctype_is_not_found() {
    let r = Replay::start(core(39)).await;
    let err = clients::token(&r.uri())
        .doctype("NoSuchDocType")
        .list()
        .send()
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(
        matches!(err, Error::NotFound(_)) && err.is_not_found(),
        "{err:?}"
    );
    check::api_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t040_subquery_field_is_server_error() {
    let r = Replay::start(core(40)).await;
    let err = clients::token(&r.uri())
        .doctype("ToDo")
        .list()
        .fields(["name", "(select 1) as x"])
        .send()
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "IndexError");
    assert!(!err.is_retryable(), "a 500 is not transient");
}

#[tokio::test]
async fn t013_guest_list_is_forbidden() {
    let r = Replay::start(core(13)).await;
    let err = clients::guest(&r.uri())
        .doctype("ToDo")
        .list()
        .send()
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(
        matches!(err, Error::Forbidden(_)) && err.is_permission(),
        "{err:?}"
    );
    check::api_error(r.transcript(), &err, "PermissionError");
    let msg = &err.api_error().unwrap().message;
    assert!(!msg.is_empty(), "the 403 carries a reason");
}

#[tokio::test]
async fn t123_limited_list_forbidden_doctype() {
    let r = Replay::start(core(123)).await;
    let err = clients::limited(&r.uri())
        .doctype("Role")
        .list()
        .send()
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "PermissionError");
}

#[tokio::test]
async fn erp007_item_list_default() {
    let r = Replay::start(erpnext(7)).await;
    let got = clients::token(&r.uri())
        .doctype("Item")
        .list()
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    same_rows(&r, &got);
}

#[tokio::test]
async fn erp015_gl_entries_for_invoice() {
    let r = Replay::start(erpnext(15)).await;
    let got = clients::token(&r.uri())
        .doctype("GL Entry")
        .list()
        .fields([
            "account",
            "debit",
            "credit",
            "voucher_no",
            "posting_date",
            "is_cancelled",
        ])
        .filter(json!({"voucher_no": "ACC-SINV-2026-00001"}))
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    same_rows(&r, &got);
}

#[tokio::test]
async fn erp025_core_list_on_15_105() {
    let r = Replay::start(erpnext(25)).await;
    let got = clients::token(&r.uri())
        .doctype("ToDo")
        .list()
        .send()
        .await
        .unwrap();
    r.assert_requests().await;
    same_rows(&r, &got);
}

#[tokio::test]
async fn erp032_core_invalid_field() {
    let r = Replay::start(erpnext(32)).await;
    let err = clients::token(&r.uri())
        .doctype("ToDo")
        .list()
        .fields(["nope"])
        .send()
        .await
        .unwrap_err();
    r.assert_requests().await;
    check::api_error(r.transcript(), &err, "DataError");
}

#[tokio::test]
async fn t027_mistyped_field_is_a_decode_error_with_path() {
    let r = Replay::start(core(27)).await;
    let err = clients::token(&r.uri())
        .list::<ToDoWrongType>()
        .filter(ToDoWrongType::date.is_set())
        .send()
        .await
        .unwrap_err();
    r.assert_requests().await;
    match &err {
        Error::Decode(d) => {
            assert_eq!(d.json_path, "data[0].date", "{d:?}");
            assert_eq!(d.path, "/api/resource/ToDo");
            assert!(d.excerpt.starts_with("{\"data\""), "{d:?}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(shown.contains("data[0].date"), "{shown}");
}
