//! Generate typed Rust from Frappe / ERPNext DocType metadata.
//!
//! Point it at an app's source tree, a snapshot file, saved API bodies or (feature `site`) a
//! live site, and get one struct per DocType carrying `#[derive(frappe_runtime::Document)]`,
//! one enum per Select field, typed links and child tables.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! meta    serde mirror of Frappe's JSON (DocType, DocField), loaders for every shape
//!  -> lower   every decision: names, types (lower::fieldtype), Option-ness; collects Problems
//!  -> ir      Rust's words: Module, Struct, Field, Enum, Variant
//!  -> emit    IR -> tokens, cannot fail
//!  -> output  prettyplease + @generated header, write only if changed
//! ```
//!
//! Front ends: [`Config`] (library and `build.rs`), the `frappe-codegen` binary (feature
//! `cli`), [`snapshot`] / [`drift`] for committed metadata and `frappe-codegen check`.
//! `build.rs` users depend on this crate with `default-features = false`, which leaves out the
//! HTTP client and the argument parser.
//!
//! Generated code needs `frappe-runtime` (feature `derive`), `serde` (feature `derive`),
//! `serde_json` and `chrono` (feature `serde`) in the crate that compiles it; Currency as
//! `Decimal` also needs `rust_decimal` (feature `serde-with-float`).

pub mod config;
pub mod drift;
pub mod emit;
pub mod error;
pub mod ir;
pub mod lower;
pub mod meta;
pub mod naming;
pub mod output;
pub mod selection;
#[cfg(feature = "site")]
pub mod site;
pub mod snapshot;

#[cfg(feature = "cli")]
pub mod cli;

pub use config::{Config, Report};
pub use error::{Error, Problem, Problems, Result};
pub use lower::CurrencyType;
pub use meta::load::{load_dir, load_file, load_json};
pub use meta::{DocField, DocType};
pub use output::{CrateOptions, RuntimeDep};
