//! For `build.rs`: generate from the sources into `$OUT_DIR`, telling cargo what to watch
//! (`cargo:rerun-if-changed`) and what went wrong short of failing (`cargo:warning=`).

use std::path::{Path, PathBuf};

use super::Config;
use crate::error::{Error, Problem, Result};
use crate::meta::DocType;

impl Config {
    /// Loads every source ([`load`](Self::load)) and writes the bindings file
    /// ([`out_file`](Self::out_file)) into `$OUT_DIR`; returns its path. Prints
    /// `cargo:rerun-if-changed` for each directory and file source, and each warning as a
    /// `cargo:warning=` line.
    pub fn compile(&self) -> Result<PathBuf> {
        for path in self.sources.watched() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        let loaded = self.load(&mut std::io::stderr())?;
        cargo_warnings(&loaded.warnings);
        // A snapshot's whitelisted functions (and, with `read_methods`, the trees') are
        // generated too.
        let mut config = self.clone();
        config.methods(loaded.methods);
        config.compile_doctypes(&loaded.doctypes)
    }

    /// [`compile`](Self::compile) with a snapshot file added to the sources.
    pub fn compile_snapshot(&self, snapshot: impl AsRef<Path>) -> Result<PathBuf> {
        self.clone()
            .from_snapshot(snapshot.as_ref().to_owned())
            .compile()
    }

    /// [`compile`](Self::compile) with app source directories added to the sources, their
    /// fixtures (Custom Fields, Property Setters) applied across all of them as
    /// [`load_dirs`](crate::load_dirs) does.
    pub fn compile_dirs<I, P>(&self, dirs: I) -> Result<PathBuf>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        let mut config = self.clone();
        for dir in dirs {
            config.from_dir(dir.as_ref().to_owned());
        }
        config.compile()
    }

    fn compile_doctypes(&self, doctypes: &[DocType]) -> Result<PathBuf> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::Selection("OUT_DIR is not set: compile_* is meant for build scripts".into())
        })?;
        let (path, warnings) = self.compile_into(doctypes, Path::new(&out_dir))?;
        cargo_warnings(&warnings);
        Ok(path)
    }

    /// Writes the bindings file into `out_dir`; returns its path and the warnings.
    fn compile_into(
        &self,
        doctypes: &[DocType],
        out_dir: &Path,
    ) -> Result<(PathBuf, Vec<Problem>)> {
        let file = self.out_file.as_deref().unwrap_or("frappe_bindings.rs");
        let path = out_dir.join(file);
        let report = self.write_file(doctypes, &path)?;
        Ok((path, report.warnings))
    }
}

fn cargo_warnings(warnings: &[Problem]) {
    for w in warnings {
        println!("cargo:warning=frappe-codegen: {w}");
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
            let err = Config::new().compile_doctypes(&[]).unwrap_err();
            assert!(err.to_string().contains("OUT_DIR is not set"), "{err}");
        }
    }
}
