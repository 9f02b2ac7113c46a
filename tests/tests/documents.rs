//! Documents through the generated types: get, insert, update with child rows, delete, submit
//! and cancel, each replayed from a recording. The request the generated code sends must equal
//! the recorded one exactly: new documents and updates are built as typed `Changes` from the
//! generated field handles, so they carry only the fields the recorded client sent.

use chrono::NaiveDate;
use frappe_runtime::{Changes, DocStatus, Link};
use frappe_tests::bindings::accounts::{
    SalesInvoice, SalesInvoiceItem, SalesInvoiceItemMarginType,
};
use frappe_tests::bindings::contacts::{Contact, ContactEmail};
use frappe_tests::bindings::custom::ApiTestOrder;
use frappe_tests::bindings::desk::{ToDo, ToDoPriority, ToDoStatus};
use frappe_tests::bindings::selling::{Customer, CustomerType};
use frappe_tests::json::{assert_keeps, assert_round_trip};
use frappe_tests::support::transcript::Transcript;
use frappe_tests::support::{Replay, clients, core, erpnext};
use serde_json::{Value, json};

/// The response's `data`, and checks that `doc` carries it in both directions.
fn same_document<T: serde::Serialize>(t: &Transcript, doc: &T) {
    let data = &t.response_json()["data"];
    let n = assert_keeps(&t.file, doc, data);
    assert!(n > 5, "{}: only {n} keys compared", t.file);
    assert_round_trip(&t.file, doc, data);
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
async fn erp010_a_blank_select_is_none_whether_sent_as_empty_or_left_out() {
    // The real site sends a blank Select both ways: `""` (an item's `margin_type`, the blank
    // first option filled in as the default) and no key (the payment row's
    // `discount_validity_based_on`, left NULL by ERPNext's controller).
    let t = erpnext(10);
    let data = &t.response_json()["data"];
    assert_eq!(data["items"][0]["margin_type"], "");
    assert!(
        data["payment_schedule"][0]
            .get("discount_validity_based_on")
            .is_none()
    );
    let r = Replay::start(erpnext(10)).await;
    let draft: SalesInvoice = clients::token(&r.uri())
        .get("ACC-SINV-2026-00001")
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(draft.items[0].margin_type, None);
    assert_eq!(draft.payment_schedule[0].discount_validity_based_on, None);
    // Both go back as the blank option, which empties the field when a row is sent whole.
    let row = Changes::from_document(&draft.items[0]).unwrap();
    assert_eq!(row.get("margin_type"), Some(&json!("")));
    // A set option goes out as itself; clearing sends null, which empties it too.
    let set = Changes::<SalesInvoiceItem>::new().set(
        SalesInvoiceItem::margin_type,
        SalesInvoiceItemMarginType::Amount,
    );
    assert_eq!(set.get("margin_type"), Some(&json!("Amount")));
    let cleared = Changes::<SalesInvoiceItem>::new().clear(SalesInvoiceItem::margin_type);
    assert_eq!(cleared.get("margin_type"), Some(&Value::Null));
    // Filters take the enum; `is not set` finds both the `""` and the NULL blanks.
    assert_eq!(
        serde_json::to_value(
            SalesInvoiceItem::margin_type.eq(SalesInvoiceItemMarginType::Percentage)
        )
        .unwrap(),
        json!(["margin_type", "=", "Percentage"])
    );
    assert_eq!(
        serde_json::to_value(SalesInvoiceItem::margin_type.is_not_set()).unwrap(),
        json!(["margin_type", "is", "not set"])
    );
}

#[tokio::test]
async fn t018_insert_todo() {
    let r = Replay::start(core(18)).await;
    let todo = Changes::new()
        .set(ToDo::description, "Seed one")
        .set(ToDo::status, ToDoStatus::Open)
        .set(ToDo::priority, ToDoPriority::High)
        .set(ToDo::date, NaiveDate::from_ymd_opt(2024, 1, 15).unwrap());
    let saved: ToDo = clients::token(&r.uri()).create(&todo).await.unwrap();
    r.assert_requests().await;
    assert_eq!(saved.name, "ro2rh3r4lm");
    same_document(r.transcript(), &saved);
}

#[tokio::test]
async fn t043_insert_todo_with_a_link() {
    let r = Replay::start(core(43)).await;
    let todo = Changes::new()
        .set(ToDo::description, "Created via API")
        .set(ToDo::status, ToDoStatus::Open)
        .set(ToDo::priority, ToDoPriority::Medium)
        .set(ToDo::date, NaiveDate::from_ymd_opt(2025, 3, 1).unwrap())
        .set(ToDo::allocated_to, "Administrator");
    let saved = clients::token(&r.uri()).create(&todo).await.unwrap();
    r.assert_requests().await;
    assert!(saved.creation.is_some() && !saved.name.is_empty());
    assert_eq!(
        saved.allocated_to.as_ref().map(Link::as_str),
        Some("Administrator")
    );
    same_document(r.transcript(), &saved);
}

#[tokio::test]
async fn erp003_insert_customer() {
    // Only the two fields set are sent; a whole `Customer` struct would also send its ~20
    // Check/Float/Int fields as 0, overriding ERPNext's defaults.
    let r = Replay::start(erpnext(3)).await;
    let customer = Changes::new()
        .set(Customer::customer_name, "Wire Customer")
        .set(Customer::customer_type, CustomerType::Company);
    let saved = clients::token(&r.uri()).create(&customer).await.unwrap();
    r.assert_requests().await;
    assert_eq!(saved.name, "Wire Customer");
    same_document(r.transcript(), &saved);
}

#[tokio::test]
async fn t065_update_contact_child_rows() {
    // GET the contact, change one row, append one, PUT the whole table back: the existing rows
    // as read (with their `name`, so Frappe updates rather than replaces them), the new row
    // with only its email.
    let r = Replay::builder([core(64), core(65)]).start().await;
    let client = clients::token(&r.uri());

    let mut contact: Contact = client.get("Ada Lovelace").await.unwrap();
    contact.email_ids[1].email_id = "ada.changed@example.com".into();
    let mut rows = contact
        .email_ids
        .iter()
        .map(Changes::from_document)
        .collect::<Result<Vec<_>, frappe_runtime::InputError>>()
        .unwrap();
    rows.push(Changes::new().set(ContactEmail::email_id, "ada.third@example.com"));
    let changes = Changes::new().rows(Contact::email_ids, rows);
    let saved = client.update("Ada Lovelace", &changes).await.unwrap();
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
    let submitted: ApiTestOrder = serde_json::from_value(Value::from(row)).unwrap();
    assert_eq!(submitted.docstatus, DocStatus::Submitted);
    let recorded = &r.transcript().response_json()["message"];
    assert!(assert_keeps(&r.transcript().file, &submitted, recorded) > 5);
}

#[tokio::test]
async fn erp009_insert_sales_invoice_with_items() {
    // The fields a user picks, through the generated types' handles. The generated struct could
    // not send this: its ~13 mandatory fields are computed by the server (`naming_series`,
    // `currency`, each row's `item_name`, `uom`, `income_account`, totals). Whole floats go out
    // as integers (`"qty": 2`), as recorded.
    let r = Replay::start(erpnext(9)).await;
    let item = |qty: f64, rate: f64| {
        Changes::new()
            .set(SalesInvoiceItem::item_code, "WIRE-ITEM-2")
            .set(SalesInvoiceItem::qty, qty)
            .set(SalesInvoiceItem::rate, rate)
    };
    let draft = Changes::new()
        .set(SalesInvoice::customer, "Wire Customer")
        .set(SalesInvoice::company, "Test Co")
        .set(
            SalesInvoice::posting_date,
            NaiveDate::from_ymd_opt(2026, 6, 15).unwrap(),
        )
        .set(
            SalesInvoice::due_date,
            NaiveDate::from_ymd_opt(2026, 7, 15).unwrap(),
        )
        .set(SalesInvoice::set_posting_time, true)
        .rows(SalesInvoice::items, [item(2.0, 25.5), item(1.0, 10.0)]);
    let saved = clients::token(&r.uri()).create(&draft).await.unwrap();
    r.assert_requests().await;
    assert_eq!(saved.name, "ACC-SINV-2026-00001");
    assert_eq!(saved.items.len(), 2);
    assert_eq!(saved.grand_total, 61.0);
    // The full response decodes into the generated struct, losing nothing.
    same_document(r.transcript(), &saved);
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
    let cancelled: SalesInvoice = serde_json::from_value(Value::from(row)).unwrap();
    assert_eq!(cancelled.docstatus, DocStatus::Cancelled);
    let recorded = &r.transcript().response_json()["message"];
    assert!(assert_keeps(&r.transcript().file, &cancelled, recorded) > 5);
}
