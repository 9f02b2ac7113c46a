//! Lowering one DocType into a struct (plus the enums of its Select fields).
//!
//! Field order: `name`, then the DocType's fields in Frappe's order, then the other standard
//! fields (`owner`, `creation`, `modified`, `modified_by`, `docstatus`, `idx`; child rows add
//! `parent`, `parentfield`, `parenttype`), then the catch-all `extra` map. A DocField that has a
//! standard field's wire name replaces that standard field.
//!
//! Each DocField becomes a field in [`fields`](super::fields); types and serde arguments follow
//! the one policy in [`types`](super::types), for DocFields and standard fields alike.

use std::collections::{BTreeMap, BTreeSet};

use super::docs::struct_docs;
use super::options::Options;
use super::paths::{self, Known, Paths};
use super::standard::standard_fields;
use crate::error::Problem;
use crate::ir::{Enum, Field, FrappeAttr, Ident, SerdeArg, Struct, TypeRef};
use crate::meta::fieldtype::Kind;
use crate::meta::{DocField, DocType};
use crate::naming;

/// Where a DocType's struct lives.
#[derive(Debug, Clone)]
pub(super) struct Placement {
    pub(super) module: String,
    pub(super) ident: String,
}

/// The types one module's DocTypes refer to, by kind of reference.
#[derive(Debug, Default)]
pub(super) struct Refs {
    /// Table children, as `(holding type, child's module, child type)`, in this module or
    /// another: the holder cannot compile without them.
    pub(super) tables: BTreeSet<(String, String, String)>,
    /// Types of other modules named only through links, as `(module, type)`: they can be
    /// stand-ins when not compiled.
    pub(super) link_targets: BTreeSet<(String, String)>,
    /// Links between this module's own types, as `(from, to)`.
    pub(super) local_links: BTreeSet<(String, String)>,
}

/// State while lowering the DocTypes of one module.
pub(super) struct ModuleCx<'a> {
    pub(super) module: &'a str,
    pub(super) index: &'a BTreeMap<&'a str, &'a DocType>,
    pub(super) placements: &'a BTreeMap<&'a str, Placement>,
    pub(super) options: &'a Options,
    /// Type names taken in this module (structs, enums, imports).
    pub(super) type_names: BTreeSet<String>,
    pub(super) paths: Paths,
    /// What this module's DocTypes name in other modules and in their own, for
    /// [`super::sharing`].
    pub(super) refs: Refs,
    /// The struct being lowered (the `from` of [`Refs::local_links`]).
    pub(super) current: String,
    pub(super) problems: Vec<Problem>,
    pub(super) warnings: Vec<Problem>,
}

