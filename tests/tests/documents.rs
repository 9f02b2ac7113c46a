//! Documents through the generated types: get, insert, update with child rows, delete, submit
//! and cancel, each replayed from a recording. The request the generated code sends must equal
//! the recorded one; where a generated struct necessarily sends more than the recording (its
//! never-null fields, e.g. `docstatus: 0`, `idx: 0`, Check fields as `0`), the test adds exactly
//! those keys to the recorded expectation, by name, and says why.

use chrono::NaiveDate;
use frappe_runtime::{DocStatus, Link};
use frappe_tests::bindings::accounts::SalesInvoice;
use frappe_tests::bindings::contacts::{Contact, ContactEmail};
use frappe_tests::bindings::custom::ApiTestOrder;
use frappe_tests::bindings::desk::{ToDo, ToDoPriority, ToDoStatus};
use frappe_tests::bindings::selling::{Customer, CustomerType};
use frappe_tests::json::{assert_keeps, assert_round_trip};
use frappe_tests::support::transcript::Transcript;
use frappe_tests::support::{Replay, clients, core, erpnext};
use serde_json::{Value, json};

/// Adds `extra` keys to the recorded request body (the keys a generated struct always sends).
fn expect_also(mut t: Transcript, extra: Value) -> Transcript {
    let body = t
        .request
        .body
        .as_mut()
        .and_then(|b| b.get_mut("value"))
        .and_then(Value::as_object_mut)
        .expect("recorded JSON body");
    for (k, v) in extra.as_object().expect("extra keys") {
        assert!(
            !body.contains_key(k),
            "{}: {k} was recorded already",
            t.file
        );
        body.insert(k.clone(), v.clone());
    }
    t
}

/// The response's `data`, and checks that `doc` carries it in both directions.
fn same_document<T: serde::Serialize>(t: &Transcript, doc: &T) {
    let data = &t.response_json()["data"];
    let n = assert_keeps(&t.file, doc, data);
    assert!(n > 5, "{}: only {n} keys compared", t.file);
    assert_round_trip(&t.file, doc, data);
}

/// A ToDo with only its mandatory field set; tests set the rest through the typed fields.
fn new_todo(description: &str) -> ToDo {
    serde_json::from_value(json!({ "description": description })).unwrap()
}

#[tokio::test]
async fn t041_get_todo() {
    let r = Replay::start(core(41)).await;
    let todo: ToDo = clients::token(&r.uri()).get("ro2rh3r4lm").await.unwrap();
    r.assert_requests().await;
    assert_eq!(todo.status, Some(ToDoStatus::Open));
    assert_eq!(todo.extra["doctype"], "ToDo");
    same_document(r.transcript(), &todo);
}

#[tokio::test]
async fn t064_get_contact_with_child_rows() {
    let r = Replay::start(core(64)).await;
    let contact: Contact = clients::token(&r.uri()).get("Ada Lovelace").await.unwrap();
    r.assert_requests().await;
    assert_eq!(contact.email_ids.len(), 2);
    assert!(contact.email_ids[0].is_primary);
    assert_eq!(contact.email_ids[1].idx, 2);
    assert_eq!(contact.phone_nos[0].phone, "+44 20 7946 0000");
    same_document(r.transcript(), &contact);
}

#[tokio::test]
async fn erp010_erp012_get_sales_invoice_draft_then_submitted() {
    let r = Replay::builder([erpnext(10), erpnext(12)]).start().await;
    let client = clients::token(&r.uri());
    let draft: SalesInvoice = client.get("ACC-SINV-2026-00001").await.unwrap();
    let submitted: SalesInvoice = client.get("ACC-SINV-2026-00001").await.unwrap();
    r.assert_requests().await;
    assert_eq!(draft.docstatus, DocStatus::Draft);
    assert_eq!(submitted.docstatus, DocStatus::Submitted);
    assert_eq!(draft.items.len(), 2);
    assert_eq!(
        draft.customer.as_ref().map(Link::as_str),
        Some("Wire Customer")
    );
    same_document(&erpnext(10), &draft);
    same_document(&erpnext(12), &submitted);
}

#[tokio::test]
async fn t018_insert_todo() {
    // The generated ToDo always sends docstatus and idx (never-null fields): Frappe ignores
    // docstatus 0 and idx 0 on insert.
    let t = expect_also(core(18), json!({"docstatus": 0, "idx": 0}));
    let r = Replay::start(t).await;
    let mut todo = new_todo("Seed one");
    todo.status = Some(ToDoStatus::Open);
    todo.priority = Some(ToDoPriority::High);
    todo.date = NaiveDate::from_ymd_opt(2024, 1, 15);
    let saved = clients::token(&r.uri()).insert(&todo).await.unwrap();
    r.assert_requests().await;
    assert_eq!(saved.name, "ro2rh3r4lm");
    same_document(r.transcript(), &saved);
}

