//! [`Config`]: the one builder behind every front end (library, `build.rs`, CLI). It holds where
//! the metadata comes from ([`sources`]), which DocTypes to generate (the selection), how (the
//! options), and runs the pipeline to produce code ([`generate`]), build-script output
//! ([`build_script`]) or a drift report ([`check`]).
//!
//! Library use is load -> filter -> generate, step by step:
//!
//! ```no_run
//! # fn main() -> Result<(), frappe_codegen::Error> {
//! let doctypes = frappe_codegen::load_dir("apps/library_app")?;
//! let code: String = frappe_codegen::Config::new()
//!     .only(["Library Membership"])
//!     .generate(&doctypes)?;
//! # Ok(()) }
//! ```
//!
//! In `build.rs` (offline: reads a committed snapshot or app directory, writes into `OUT_DIR`,
//! prints `cargo:rerun-if-changed` and turns warnings into `cargo:warning=`):
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), frappe_codegen::Error> {
//!     frappe_codegen::Config::new().compile_snapshot("frappe.snapshot.json")?;
//!     Ok(())
//! }
//! // src/lib.rs: include!(concat!(env!("OUT_DIR"), "/frappe_bindings.rs"));
//! ```

mod build_script;
mod check;
mod generate;
mod sources;

use std::collections::BTreeSet;

use crate::error::{Problem, Result};
use crate::lower::{self, CurrencyType, Lowered, Options};
use crate::meta::DocType;
use crate::meta::methods::WhitelistedMethod;
use crate::output::Written;
use crate::selection;

/// What to generate, from where, and how.
#[derive(Debug, Clone, Default)]
pub struct Config {
    names: Vec<String>,
    modules: Vec<String>,
    apps: Vec<String>,
    options: Options,
    out_file: Option<String>,
    sources: sources::Sources,
    methods: Vec<WhitelistedMethod>,
}

/// The result of writing generated files.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The files written (or left unchanged because they were up to date).
    pub written: Written,
    /// Non-fatal findings.
    pub warnings: Vec<Problem>,
    /// Every struct generated (one per DocType), in output order.
    pub structs: Vec<GeneratedStruct>,
}

/// One generated struct: the DocType it mirrors and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedStruct {
    /// The DocType's name, e.g. `"Sales Invoice"`.
    pub doctype: String,
    /// The Rust module it is in (the Frappe module's), e.g. `accounts`.
    pub module: String,
    /// The struct's name, e.g. `SalesInvoice`.
    pub ident: String,
}

impl Config {
    /// Everything, with the default options (Currency as `f64`, catch-all `extra` map), and no
    /// source.
    pub fn new() -> Self {
        Self::default()
    }

    /// Generate only these DocTypes (and the child tables they need). Adds to earlier calls.
    pub fn only<I, S>(&mut self, doctypes: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.names.extend(doctypes.into_iter().map(Into::into));
        self
    }

    /// Generate every DocType of these Frappe modules (case-insensitive). Adds to earlier calls.
    pub fn modules<I, S>(&mut self, modules: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.modules.extend(modules.into_iter().map(Into::into));
        self
    }

    /// Generate every DocType of these apps' modules (`erpnext`, `hrms`, ...). Only a site knows
    /// which modules an app has, so the site source does the selecting (with [`only`] and
    /// [`modules`] added to it), and [`select`] keeps everything loaded. Adds to earlier calls.
    ///
    /// [`only`]: Self::only
    /// [`modules`]: Self::modules
    /// [`select`]: Self::select
    pub fn apps<I, S>(&mut self, apps: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.apps.extend(apps.into_iter().map(Into::into));
        self
    }

    /// The Rust type of Currency fields (default `f64`).
    pub fn currency(&mut self, currency: CurrencyType) -> &mut Self {
        self.options.currency = currency;
        self
    }

    /// Whether structs get the `#[serde(flatten)] extra` map that keeps unknown keys
    /// (default `true`).
    pub fn extra_field(&mut self, on: bool) -> &mut Self {
        self.options.extra_field = on;
        self
    }

    /// The file name `compile_*` writes into `OUT_DIR` (default `frappe_bindings.rs`).
    pub fn out_file(&mut self, name: impl Into<String>) -> &mut Self {
        self.out_file = Some(name.into());
        self
    }

    /// The selected DocTypes (by name and module, plus needed children; everything with
    /// [`apps`](Self::apps)).
    pub fn select(&self, doctypes: &[DocType]) -> Result<Vec<DocType>> {
        if self.apps.is_empty() {
            selection::select(doctypes, &self.names, &self.modules)
        } else {
            Ok(doctypes.to_vec())
        }
    }

    /// Also generate typed calls of these whitelisted functions (under `methods`), e.g. the
    /// ones [`load_methods`](crate::load_methods) found in app source trees (issue 16). Adds to
    /// earlier calls. With a DocType selection ([`only`](Self::only), [`modules`](Self::modules)),
    /// only the selected DocTypes' controller methods and the functions in their modules'
    /// folders are generated.
    pub fn methods(&mut self, methods: impl IntoIterator<Item = WhitelistedMethod>) -> &mut Self {
        self.methods.extend(methods);
        crate::meta::methods::sort_unique(&mut self.methods);
        self
    }

    /// The whitelisted functions that go with the selected DocTypes: all without a selection.
    pub(crate) fn selected_methods(&self, selected: &[DocType]) -> Vec<WhitelistedMethod> {
        self.selected_methods_of(&self.methods, selected)
    }

    /// [`selected_methods`](Self::selected_methods) among `methods`.
    pub(crate) fn selected_methods_of(
        &self,
        methods: &[WhitelistedMethod],
        selected: &[DocType],
    ) -> Vec<WhitelistedMethod> {
        if self.names.is_empty() && self.modules.is_empty() {
            return methods.to_vec();
        }
        let doctypes: BTreeSet<&str> = selected.iter().map(|d| d.name.as_str()).collect();
        let folders: BTreeSet<String> = selected
            .iter()
            .map(|d| crate::meta::methods::scrub(&d.module))
            .collect();
        methods
            .iter()
            .filter(|m| match &m.doctype {
                Some(dt) => doctypes.contains(dt.as_str()),
                None => m.module_folder().is_some_and(|f| folders.contains(f)),
            })
            .cloned()
            .collect()
    }

    /// Selects and lowers: the IR plus warnings, or every problem found.
    pub(crate) fn lower(&self, doctypes: &[DocType]) -> Result<Lowered> {
        let selected = self.select(doctypes)?;
        let methods = self.selected_methods(&selected);
        Ok(lower::lower(&selected, &methods, &self.options)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(name: &str, module: &str) -> DocType {
        serde_json::from_str(&format!(
            r#"{{"name":"{name}","module":"{module}","fields":[]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn with_apps_the_site_selects_and_everything_loaded_is_kept() {
        let all = [dt("Customer", "Selling"), dt("Item", "Stock")];
        let mut cfg = Config::new();
        cfg.only(["Customer"]);
        assert_eq!(cfg.select(&all).unwrap().len(), 1);
        cfg.apps(["erpnext"]);
        assert_eq!(cfg.select(&all).unwrap(), all);
    }
}
