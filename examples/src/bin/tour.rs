//! The README's five-minute tour, step 3, as a program that compiles in CI: typed list with
//! filters and order, a paging stream, a typed create with child rows, submit, and errors matched
//! by kind. Keep it in sync with README.md.
//!
//! ```sh
//! cargo run -p frappe-examples --bin tour -- <customer> <company> <item code>
//! ```

use chrono::NaiveDate;
use frappe_examples::env::{Login, client_or_exit};
use frappe_examples::erpnext::accounts::{SalesInvoice, SalesInvoiceItem};
use frappe_examples::erpnext::selling::{Customer, CustomerType};
use frappe_runtime::{Changes, Error};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let mut args = std::env::args().skip(1);
    let (Some(customer), Some(company), Some(item)) = (args.next(), args.next(), args.next())
    else {
        eprintln!("usage: tour <customer> <company> <item code>");
        std::process::exit(2);
    };

    // Filters are checked by the compiler: field names, operators and value types.
    let companies: Vec<Customer> = client
        .list::<Customer>()
        .filter(Customer::customer_type.eq(CustomerType::Company))
        .filter(Customer::disabled.eq(false))
        .order_by(Customer::customer_name.asc())
        .limit(50)
        .send()
        .await?;
    println!("{} company customers", companies.len());

    // Every unpaid invoice, one page in memory at a time.
    let mut unpaid = client
        .list::<SalesInvoice>()
        .filter(SalesInvoice::outstanding_amount.gt(0.0))
        .stream();
    while let Some(invoice) = unpaid.try_next().await? {
        let who = invoice.customer_name.unwrap_or_default();
        println!("{who} owes {}", invoice.outstanding_amount);
    }

    // Create: send only what you set; the site fills in defaults and computed fields.
    let draft: SalesInvoice = client
        .create(
            &Changes::new()
                .set(SalesInvoice::customer, customer.as_str())
                .set(SalesInvoice::company, company.as_str())
                .set(
                    SalesInvoice::posting_date,
                    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap(),
                )
                .set(SalesInvoice::set_posting_time, true)
                .rows(
                    SalesInvoice::items,
                    [Changes::new()
                        .set(SalesInvoiceItem::item_code, item.as_str())
                        .set(SalesInvoiceItem::qty, 2.0)
                        .set(SalesInvoiceItem::rate, 25.5)],
                ),
        )
        .await?;
    let submitted: SalesInvoice = client.submit(&draft.name).await?;
    println!("{} is {:?}", submitted.name, submitted.docstatus);

    match client.get::<Customer>("No Such Customer").await {
        Err(e) if e.is_not_found() => println!("no such customer"),
        Err(Error::Forbidden(e)) => println!("missing a role: {e}"),
        other => println!("{other:?}"),
    }
    Ok(())
}
