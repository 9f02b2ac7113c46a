//! `#[derive(Document)]` and `#[derive(Choice)]`: typed field handles, filters and order-by keys
//! for structs that mirror Frappe DocTypes. Use them through `frappe_runtime` (feature `derive`),
//! which re-exports both and holds the types the generated code names.
//!
//! ```
//! use frappe_runtime::filter::{filters_json, order_by_clause};
//! use frappe_runtime::{Choice, Document, Link};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, Serialize, Deserialize, Document)]
//! #[frappe(doctype = "Customer")]
//! struct Customer {
//!     name: String,
//!     customer_name: String,
//!     customer_group: Option<Link<CustomerGroup>>,
//!     customer_type: CustomerType,
//!     #[serde(with = "frappe_runtime::wire::check")]
//!     disabled: bool,
//!     creation: chrono::NaiveDate,
//! }
//!
//! #[derive(Debug, Serialize, Deserialize, Document)]
//! #[frappe(doctype = "Customer Group")]
//! struct CustomerGroup {
//!     name: String,
//! }
//!
//! #[derive(Debug, Serialize, Deserialize, Choice)]
//! enum CustomerType {
//!     Company,
//!     Individual,
//! }
//!
//! let filters = [
//!     Customer::customer_name.like("%Ltd%"),
//!     Customer::customer_type.eq(CustomerType::Company),
//!     Customer::disabled.eq(false),
//!     Customer::customer_group.descendants_of("Commercial"),
//! ];
//! let order = [Customer::creation.desc(), Customer::name.asc()];
//! assert_eq!(
//!     filters_json(&filters).to_string(),
//!     r#"[["customer_name","like","%Ltd%"],["customer_type","=","Company"],["disabled","=",0],["customer_group","descendants of","Commercial"]]"#
//! );
//! assert_eq!(order_by_clause(&order), "creation desc, name asc");
//! assert_eq!(Customer::list_fields(), ["name", "customer_name", "customer_group", "customer_type", "disabled", "creation"]);
//! ```
//!
//! # `#[derive(Document)]`
//!
//! On a struct with named fields and no generic parameters:
//!
//! - `#[frappe(doctype = "Sales Invoice")]` (required) names the DocType; the flags `child`,
//!   `single` and `submittable` mirror `istable`, `issingle` and `is_submittable`
//!   (`submittable` also implements `Submittable`).
//! - Each field's *wire name* is, first match wins: `#[frappe(rename = "...")]`, serde's name for
//!   it (`#[serde(rename = "...")]`, the `deserialize` half of `#[serde(rename(...))]`, or the
//!   container's `#[serde(rename_all = "...")]`), the identifier without `r#`. The wire name is
//!   what lists request in `fields=` and read back, so it must be the name serde reads:
//!   `#[frappe(rename)]` disagreeing with `#[serde(rename)]` is an error.
//! - `#[frappe(skip)]`, `#[serde(skip)]`, `#[serde(skip_deserializing)]` and `#[serde(flatten)]`
//!   fields are not Frappe fields: no handle, not in `FIELDS`.
//! - Every other field gets an associated const with its own name,
//!   `pub const customer_name: Field<Customer, String>`. The field's type decides which
//!   operators the handle offers (see `frappe_runtime::filter::kind`); the derive never looks
//!   at type names, so type aliases work as the aliased type. A field of your own type (e.g. a
//!   newtype) needs `impl FieldKind` (for `FIELDS`) and `Filterable`/`FilterValue` to be
//!   filtered on.
//! - The consts live in an inherent impl, so a method of the same name on the struct
//!   (`fn name(&self)`) clashes with the handle of a field `name`.
//!
//! # `#[derive(Choice)]`
//!
//! On an enum of unit variants, one per Select option, plus at most one catch-all newtype
//! variant (`Other(String)`) marked `#[serde(untagged)]` or `#[frappe(other)]` that holds values
//! which are not among the options. A variant's wire string is `#[frappe(rename = "...")]`, else
//! serde's name for it (including `rename_all`), else its identifier. Implements `Choice`,
//! `FieldKind`, `Filterable` (a Select field takes its enum in filters) and `FilterValue`
//! (the wire string).
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
#[proc_macro_derive(Document, attributes(frappe))]
pub fn derive_document(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::document(&input).into()
}

/// Implements `frappe_runtime::Choice` and the filter traits for a Select enum. See the crate
/// docs.
#[proc_macro_derive(Choice, attributes(frappe))]
pub fn derive_choice(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::choice(&input).into()
}

#[cfg(test)]
mod tests;
