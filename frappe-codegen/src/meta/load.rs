//! Loading DocType metadata from every shape Frappe produces.
//!
//! Entry points: [`load_dir`] and [`load_dirs`] (app source trees, their fixtures applied, see
//! [`super::fixtures`]), [`load_file`] and [`load_json`] (one file or body of any shape). The
//! shape is recognised from the JSON itself:
//!
//! | shape | looks like | DocTypes |
//! |---|---|---|
//! | app source file `<app>/<module>/doctype/<name>/<name>.json` | `{"doctype": "DocType", ...}` | 1 |
//! | `GET /api/resource/DocType/X`, `GET /api/v2/doctype/X/meta` | `{"data": {...}}` | 1 |
//! | `frappe.desk.form.load.getdoctype` | `{"docs": [meta, child metas...]}` | 1 + children |
//! | a snapshot written by `frappe-codegen snapshot` | `{"frappe_codegen_snapshot": 2, "doctypes": [...]}` | all |
//!
//! Policy: a malformed file is an error naming the file and the JSON path. While walking a
//! directory, `fixtures/custom_field.json` and `fixtures/property_setter.json` are read as
//! fixtures, and other JSON files that are not DocType definitions (`test_records.json`, other
//! fixtures, `_index.json`) are skipped, except that a file at a DocType's own path
//! (`doctype/<name>/<name>.json`) must parse, and so must any file that mentions `"DocType"`
//! (a truncated saved API body is an error, not silently less metadata).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::DocType;
use super::apps::{self, Tree};
use super::fixtures::{FixtureKind, Fixtures};
use super::json::{parse, syntax_error, typed};
use super::snapshot::{self, SNAPSHOT_KEY};
use crate::error::{Error, Problem, Problems, Result};

/// What kind of JSON a body turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An app source file or a bare DocType document.
    DocTypeFile,
    /// `{"data": DocType}` (`/api/resource/DocType/X` or `/api/v2/doctype/X/meta`).
    Data,
    /// `{"docs": [DocType...]}` (`frappe.desk.form.load.getdoctype`).
    Docs,
    /// A frappe-codegen snapshot.
    Snapshot,
}

/// Recognises the shape of a parsed body; `None` if it holds no DocType metadata.
pub fn shape_of(value: &Value) -> Option<Shape> {
    let obj = value.as_object()?;
    let is_doctype = |v: &Value| v.get("doctype").and_then(Value::as_str) == Some("DocType");
    if obj.contains_key(SNAPSHOT_KEY) {
        Some(Shape::Snapshot)
    } else if is_doctype(value) {
        Some(Shape::DocTypeFile)
    } else if let Some(data) = obj.get("data") {
        // v2 meta bodies carry `doctype` too; resource bodies always do. Require a name and
        // fields so that `{"data": [...]}` list bodies are not mistaken for metadata.
        (data.get("name").is_some() && data.get("fields").is_some()).then_some(Shape::Data)
    } else if let Some(docs) = obj.get("docs").and_then(Value::as_array) {
        docs.first().filter(|d| is_doctype(d)).map(|_| Shape::Docs)
    } else {
        None
    }
}

/// Parses one body of any supported shape. `source` names it in errors (usually a file path).
///
/// Fails if the body is not JSON, holds no DocType metadata, or its metadata is malformed.
pub fn load_json(text: &str, source: &str) -> Result<Vec<DocType>> {
    load_body(&parse(text, source)?, source)
}

/// Loads an already parsed body of any supported shape (e.g. a `getdoctype` response).
pub fn load_body(value: &Value, source: &str) -> Result<Vec<DocType>> {
    let shape = shape_of(value).ok_or_else(|| Error::Json {
        file: source.to_owned(),
        json_path: ".".to_owned(),
        message: "not DocType metadata: expected an app DocType file, an API body with \
                  `data` or `docs`, or a frappe-codegen snapshot"
            .to_owned(),
    })?;
    load_value(value, shape, source)
}

/// Reads one file of any supported shape.
pub fn load_file(path: impl AsRef<Path>) -> Result<Vec<DocType>> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    load_json(&text, &path.display().to_string())
}

