//! [`Config`]: the one builder behind every front end (library, `build.rs`, CLI).
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

use std::path::{Path, PathBuf};

use crate::error::{Error, Problem, Result};
use crate::lower::{self, CurrencyType, Lowered, Options};
use crate::meta::DocType;
use crate::output::{self, CrateOptions, Written};
use crate::{emit, selection};

/// What to generate and how.
#[derive(Debug, Clone, Default)]
pub struct Config {
    names: Vec<String>,
    modules: Vec<String>,
    options: Options,
    out_file: Option<String>,
}

/// The result of writing generated files.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The files written (or left unchanged because they were up to date).
    pub written: Written,
    /// Non-fatal findings.
    pub warnings: Vec<Problem>,
    /// How many DocTypes were generated.
    pub doctypes: usize,
}

impl Config {
    /// Everything, with the default options (Currency as `f64`, catch-all `extra` map).
    pub fn new() -> Self {
        Self::default()
    }

    /// Generate only these DocTypes (and the child tables they need). Adds to earlier calls.
    /// A name the metadata does not have is an error, which names the closest known DocType
    /// when one is close (`"Custmer"`: did you mean `"Customer"`?).
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

    /// The selected DocTypes (by name and module, plus needed children).
    pub fn select(&self, doctypes: &[DocType]) -> Result<Vec<DocType>> {
        selection::select(doctypes, &self.names, &self.modules)
    }

    /// Selects and lowers: the IR plus warnings, or every problem found.
    pub fn lower(&self, doctypes: &[DocType]) -> Result<Lowered> {
        let selected = self.select(doctypes)?;
        Ok(lower::lower(&selected, &self.options)?)
    }

    /// One Rust source file with every module inline (`pub mod accounts { ... }`), for
    /// `include!` or committing.
    pub fn generate(&self, doctypes: &[DocType]) -> Result<String> {
        Ok(self.generate_with_warnings(doctypes)?.0)
    }

    /// [`generate`](Self::generate), also returning the warnings.
    pub fn generate_with_warnings(&self, doctypes: &[DocType]) -> Result<(String, Vec<Problem>)> {
        let lowered = self.lower(doctypes)?;
        let code = output::format_tokens(emit::emit_inline(&lowered.bindings));
        Ok((code, lowered.warnings))
    }

    /// Writes a module tree: `dir/mod.rs` and one `dir/<module>.rs` per Frappe module.
    pub fn write_module_tree(&self, doctypes: &[DocType], dir: &Path) -> Result<Report> {
        let lowered = self.lower(doctypes)?;
        let written = output::write_module_tree(&lowered.bindings, dir)?;
        Ok(report(written, lowered))
    }

    /// Writes a standalone bindings crate with one Cargo feature per Frappe module.
    pub fn write_crate(
        &self,
        doctypes: &[DocType],
        dir: &Path,
        options: &CrateOptions,
    ) -> Result<Report> {
        let lowered = self.lower(doctypes)?;
        let options = CrateOptions {
            decimal: options.decimal || self.options.currency == CurrencyType::Decimal,
            ..options.clone()
        };
        let written = output::write_crate(&lowered.bindings, dir, &options)?;
        Ok(report(written, lowered))
    }

    /// For `build.rs`: generates from a snapshot file into `$OUT_DIR`; returns the file written.
    pub fn compile_snapshot(&self, snapshot: impl AsRef<Path>) -> Result<PathBuf> {
        let path = snapshot.as_ref();
        println!("cargo:rerun-if-changed={}", path.display());
        let doctypes = crate::load_file(path)?;
        self.compile(&doctypes)
    }

    /// For `build.rs`: generates from app source directories into `$OUT_DIR`, with their
    /// fixtures (Custom Fields, Property Setters) applied across all of them
    /// ([`crate::load_dirs`]); fixtures left out become `cargo:warning=` lines.
    pub fn compile_dirs<I, P>(&self, dirs: I) -> Result<PathBuf>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        let dirs: Vec<P> = dirs.into_iter().collect();
        for dir in &dirs {
            println!("cargo:rerun-if-changed={}", dir.as_ref().display());
        }
        let loaded = crate::load_dirs(dirs)?;
        for w in &loaded.warnings {
            println!("cargo:warning=frappe-codegen: {w}");
        }
        self.compile(&loaded.doctypes)
    }

    fn compile(&self, doctypes: &[DocType]) -> Result<PathBuf> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::Selection("OUT_DIR is not set: compile_* is meant for build scripts".into())
        })?;
        let (path, warnings) = self.compile_into(doctypes, Path::new(&out_dir))?;
        for w in &warnings {
            println!("cargo:warning=frappe-codegen: {w}");
        }
        Ok(path)
    }

    /// Writes the bindings file into `out_dir`; returns its path and the warnings.
    fn compile_into(
        &self,
        doctypes: &[DocType],
        out_dir: &Path,
    ) -> Result<(PathBuf, Vec<Problem>)> {
        let (code, warnings) = self.generate_with_warnings(doctypes)?;
        let file = self.out_file.as_deref().unwrap_or("frappe_bindings.rs");
        let path = out_dir.join(file);
        output::write_if_changed(&path, &code)?;
        Ok((path, warnings))
    }
}

fn report(written: Written, lowered: Lowered) -> Report {
    let doctypes = lowered
        .bindings
        .modules
        .iter()
        .flat_map(|m| &m.items)
        .filter(|i| matches!(i, crate::ir::Item::Struct(_)))
        .count();
    Report {
        written,
        warnings: lowered.warnings,
        doctypes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_scripts_get_one_file_in_out_dir() {
        let app = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/library_app");
        let doctypes = crate::load_dir(app).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (path, warnings) = Config::new()
            .out_file("library.rs")
            .compile_into(&doctypes, dir.path())
            .unwrap();
        assert_eq!(path, dir.path().join("library.rs"));
        assert!(warnings.is_empty());
        let code = std::fs::read_to_string(&path).unwrap();
        assert!(code.starts_with(crate::output::HEADER));
        assert!(code.contains("pub mod library_management {"));
    }

    #[test]
    fn without_out_dir_compile_explains_itself() {
        if std::env::var_os("OUT_DIR").is_none() {
            let err = Config::new().compile(&[]).unwrap_err();
            assert!(err.to_string().contains("OUT_DIR is not set"), "{err}");
        }
    }
}
