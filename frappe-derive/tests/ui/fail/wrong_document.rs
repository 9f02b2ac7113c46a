// A filter is typed by its document: a Customer filter is not a SalesInvoice filter. The list
// API takes `impl IntoFilters<D>`, implemented for `Filter<D>` only, so it refuses the same way;
// this case stays on a plain function so its pinned output does not depend on where the client
// code lives.
use frappe_runtime::{Document, Filter, OrderBy};

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

fn orders(_: OrderBy<SalesInvoice>) {}

fn main() {
    takes(SalesInvoice::customer_name.eq("Ada"));
    takes(Customer::customer_name.eq("Ada"));
    orders(Customer::customer_name.asc());
}
