//! Several apps loaded together, combined the way `bench migrate` combines them.
//!
//! Frappe syncs the installed apps one after the other, `frappe` first (`frappe/migrate.py` ->
//! `frappe/model/sync.py` `sync_all`), and imports an app's DocType file whenever the file's hash
//! differs from the `migration_hash` stored for that DocType (`frappe/modules/import_file.py`
//! `import_file_by_path`; for DocTypes the `modified` timestamps decide nothing). When two apps
//! ship the same DocType (Frappe 15 and ERPNext 15 both ship `Print Heading`), every migrate
//! imports Frappe's file and then the later app's, so the site ends with the later app's
//! definition. Loading several trees does the same: the trees are apps in sync order, a DocType defined by a
//! later tree replaces every earlier tree's definition of it, and each replacement is a warning
//! naming both files. Within one tree, two different definitions stay a problem (reported when
//! lowering), since no order decides between them.
//!
//! A bench's `apps/` folder ([`bench_apps`]) is recognised by its app folders
//! (`<app>/<app>/hooks.py` or `<app>/<app>/modules.txt`, the Python package inside each app's
//! repository). Its apps are synced in the order `../sites/apps.txt` lists them, `frappe` moved
//! first (Frappe's `get_all_apps`), or, without that file, `frappe` first and the others by
//! name. A site's own order (its `installed_apps`) normally matches the bench's; when it does
//! not, give the apps as separate directories in the site's order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::DocType;
use super::fixtures::Fixtures;
use crate::error::{Error, Problem, Result};

/// One app (or folder of saved bodies, or one file), read but not yet combined with the others.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tree {
    /// Its DocType definitions.
    pub doctypes: Vec<DocType>,
    /// Its fixtures, applied once every tree is combined.
    pub fixtures: Fixtures,
}

/// Trees combined in sync order, fixtures not yet applied.
#[derive(Debug, Default)]
pub(crate) struct Merged {
    /// Every DocType, later apps' definitions replacing earlier ones'.
    pub doctypes: Vec<DocType>,
    /// Every tree's fixtures, in tree order.
    pub fixtures: Fixtures,
    /// One warning per definition replaced, naming both files.
    pub replaced: Vec<Problem>,
}

/// Combines `trees` given in sync order (see the module docs).
pub(crate) fn merge(trees: Vec<Tree>) -> Merged {
    let mut merged = Merged::default();
    for tree in trees {
        let names: BTreeSet<&str> = tree.doctypes.iter().map(|d| d.name.as_str()).collect();
        let (earlier, kept): (Vec<DocType>, Vec<DocType>) = std::mem::take(&mut merged.doctypes)
            .into_iter()
            .partition(|d| names.contains(d.name.as_str()));
        merged.doctypes = kept;
        for old in earlier {
            let new = tree
                .doctypes
                .iter()
                .filter(|d| d.name == old.name)
                .find(|d| !d.same_definition(&old));
            if let Some(new) = new {
                merged.replaced.push(Problem::doctype(
                    &old.name,
                    format!(
                        "{} replaces {}: a later app's DocType file overrides an earlier app's, \
                         as `bench migrate` syncs apps in order (frappe first)",
                        new.source, old.source
                    ),
                ));
            }
        }
        merged.doctypes.extend(tree.doctypes);
        merged.fixtures.extend(tree.fixtures);
    }
    merged
}

