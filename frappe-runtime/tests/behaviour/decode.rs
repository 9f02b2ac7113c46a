//! What a user sees when a typed document does not decode: the DocType, the JSON path of the
//! field, what the field expected, and no value that could be a credential. `SalesOrder` is
//! shaped like generated code (the same `wire` helpers).

use frappe_runtime::chrono::{NaiveDate, NaiveDateTime};
use frappe_runtime::{Auth, Choice, Document, Error, Link};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::mock::{fast_client, json_ok};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Document)]
#[frappe(doctype = "Sales Order")]
struct SalesOrder {
    #[serde(default)]
    name: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::date::option"
    )]
    transaction_date: Option<NaiveDate>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::datetime::option"
    )]
    delivered_at: Option<NaiveDateTime>,
    #[serde(default, with = "frappe_runtime::wire::number")]
    total_qty: i64,
    #[serde(default, with = "frappe_runtime::wire::check")]
    is_return: bool,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::select"
    )]
    status: Option<SalesOrderStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    customer: Option<Link<SalesOrder>>,
    #[serde(default)]
    items: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_secret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Choice)]
enum SalesOrderStatus {
    Draft,
    #[serde(untagged)]
    Other(String),
}

const SECRET: &str = "secret-1";

/// The error of reading `doc` as the Sales Order `SO-1`.
async fn error_for(doc: Value) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/Sales%20Order/SO-1"))
        .respond_with(json_ok(json!({ "data": doc })))
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("key-1", SECRET));
    c.get::<SalesOrder>("SO-1").await.unwrap_err()
}

/// Reads `doc` as `SO-1` and checks the error names the DocType, `json_path` and `expected`;
/// returns what `Display` shows.
async fn fails_at(doc: Value, json_path: &str, expected: &str) -> String {
    let err = error_for(doc).await;
    let Error::Decode(d) = &err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(d.doctype.as_deref(), Some("Sales Order"), "{d:?}");
    assert_eq!(d.json_path, json_path, "{d:?}");
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!(
            "cannot decode Sales Order data from GET /api/resource/Sales%20Order/SO-1 at `{json_path}`: "
        )),
        "{shown}"
    );
    assert!(shown.contains(expected), "{shown}");
    // serde_json's text position says nothing the JSON path does not.
    assert!(!shown.contains(" at line "), "{shown}");
    shown
}

#[tokio::test]
async fn a_bad_date_names_the_format() {
    fails_at(
        json!({"name": "SO-1", "transaction_date": "2024-13-01"}),
        "data.transaction_date",
        r#"invalid Date "2024-13-01": expected YYYY-MM-DD"#,
    )
    .await;
    fails_at(
        json!({"name": "SO-1", "transaction_date": 5}),
        "data.transaction_date",
        "expected null or a Date string (YYYY-MM-DD)",
    )
    .await;
}

#[tokio::test]
async fn a_bad_datetime_names_the_format() {
    fails_at(
        json!({"delivered_at": "2024-01-01T25:00"}),
        "data.delivered_at",
        "expected YYYY-MM-DD HH:MM:SS[.ffffff]",
    )
    .await;
}

#[tokio::test]
async fn a_bad_int_says_what_is_accepted() {
    fails_at(
        json!({"total_qty": "many"}),
        "data.total_qty",
        r#"invalid value: string "many", expected an integer, text holding one, or null"#,
    )
    .await;
}

#[tokio::test]
async fn a_bad_check_says_zero_or_one() {
    fails_at(
        json!({"is_return": "yes"}),
        "data.is_return",
        "expected a Check value: 0 or 1",
    )
    .await;
}

#[tokio::test]
async fn a_select_of_another_type_says_an_option_was_expected() {
    fails_at(
        json!({"status": 3}),
        "data.status",
        "invalid type: integer `3`, expected a Select option (a string) or null",
    )
    .await;
}

#[tokio::test]
async fn a_link_of_another_type_says_a_name_was_expected() {
    fails_at(
        json!({"customer": 17}),
        "data.customer",
        "expected the name of the linked document (a string)",
    )
    .await;
}

#[tokio::test]
async fn a_table_that_is_not_a_list_is_named() {
    fails_at(
        json!({"items": {"a": 1}}),
        "data.items",
        "expected a sequence",
    )
    .await;
}

#[tokio::test]
async fn a_long_value_is_quoted_in_part() {
    let long = format!("{}-tail-not-shown", "9".repeat(40));
    let shown = fails_at(
        json!({"total_qty": long}),
        "data.total_qty",
        "expected an integer",
    )
    .await;
    assert!(
        shown.contains(&format!("\"{}\"…", "9".repeat(40))),
        "{shown}"
    );
    // The message cuts it; the excerpt is the body's first 200 characters anyway.
    let message = shown.split(" (body starts:").next().unwrap();
    assert!(!message.contains("tail-not-shown"), "{shown}");
}

#[tokio::test]
async fn credentials_are_not_shown() {
    // A value under a credential key: neither the message nor the excerpt carries it.
    let shown = fails_at(
        json!({"api_secret": 1234567}),
        "data.api_secret",
        "not shown: it is a credential",
    )
    .await;
    assert!(!shown.contains("1234567"), "{shown}");
    // The client's own secret, echoed in any field, is masked wherever it appears.
    let err = error_for(json!({"total_qty": format!("{SECRET}!")})).await;
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(shown.contains("data.total_qty"), "{shown}");
}

#[tokio::test]
async fn list_rows_name_the_row_and_the_doctype() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/Sales%20Order"))
        .respond_with(json_ok(json!({"data": [
            {"name": "SO-1", "transaction_date": "2024-01-02"},
            {"name": "SO-2", "transaction_date": "02/01/2024"},
        ]})))
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("key-1", SECRET));
    let err = c.list::<SalesOrder>().send().await.unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(d.json_path, "data[1].transaction_date");
    assert_eq!(d.doctype.as_deref(), Some("Sales Order"));
    assert!(
        err.to_string().starts_with(
            "cannot decode Sales Order data from GET /api/resource/Sales%20Order at `data[1].transaction_date`: invalid Date \"02/01/2024\": expected YYYY-MM-DD"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_response_about_no_doctype_says_the_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(json_ok(json!({"message": 1})))
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("key-1", SECRET));
    let err = c.call("ping").get::<String>().await.unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(d.doctype, None);
    assert!(
        err.to_string()
            .starts_with("cannot decode the response of GET /api/method/ping at `message`: invalid type: integer `1`, expected a string"),
        "{err}"
    );
}
