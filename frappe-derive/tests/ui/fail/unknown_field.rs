use frappe_runtime::Document;

#[derive(Document)]
#[frappe(doctype = "Customer")]
struct Customer {
    customer_name: String,
}

fn main() {
    let _ = Customer::customer_nme.eq("Ada");
}
