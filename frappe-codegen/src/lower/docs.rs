//! Doc comments of generated modules, structs and fields: a module's Frappe name and how many
//! DocTypes it holds; the DocType's name, module, kind and description; a field's label, then
//! notes (link target, JSON, virtual) and its description, each its own paragraph. Free text goes through [`naming::doc_lines`] (Markdown-escaped).

use crate::meta::{DocField, DocType};
use crate::naming;

/// A module's doc line: its Frappe name and the number of DocTypes (structs) in it.
pub(super) fn module_docs(frappe_module: &str, structs: usize) -> Vec<String> {
    vec![format!(
        "DocTypes of the Frappe module {} ({structs}).",
        naming::doc_lines(frappe_module).join(" ")
    )]
}

pub(super) fn struct_docs(dt: &DocType) -> Vec<String> {
    let mut docs = vec![format!(
        "{} (module: {}).",
        naming::doc_lines(&dt.name).join(" "),
        naming::doc_lines(if dt.module.is_empty() {
            "none"
        } else {
            &dt.module
        })
        .join(" ")
    )];
    let mut kinds = Vec::new();
    if dt.istable {
        kinds.push("a child table: its rows live in a parent document's Table field");
    }
    if dt.issingle {
        kinds.push("a single: one document, named like the DocType");
    }
    if dt.is_submittable {
        kinds.push("submittable: Draft, then Submitted, then Cancelled");
    }
    if dt.is_tree {
        kinds.push("a tree (nested set): filter with the tree operators on its parent link");
    }
    if dt.is_virtual {
        kinds.push("virtual: its documents come from a controller, not a table");
    }
    if !kinds.is_empty() {
        docs.push(String::new());
        docs.push(format!("This DocType is {}.", kinds.join("; ")));
    }
    let description = naming::doc_lines(&dt.description);
    if !description.is_empty() {
        docs.push(String::new());
        docs.extend(description);
    }
    docs
}

/// The label line (the fieldname when there is no label), then `notes` (link targets, JSON,
/// virtual) and the description, each its own paragraph.
pub(super) fn field_docs(df: &DocField, notes: Vec<String>) -> Vec<String> {
    let label = if df.label.trim().is_empty() {
        &df.fieldname
    } else {
        &df.label
    };
    let mut docs = vec![naming::doc_lines(label).join(" ")];
    for note in notes {
        docs.push(String::new());
        docs.push(note);
    }
    let description = naming::doc_lines(&df.description);
    if !description.is_empty() {
        docs.push(String::new());
        docs.extend(description);
    }
    docs
}
