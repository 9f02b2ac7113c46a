//! Incremental sync: every customer modified after a watermark, streamed page by page.
//!
//! The query is `modified > last_sync` ordered by `modified asc` (the runtime appends `name asc`
//! so pages are stable), so a run can stop anywhere and the highest `modified` seen is the next
//! watermark. A document saved again while the stream runs moves behind the cursor; the next
//! run picks it up because its `modified` is then above the watermark.

use chrono::NaiveDateTime;
use frappe_runtime::{Client, Result};
use futures_util::Stream;

use crate::erpnext::selling::Customer;

/// Customers with `modified > since`, oldest change first, `page_size` rows per request.
pub fn changed_since(
    client: &Client,
    since: NaiveDateTime,
    page_size: u64,
) -> impl Stream<Item = Result<Customer>> + Unpin {
    client
        .list::<Customer>()
        .filter(Customer::modified.gt(since))
        .order_by(Customer::modified.asc())
        .page_size(page_size)
        .stream()
}

/// The next watermark: the later of `current` and the document's `modified`.
pub fn advance(current: NaiveDateTime, customer: &Customer) -> NaiveDateTime {
    customer.modified.map_or(current, |m| m.max(current))
}
