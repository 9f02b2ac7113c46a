//! Local validation against the real site: for each rule, a document the client refuses is,
//! sent anyway (`without_validation`), refused by the server for the same field; and the same
//! document made valid passes the client and is saved by the server.
//!
//! Mandatory fields, lengths, Select options and integer ranges (in a child row) use the
//! bindings generated from the site (ToDo, API Test Order). Non-negative numbers and a custom
//! length need fields the site does not have: two Custom Fields on Note, added under
//! [`METADATA`], whose rule attributes the codegen CLI is shown to write from the site's
//! metadata, and which a hand-written struct carries.

use frappe_runtime::validation::{Rule, Validation, ValidationError};
use frappe_runtime::{Changes, Client, Document, Error};
use frappe_tests::live_site::custom::{ApiTestOrder, ApiTestOrderItem};
use frappe_tests::live_site::desk::{ToDo, ToDoStatus};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::codegen::{codegen, custom_field, delete_custom_field};
use crate::support::{METADATA, admin, unique};

/// The local refusal: its problems as (row, field, rule).
fn refused(e: Error) -> ValidationError {
    match e {
        Error::Invalid(e) => *e,
        other => panic!("expected a local refusal, got {other}"),
    }
}

/// The server's refusal: its exception type and every text it sent.
fn server_refusal(e: Error) -> (String, String) {
    let api = e
        .api_error()
        .unwrap_or_else(|| panic!("expected the server's refusal, got {e}"));
    let mut text = api.message.clone();
    for m in &api.server_messages {
        text.push('\n');
        text.push_str(&m.message);
    }
    (api.exc_type.clone().unwrap_or_default(), text)
}

/// `client` refuses `doc` locally with exactly `problem`, and the server, sent it anyway,
/// refuses it with `exc_type` in a message naming `names` (the field's label or name).
async fn both_refuse<D>(
    client: &Client,
    doc: &Changes<D>,
    problem: (Option<usize>, &str, Rule),
    exc_type: &str,
    names: &str,
) where
    D: Document + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let local = refused(client.create(doc).await.unwrap_err());
    let found: Vec<_> = local
        .problems
        .iter()
        .map(|p| (p.row.map(|r| r.idx), p.field, p.rule.clone()))
        .collect();
    assert_eq!(found, vec![problem], "{local}");
    let sent = client.without_validation().create(doc).await;
    let (exc, text) = server_refusal(sent.expect_err("the server refuses it too"));
    assert_eq!(exc, exc_type, "{text}");
    assert!(text.contains(names), "the server names {names}: {text}");
}

#[tokio::test]
async fn generated_rules_refuse_what_the_server_refuses() {
    let _orders = crate::support::ORDER_WORKFLOW.read().await;
    let admin = admin().with_validation(Validation::Full);
    let too_long = "x".repeat(141);

    // Mandatory: ToDo.description.
    let todo = Changes::<ToDo>::new().set(ToDo::status, ToDoStatus::Open);
    both_refuse(
        &admin,
        &todo,
        (None, "description", Rule::Mandatory),
        "MandatoryError",
        "Description",
    )
    .await;
    // Select options: ToDo.status.
    let todo = Changes::<ToDo>::new()
        .set(ToDo::description, unique("validation").as_str())
        .set(ToDo::status, ToDoStatus::Other("Done".into()));
    let options = Rule::Options {
        options: &["Open", "Closed", "Cancelled"],
    };
    both_refuse(
        &admin,
        &todo,
        (None, "status", options),
        "ValidationError",
        "Status",
    )
    .await;
    // Length: API Test Order.customer_name, a Data field of 140 characters.
    let order = Changes::<ApiTestOrder>::new().set(ApiTestOrder::customer_name, too_long.as_str());
    let length = Rule::Length { max: 140, len: 141 };
    both_refuse(
        &admin,
        &order,
        (None, "customer_name", length),
        "CharacterLengthExceededError",
        "Customer Name",
    )
    .await;
    // Integer range, in a child row: API Test Order Item.qty, an `int` column.
    let order = Changes::<ApiTestOrder>::new()
        .set(ApiTestOrder::customer_name, unique("validation").as_str())
        .rows(
            ApiTestOrder::items,
            [Changes::<ApiTestOrderItem>::new()
                .set(ApiTestOrderItem::item, "x")
                .set(ApiTestOrderItem::qty, 2_147_483_648_i64)],
        );
    let range = Rule::Range { max: 2_147_483_647 };
    both_refuse(
        &admin,
        &order,
        (Some(1), "qty", range),
        "CharacterLengthExceededError",
        "Qty",
    )
    .await;

    // Each made valid: the client passes it and the server saves it.
    let todo: ToDo = admin
        .create(
            &Changes::new()
                .set(ToDo::description, unique("validation").as_str())
                .set(ToDo::status, ToDoStatus::Closed),
        )
        .await
        .unwrap();
    admin.delete::<ToDo>(&todo.name).await.unwrap();
    let order: ApiTestOrder = admin
        .create(
            &Changes::new()
                .set(ApiTestOrder::customer_name, "y".repeat(140).as_str())
                .rows(
                    ApiTestOrder::items,
                    [Changes::<ApiTestOrderItem>::new()
                        .set(ApiTestOrderItem::item, "x")
                        .set(ApiTestOrderItem::qty, 2_147_483_647_i64)],
                ),
        )
        .await
        .unwrap();
    assert_eq!(order.items[0].qty, 2_147_483_647);
    admin.delete::<ApiTestOrder>(&order.name).await.unwrap();
}

