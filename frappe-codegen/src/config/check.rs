//! `check`: a committed snapshot against the metadata the sources hold now.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use super::Config;
use super::sources::SiteAsk;
use crate::drift::{self, Drift};
use crate::error::{Error, Problem, Result};
use crate::meta::load::load_file;
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
        let snapshot = load_file(snapshot)?;
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
        Ok((drift::compare(&old, &new), current.warnings))
    }
}