/// Reads one file of any supported shape, as [`load_file`], with the whitelisted functions it
/// holds (none unless it is a version-3 snapshot): the file is read and parsed once.
pub fn load_file_with_methods(
    path: &Path,
) -> Result<(Vec<DocType>, Vec<super::methods::WhitelistedMethod>)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let source = path.display().to_string();
    let value = parse(&text, &source)?;
    let methods = snapshot::read_methods(&value, &source)?;
    Ok((load_body(&value, &source)?, methods))
}

/// Walks one directory (an app source tree, a bench's `apps/` folder, or a folder of saved API
/// bodies) and loads every DocType definition found, in a deterministic order (sorted paths),
/// with the tree's fixtures (`fixtures/custom_field.json`, `fixtures/property_setter.json`)
/// applied as `bench migrate` would. Symbolic links to directories are followed (each real
/// directory once).
///
/// A fixture for a DocType (or field) the tree does not define is an error here, since one tree
/// has no way to report it otherwise: when an app customizes another app's DocTypes, load both
/// with [`load_dirs`], which applies fixtures across trees and returns such leftovers as
/// warnings. For the same reason a bench's apps that define the same DocType differently are an
/// error here, and a warning from [`load_dirs`] (which keeps the later app's, see
/// [`super::apps`]).
pub fn load_dir(dir: impl AsRef<Path>) -> Result<Vec<DocType>> {
    let merged = apps::merge(read_source(dir.as_ref())?);
    let mut doctypes = merged.doctypes;
    let left_out = merged.fixtures.apply(&mut doctypes)?;
    if left_out.is_empty() && merged.replaced.is_empty() {
        return Ok(doctypes);
    }
    let replaced = merged.replaced.into_iter().map(|mut p| {
        p.message
            .push_str(" (load_dirs keeps the later app's definition and reports it as a warning)");
        p
    });
    let left_out = left_out.into_iter().map(|mut p| {
        p.message.push_str(
            " (load the app that defines it alongside, with load_dirs or another --from-dir)",
        );
        p
    });
    Err(Error::Problems(Problems(
        replaced.chain(left_out).collect(),
    )))
}

/// DocTypes loaded from app trees with their fixtures applied, and the fixtures left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    /// Every DocType found, Custom Fields and Property Setters applied.
    pub doctypes: Vec<DocType>,
    /// DocTypes a later app replaced (naming both files), and fixtures that were left out:
    /// their DocType is not loaded, or (Property Setters) their field is not in it.
    pub warnings: Vec<Problem>,
    /// Whitelisted Python functions: from snapshots that hold them, and from the app source
    /// trees when [`Config::read_methods`](crate::Config) is on.
    pub methods: Vec<super::methods::WhitelistedMethod>,
}

/// Walks several directories like [`load_dir`] (a file of any shape [`load_file`] reads is
/// accepted too), then combines them as `bench migrate` combines apps ([`super::apps`]): the
/// directories are apps in sync order (`frappe` first; a bench's `apps/` folder expands to its
/// apps in `sites/apps.txt` order), and a DocType defined by a later one replaces an earlier
/// one's, with a warning naming both files. Then the fixtures of all of them are applied to the
/// DocTypes of all of them (an app's Custom Fields usually target another app's DocTypes).
/// Fixtures whose DocType is not loaded are warnings; a Custom Field whose fieldname the DocType
/// already has is an error.
pub fn load_dirs<I, P>(dirs: I) -> Result<Loaded>
where
    I: IntoIterator<Item = P>,
    P: AsRef<Path>,
{
    let mut trees = Vec::new();
    for dir in dirs {
        trees.extend(read_source(dir.as_ref())?);
    }
    combine(trees)
}

