//! List documents: typed filters, fields, order and paging on the generated `Customer`.
//!
//! ```sh
//! cargo run -p frappe-examples --bin list_customers -- A   # company customers named A...
//! ```

use frappe_examples::env::{Login, client_or_exit};
use frappe_examples::erpnext::selling::{Customer, CustomerType};
use frappe_examples::tasks::customers::company_customers_page;
use frappe_runtime::Document;
use serde::Deserialize;

/// A projection: only the fields this listing needs. A list of it requests exactly these
/// fields (`fields=["name","customer_name","territory"]`).
#[derive(Debug, Deserialize, Document)]
#[frappe(doctype = "Customer")]
struct CustomerName {
    name: String,
    customer_name: String,
    territory: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let prefix = std::env::args().nth(1).unwrap_or_default();

    // Page by page: filters, order and paging in one typed query (see tasks::customers).
    let page_len = 20;
    for page in 0.. {
        let rows = company_customers_page(&client, &prefix, page * page_len, page_len).await?;
        for c in &rows {
            println!("{:<20} {:<40} {:?}", c.name, c.customer_name, c.territory);
        }
        if (rows.len() as u64) < page_len {
            break;
        }
    }

    // Chosen fields through a projection; a filter on a field of the projection.
    let by_name = client
        .list::<CustomerName>()
        .filter(CustomerName::customer_name.like(format!("{prefix}%")))
        .order_by(CustomerName::customer_name.asc())
        .limit(10)
        .send()
        .await?;
    for c in by_name {
        println!(
            "{} = {} ({})",
            c.name,
            c.customer_name,
            c.territory.unwrap_or_default()
        );
    }

    // How many match, without fetching them.
    let individuals = client
        .list::<Customer>()
        .filter(Customer::customer_type.eq(CustomerType::Individual))
        .count()
        .await?;
    println!("{individuals} individual customers");
    Ok(())
}
