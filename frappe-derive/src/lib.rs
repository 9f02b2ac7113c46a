//! `#[derive(Document)]` and `#[derive(Choice)]`: typed field handles, filters and order-by keys
//! for structs that mirror Frappe DocTypes. Use them through
//! [frappe-runtime](https://docs.rs/frappe-runtime) (its `derive` feature, on by default), which
//! re-exports both and holds the types the generated code names. Structs for your site's
//! DocTypes are best generated, with [frappe-codegen](https://docs.rs/frappe-codegen); writing
//! one by hand, as below, suits a projection (a few fields of a DocType).
//!
//! ```no_run
//! use frappe_runtime::filter::Timespan;
//! use frappe_runtime::{Auth, Choice, Client, Document, Link};
//! use futures_util::TryStreamExt;
//! use serde::Deserialize;
//!
//! #[derive(Debug, Deserialize, Document)]
//! #[frappe(doctype = "Sales Invoice", submittable)]
//! struct Invoice {
//!     name: String,
//!     customer: Link<Customer>,
//!     posting_date: chrono::NaiveDate,
//!     grand_total: f64,
//!     status: Status,
//! }
//!
//! #[derive(Debug, Deserialize, Choice)]
//! enum Status {
//!     Draft,
//!     Paid,
//!     Overdue,
//!     #[serde(untagged)]
//!     Other(String),
//! }
//! # #[derive(Deserialize, Document)] #[frappe(doctype = "Customer")] struct Customer { name: String }
//!
//! # async fn run() -> frappe_runtime::Result<()> {
//! let client = Client::builder("https://erp.example.com")
//!     .auth(Auth::token("api-key", "api-secret"))
//!     .build()?;
//! let mut overdue = client
//!     .list::<Invoice>() // requests exactly Invoice's fields
//!     .filter(Invoice::status.eq(Status::Overdue))
//!     .filter(Invoice::posting_date.timespan(Timespan::ThisYear))
//!     .filter(Invoice::grand_total.gt(1000))
//!     .order_by(Invoice::posting_date.desc())
//!     .stream();
//! while let Some(invoice) = overdue.try_next().await? {
//!     println!("{} {} {}", invoice.name, invoice.customer, invoice.grand_total);
//! }
//! # Ok(()) }
//! ```
//!
//! Filters are plain values, typed by the document they filter, and render to the JSON Frappe
//! expects:
//!
//! ```
//! # use frappe_runtime::{Document, Link};
//! # #[derive(Document)] #[frappe(doctype = "Customer Group")] struct CustomerGroup { name: String }
//! use frappe_runtime::filter::{filters_json, order_by_clause};
//!
//! #[derive(Document)]
//! #[frappe(doctype = "Customer")]
//! struct Customer {
//!     name: String,
//!     customer_name: String,
//!     customer_group: Option<Link<CustomerGroup>>,
//!     disabled: bool,
//! }
//!
//! let filters = [
//!     Customer::customer_name.like("%Ltd%"),
//!     Customer::disabled.eq(false),
//!     Customer::customer_group.descendants_of("Commercial"),
//! ];
//! assert_eq!(
//!     filters_json(&filters).to_string(),
//!     r#"[["customer_name","like","%Ltd%"],["disabled","=",0],["customer_group","descendants of","Commercial"]]"#
//! );
//! let order = [Customer::customer_name.asc(), Customer::name.asc()];
//! assert_eq!(order_by_clause(&order), "customer_name asc, name asc");
//! assert_eq!(Customer::list_fields(), ["name", "customer_name", "customer_group", "disabled"]);
//! ```
//!
//! # `#[derive(Document)]`
//!
//! On a struct with named fields and no generic parameters:
//!
//! - `#[frappe(doctype = "Sales Invoice")]` (required) names the DocType; the flags `child`,
//!   `single` and `submittable` mirror `istable`, `issingle` and `is_submittable`
//!   (`submittable` also implements `Submittable`). `#[frappe(crate = "path")]` (also on a
//!   `Choice` enum) names frappe_runtime when it is not reachable as `::frappe_runtime`.
//! - Each field's *wire name* is, first match wins: `#[frappe(rename = "...")]`, serde's name for
//!   it (`#[serde(rename = "...")]`, the `deserialize` half of `#[serde(rename(...))]`, or the
//!   container's `#[serde(rename_all = "...")]`), the identifier without `r#`. The wire name is
//!   what lists request in `fields=` and read back, so it must be the name serde reads:
//!   `#[frappe(rename)]` disagreeing with serde's name (its `rename`, or the container's
//!   `rename_all` applied to the field) is an error.
//! - `#[frappe(skip)]`, `#[serde(skip)]`, `#[serde(skip_deserializing)]` and `#[serde(flatten)]`
//!   fields are not Frappe fields: no handle, not in `FIELDS` (a `#[frappe(rename)]` on one is
//!   an error, since it would do nothing).
//! - Every other field gets an associated const with its own name,
//!   `pub const customer_name: Field<Customer, String>`. The field's type decides which
//!   operators the handle offers (see `frappe_runtime::filter::kind`); the derive never looks
//!   at type names, so type aliases work as the aliased type. A field of your own type (e.g. a
//!   newtype) needs `impl FieldKind` (for `FIELDS`) and `Filterable`/`FilterValue` to be
//!   filtered on.
//! - Rule attributes fill `Document::RULES`, what the client checks before it sends a document
//!   (see `frappe_runtime::validation`): `#[frappe(mandatory)]`, `#[frappe(max_length = 140)]`
//!   (characters), `#[frappe(max_abs = 2147483647)]` (an integer column's range),
//!   `#[frappe(non_negative)]`, `#[frappe(options = "Open\nClosed")]` (a Select's options,
//!   newline-separated as in Frappe) and `#[frappe(rows)]` (a `Vec<C>` child table whose rows
//!   are checked against `C`'s rules). frappe-codegen writes them from the metadata; a
//!   hand-written struct opts in by writing them.
//! - The consts live in an inherent impl, so a method of the same name on the struct
//!   (`fn name(&self)`) clashes with the handle of a field `name`.
//!
//! # `#[frappe(serde)]`: serde's traits from the same derive
//!
//! With the flag `serde` (`#[frappe(doctype = "...", serde)]` on a struct, `#[frappe(serde)]`
//! on a `Choice` enum), the derive also implements serde's `Serialize` and `Deserialize`, in
//! place of `#[derive(Serialize, Deserialize)]`, from the `#[serde(...)]` attributes that
//! generated bindings use: `rename`, the container's `rename_all`, `default` (required on every
//! field: a document may come without any key), `with = "module"` (the module declares a
//! `Codec` type, as every module of `frappe_runtime::wire` does), `skip_serializing_if`,
//! `flatten` (one map, which keeps the keys that name no field) and, on a variant, `untagged`.
//! Any other serde attribute is an error. The impls are much smaller than serde's derives (the
//! visitors are the runtime's, `frappe_runtime::wire::derived`), which is what keeps a crate of
//! a thousand generated DocTypes quick to compile; the JSON read and written is the same, except
//! that a key given twice keeps its last value and a document is not read from an array. A
//! `Choice` enum is written and read as its wire string.
//!
//! # `#[derive(Choice)]`
//!
//! On an enum of unit variants, one per Select option, plus at most one catch-all newtype
//! variant (`Other(String)`) marked `#[serde(untagged)]` or `#[frappe(other)]` that holds values
//! which are not among the options. A variant's wire string is `#[frappe(rename = "...")]`, else
//! serde's name for it (including `rename_all`), else its identifier; as for fields,
//! `#[frappe(rename)]` must agree with serde's name when serde renames the variant. Implements
//! `Choice`, `FieldKind`, `Filterable` (a Select field takes its enum in filters) and
//! `FilterValue` (the wire string).
//!
//! # Errors
//!
//! Mistakes are reported at the attribute, field or type at fault, all at once, and the derive
//! still emits a stand-in impl so that one typo does not turn every use of the type into an
//! error too.

mod ast;
mod attr;
mod case;
mod errors;
mod expand;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Implements `frappe_runtime::Document` (and `Submittable` when flagged) and one typed field
/// handle per field. See the crate docs.
#[proc_macro_derive(Document, attributes(frappe, serde))]
pub fn derive_document(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::document(&input).into()
}

/// Implements `frappe_runtime::Choice` and the filter traits for a Select enum. See the crate
/// docs.
#[proc_macro_derive(Choice, attributes(frappe, serde))]
pub fn derive_choice(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::choice(&input).into()
}

#[cfg(test)]
mod tests;
