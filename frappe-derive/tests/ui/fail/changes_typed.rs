// `Changes<D>` (a typed partial document) takes only `D`'s field handles, each with a value of
// the field's type; an update of one DocType is not an update of another. The update and insert
// bounds are checked on plain functions with the client's bounds, so the pinned output does not
// depend on where the client code lives.
use chrono::NaiveDate;
use frappe_runtime::changes::UpdateBody;
use frappe_runtime::{Changes, Document};

#[derive(Document)]
#[frappe(doctype = "Customer")]
struct Customer {
    customer_name: String,
}

#[derive(Document)]
#[frappe(doctype = "Sales Invoice Item", child)]
struct SalesInvoiceItem {
    qty: f64,
}

#[derive(Document)]
#[frappe(doctype = "Sales Invoice")]
struct SalesInvoice {
    customer_name: String,
    posting_date: NaiveDate,
    items: Vec<SalesInvoiceItem>,
}

fn update(_: &impl UpdateBody<SalesInvoice>) {}

fn insert<D: Document>(_: &D) {}

fn main() {
    let _ = Changes::<SalesInvoice>::new().set(Customer::customer_name, "Ada");
    let _ = Changes::new().set(SalesInvoice::posting_date, "2026-06-15");
    let _ = Changes::new().clear(SalesInvoice::customer_name);
    let _ = Changes::new().set(SalesInvoice::items, Vec::new());
    update(&Changes::new().set(Customer::customer_name, "Ada"));
    insert(&Changes::new().set(Customer::customer_name, "Ada"));
}
