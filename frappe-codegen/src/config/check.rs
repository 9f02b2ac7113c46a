//! `check`: a committed snapshot against the metadata the sources hold now.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use super::Config;
use super::sources::SiteAsk;
use crate::drift::{self, Drift};
use crate::error::{Error, Problem, Result};
use crate::meta::load::load_file_with_methods;
use crate::meta::snapshot;

impl Config {
    /// Compares the snapshot file `snapshot` with the metadata the sources hold now, within the
    /// selection: the [`Drift`] `frappe-codegen check` reports, and the warnings of loading.
    ///
    /// Without a selection, a site is asked for the snapshot's DocTypes only (not the whole
    /// site), and directories are compared within the snapshot's modules. A DocType the site no
    /// longer has is drift ("DocType removed"), not an error.
    pub fn check(
        &self,
        snapshot: impl AsRef<Path>,
        log: &mut dyn Write,
    ) -> Result<(Drift, Vec<Problem>)> {
        let (snapshot, methods) = load_file_with_methods(snapshot.as_ref())?;
        let unselected = self.names.is_empty() && self.modules.is_empty();
        let ask = SiteAsk {
            doctypes: unselected.then(|| {
                // Child tables come bundled with their parents.
                let parents: Vec<String> = snapshot
                    .iter()
                    .filter(|d| !d.istable)
                    .map(|d| d.name.clone())
                    .collect();
                if parents.is_empty() {
                    snapshot.iter().map(|d| d.name.clone()).collect()
                } else {
                    parents
                }
            }),
            allow_missing: true,
        };
        let current = self.load_asking(ask, log)?;
        if current.doctypes.is_empty() {
            return Err(Error::NoMetadata(
                "check found no current metadata to compare the snapshot with: the sources hold \
                 no DocType"
                    .into(),
            ));
        }
        let old = snapshot::normalize(&self.select(&snapshot)?)?;
        let mut new = self.select(&current.doctypes)?;
        if unselected {
            let modules: BTreeSet<&str> = snapshot.iter().map(|d| d.module.as_str()).collect();
            new.retain(|d| modules.contains(d.module.as_str()));
        }
        let new = snapshot::normalize(&new)?;
        let mut drift = drift::compare(&old, &new);
        let mut warnings = current.warnings;
        if !methods.is_empty() || !current.methods.is_empty() {
            #[cfg(feature = "methods")]
            let reading = self.sources.reads_methods();
            #[cfg(not(feature = "methods"))]
            let reading = false;
            if reading {
                let old = self.selected_methods_of(&methods, &old);
                let new = self.selected_methods_of(&current.methods, &new);
                drift.0.extend(drift::compare_methods(&old, &new));
                drift.0.sort();
            } else {
                // A site has no Python source to read them from.
                warnings.push(Problem::doctype(
                    "(whitelisted functions)",
                    format!(
                        "the snapshot holds {} whitelisted function(s), not compared: read them \
                         from the app source trees too (--from-dir with --methods, \
                         Config::read_methods)",
                        methods.len()
                    ),
                ));
            }
        }
        Ok((drift, warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_without_current_metadata_is_an_error_not_all_removed() {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("snap.json");
        std::fs::write(
            &snap,
            r#"{"frappe_codegen_snapshot": 2, "doctypes": [{"name": "Note", "fields": []}]}"#,
        )
        .unwrap();
        let err = Config::new().check(&snap, &mut Vec::new()).unwrap_err();
        assert!(matches!(err, Error::NoMetadata(_)), "{err}");
    }

    #[test]
    fn a_directory_matching_its_own_snapshot_has_no_drift() {
        let app = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/library_app");
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("snap.json");
        let mut cfg = Config::new();
        cfg.from_dir(app);
        let loaded = cfg.load(&mut Vec::new()).unwrap();
        cfg.write_snapshot(&loaded.doctypes, &snap).unwrap();
        let (drift, warnings) = cfg.check(&snap, &mut Vec::new()).unwrap();
        assert!(drift.is_empty(), "{drift}");
        assert!(warnings.is_empty());
        // Within a selection, only the selected DocTypes are compared.
        let (drift, _) = cfg.only(["Article"]).check(&snap, &mut Vec::new()).unwrap();
        assert!(drift.is_empty(), "{drift}");
    }
}
