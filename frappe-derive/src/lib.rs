//! `#[derive(Document)]` and `#[derive(Choice)]` for frappe-runtime.
//!
//! Work in progress: see the crate README.
use proc_macro::TokenStream;

/// Implements `frappe_runtime::Document` and one typed field handle per field.
#[proc_macro_derive(Document, attributes(frappe))]
pub fn derive_document(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}

/// Implements `frappe_runtime::Choice` and the filter traits for a Select enum.
#[proc_macro_derive(Choice, attributes(frappe))]
pub fn derive_choice(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}
