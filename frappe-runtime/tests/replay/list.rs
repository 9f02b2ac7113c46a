//! Lists: `GET /api/resource/<DocType>` with fields, filters, or_filters, order, paging,
//! `as_dict=0`, group_by, and their errors (transcripts 013, 019-036, 039, 040, 120, 123, 125,
//! 170, 172; ERPNext 007, 015, 025, 031-032).

use frappe_runtime::Error;
use serde_json::{Value, json};

use crate::docs::*;
use crate::exchange::{data, fails, ok, typed_rows, untyped_rows};
use crate::support::{check, clients, core, erpnext};

#[tokio::test]
async fn t019_default_list_untyped() {
    untyped_rows(core(19), clients::token, async |c| {
        c.doctype("ToDo").list().send().await
    })
    .await;
}

#[tokio::test]
async fn t170_default_page_of_twenty() {
    let (_, got) = untyped_rows(core(170), clients::token, async |c| {
        c.doctype("ToDo").list().send().await
    })
    .await;
    assert_eq!(got.len(), 20, "Frappe's default page length");
}

#[tokio::test]
async fn t020_typed_projection_sends_its_fields() {
    typed_rows(core(20), clients::token, async |c| {
        c.list::<ToDoBrief>().send().await
    })
    .await;
}

#[tokio::test]
async fn t021_fields_star_into_full_todo() {
    let (_, got) = typed_rows(core(21), clients::token, async |c| {
        c.list::<ToDo>().fields(["*"]).limit(2).send().await
    })
    .await;
    assert_eq!(got[0].creation.to_string(), "2026-11-27 16:32:20.376095");
    assert_eq!(got[0].date, chrono::NaiveDate::from_ymd_opt(2024, 1, 15));
    assert_eq!(got[0].color, None);
}

#[tokio::test]
async fn t022_typed_filter() {
    let (_, got) = typed_rows(core(22), clients::token, async |c| {
        c.list::<ToDoStatus>()
            .filter(ToDoStatus::status.eq("Open"))
            .send()
            .await
    })
    .await;
    assert!(got.iter().all(|t| t.status == "Open"));
}

