//! Submitting and cancelling a Sales Invoice (a submittable DocType).

use frappe_runtime::{Client, DocStatus, Result};

use crate::erpnext::accounts::SalesInvoice;

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
