//! The examples' code and types (frappe-examples, bindings from our hand-written ERPNext subset)
//! against recordings of a real ERPNext site: the subset must describe real documents well
//! enough to create, read and submit them, and nothing the site sends may be lost (keys the
//! subset does not declare land in the `extra` map).

use chrono::NaiveDate;
use frappe_examples::erpnext::accounts::SalesInvoice;
use frappe_examples::erpnext::selling::{Customer, CustomerType};
use frappe_examples::tasks::customers::new_customer;
use frappe_examples::tasks::invoices::{Line, new_invoice};
use frappe_runtime::DocStatus;
use frappe_tests::json::assert_keeps;
use frappe_tests::support::{Replay, clients, erpnext};

#[tokio::test]
async fn erp003_create_customer_example() {
    // new_customer() sets exactly the two fields the recorded client sent.
    let r = Replay::start(erpnext(3)).await;
    let saved: Customer = clients::token(&r.uri())
        .create(&new_customer("Wire Customer", CustomerType::Company))
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(saved.name, "Wire Customer");
    // Filled in by the site; fields the subset does not declare are kept in `extra`.
    // The naming series is text (its options are name patterns, not choices).
    assert_eq!(saved.naming_series.as_deref(), Some("CUST-.YYYY.-"));
    assert_eq!(saved.extra["doctype"], "Customer");
    let n = assert_keeps(
        &r.transcript().file,
        &saved,
        &r.transcript().response_json()["data"],
    );
    assert!(n > 20, "only {n} keys compared");
}

#[tokio::test]
async fn erp009_new_invoice_example() {
    // The submit_cancel example's new draft, sent exactly as recorded.
    let r = Replay::start(erpnext(9)).await;
    let line = |qty, rate| Line {
        item_code: "WIRE-ITEM-2",
        qty,
        rate,
    };
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let draft = new_invoice(
        "Wire Customer",
        "Test Co",
        day(6, 15),
        day(7, 15),
        &[line(2.0, 25.5), line(1.0, 10.0)],
    );
    let saved: SalesInvoice = clients::token(&r.uri()).create(&draft).await.unwrap();
    r.assert_requests().await;
    assert_eq!(saved.name, "ACC-SINV-2026-00001");
    assert_eq!(saved.items[0].income_account.as_deref(), Some("Sales - TC"));
    let n = assert_keeps(
        &r.transcript().file,
        &saved,
        &r.transcript().response_json()["data"],
    );
    assert!(n > 20, "only {n} keys compared");
}

#[tokio::test]
async fn erp010_erp011_erp012_invoice_read_submit_read() {
    let r = Replay::builder([erpnext(10), erpnext(11), erpnext(12)])
        .start()
        .await;
    let client = clients::token(&r.uri());
    let draft: SalesInvoice = client.get("ACC-SINV-2026-00001").await.unwrap();
    let submitted: SalesInvoice = client.submit("ACC-SINV-2026-00001").await.unwrap();
    let read: SalesInvoice = client.get("ACC-SINV-2026-00001").await.unwrap();
    r.assert_requests().await;
    assert_eq!(draft.docstatus, DocStatus::Draft);
    assert_eq!(submitted.docstatus, DocStatus::Submitted);
    assert_eq!(read.items.len(), 2);
    assert_eq!(read.items[0].income_account.as_deref(), Some("Sales - TC"));
    for (doc, n) in [(&draft, 10), (&submitted, 11), (&read, 12)] {
        let t = erpnext(n);
        assert_keeps(&t.file, doc, &t.response_json()["data"]);
    }
}