#[tokio::test]
async fn t043_insert_todo_with_a_link() {
    let t = expect_also(core(43), json!({"docstatus": 0, "idx": 0}));
    let r = Replay::start(t).await;
    let mut todo = new_todo("Created via API");
    todo.status = Some(ToDoStatus::Open);
    todo.priority = Some(ToDoPriority::Medium);
    todo.date = NaiveDate::from_ymd_opt(2025, 3, 1);
    todo.allocated_to = Some("Administrator".into());
    let saved = clients::token(&r.uri()).insert(&todo).await.unwrap();
    r.assert_requests().await;
    assert!(saved.creation.is_some() && !saved.name.is_empty());
    same_document(r.transcript(), &saved);
}

#[tokio::test]
async fn erp003_insert_customer() {
    // The generated Customer (real ERPNext metadata) sends its never-null fields too: every
    // Check as 0, every Float/Currency/Int as 0, docstatus and idx. Which ones is read from the
    // struct itself below and checked to be exactly the zero values.
    let mut customer: Customer =
        serde_json::from_value(json!({"customer_name": "", "customer_type": "Company"})).unwrap();
    customer.customer_name = "Wire Customer".into();
    customer.customer_type = CustomerType::Company;
    let recorded = erpnext(3);
    let sent = serde_json::to_value(&customer).unwrap();
    let wanted = recorded.request_value().as_object().unwrap().clone();
    let mut zeros = serde_json::Map::new();
    for (k, v) in sent.as_object().unwrap() {
        if !wanted.contains_key(k) {
            let zero = v == &json!(0) || v == &json!(0.0) || v == &json!([]);
            assert!(zero, "Customer.{k} is sent as {v}, not a zero value");
            zeros.insert(k.clone(), v.clone());
        }
    }
    assert!(zeros.contains_key("disabled") && zeros.contains_key("is_frozen"));
    let r = Replay::start(expect_also(recorded, Value::Object(zeros))).await;
    let saved = clients::token(&r.uri()).insert(&customer).await.unwrap();
    r.assert_requests().await;
    assert_eq!(saved.name, "Wire Customer");
    same_document(r.transcript(), &saved);
}

#[tokio::test]
async fn t065_update_contact_child_rows() {
    // GET the contact, change one row, append one, PUT the whole table back.
    let put = core(65);
    // The new row is a generated ContactEmail: besides email_id it sends its never-null
    // fields (is_primary 0, docstatus 0, idx 0), which Frappe would default to the same.
    let mut put = put;
    let rows = put.request.body.as_mut().unwrap()["value"]["email_ids"]
        .as_array_mut()
        .unwrap();
    let new_row = rows[2].as_object_mut().unwrap();
    assert_eq!(new_row.len(), 1, "recorded new row has only email_id");
    for (k, v) in [("is_primary", 0), ("docstatus", 0), ("idx", 0)] {
        new_row.insert(k.into(), json!(v));
    }
    let r = Replay::builder([core(64), put]).start().await;
    let client = clients::token(&r.uri());

    let mut contact: Contact = client.get("Ada Lovelace").await.unwrap();
    contact.email_ids[1].email_id = "ada.changed@example.com".into();
    let mut third: ContactEmail =
        serde_json::from_value(json!({"email_id": "ada.third@example.com"})).unwrap();
    third.is_primary = false;
    contact.email_ids.push(third);
    let saved: Contact = client
        .update("Ada Lovelace", &json!({ "email_ids": contact.email_ids }))
        .await
        .unwrap();
    r.assert_requests().await;

    let emails: Vec<&str> = saved
        .email_ids
        .iter()
        .map(|e| e.email_id.as_str())
        .collect();
    assert_eq!(
        emails,
        [
            "ada@example.com",
            "ada.changed@example.com",
            "ada.third@example.com"
        ]
    );
    assert_eq!(saved.email_ids[2].extra.get("__unsaved"), Some(&json!(1)));
    same_document(&core(65), &saved);
}

#[tokio::test]
async fn t056_delete_todo() {
    let r = Replay::start(core(56)).await;
    clients::token(&r.uri())
        .delete::<ToDo>("ro318adepd")
        .await
        .unwrap();
    r.assert_requests().await;
}

#[tokio::test]
async fn t077_submit_with_docstatus_1() {
    let r = Replay::start(core(77)).await;
    let order: ApiTestOrder = clients::token(&r.uri()).submit("ATO-00001").await.unwrap();
    r.assert_requests().await;
    assert_eq!(order.docstatus, DocStatus::Submitted);
    assert_eq!(order.items.len(), 2);
    same_document(r.transcript(), &order);
}