/// [`load_dirs`], except that a directory holding neither DocTypes nor fixtures is an error
/// naming it: a mistyped path would otherwise generate nothing. A `Config`'s directories (the
/// CLI's `--from-dir`) load this way.
pub(crate) fn load_dirs_strict(dirs: &[PathBuf]) -> Result<Loaded> {
    let mut trees = Vec::new();
    for dir in dirs {
        let found = read_source(dir)?;
        // An app that only customizes other apps' DocTypes has fixtures and no DocTypes.
        if !found
            .iter()
            .any(|t| !t.doctypes.is_empty() || !t.fixtures.is_empty())
        {
            return Err(Error::NoMetadata(format!(
                "{}: no DocType definitions found (expected \
                 <app>/<module>/doctype/<name>/<name>.json or <app>/fixtures/custom_field.json)",
                dir.display()
            )));
        }
        trees.extend(found);
    }
    combine(trees)
}

/// Combines trees read by [`read_source`], in sync order, and applies their fixtures.
fn combine(trees: Vec<Tree>) -> Result<Loaded> {
    let merged = apps::merge(trees);
    let mut doctypes = merged.doctypes;
    let mut warnings = merged.replaced;
    warnings.extend(merged.fixtures.apply(&mut doctypes)?);
    Ok(Loaded {
        doctypes,
        warnings,
        methods: Vec::new(),
    })
}

/// One source as given: a file (one tree), a bench's `apps/` folder (one tree per app, in sync
/// order) or any other directory (one tree).
fn read_source(path: &Path) -> Result<Vec<Tree>> {
    if path.is_file() {
        return Ok(vec![Tree {
            doctypes: load_file(path)?,
            fixtures: Fixtures::default(),
        }]);
    }
    let dirs = apps::bench_apps(path)?.unwrap_or_else(|| vec![path.to_owned()]);
    dirs.iter()
        .map(|dir| {
            let (doctypes, fixtures) = read_dir(dir)?;
            Ok(Tree { doctypes, fixtures })
        })
        .collect()
}

/// One tree's DocTypes and fixtures, the fixtures not yet applied.
fn read_dir(dir: &Path) -> Result<(Vec<DocType>, Fixtures)> {
    let mut files = Vec::new();
    collect_json_files(dir, &mut files, &mut BTreeSet::new())?;
    files.sort();
    let mut out = Vec::new();
    let mut fixtures = Fixtures::default();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let source = path.display().to_string();
        if let Some(kind) = FixtureKind::of(&path) {
            fixtures.read(kind, &text, &source)?;
            continue;
        }
        // Cheap pre-check: most non-DocType JSON never mentions it.
        if !text.contains("DocType") && !text.contains(SNAPSHOT_KEY) && !is_doctype_path(&path) {
            continue;
        }
        let value = match serde_json::from_str::<Value>(&text) {
            Ok(v) => v,
            // Broken JSON that names no DocType is some other file; broken JSON that does
            // (a truncated saved API body) would otherwise be dropped without a word.
            Err(_) if !is_doctype_path(&path) && !text.contains("\"DocType\"") => continue,
            Err(e) => return Err(syntax_error(&source, &e)),
        };
        match shape_of(&value) {
            Some(shape) => out.extend(load_value(&value, shape, &source)?),
            None if is_doctype_path(&path) && value.get("doctype").is_none() => {
                return Err(Error::Json {
                    file: source,
                    json_path: ".doctype".to_owned(),
                    message: "a file at a DocType's path must have \"doctype\": \"DocType\""
                        .to_owned(),
                });
            }
            None => {}
        }
    }
    Ok((out, fixtures))
}

/// `.../doctype/<name>/<name>.json`: the place Frappe keeps a DocType's definition.
fn is_doctype_path(path: &Path) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str());
    let parent = path.parent();
    let dir = parent.and_then(|p| p.file_name()).and_then(|s| s.to_str());
    let grand = parent
        .and_then(Path::parent)
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str());
    stem.is_some() && stem == dir && grand == Some("doctype")
}

/// Collects `*.json` files below `dir`. Symbolic links are followed (benches often link app
/// directories in), each real directory is walked once (`visited`), so a link loop ends.
fn collect_json_files(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    visited: &mut BTreeSet<PathBuf>,
) -> Result<()> {
    let real = std::fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
    if !visited.insert(real) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let mut file_type = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if file_type.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(target) => file_type = target.file_type(),
                // A dangling link holds nothing to read.
                Err(_) => continue,
            }
        }
        if file_type.is_dir() {
            // Build output and caches never hold DocType definitions worth reading.
            if name.starts_with('.') || name == "node_modules" || name == "__pycache__" {
                continue;
            }
            collect_json_files(&path, out, visited)?;
        } else if name.ends_with(".json") {
            out.push(path);
        }
    }
    Ok(())
}

