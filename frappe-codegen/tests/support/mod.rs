//! The reference corpus in `../shared/frappe-v15`, grouped into DocType sets that each
//! generate on their own (one set per site and body shape, since the same DocType appears in
//! several shapes and versions). Shared by the corpus test and the benchmark.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use frappe_codegen::{DocType, load_dir, load_file};

/// `../shared/frappe-v15`, relative to the workspace.
pub fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/frappe-v15")
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One set of DocTypes that generates as one Rust module.
pub struct Set {
    /// Rust module name of the set.
    pub name: &'static str,
    /// The DocTypes.
    pub doctypes: Vec<DocType>,
    /// How many files were read for it.
    pub files: usize,
}

fn files_ending(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the reference data in ../shared is required)",
                dir.display()
            )
        })
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    v.sort();
    v
}

fn load_all(files: &[PathBuf]) -> Vec<DocType> {
    files.iter().flat_map(|f| load_file(f).unwrap()).collect()
}

/// Adds, from `bundles`, every child DocType a Table field needs that `set` lacks (resource and
/// v2 meta bodies hold one DocType each; the site's getdoctype bundles hold the children).
fn fill_children(set: &mut Vec<DocType>, bundles: &[DocType]) {
    loop {
        let have: BTreeSet<String> = set.iter().map(|d| d.name.clone()).collect();
        let missing: BTreeSet<String> = set
            .iter()
            .flat_map(|d| &d.fields)
            .filter(|f| f.fieldtype == "Table" || f.fieldtype == "Table MultiSelect")
            .map(|f| f.options.clone())
            .filter(|o| !have.contains(o))
            .collect();
        let add: Vec<DocType> = bundles
            .iter()
            .filter(|d| missing.contains(&d.name))
            .cloned()
            .collect();
        if add.is_empty() {
            return;
        }
        set.extend(add);
    }
}

/// Every set of the corpus, plus our own fixtures and example app.
pub fn sets() -> Vec<Set> {
    let shared = shared();
    let mut out = Vec::new();
    let app = load_dir(shared.join("doctypes")).unwrap();
    out.push(Set {
        name: "frappe_app",
        files: app.len(),
        doctypes: app,
    });
    for (site, dir) in [
        ("core", shared.join("meta")),
        ("erpnext", shared.join("erpnext/meta")),
    ] {
        let bundle_files = files_ending(&dir, ".getdoctype.json");
        let bundles = load_all(&bundle_files);
        for (shape, suffix) in [
            ("getdoctype", ".getdoctype.json"),
            ("resource", ".resource.json"),
            ("v2meta", ".v2meta.json"),
        ] {
            let files = files_ending(&dir, suffix);
            let mut doctypes = load_all(&files);
            fill_children(&mut doctypes, &bundles);
            let name: &'static str = Box::leak(format!("{site}_{shape}").into_boxed_str());
            out.push(Set {
                name,
                files: files.len(),
                doctypes,
            });
        }
    }
    let ws = workspace();
    let mut ours =
        load_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kitchen_app")).unwrap();
    ours.extend(load_dir(ws.join("examples/library_app")).unwrap());
    let n = ours.len();
    out.push(Set {
        name: "fixtures",
        files: n,
        doctypes: ours,
    });
    out
}
