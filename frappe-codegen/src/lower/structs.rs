//! Lowering one DocType into a struct (plus the enums of its Select fields).
//!
//! Field order: `name`, then the DocType's fields in Frappe's order, then the other standard
//! fields (`owner`, `creation`, `modified`, `modified_by`, `docstatus`, `idx`; child rows add
//! `parent`, `parentfield`, `parenttype`), then the catch-all `extra` map. A DocField that has a
//! standard field's wire name replaces that standard field.
//!
//! Serde policy (see [`fieldtype`](super::fieldtype) for the types):
//! - `Option<T>` fields: `default` (list rows may lack them) and
//!   `skip_serializing_if = "Option::is_none"` (single-document GETs omit nulls, so a round
//!   trip gives back the same keys; to clear a field, send an explicit `null` in a partial
//!   update).
//! - plain numbers, and mandatory text and Duration: `default` + `wire::null_default` (list
//!   rows of old records carry `null`, and so do documents saved before a field became
//!   mandatory); Check: `default` + `wire::check`; tables: `default` (list rows have none),
//!   always serialized, because a PUT with `[]` deletes every row while an absent key keeps
//!   them: do not PUT a struct read from a list as a whole.
//! - so every field has `default`: no key is required on the wire, whatever `reqd` says.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;

use super::docs::{field_docs, struct_docs};
use super::fieldtype::{self, Kind};
use super::paths::{self, Known, Paths};
use super::standard::standard_fields;
use super::{CurrencyType, Options, Placement, select};
use crate::error::Problem;
use crate::ir::{Enum, Field, FrappeAttr, SerdeArg, Struct, TypeRef};
use crate::meta::{DocField, DocType};
use crate::naming::{self, Ident};

