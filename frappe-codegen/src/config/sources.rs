//! Where a [`Config`]'s metadata comes from: app source trees (and benches, folders of saved
//! bodies, single files), snapshot files and (feature `site`) a live site, loaded together by
//! [`Config::load`].

use std::io::Write;
use std::path::PathBuf;

use super::Config;
use crate::error::Result;
use crate::meta::load::{Loaded, load_dirs_strict, load_file_with_methods};

/// The sources, in the order they are loaded: directories (combined as apps in sync order, see
/// [`load_dirs`](crate::load_dirs)), then snapshot files, then the site.
#[derive(Debug, Clone, Default)]
pub(super) struct Sources {
    dirs: Vec<PathBuf>,
    snapshots: Vec<PathBuf>,
    /// Read whitelisted functions from `dirs` too.
    #[cfg(feature = "methods")]
    read_methods: bool,
    #[cfg(feature = "site")]
    site: Option<Site>,
}

#[cfg(feature = "site")]
#[derive(Debug, Clone)]
struct Site {
    url: String,
    auth: frappe_runtime::Auth,
}

impl Sources {
    /// Whether whitelisted functions are read from the directories.
    #[cfg(feature = "methods")]
    pub(super) fn reads_methods(&self) -> bool {
        self.read_methods
    }

    /// The files and directories a build script depends on.
    pub(super) fn watched(&self) -> impl Iterator<Item = &PathBuf> {
        self.dirs.iter().chain(&self.snapshots)
    }
}

/// What a site is asked for beyond the selection: `check` asks for the snapshot's DocTypes, and
/// takes a DocType the site no longer has for a removed one rather than an error.
#[derive(Debug, Default)]
#[cfg_attr(not(feature = "site"), allow(dead_code))]
pub(super) struct SiteAsk {
    /// DocTypes to fetch instead of the selected names.
    pub(super) doctypes: Option<Vec<String>>,
    /// Leave out DocTypes the site does not have.
    pub(super) allow_missing: bool,
}

impl Config {
    /// Adds a source directory: an app source tree (its `fixtures/custom_field.json` and
    /// `property_setter.json` applied), a bench's `apps/` folder, a folder of saved API bodies,
    /// or one file of any shape [`load_file`](crate::load_file) reads. Give apps in the order
    /// the site installed them (`frappe` first): a DocType a later app also ships replaces the
    /// earlier app's, as `bench migrate` does, with a warning. A directory holding neither
    /// DocTypes nor fixtures is an error when loading (a mistyped path would generate nothing).
    pub fn from_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.sources.dirs.push(dir.into());
        self
    }

    /// Also read the whitelisted Python functions (`@frappe.whitelist()`) of the `from_dir` app
    /// source trees into [`Loaded::methods`] (issue 16). Snapshots' methods are always read.
    #[cfg(feature = "methods")]
    pub fn read_methods(&mut self, on: bool) -> &mut Self {
        self.sources.read_methods = on;
        self
    }

    /// Adds a snapshot file written by `frappe-codegen snapshot` ([`Config::write_snapshot`]).
    pub fn from_snapshot(&mut self, file: impl Into<PathBuf>) -> &mut Self {
        self.sources.snapshots.push(file.into());
        self
    }

    /// Fetches from the live site at `url` (replacing an earlier site): the selected DocTypes
    /// (every DocType without a selection), the child tables they need, and the DocTypes of the
    /// selected [`apps`](Self::apps). Custom Fields and Property Setters come applied.
    #[cfg(feature = "site")]
    pub fn from_site(&mut self, url: impl Into<String>, auth: frappe_runtime::Auth) -> &mut Self {
        self.sources.site = Some(Site {
            url: url.into(),
            auth,
        });
        self
    }

    /// Loads every source: the DocTypes, and the warnings (fixtures left out, DocTypes a later
    /// app replaced). A site writes a summary line (`fetched 12 DocType(s) from ...`) to `log`,
    /// and a progress bar to stderr when it is a terminal.
    pub fn load(&self, log: &mut dyn Write) -> Result<Loaded> {
        self.load_asking(SiteAsk::default(), log)
    }

    pub(super) fn load_asking(&self, ask: SiteAsk, log: &mut dyn Write) -> Result<Loaded> {
        let mut loaded = load_dirs_strict(&self.sources.dirs)?;
        for file in &self.sources.snapshots {
            let (doctypes, methods) = load_file_with_methods(file)?;
            loaded.doctypes.extend(doctypes);
            loaded.methods.extend(methods);
        }
        #[cfg(feature = "methods")]
        if self.sources.read_methods {
            for dir in &self.sources.dirs {
                let (methods, warnings) = crate::meta::python::load_methods(dir);
                loaded.methods.extend(methods);
                loaded.warnings.extend(warnings);
            }
        }
        crate::meta::methods::sort_unique(&mut loaded.methods);
        #[cfg(feature = "site")]
        if let Some(site) = &self.sources.site {
            let request = crate::site::Request {
                doctypes: ask.doctypes.unwrap_or_else(|| self.names.clone()),
                modules: self.modules.clone(),
                apps: self.apps.clone(),
                allow_missing: ask.allow_missing,
            };
            let fetched = crate::site::fetch_blocking(&site.url, site.auth.clone(), &request, log)?;
            loaded.doctypes.extend(fetched);
        }
        #[cfg(not(feature = "site"))]
        let _ = (ask, log);
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library_app() -> PathBuf {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/library_app"
        ))
    }

    #[test]
    fn a_directory_without_doctypes_or_fixtures_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let err = Config::new()
            .from_dir(dir.path())
            .load(&mut Vec::new())
            .unwrap_err()
            .to_string();
        let want = format!("{}: no DocType definitions found", dir.path().display());
        assert!(err.starts_with(&want), "{err}");
    }

    #[test]
    fn directories_and_snapshots_load_together() {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("other.snapshot.json");
        std::fs::write(
            &snap,
            r#"{"frappe_codegen_snapshot": 2, "doctypes": [{"name": "Other", "fields": []}]}"#,
        )
        .unwrap();
        let loaded = Config::new()
            .from_dir(library_app())
            .from_snapshot(&snap)
            .load(&mut Vec::new())
            .unwrap();
        let names: Vec<&str> = loaded.doctypes.iter().map(|d| d.name.as_str()).collect();
        assert!(
            names.contains(&"Article") && names.last() == Some(&"Other"),
            "{names:?}"
        );
        assert!(loaded.warnings.is_empty());
    }

    #[cfg(feature = "site")]
    #[test]
    fn a_config_with_a_site_never_shows_its_credentials() {
        let mut cfg = Config::new();
        cfg.from_site(
            "https://erp.example.com",
            frappe_runtime::Auth::token("the-key", "s3cret-value"),
        );
        let debug = format!("{cfg:?}");
        assert!(debug.contains("erp.example.com"), "{debug}");
        assert!(!debug.contains("s3cret-value"), "{debug}");
        cfg.from_site(
            "https://erp.example.com",
            frappe_runtime::Auth::password("admin", "pa55word"),
        );
        assert!(!format!("{cfg:?}").contains("pa55word"));
    }
}
