//! Producing code: one inline file (as text or written), a module tree, a crate; and writing a
//! snapshot of the selected metadata.

use std::path::Path;

use super::{Config, GeneratedStruct, Report};
use crate::error::{Problem, Result};
use crate::lower::{CurrencyType, Lowered};
use crate::meta::{DocType, snapshot};
use crate::output::{self, CrateOptions, Written};

impl Config {
    /// One Rust source file with every module inline (`pub mod accounts { ... }`), for
    /// `include!` or committing.
    pub fn generate(&self, doctypes: &[DocType]) -> Result<String> {
        Ok(self.generate_with_warnings(doctypes)?.0)
    }

    /// [`generate`](Self::generate), also returning the warnings.
    pub fn generate_with_warnings(&self, doctypes: &[DocType]) -> Result<(String, Vec<Problem>)> {
        let lowered = self.lower(doctypes)?;
        Ok((output::inline(&lowered.bindings), lowered.warnings))
    }

    /// Writes [`generate`](Self::generate)'s file to `path`, only if its contents changed (so
    /// cargo does not rebuild for nothing).
    pub fn write_file(&self, doctypes: &[DocType], path: impl AsRef<Path>) -> Result<Report> {
        let lowered = self.lower(doctypes)?;
        let written = output::write_file(&lowered.bindings, path.as_ref())?;
        Ok(report(written, lowered))
    }

    /// Writes a module tree: `dir/mod.rs` and one `dir/<module>.rs` per Frappe module.
    pub fn write_module_tree(&self, doctypes: &[DocType], dir: &Path) -> Result<Report> {
        let lowered = self.lower(doctypes)?;
        let written = output::write_module_tree(&lowered.bindings, dir)?;
        Ok(report(written, lowered))
    }

    /// Writes a standalone bindings crate with one Cargo feature per Frappe module; with
    /// Currency as `Decimal` ([`currency`](Self::currency)) it depends on `rust_decimal`.
    pub fn write_crate(
        &self,
        doctypes: &[DocType],
        dir: &Path,
        options: &CrateOptions,
    ) -> Result<Report> {
        let lowered = self.lower(doctypes)?;
        let decimal = self.options.currency == CurrencyType::Decimal;
        let written = output::write_crate(&lowered.bindings, dir, options, decimal)?;
        Ok(report(written, lowered))
    }

    /// Writes the selected DocTypes, and the whitelisted functions given to
    /// [`methods`](Config::methods) that go with them, as a snapshot file ([`snapshot`]), only if it changed;
    /// returns how many DocTypes it holds.
    pub fn write_snapshot(&self, doctypes: &[DocType], path: &Path) -> Result<usize> {
        let selected = self.select(doctypes)?;
        snapshot::write(&selected, &self.selected_methods(&selected), path)
    }
}

fn report(written: Written, lowered: Lowered) -> Report {
    let structs = lowered
        .bindings
        .structs()
        .map(|(module, s)| GeneratedStruct {
            doctype: s.frappe.doctype.clone(),
            module: module.ident.clone(),
            ident: s.ident.clone(),
        })
        .collect();
    Report {
        written,
        warnings: lowered.warnings,
        structs,
    }
}