#[tokio::test]
async fn t023_raw_four_element_filter() {
    untyped_rows(core(23), clients::token, async |c| {
        c.doctype("ToDo")
            .list()
            .fields(["name", "status"])
            .filter(json!([["ToDo", "status", "=", "Open"]]))
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn t024_raw_dict_filter() {
    untyped_rows(core(24), clients::token, async |c| {
        c.doctype("ToDo")
            .list()
            .fields(["name", "status"])
            .filter(json!({"status": "Open"}))
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn t025_typed_in_filter() {
    typed_rows(core(25), clients::token, async |c| {
        c.list::<ToDoPriority>()
            .filter(ToDoPriority::priority.is_in(["High", "Medium"]))
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn t026_typed_like_filter() {
    typed_rows(core(26), clients::token, async |c| {
        c.list::<ToDoDescription>()
            .filter(ToDoDescription::description.like("%two%"))
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn t027_typed_is_set_filter() {
    let (_, got) = typed_rows(core(27), clients::token, async |c| {
        c.list::<ToDoDate>()
            .filter(ToDoDate::date.is_set())
            .send()
            .await
    })
    .await;
    assert!(got.iter().all(|t| t.date.is_some()));
}

#[tokio::test]
async fn t028_typed_or_filters() {
    typed_rows(core(28), clients::token, async |c| {
        c.list::<ToDoStatusPriority>()
            .or_filter(ToDoStatusPriority::status.eq("Closed"))
            .or_filter(ToDoStatusPriority::priority.eq("High"))
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn t029_typed_order_by() {
    typed_rows(core(29), clients::token, async |c| {
        c.list::<ToDoCreation>()
            .order_by(ToDoCreation::priority.asc())
            .order_by(ToDoCreation::creation.desc())
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn t030_start_and_page_length() {
    typed_rows(core(30), clients::token, async |c| {
        c.list::<ToDoName>()
            .start(1)
            .limit(2)
            .order_by("creation asc")
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn t032_limit_zero_is_all() {
    typed_rows(core(32), clients::token, async |c| {
        c.list::<ToDoName>().all().send().await
    })
    .await;
}

#[tokio::test]
async fn t033_as_dict_zero_rows_are_lists() {
    let (r, got) = ok(core(33), clients::token, async |c| {
        c.list::<ToDoStatus>().limit(3).send_rows().await
    })
    .await;
    assert_eq!(&json!(got), data(r.transcript()));
}

/// The same recorded exchange, asked for by a typed list of a client with compact rows (the
/// default): the lists of values decode as the struct, field by field.
#[tokio::test]
async fn t033_typed_list_asks_for_compact_rows_and_decodes_them() {
    let (r, got) = ok(core(33), clients::compact_token, async |c| {
        c.list::<ToDoStatus>().limit(3).send().await
    })
    .await;
    let want: Vec<Value> = data(r.transcript())
        .as_array()
        .unwrap()
        .iter()
        .map(|row| json!({"name": row[0], "status": row[1]}))
        .collect();
    assert_eq!(want.len(), 3);
    assert_eq!(json!(got), json!(want));
}

#[tokio::test]
async fn t034_group_by_with_aggregate() {
    let (_, got) = untyped_rows(core(34), clients::token, async |c| {
        c.doctype("ToDo")
            .list()
            .fields(["status", "count(name) as cnt"])
            .group_by("status")
            .send()
            .await
    })
    .await;
    assert!(got.iter().all(|row| row["cnt"].is_u64()));
}

#[tokio::test]
async fn t172_typed_list_without_order() {
    untyped_rows(core(172), clients::token, async |c| {
        c.doctype("ToDo")
            .list()
            .fields(["name", "modified", "creation"])
            .limit(5)
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn t120_file_list_with_in_filter() {
    untyped_rows(core(120), clients::token, async |c| {
        c.doctype("File")
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
    })
    .await;
}

#[tokio::test]
async fn t125_limited_user_gets_empty_list() {
    let (_, got) = ok(core(125), clients::limited, async |c| {
        c.doctype("Contact").list().send().await
    })
    .await;
    assert!(got.is_empty());
}

#[tokio::test]
async fn t035_unknown_field_is_data_error() {
    let (r, err) = fails(core(35), clients::token, async |c| {
        c.list::<ToDoNoSuchField>().send().await
    })
    .await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DataError");
}

#[tokio::test]
async fn t036_unknown_filter_field_is_data_error() {
    let (r, err) = fails(core(36), clients::token, async |c| {
        c.doctype("ToDo")
            .list()
            .filter(json!([["no_such_field", "=", "x"]]))
            .send()
            .await
    })
    .await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DataError");
}

#[tokio::test]
async fn t039_unknown_doctype_is_not_found() {
    let (r, err) = fails(core(39), clients::token, async |c| {
        c.doctype("NoSuchDocType").list().send().await
    })
    .await;
    assert!(
        matches!(err, Error::NotFound(_)) && err.is_not_found(),
        "{err:?}"
    );
    check::api_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t040_subquery_field_is_server_error() {
    let (r, err) = fails(core(40), clients::token, async |c| {
        c.doctype("ToDo")
            .list()
            .fields(["name", "(select 1) as x"])
            .send()
            .await
    })
    .await;
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "IndexError");
    assert!(!err.is_retryable(), "a 500 is not transient");
}

#[tokio::test]
async fn t013_guest_list_is_forbidden() {
    let (r, err) = fails(core(13), clients::guest, async |c| {
        c.doctype("ToDo").list().send().await
    })
    .await;
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
    let (r, err) = fails(core(123), clients::limited, async |c| {
        c.doctype("Role").list().send().await
    })
    .await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "PermissionError");
}

#[tokio::test]
async fn erp007_item_list_default() {
    untyped_rows(erpnext(7), clients::token, async |c| {
        c.doctype("Item").list().send().await
    })
    .await;
}

#[tokio::test]
async fn erp015_gl_entries_for_invoice() {
    untyped_rows(erpnext(15), clients::token, async |c| {
        c.doctype("GL Entry")
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
    })
    .await;
}

#[tokio::test]
async fn erp025_core_list_on_15_105() {
    untyped_rows(erpnext(25), clients::token, async |c| {
        c.doctype("ToDo").list().send().await
    })
    .await;
}

#[tokio::test]
async fn erp032_core_invalid_field() {
    let (r, err) = fails(erpnext(32), clients::token, async |c| {
        c.doctype("ToDo").list().fields(["nope"]).send().await
    })
    .await;
    check::api_error(r.transcript(), &err, "DataError");
}

#[tokio::test]
async fn t027_mistyped_field_is_a_decode_error_with_path() {
    let (_, err) = fails(core(27), clients::token, async |c| {
        c.list::<ToDoWrongType>()
            .filter(ToDoWrongType::date.is_set())
            .send()
            .await
    })
    .await;
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
