use frappe_runtime::{Client, Document, Filter};

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

fn list(client: &Client) {
    let _ = client
        .list::<SalesInvoice>()
        .filter(SalesInvoice::customer_name.eq("Ada"))
        .filter(Customer::customer_name.eq("Ada"))
        .order_by(Customer::customer_name.asc());
}

fn main() {
    takes(SalesInvoice::customer_name.eq("Ada"));
    takes(Customer::customer_name.eq("Ada"));
    let _ = list;
}
