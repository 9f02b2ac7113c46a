//! Testing your own integration code without a Frappe site: the incremental sync task
//! (`frappe_examples::tasks::sync`) run against `frappe_runtime::testing::TestSite`, an
//! in-process Frappe that applies Frappe's own rules (naming series, timestamps, filters).
//!
//! The site gets the Customer DocType from the same JSON the bindings were generated from
//! (`erpnext_subset/.../customer.json`), so names, defaults and mandatory fields behave as on
//! ERPNext.

use chrono::NaiveDateTime;
use frappe_examples::erpnext::selling::Customer;
use frappe_examples::tasks::sync;
use frappe_runtime::testing::TestSite;
use futures_util::TryStreamExt as _;
use serde_json::{Value, json};

const CUSTOMER_JSON: &str =
    include_str!("../erpnext_subset/erpnext/selling/doctype/customer/customer.json");

async fn site_with_customers(names: &[&str]) -> TestSite {
    let customer: Value = serde_json::from_str(CUSTOMER_JSON).expect("customer.json is JSON");
    let mut builder = TestSite::builder().doctype_json(customer);
    for name in names {
        builder = builder.document(
            "Customer",
            json!({"customer_name": name, "customer_type": "Company"}),
        );
    }
    builder.start().await.expect("the test site starts")
}

fn names(customers: &[Customer]) -> Vec<&str> {
    customers.iter().map(|c| c.customer_name.as_str()).collect()
}

#[tokio::test]
async fn the_first_run_gets_every_customer_then_only_what_changed() {
    let site = site_with_customers(&["Acme", "Globex", "Initech"]).await;
    let client = site.client();
    let epoch = NaiveDateTime::default();

    // First run: everything, oldest change first, two per page.
    let all: Vec<Customer> = sync::changed_since(&client, epoch, 2)
        .try_collect()
        .await
        .expect("first sync");
    assert_eq!(names(&all), ["Acme", "Globex", "Initech"]);
    assert!(
        all[0].name.starts_with("CUST-"),
        "the naming series: {}",
        all[0].name
    );
    let watermark = all.iter().fold(epoch, sync::advance);

    // Nothing changed: nothing to sync.
    let none: Vec<Customer> = sync::changed_since(&client, watermark, 2)
        .try_collect()
        .await
        .expect("idle sync");
    assert!(none.is_empty());

    // One customer edited: the next run gets just that one.
    client
        .doctype("Customer")
        .update(&all[1].name, &json!({"disabled": 1}))
        .await
        .expect("edit Globex");
    let changed: Vec<Customer> = sync::changed_since(&client, watermark, 2)
        .try_collect()
        .await
        .expect("second sync");
    assert_eq!(names(&changed), ["Globex"]);
    assert!(changed[0].disabled);

    // What the task sent: lists filtered on `modified`, ordered by it.
    let lists: Vec<String> = site
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.query.clone())
        .collect();
    assert!(!lists.is_empty());
    assert!(
        lists
            .iter()
            .all(|q| q.contains("modified") && q.contains("order_by=modified")),
        "{lists:?}"
    );
}

#[tokio::test]
async fn a_failing_page_surfaces_as_an_error_of_the_stream() {
    let site = site_with_customers(&["Acme", "Globex", "Initech"]).await;
    // Every list request fails: a 500 (not retried; the stream ends with it).
    site.inject(
        frappe_runtime::testing::Fault::status(500)
            .on_path("/api/resource/Customer")
            .times(10),
    );
    let result: Result<Vec<Customer>, _> =
        sync::changed_since(&site.client(), NaiveDateTime::default(), 2)
            .try_collect()
            .await;
    let err = result.expect_err("the site failed");
    assert_eq!(err.status(), Some(500));
}