impl<'a> ModuleCx<'a> {
    pub fn new(
        module: &'a str,
        struct_names: &[&str],
        index: &'a BTreeMap<&'a str, &'a DocType>,
        placements: &'a BTreeMap<&'a str, Placement>,
        options: &'a Options,
    ) -> Self {
        let type_names = struct_names
            .iter()
            .map(|s| (*s).to_owned())
            .chain(paths::reserved_type_names().map(str::to_owned))
            .collect();
        Self {
            module,
            index,
            placements,
            options,
            type_names,
            paths: Paths::new(struct_names.iter().copied()),
            refs: Refs::default(),
            current: String::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The struct for `dt`, named `ident`, and the enums of its Select fields.
    pub fn lower_doctype(&mut self, dt: &DocType, ident: &str) -> (Struct, Vec<Enum>) {
        self.current = ident.to_owned();
        if dt.rules_unknown {
            self.warnings.push(Problem::doctype(
                &dt.name,
                "read from a version-1 snapshot, which lacks field lengths and flags: no \
                 validation rules generated; write the snapshot again to get them",
            ));
        }
        let mut enums = Vec::new();
        let mut taken_idents = BTreeSet::new();
        let mut by_wire: BTreeMap<&str, &DocField> = BTreeMap::new();
        let mut fields = Vec::new();

        let standard = standard_fields(dt);
        let overridden: BTreeSet<&str> = dt.fields.iter().map(|f| f.fieldname.as_str()).collect();
        for (wire, _) in &standard {
            if !overridden.contains(wire) {
                taken_idents.insert((*wire).to_owned());
            }
        }
        // Fieldnames that are already plain identifiers keep them; converted ones yield.
        for f in &dt.fields {
            let ident = naming::field_ident(&f.fieldname);
            if ident.name == f.fieldname {
                taken_idents.insert(ident.name);
            }
        }

        for (pos, df) in dt.fields.iter().enumerate() {
            let Some(kind) = self.kind_of(dt, df, pos) else {
                continue;
            };
            if let Some(first) = by_wire.get(df.fieldname.as_str()) {
                if first.fieldtype == df.fieldtype && first.options == df.options {
                    self.warnings.push(Problem::field(
                        &dt.name,
                        &df.fieldname,
                        "listed twice with the same definition; generated once",
                    ));
                } else {
                    self.problems.push(Problem::field(
                        &dt.name,
                        &df.fieldname,
                        format!(
                            "duplicate fieldname: defined as {} and again as {}",
                            describe(first),
                            describe(df)
                        ),
                    ));
                }
                continue;
            }
            by_wire.insert(&df.fieldname, df);
            if let Some(field) =
                self.lower_field(dt, ident, df, kind, &mut taken_idents, &mut enums)
            {
                fields.push(field);
            }
        }

        let mut out = Vec::with_capacity(fields.len() + standard.len() + 1);
        let mut standard = standard
            .into_iter()
            .filter(|(w, _)| !overridden.contains(w));
        if let Some((_, name)) = standard.next() {
            out.push(name.build(&mut self.paths, self.options.currency));
        }
        out.extend(fields);
        out.extend(standard.map(|(_, s)| s.build(&mut self.paths, self.options.currency)));
        if self.options.extra_field {
            let name = naming::unique("extra", &mut taken_idents, true);
            out.push(Field {
                ident: Ident::plain(name),
                docs: vec![
                    "Keys the metadata does not describe (`doctype`, `_user_tags`, `__unsaved`, \
                     fields added on the site later), kept so that nothing is lost."
                        .to_owned(),
                ],
                ty: TypeRef::generic(
                    &self.paths.get(Known::JsonMap),
                    vec![
                        TypeRef::path("String"),
                        TypeRef::path(&self.paths.get(Known::JsonValue)),
                    ],
                ),
                serde: vec![SerdeArg::Flatten],
                frappe_skip: true,
                frappe_virtual: false,
                checks: Vec::new(),
            });
        }

        let st = Struct {
            ident: ident.to_owned(),
            docs: struct_docs(dt),
            derives: ["Debug", "Clone", "PartialEq"]
                .into_iter()
                .map(TypeRef::path)
                .chain(std::iter::once(TypeRef::path(
                    &self.paths.get(Known::Document),
                )))
                .collect(),
            frappe: FrappeAttr {
                doctype: dt.name.clone(),
                child: dt.istable,
                single: dt.issingle,
                submittable: dt.is_submittable,
                serde: true,
            },
            fields: out,
        };
        (st, enums)
    }

    /// The fieldtype's kind, or `None` for fields that generate nothing (layout fields, and
    /// fields too broken to generate, which are reported).
    fn kind_of(&mut self, dt: &DocType, df: &DocField, pos: usize) -> Option<Kind> {
        let kind = df.kind();
        if kind == Some(Kind::Layout) {
            return None;
        }
        if df.fieldtype.trim().is_empty() {
            self.problems.push(Problem::field(
                &dt.name,
                field_label(df, pos),
                "has no fieldtype",
            ));
            return None;
        }
        if df.fieldname.trim().is_empty() {
            if kind.is_some() {
                self.problems.push(Problem::field(
                    &dt.name,
                    field_label(df, pos),
                    format!("{} field has no fieldname", df.fieldtype),
                ));
            } else {
                self.warnings.push(Problem::field(
                    &dt.name,
                    field_label(df, pos),
                    format!(
                        "unknown fieldtype {:?} without a fieldname: skipped",
                        df.fieldtype
                    ),
                ));
            }
            return None;
        }
        Some(kind.unwrap_or_else(|| {
            self.warnings.push(Problem::field(
                &dt.name,
                &df.fieldname,
                format!(
                    "unknown fieldtype {:?}: generated as serde_json::Value",
                    df.fieldtype
                ),
            ));
            Kind::Json
        }))
    }
}

fn describe(df: &DocField) -> String {
    if df.options.is_empty() {
        df.fieldtype.clone()
    } else {
        format!("{} ({:?})", df.fieldtype, df.options)
    }
}

fn field_label(df: &DocField, pos: usize) -> String {
    if !df.fieldname.trim().is_empty() {
        df.fieldname.clone()
    } else if !df.label.is_empty() {
        format!("field #{} (label {:?})", pos + 1, df.label)
    } else {
        format!("field #{}", pos + 1)
    }
}
