//! Generate typed Rust from Frappe / ERPNext DocType metadata.
//!
//! Point it at an app's source tree (its fixtures' Custom Fields and Property Setters applied), a
//! snapshot file, saved API bodies or (feature `site`) a live site, and get one struct per DocType
//! carrying `#[derive(frappe_runtime::Document)]` ([frappe-derive](https://docs.rs/frappe-derive)),
//! one enum per Select field, typed links and child tables, for use with
//! [frappe-runtime](https://docs.rs/frappe-runtime)'s client.
//!
//! The pipeline, one module per stage (all but [`meta`] private; `ARCHITECTURE.md` at the
//! workspace root says where each concern lives and what may import what):
//!
//! ```text
//! meta    Frappe's words: DocType, DocField, fieldtype kinds; loaders for every shape
//!  -> lower   every Rust decision: names, types, Option-ness, docs; collects Problems
//!  -> ir      Rust's words: Module, Struct, Field, Enum, Variant
//!  -> emit    IR -> tokens, cannot fail, decides nothing
//!  -> output  prettyplease + @generated header, write only if changed
//! ```
//!
//! # Quick start
//!
//! ```
//! // Load an app's DocType JSON files (here the example app that ships with frappe-rs) ...
//! let app = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/library_app");
//! let doctypes = frappe_codegen::load_dir(app)?;
//! // ... choose what to generate, and get formatted Rust source back.
//! let code = frappe_codegen::Config::new()
//!     .only(["Library Membership"])
//!     .generate(&doctypes)?;
//! assert!(code.contains("pub struct LibraryMembership "));
//! // The child table it holds comes along.
//! assert!(code.contains("pub struct LibraryMembershipArticle "));
//! # Ok::<(), frappe_codegen::Error>(())
//! ```
//!
//! In `build.rs`, the same [`Config`] writes into `OUT_DIR` and tells cargo what to watch:
//!
//! ```no_run
//! // build.rs, with `frappe-codegen = { version = "0.1", default-features = false }`
//! let result = frappe_codegen::Config::new()
//!     .only(["Customer", "Sales Invoice"])
//!     .out_file("erpnext.rs")
//!     .compile_snapshot("frappe.snapshot.json");
//! if let Err(e) = result {
//!     // One line per problem, then a failed build (no panic message around it).
//!     eprintln!("cannot generate bindings from frappe.snapshot.json:\n{e}");
//!     std::process::exit(1);
//! }
//! // src/lib.rs: pub mod erpnext { include!(concat!(env!("OUT_DIR"), "/erpnext.rs")); }
//! ```
//!
//! Front ends: [`Config`] (library and `build.rs`: sources, selection, options; generate, write,
//! compile, [`check`](Config::check) for the [`Drift`] of a committed [`meta::snapshot`]), and
//! the `frappe-codegen` binary (feature `cli`), which parses arguments and calls [`Config`].
//! `build.rs` users depend on this crate with `default-features = false`, which leaves out the
//! live-site source and the argument parser. frappe-runtime still comes along, without its
//! `client` feature: the standard fields every struct gets are its table
//! (`frappe_runtime::standard::FIELDS`), and its types need only serde, serde_json and chrono, not
//! its HTTP stack (the feature `site` turns the client on).
//!
//! Generated code needs [frappe-runtime](https://docs.rs/frappe-runtime) alone in the crate
//! that compiles it (its `derive` feature, on by default; Currency as `Decimal` also needs its
//! `decimal` feature): serde's derives, `serde_json`, `chrono` and `rust_decimal` are reached
//! through frappe-runtime's re-exports.

// The core, closed: the IR and every stage are private; the front ends below and the items
// re-exported here are the whole public surface (see ARCHITECTURE.md).
mod config;
mod drift;
mod emit;
mod error;
mod files;
mod ir;
mod lower;
pub mod meta;
mod naming;
mod output;
mod selection;
#[cfg(feature = "site")]
pub mod site;

#[cfg(feature = "cli")]
pub mod cli;

#[cfg(test)]
mod architecture_tests;

pub use config::{Config, GeneratedStruct, Report};
pub use drift::{Change, Drift};
pub use error::{Error, Problem, Problems, Result};
pub use files::write_if_changed;
pub use lower::CurrencyType;
pub use meta::load::{Loaded, load_dir, load_dirs, load_file, load_json};
pub use meta::methods::{Param, ParamKind, WhitelistedMethod};
#[cfg(feature = "methods")]
pub use meta::python::load_methods;
pub use meta::{DocField, DocType};
pub use output::{CrateOptions, RuntimeDep, Written};
