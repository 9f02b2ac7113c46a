//! Local validation before typed writes: an invalid document fails with `Error::Invalid`
//! listing every problem and nothing reaches the server; mandatory fields only with
//! `Validation::Full`; `without_validation` and `ClientBuilder::validation(Validation::Off)`
//! send it; untyped calls are never checked.

use frappe_runtime::validation::{Rule, Validation};
use frappe_runtime::{Auth, Changes, Client, Document, Error};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request};

use crate::mock::{fast_client, json_ok, received};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Document)]
#[frappe(doctype = "Order")]
struct Order {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name: String,
    #[frappe(mandatory, max_length = 10)]
    #[serde(default)]
    customer: String,
    #[frappe(max_abs = 2147483647, non_negative)]
    #[serde(default)]
    qty: i64,
    #[frappe(mandatory, rows)]
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Document)]
#[frappe(doctype = "Order Item", child)]
struct Item {
    #[frappe(mandatory, options = "A\nB")]
    #[serde(default)]
    code: String,
}

fn order(customer: &str, qty: i64, codes: &[&str]) -> Order {
    Order {
        name: String::new(),
        customer: customer.into(),
        qty,
        items: codes.iter().map(|c| Item { code: (*c).into() }).collect(),
    }
}

/// A server that answers any write with the body it got (named `o1`).
async fn echo_server() -> MockServer {
    let server = MockServer::start().await;
    let echo = |req: &Request| {
        let mut body: Value = serde_json::from_slice(&req.body).unwrap_or(json!({}));
        if body.is_object() {
            body["name"] = json!("o1");
        }
        json_ok(json!({ "data": body, "message": ["o1", "o2"] }))
    };
    Mock::given(method("POST"))
        .respond_with(echo)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(echo)
        .mount(&server)
        .await;
    server
}

fn invalid(e: Error) -> frappe_runtime::validation::ValidationError {
    match e {
        Error::Invalid(e) => *e,
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_documents_are_refused_before_sending() {
    let server = echo_server().await;
    let client = fast_client(&server, Auth::Guest).with_validation(Validation::Full);

    let err = invalid(
        client
            .insert(&order("a customer name", -1, &["C"]))
            .await
            .unwrap_err(),
    );
    assert_eq!(err.doctype, "Order");
    let found: Vec<_> = err
        .problems
        .iter()
        .map(|p| (p.row.map(|r| r.idx), p.field, p.rule.clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            (None, "customer", Rule::Length { max: 10, len: 15 }),
            (None, "qty", Rule::NonNegative),
            (
                Some(1),
                "code",
                Rule::Options {
                    options: &["A", "B"]
                }
            ),
        ]
    );

    let err = client
        .create(&Changes::<Order>::new().set(Order::qty, 1))
        .await
        .unwrap_err();
    let err = invalid(err);
    assert_eq!(
        err.to_string(),
        "Order: customer is mandatory but has no value; items is mandatory but has no value"
    );

    let err = client
        .update::<Order>("o1", &Changes::new().set(Order::customer, ""))
        .await
        .unwrap_err();
    assert!(!err.maybe_committed());
    assert_eq!(invalid(err).field("customer").count(), 1);

    let err = client
        .insert_many(&[order("ok", 1, &["A"]), order("ok", 3_000_000_000, &["A"])])
        .await
        .unwrap_err();
    let err = invalid(err);
    assert_eq!(err.document, Some(1));
    assert_eq!(
        err.to_string(),
        "Order document #1: qty is out of range (at most 2147483647 either way)"
    );

    let err = client
        .update_many::<Order, _, _>([
            ("o1", Changes::new().set(Order::qty, 2)),
            ("o2", Changes::new().set(Order::customer, " ")),
        ])
        .await
        .unwrap_err();
    assert_eq!(invalid(err).document, Some(1));

    assert!(received(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn valid_documents_and_unchecked_handles_are_sent() {
    let server = echo_server().await;
    let client = fast_client(&server, Auth::Guest);

    let saved = client.insert(&order("Ada", 2, &["A", "B"])).await.unwrap();
    assert_eq!(saved.name, "o1");
    let _: Order = client
        .update("o1", &Changes::<Order>::new().set(Order::qty, 5))
        .await
        .unwrap();

    let bad = order("", -1, &[]);
    let unchecked = client.without_validation();
    assert_eq!(unchecked.validation(), Validation::Off);
    assert_eq!(
        client.validation(),
        Validation::Values,
        "the original handle is unchanged"
    );
    unchecked.insert(&bad).await.unwrap();
    client.doctype("Order").insert(&bad).await.unwrap();
    let off = Client::builder(server.uri())
        .validation(Validation::Off)
        .build()
        .unwrap();
    off.insert(&bad).await.unwrap();
    // By default missing mandatory fields are the server's to judge (a controller may fill them).
    let no_customer = order("", 1, &[]);
    client.insert(&no_customer).await.unwrap();
    let err = client
        .with_validation(Validation::Full)
        .insert(&no_customer)
        .await
        .unwrap_err();
    assert_eq!(invalid(err).problems.len(), 2);

    assert_eq!(received(&server).await.len(), 6);
}