#[tokio::test]
async fn erp011_submit_sales_invoice() {
    let r = Replay::start(erpnext(11)).await;
    let invoice: SalesInvoice = clients::token(&r.uri())
        .submit("ACC-SINV-2026-00001")
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(invoice.docstatus, DocStatus::Submitted);
    same_document(r.transcript(), &invoice);
}

#[tokio::test]
async fn t083_client_submit_with_the_whole_document() {
    // frappe.client.submit takes the document as read (with `modified`): here the recorded
    // draft, decoded into the generated struct and sent back from it.
    let t = core(83);
    let draft: ApiTestOrder = serde_json::from_value(t.request_value()["doc"].clone()).unwrap();
    let r = Replay::start(t).await;
    let row = clients::token(&r.uri())
        .frappe_client()
        .submit(&draft)
        .await
        .unwrap();
    r.assert_requests().await;
    let submitted: ApiTestOrder = serde_json::from_value(Value::Object(row)).unwrap();
    assert_eq!(submitted.docstatus, DocStatus::Submitted);
    let recorded = &r.transcript().response_json()["message"];
    assert!(assert_keeps(&r.transcript().file, &submitted, recorded) > 5);
}

/// What a user fills in for a new invoice: a projection of Sales Invoice (the generated struct
/// has ~30 mandatory fields the server computes, e.g. `naming_series`, `currency`, totals), with
/// a link to the generated `Customer`.
#[derive(Debug, serde::Serialize, serde::Deserialize, frappe_runtime::Document)]
#[frappe(doctype = "Sales Invoice", submittable)]
struct NewInvoice {
    #[serde(default, skip_serializing)]
    name: String,
    customer: Option<Link<Customer>>,
    company: String,
    posting_date: NaiveDate,
    due_date: Option<NaiveDate>,
    #[serde(with = "frappe_runtime::wire::check")]
    set_posting_time: bool,
    items: Vec<NewInvoiceItem>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, frappe_runtime::Document)]
#[frappe(doctype = "Sales Invoice Item", child)]
struct NewInvoiceItem {
    item_code: Option<String>,
    qty: f64,
    rate: f64,
}

#[tokio::test]
async fn erp009_insert_sales_invoice_with_items() {
    // qty and rate are Float/Currency: an f64 serializes 2 as 2.0, which Frappe's flt() reads
    // alike. The harness compares bodies strictly, so the expectation says 2.0 explicitly.
    let mut t = erpnext(9);
    let value = &mut t.request.body.as_mut().unwrap()["value"];
    for pointer in ["/items/0/qty", "/items/1/qty", "/items/1/rate"] {
        let n = value.pointer_mut(pointer).unwrap();
        *n = json!(n.as_f64().unwrap());
    }
    let r = Replay::start(t).await;
    let item = |qty, rate| NewInvoiceItem {
        item_code: Some("WIRE-ITEM-2".into()),
        qty,
        rate,
    };
    let draft = NewInvoice {
        name: String::new(),
        customer: Some(Link::new("Wire Customer")),
        company: "Test Co".into(),
        posting_date: NaiveDate::from_ymd_opt(2026, 6, 15).unwrap(),
        due_date: NaiveDate::from_ymd_opt(2026, 7, 15),
        set_posting_time: true,
        items: vec![item(2.0, 25.5), item(1.0, 10.0)],
    };
    let saved = clients::token(&r.uri()).insert(&draft).await.unwrap();
    r.assert_requests().await;
    assert_eq!(saved.name, "ACC-SINV-2026-00001");
    assert_eq!(saved.items.len(), 2);
    // The full response also decodes into the generated struct, losing nothing.
    let data = &r.transcript().response_json()["data"];
    let full: SalesInvoice = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(full.grand_total, 61.0);
    same_document(r.transcript(), &full);
}

#[tokio::test]
async fn erp016_cancel_through_frappe_client() {
    let r = Replay::start(erpnext(16)).await;
    let row = clients::token(&r.uri())
        .frappe_client()
        .cancel("Sales Invoice", "ACC-SINV-2026-00001")
        .await
        .unwrap();
    r.assert_requests().await;
    let cancelled: SalesInvoice = serde_json::from_value(Value::Object(row)).unwrap();
    assert_eq!(cancelled.docstatus, DocStatus::Cancelled);
    let recorded = &r.transcript().response_json()["message"];
    assert!(assert_keeps(&r.transcript().file, &cancelled, recorded) > 5);
}
