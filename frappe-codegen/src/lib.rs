//! Generate typed Rust from Frappe DocType metadata. Work in progress.
