//! Customers: a new-customer constructor and the list query of the `list_customers` example.

use frappe_runtime::{Client, Result};

use crate::erpnext::selling::{Customer, CustomerType};

/// A customer as a user would fill in the form: the name and type; everything else empty (the
/// site fills in defaults, the naming series and the name).
pub fn new_customer(customer_name: &str, customer_type: CustomerType) -> Customer {
    Customer {
        name: String::new(),
        naming_series: None,
        customer_name: customer_name.to_owned(),
        customer_type,
        customer_group: None,
        territory: None,
        default_currency: None,
        email_id: None,
        mobile_no: None,
        disabled: false,
        owner: None,
        creation: None,
        modified: None,
        modified_by: None,
        docstatus: Default::default(),
        idx: 0,
        extra: Default::default(),
    }
}

/// One page of enabled company customers whose name starts with `prefix`, newest first:
/// typed filters, order and paging on the generated `Customer`.
pub async fn company_customers_page(
    client: &Client,
    prefix: &str,
    start: u64,
    page_len: u64,
) -> Result<Vec<Customer>> {
    client
        .list::<Customer>()
        .filter(Customer::customer_type.eq(CustomerType::Company))
        .filter(Customer::disabled.eq(false))
        .filter(Customer::customer_name.like(format!("{prefix}%")))
        .order_by(Customer::modified.desc())
        .order_by(Customer::name.asc())
        .start(start)
        .limit(page_len)
        .send()
        .await
}