/// The app folders of a bench's `apps/` directory, in sync order, or `None` when `dir` holds no
/// app folder (it is an app tree or a folder of saved bodies then).
///
/// With `../sites/apps.txt`, an app it lists without a folder, or an app folder it does not
/// list, is an error: the bench's order cannot be followed then.
pub fn bench_apps(dir: &Path) -> Result<Option<Vec<PathBuf>>> {
    let mut found = BTreeSet::new();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && is_app(&entry.path()) {
            found.insert(name);
        }
    }
    if found.is_empty() {
        return Ok(None);
    }
    let apps_txt = dir.join("..").join("sites").join("apps.txt");
    let order = if apps_txt.is_file() {
        let text = std::fs::read_to_string(&apps_txt).map_err(|e| Error::io(&apps_txt, e))?;
        // As Frappe's `get_file_items`: trimmed lines, blank lines and `#` comments skipped.
        let mut listed: Vec<String> = Vec::new();
        for line in text.lines().map(str::trim) {
            if !line.is_empty() && !line.starts_with('#') && !listed.iter().any(|l| l == line) {
                listed.push(line.to_owned());
            }
        }
        for name in &listed {
            if !found.contains(name) {
                return Err(Error::Bench {
                    path: apps_txt,
                    message: format!(
                        "lists {name:?}, but {} is not a Frappe app folder (no {name}/hooks.py \
                         or {name}/modules.txt inside it)",
                        dir.join(name).display()
                    ),
                });
            }
        }
        if let Some(name) = found.iter().find(|n| !listed.contains(n)) {
            return Err(Error::Bench {
                path: dir.join(name),
                message: format!(
                    "is an app that {} does not list, so the bench would not sync it: list it \
                     there, or give the apps as separate directories in the order the site \
                     installed them",
                    apps_txt.display()
                ),
            });
        }
        listed
    } else {
        found.into_iter().collect()
    };
    Ok(Some(frappe_first(order).map(|n| dir.join(n)).collect()))
}

/// `frappe` first, the others in the order given (Frappe's `get_all_apps`).
fn frappe_first(mut apps: Vec<String>) -> impl Iterator<Item = String> {
    let frappe: Vec<String> = apps
        .iter()
        .position(|a| a == "frappe")
        .map(|i| apps.remove(i))
        .into_iter()
        .collect();
    frappe.into_iter().chain(apps)
}

/// An app's repository folder: its Python package of the same name has `hooks.py` or
/// `modules.txt`.
fn is_app(dir: &Path) -> bool {
    let Some(name) = dir.file_name() else {
        return false;
    };
    let package = dir.join(name);
    package.join("hooks.py").is_file() || package.join("modules.txt").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doctype(name: &str, source: &str, label: &str) -> DocType {
        DocType {
            name: name.into(),
            module: String::new(),
            istable: false,
            issingle: false,
            is_submittable: false,
            is_tree: false,
            is_virtual: false,
            rules_unknown: false,
            custom: false,
            autoname: String::new(),
            nsm_parent_field: String::new(),
            description: label.into(),
            workflow: None,
            fields: Vec::new(),
            source: source.into(),
        }
    }

    fn tree(doctypes: Vec<DocType>) -> Tree {
        Tree {
            doctypes,
            fixtures: Fixtures::default(),
        }
    }

    #[test]
    fn a_later_app_replaces_an_earlier_apps_doctype_with_a_warning() {
        let merged = merge(vec![
            tree(vec![
                doctype("Print Heading", "frappe/ph.json", "old"),
                doctype("ToDo", "frappe/todo.json", ""),
            ]),
            tree(vec![doctype("Print Heading", "erpnext/ph.json", "new")]),
        ]);
        let mut names: Vec<(&str, &str)> = merged
            .doctypes
            .iter()
            .map(|d| (d.name.as_str(), d.source.as_str()))
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ("Print Heading", "erpnext/ph.json"),
                ("ToDo", "frappe/todo.json")
            ]
        );
        let warnings: Vec<String> = merged.replaced.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "Print Heading: erpnext/ph.json replaces frappe/ph.json: a later app's DocType \
              file overrides an earlier app's, as `bench migrate` syncs apps in order (frappe \
              first)"
            ]
        );
    }

    #[test]
    fn identical_definitions_in_two_apps_are_kept_once_without_a_warning() {
        let merged = merge(vec![
            tree(vec![doctype("Note", "a/note.json", "same")]),
            tree(vec![doctype("Note", "b/note.json", "same")]),
        ]);
        assert_eq!(merged.doctypes.len(), 1);
        assert!(merged.replaced.is_empty());
    }

    #[test]
    fn two_definitions_in_one_tree_are_left_for_lowering_to_report() {
        let merged = merge(vec![tree(vec![
            doctype("Note", "a/note.json", "one"),
            doctype("Note", "a/note.resource.json", "two"),
        ])]);
        assert_eq!(merged.doctypes.len(), 2);
        assert!(merged.replaced.is_empty());
    }

    #[test]
    fn frappe_goes_first() {
        let order: Vec<String> =
            frappe_first(vec!["erpnext".into(), "frappe".into(), "hrms".into()]).collect();
        assert_eq!(order, ["frappe", "erpnext", "hrms"]);
    }
}
