use frappe_runtime::{Document, Filter};

#[derive(Document)]
#[frappe(doctype = "Customer")]
struct Customer {
    customer_name: String,
}

#[derive(Document)]
#[frappe(doctype = "Sales Invoice")]
struct SalesInvoice {
    customer_name: String,
}

fn takes(_: Filter<SalesInvoice>) {}

fn main() {
    takes(SalesInvoice::customer_name.eq("Ada"));
    takes(Customer::customer_name.eq("Ada"));
}
