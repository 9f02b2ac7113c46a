//! Typed filters, order-by and field handles.
//!
//! `#[derive(Document)]` gives every field of a struct a handle, an associated const with the
//! field's own name: `Customer::customer_name` is a [`Field<Customer, String>`]. Which operators a
//! handle offers follows from the field's Rust type through the traits in [`kind`]: ordering for
//! numbers and dates, `like` for text and links, `is set` for `Option`s, and so on. A misspelled
//! field, a `like` on a number or a string where a date belongs does not compile.
//!
//! Filters render to Frappe's list-of-lists form (`[["status","=","Open"]]`), which the list,
//! count and `get_value` calls send JSON-encoded in the query string.
//!
//! - A filter is typed by its document: a `Filter<Customer>` is not a `Filter<SalesInvoice>`.
//! - A child table's field is filtered through the table: `SalesInvoice::items.any(
//!   SalesInvoiceItem::item_code.eq("X"))` sends `["Sales Invoice Item","item_code","=","X"]`.
//! - Projections reach through child tables and links: `SalesInvoice::items.column(
//!   SalesInvoiceItem::item_code)` is `"items.item_code"`.
//! - Standard fields a struct does not declare (`modified`, `docstatus`, ...) have handles in
//!   [`standard`].

mod field;
pub mod kind;
mod operator;
mod order;
pub mod standard;
#[cfg(test)]
mod tests;

pub use field::{Field, Filter};
pub use kind::{
    FieldKind, FilterValue, Filterable, Joinable, Nullable, Ordered, Temporal, Text, TreeLink,
};
pub use operator::{Operator, Period, Timespan};
pub use order::{OrderBy, order_by_clause};

/// Renders filters as Frappe's JSON list of lists, e.g. `[["status","=","Open"]]`.
pub fn filters_json<D>(filters: &[Filter<D>]) -> serde_json::Value {
    serde_json::Value::Array(filters.iter().map(Filter::to_json).collect())
}