/// State while lowering the DocTypes of one module.
pub(super) struct ModuleCx<'a> {
    module: &'a str,
    index: &'a BTreeMap<&'a str, &'a DocType>,
    placements: &'a BTreeMap<&'a str, Placement>,
    options: &'a Options,
    type_names: BTreeSet<String>,
    pub paths: Paths,
    pub requires: BTreeSet<String>,
    pub link_targets: BTreeSet<(String, String)>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
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
            requires: BTreeSet::new(),
            link_targets: BTreeSet::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The struct for `dt`, named `ident`, and the enums of its Select fields.
    pub fn lower_doctype(&mut self, dt: &DocType, ident: &str) -> (Struct, Vec<Enum>) {
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
            out.push(name.build(&mut self.paths));
        }
        out.extend(fields);
        out.extend(standard.map(|(_, s)| s.build(&mut self.paths)));
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
            });
        }

        let st = Struct {
            ident: ident.to_owned(),
            docs: struct_docs(dt),
            derives: ["Debug", "Clone", "PartialEq"]
                .into_iter()
                .map(TypeRef::path)
                .chain(
                    [Known::Serialize, Known::Deserialize, Known::Document]
                        .into_iter()
                        .map(|k| TypeRef::path(&self.paths.get(k))),
                )
                .collect(),
            frappe: FrappeAttr {
                doctype: dt.name.clone(),
                child: dt.istable,
                single: dt.issingle,
                submittable: dt.is_submittable,
            },
            fields: out,
        };
        (st, enums)
    }

    /// The fieldtype's kind, or `None` for fields that generate nothing (layout fields, and
    /// fields too broken to generate, which are reported).
    fn kind_of(&mut self, dt: &DocType, df: &DocField, pos: usize) -> Option<Kind> {
        let kind = fieldtype::kind(&df.fieldtype);
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

    fn lower_field(
        &mut self,
        dt: &DocType,
        struct_ident: &str,
        df: &DocField,
        kind: Kind,
        taken_idents: &mut BTreeSet<String>,
        enums: &mut Vec<Enum>,
    ) -> Option<Field> {
        let label = if df.label.trim().is_empty() {
            &df.fieldname
        } else {
            &df.label
        };
        let mut docs = vec![naming::doc_lines(label).join(" ")];
        let base = naming::field_ident(&df.fieldname);
        let ident = if base.name == df.fieldname {
            base // reserved for this field above
        } else {
            Ident {
                name: naming::unique(&base.name, taken_idents, true),
                raw: base.raw,
            }
        };
        let nullable = kind.optional(df.reqd, df.is_virtual);
        let mut serde = Vec::new();
        // serde strips `r#`, so raw identifiers need no rename.
        if ident.name != df.fieldname {
            serde.push(SerdeArg::Rename(df.fieldname.clone()));
        }
        let mut with = None;
        // Numbers through `wire::number`: a Single sends some of them as text ("1200").
        let number = if nullable {
            "frappe_runtime::wire::number::option"
        } else {
            "frappe_runtime::wire::number"
        };
        let value = match kind {
            Kind::Layout => return None,
            Kind::Text => TypeRef::path("String"),
            Kind::Int => {
                with = Some(number);
                TypeRef::path("i64")
            }
            Kind::Float | Kind::Duration => {
                with = Some(number);
                TypeRef::path("f64")
            }
            Kind::Currency => match self.options.currency {
                CurrencyType::F64 => {
                    with = Some(number);
                    TypeRef::path("f64")
                }
                CurrencyType::Decimal => TypeRef::path(&self.paths.get(Known::Decimal)),
            },
            Kind::Check => {
                with = Some("frappe_runtime::wire::check");
                TypeRef::path("bool")
            }
            Kind::Date => TypeRef::path(&self.paths.get(Known::NaiveDate)),
            Kind::Datetime => {
                with = Some(if nullable {
                    "frappe_runtime::wire::datetime::option"
                } else {
                    "frappe_runtime::wire::datetime"
                });
                TypeRef::path(&self.paths.get(Known::NaiveDateTime))
            }
            Kind::Time => {
                with = Some(if nullable {
                    "frappe_runtime::wire::time::option"
                } else {
                    "frappe_runtime::wire::time"
                });
                TypeRef::path(&self.paths.get(Known::NaiveTime))
            }
            Kind::Json => {
                if fieldtype::kind(&df.fieldtype) == Some(Kind::Json) {
                    docs.push("JSON: MariaDB sites send a JSON-encoded string, Postgres sites the value itself; either is kept as received.".to_owned());
                }
                TypeRef::path(&self.paths.get(Known::JsonValue))
            }
            Kind::Select => {
                match select::options(&dt.name, &df.fieldname, &df.options, &mut self.warnings) {
                    None => TypeRef::path("String"),
                    Some(options) => {
                        let pascal = df.fieldname.to_upper_camel_case();
                        let candidate = if pascal.starts_with(struct_ident) {
                            naming::type_name(&pascal)
                        } else {
                            naming::type_name(&format!("{struct_ident} {pascal}"))
                        };
                        let name = naming::unique(&candidate, &mut self.type_names, false);
                        let derives = ["Debug", "Clone", "PartialEq", "Eq", "Hash"]
                            .into_iter()
                            .map(TypeRef::path)
                            .chain(
                                [Known::Serialize, Known::Deserialize, Known::Choice]
                                    .into_iter()
                                    .map(|k| TypeRef::path(&self.paths.get(k))),
                            )
                            .collect();
                        enums.push(select::enum_for(
                            name.clone(),
                            &dt.name,
                            &df.fieldname,
                            &options,
                            derives,
                        ));
                        TypeRef::path(&name)
                    }
                }
            }
            Kind::Link => {
                match self.index.get(df.options.as_str()) {
                    Some(target) => {
                        docs.push(format!("Link to {}.", quoted(&target.name)));
                        let path = self.type_path(&target.name, false);
                        TypeRef::generic(&self.paths.get(Known::Link), vec![path])
                    }
                    None => {
                        if df.options.trim().is_empty() {
                            self.warnings.push(Problem::field(&dt.name, &df.fieldname, "Link without a target DocType (empty options): generated as String"));
                        } else {
                            docs.push(format!(
                                "Link to {} (not generated: a plain name).",
                                quoted(&df.options)
                            ));
                        }
                        TypeRef::path("String")
                    }
                }
            }
            Kind::DynamicLink => {
                docs.push(format!(
                    "Dynamic Link: its DocType is in the field {}.",
                    quoted(&df.options)
                ));
                if !dt.fields.iter().any(|f| f.fieldname == df.options) {
                    self.warnings.push(Problem::field(
                        &dt.name,
                        &df.fieldname,
                        format!(
                            "Dynamic Link options {:?} is not a field of this DocType",
                            df.options
                        ),
                    ));
                }
                TypeRef::path(&self.paths.get(Known::DynamicLink))
            }
            Kind::Table => {
                match self.index.get(df.options.as_str()) {
                    Some(child) => {
                        docs.push(format!("Table of {} rows.", quoted(&child.name)));
                        if !child.istable {
                            self.warnings.push(Problem::field(&dt.name, &df.fieldname, format!("{} options {:?} is not a child table DocType (istable is not set)", df.fieldtype, df.options)));
                        }
                        let path = self.type_path(&child.name, true);
                        serde.push(SerdeArg::Default);
                        return Some(Field {
                            ident,
                            docs: field_docs(docs, df),
                            ty: TypeRef::generic("Vec", vec![path]),
                            serde,
                            frappe_skip: false,
                            frappe_virtual: false,
                        });
                    }
                    None => {
                        let message = if df.options.trim().is_empty() {
                            format!("{} without a child DocType (empty options)", df.fieldtype)
                        } else {
                            format!(
                                "{} options {:?} is not a known DocType (load or select it too)",
                                df.fieldtype, df.options
                            )
                        };
                        self.problems
                            .push(Problem::field(&dt.name, &df.fieldname, message));
                        return None;
                    }
                }
            }
        };
        if df.is_virtual {
            docs.push("Virtual: computed by the server, not stored.".to_owned());
        }
        let ty = if nullable {
            serde.push(SerdeArg::Default);
            serde.push(SerdeArg::SkipIf("Option::is_none"));
            TypeRef::generic("Option", vec![value])
        } else {
            // Every plain field reads `null` and absence as its empty value (`0`, `""`,
            // `false`): list rows carry `null`, and mandatory fields are `null` in documents
            // saved before they became mandatory.
            serde.push(SerdeArg::Default);
            with.get_or_insert("frappe_runtime::wire::null_default");
            value
        };
        if let Some(with) = with {
            serde.push(SerdeArg::With(with));
        }
        Some(Field {
            ident,
            docs: field_docs(docs, df),
            ty,
            serde,
            frappe_skip: false,
            frappe_virtual: df.is_virtual,
        })
    }

    /// The path to a DocType's struct from this module; `hard` for Table children, which the
    /// module cannot compile without.
    fn type_path(&mut self, doctype: &str, hard: bool) -> TypeRef {
        let place = &self.placements[doctype];
        if place.module == self.module {
            TypeRef::path(&place.ident)
        } else {
            if hard {
                self.requires.insert(place.module.clone());
            } else {
                self.link_targets
                    .insert((place.module.clone(), place.ident.clone()));
            }
            TypeRef::path(&format!("super::{}::{}", place.module, place.ident))
        }
    }
}

/// A name in backticks for a doc comment.
fn quoted(name: &str) -> String {
    naming::code_span(name)
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
