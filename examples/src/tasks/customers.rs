//! Customers: a new customer and a type change as typed [`Changes`], and the list query of the
//! `list_customers` example.

use frappe_runtime::{Changes, Client, Result};

use crate::erpnext::selling::{Customer, CustomerType};

/// A new customer as a user fills in the form: the name and type, nothing else. Everything not
/// set (group, territory, `disabled`, the naming series and the name) is left to the site's
/// defaults; a full `Customer` struct would send its Check fields as `0` instead.
pub fn new_customer(customer_name: &str, customer_type: CustomerType) -> Changes<Customer> {
    Changes::new()
        .set(Customer::customer_name, customer_name)
        .set(Customer::customer_type, customer_type)
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

/// Reads the customer `name`, then changes its type with a partial update guarded against lost
/// updates: sending back the `modified` we read makes Frappe refuse the save (417
/// `TimestampMismatchError`) if someone saved the customer in between. Returns the customer
/// before and after.
pub async fn change_type(
    client: &Client,
    name: &str,
    new_type: CustomerType,
) -> Result<(Customer, Customer)> {
    let current: Customer = client.get(name).await?;
    // Only the fields set are sent.
    let mut changes = Changes::new().set(Customer::customer_type, new_type);
    if let Some(modified) = current.modified {
        changes = changes.set(Customer::modified, modified);
    }
    let saved = client.update(name, &changes).await?;
    Ok((current, saved))
}