fn load_value(value: &Value, shape: Shape, source: &str) -> Result<Vec<DocType>> {
    let mut out = match shape {
        Shape::DocTypeFile => vec![typed::<DocType>(value, "", source)?],
        Shape::Data => vec![typed::<DocType>(&value["data"], ".data", source)?],
        Shape::Docs => {
            // Child metas are bundled after the parent; keep only DocType entries.
            let docs = value["docs"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            let mut v = Vec::new();
            for (i, doc) in docs.iter().enumerate() {
                if doc.get("doctype").and_then(Value::as_str) == Some("DocType") {
                    let mut dt = typed::<DocType>(doc, &format!(".docs[{i}]"), source)?;
                    // The position in `docs`, not among the DocTypes kept.
                    dt.source = format!("{source} (docs[{i}])");
                    v.push(dt);
                }
            }
            return Ok(v);
        }
        Shape::Snapshot => snapshot::read(value, source)?,
    };
    for dt in &mut out {
        dt.source = source.to_owned();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODO: &str = r#"{"doctype":"DocType","name":"ToDo","module":"Desk",
        "fields":[{"fieldname":"status","fieldtype":"Select","options":"Open\nClosed"}]}"#;

    #[test]
    fn recognises_every_shape() {
        let data = format!(r#"{{"data":{TODO}}}"#);
        let docs = format!(r#"{{"docs":[{TODO},{TODO}],"user_settings":"{{}}"}}"#);
        let snap = format!(r#"{{"{SNAPSHOT_KEY}":1,"doctypes":[{TODO}]}}"#);
        assert_eq!(load_json(TODO, "a").unwrap().len(), 1);
        assert_eq!(load_json(&data, "b").unwrap()[0].name, "ToDo");
        let bundle = load_json(&docs, "c").unwrap();
        assert_eq!(bundle.len(), 2);
        assert_eq!(bundle[1].source, "c (docs[1])");
        // The source names the position in `docs`, other entries included.
        let mixed = format!(r#"{{"docs":[{TODO},{{"doctype":"Custom Field"}},{TODO}]}}"#);
        assert_eq!(load_json(&mixed, "e").unwrap()[1].source, "e (docs[2])");
        assert_eq!(load_json(&snap, "d").unwrap()[0].fields.len(), 1);
    }

    #[test]
    fn malformed_metadata_names_file_and_path() {
        let bad = r#"{"doctype":"DocType","name":"ToDo","fields":[{"fieldname":"a","fieldtype":"Data"},
            {"fieldname":"b","fieldtype":"Check","reqd":"maybe"}]}"#;
        let err = load_json(bad, "todo.json").unwrap_err().to_string();
        assert!(err.starts_with("todo.json: "), "{err}");
        assert!(err.contains("fields[1].reqd"), "{err}");
        assert!(err.contains("\"maybe\""), "{err}");
    }

    #[test]
    fn broken_json_names_line_and_column() {
        let err = load_json("{\"doctype\": \"DocType\",\n \"name\": }", "x.json")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.json: invalid JSON"), "{err}");
        assert!(err.contains("line 2 column"), "{err}");
    }

    #[test]
    fn other_json_is_not_metadata() {
        let err = load_json(r#"[{"doctype":"ToDo"}]"#, "test_records.json").unwrap_err();
        assert!(err.to_string().contains("not DocType metadata"), "{err}");
        assert!(load_json(r#"{"data":[{"name":"x"}]}"#, "list").is_err());
    }

    #[test]
    fn doctype_path_rule() {
        assert!(is_doctype_path(Path::new(
            "app/core/doctype/todo/todo.json"
        )));
        assert!(!is_doctype_path(Path::new(
            "app/core/doctype/todo/test_records.json"
        )));
        assert!(!is_doctype_path(Path::new("app/fixtures/todo/todo.json")));
    }
}
