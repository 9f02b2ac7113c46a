//! Sales Invoices (a submittable DocType): a new draft as typed [`Changes`], submitting and
//! cancelling.

use chrono::NaiveDate;
use frappe_runtime::{Changes, Client, DocStatus, Result};

use crate::erpnext::accounts::{SalesInvoice, SalesInvoiceItem};

/// One line of a new invoice: what a user picks. The site fills in the rest of the row
/// (`item_name`, `uom`, `income_account`, `amount`, ...).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line<'a> {
    /// The Item's code.
    pub item_code: &'a str,
    /// Quantity.
    pub qty: f64,
    /// Price per unit.
    pub rate: f64,
}

/// A new draft Sales Invoice for `customer` of `company`, dated `posting_date`, with `lines`.
///
/// A full `SalesInvoice` struct cannot express this: ERPNext marks ~13 fields mandatory that
/// the server computes on insert (`naming_series`, `currency`, totals, each row's `item_name`,
/// `uom`, `income_account`, ...), and the struct would send its Checks and Floats as `0`,
/// overriding defaults. `Changes` sends only these fields.
pub fn new_invoice(
    customer: &str,
    company: &str,
    posting_date: NaiveDate,
    due_date: NaiveDate,
    lines: &[Line<'_>],
) -> Changes<SalesInvoice> {
    let items = lines.iter().map(|line| {
        Changes::new()
            .set(SalesInvoiceItem::item_code, line.item_code)
            .set(SalesInvoiceItem::qty, line.qty)
            .set(SalesInvoiceItem::rate, line.rate)
    });
    Changes::new()
        .set(SalesInvoice::customer, customer)
        .set(SalesInvoice::company, company)
        .set(SalesInvoice::posting_date, posting_date)
        .set(SalesInvoice::due_date, due_date)
        // Without it ERPNext replaces `posting_date` with today's date on save.
        .set(SalesInvoice::set_posting_time, true)
        .rows(SalesInvoice::items, items)
}

/// The most recently modified draft invoice, if there is one.
pub async fn latest_draft(client: &Client) -> Result<Option<SalesInvoice>> {
    client
        .list::<SalesInvoice>()
        .filter(SalesInvoice::docstatus.eq(DocStatus::Draft))
        .order_by(SalesInvoice::modified.desc())
        .first()
        .await
}

/// Submits the draft `name`, then cancels it; returns the document after each step.
pub async fn submit_then_cancel(
    client: &Client,
    name: &str,
) -> Result<(SalesInvoice, SalesInvoice)> {
    let submitted: SalesInvoice = client.submit(name).await?;
    let cancelled: SalesInvoice = client.cancel(name).await?;
    Ok((submitted, cancelled))
}
