use frappe_runtime::Document;

#[derive(Document)]
#[frappe(doctype = "Customer")]
struct Customer {
    customer_name: String,
    addresses: Vec<Address>,
    creation: chrono::NaiveDate,
}

#[derive(Document)]
#[frappe(doctype = "Address", child)]
struct Address {
    city: String,
}

fn main() {
    // `is set` belongs to optional fields.
    let _ = Customer::customer_name.is_set();
    // A child table is filtered through `any`, not directly.
    let _ = Customer::addresses.eq("x");
    // Tree operators belong to links.
    let _ = Customer::customer_name.descendants_of("All");
    // `timespan` belongs to dates; a plain string is not a timespan.
    let _ = Customer::creation.timespan("last week");
    // A child filter must be on the table's own row type.
    let _ = Customer::addresses.any(Customer::customer_name.eq("x"));
}
