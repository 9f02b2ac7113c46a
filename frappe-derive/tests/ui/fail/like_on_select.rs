use frappe_runtime::{Choice, Document};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Choice)]
enum CustomerType {
    Company,
    Individual,
}

#[derive(Document)]
#[frappe(doctype = "Customer")]
struct Customer {
    customer_type: CustomerType,
}

fn main() {
    // A Select is compared with its options, not matched as text.
    let _ = Customer::customer_type.like("%Co");
    // And it takes its enum, not a string.
    let _ = Customer::customer_type.eq("Company");
}