/// Note with the two Custom Fields of [`custom_rules_refuse_what_the_server_refuses`], with the
/// rule attributes frappe-codegen writes for them.
#[derive(Debug, Serialize, Deserialize, Document)]
#[frappe(doctype = "Note")]
struct CheckedNote {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name: String,
    #[frappe(mandatory, max_length = 140)]
    title: String,
    #[frappe(max_abs = 2147483647, non_negative)]
    #[serde(default)]
    frs_val_count: i64,
    #[frappe(max_length = 5)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    frs_val_code: Option<String>,
}

#[tokio::test]
async fn custom_rules_refuse_what_the_server_refuses() {
    let _guard = METADATA.lock().await;
    let admin = admin().with_validation(Validation::Full);
    // Left over by an interrupted run, they would make the inserts below fail.
    for name in ["Note-frs_val_count", "Note-frs_val_code"] {
        let _ = admin.doctype("Custom Field").delete(name).await;
    }
    let count = custom_field(
        &admin,
        "Note",
        "frs_val_count",
        json!({"fieldtype": "Int", "label": "Val Count", "non_negative": 1}),
    )
    .await;
    let code = custom_field(
        &admin,
        "Note",
        "frs_val_code",
        json!({"fieldtype": "Data", "label": "Val Code", "length": 5}),
    )
    .await;
    let generated = codegen(&["generate", "--site", "--doctype", "Note"]);
    let note = |count: i64, code: &str| CheckedNote {
        name: String::new(),
        title: unique("validation"),
        frs_val_count: count,
        frs_val_code: Some(code.to_owned()),
    };
    let negative = admin.insert(&note(-1, "abc")).await.map(|n| n.name);
    let negative_sent = admin.without_validation().insert(&note(-1, "abc")).await;
    let long = admin.insert(&note(1, "abcdef")).await.map(|n| n.name);
    let long_sent = admin.without_validation().insert(&note(1, "abcdef")).await;
    let valid = admin.insert(&note(0, "abcde")).await;
    for saved in [&negative_sent, &long_sent, &valid].into_iter().flatten() {
        admin.doctype("Note").delete(&saved.name).await.unwrap();
    }
    delete_custom_field(&admin, &count).await;
    delete_custom_field(&admin, &code).await;

    let (status, text) = generated;
    assert_eq!(status, 0, "{text}");
    assert!(
        text.contains("#[frappe(max_abs = 2147483647, non_negative)]"),
        "{text}"
    );
    assert!(text.contains("#[frappe(max_length = 5)]"), "{text}");

    let local = refused(negative.unwrap_err());
    assert_eq!(local.problems.len(), 1, "{local}");
    assert_eq!(local.problems[0].field, "frs_val_count");
    assert_eq!(local.problems[0].rule, Rule::NonNegative);
    let (exc, text) = server_refusal(negative_sent.expect_err("the server refuses it"));
    assert_eq!(exc, "NonNegativeError", "{text}");
    assert!(text.contains("Val Count"), "{text}");

    let local = refused(long.unwrap_err());
    assert_eq!(local.problems.len(), 1, "{local}");
    assert_eq!(local.problems[0].field, "frs_val_code");
    assert_eq!(local.problems[0].rule, Rule::Length { max: 5, len: 6 });
    let (exc, text) = server_refusal(long_sent.expect_err("the server refuses it"));
    assert_eq!(exc, "CharacterLengthExceededError", "{text}");
    assert!(text.contains("Val Code"), "{text}");

    let valid = valid.expect("a valid note is saved");
    assert_eq!(valid.frs_val_code.as_deref(), Some("abcde"));
}
