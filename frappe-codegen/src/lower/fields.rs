//! Lowering one DocField into a struct field: its identifier, its Rust type (the enum generated
//! for a Select, the struct a Link or Table names, else what the kind alone decides:
//! [`types::field_type`]), its serde arguments and its doc comment.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;

use super::docs::{FieldFacts, code_list, field_docs};
use super::paths::Known;
use super::structs::ModuleCx;
use super::{checks, select, types};
use crate::error::Problem;
use crate::ir::{Enum, Field, Ident, SerdeArg, TypeRef};
use crate::meta::fieldtype::Kind;
use crate::meta::{DocField, DocType};
use crate::naming;

impl ModuleCx<'_> {
    /// The derives of a generated enum of wire strings (a Select's options, a Workflow's states
    /// or actions); `Choice` with `#[frappe(serde)]` writes its Serialize and Deserialize.
    pub(super) fn choice_derives(&mut self) -> Vec<TypeRef> {
        ["Debug", "Clone", "PartialEq", "Eq", "Hash"]
            .into_iter()
            .map(TypeRef::path)
            .chain(std::iter::once(TypeRef::path(
                &self.paths.get(Known::Choice),
            )))
            .collect()
    }

    /// The field for `df`, a DocField of `kind` in `dt` (whose struct is `struct_ident`);
    /// `None` when it generates nothing (a Table without a known child is a problem).
    pub(super) fn lower_field(
        &mut self,
        dt: &DocType,
        struct_ident: &str,
        df: &DocField,
        kind: Kind,
        taken_idents: &mut BTreeSet<String>,
        enums: &mut Vec<Enum>,
    ) -> Option<Field> {
        let ident = field_ident(df, taken_idents);
        let mut facts = FieldFacts::default();
        // The naming series is a Select of name patterns, not of choices: text.
        let kind = if kind == Kind::Select && select::is_naming_series(&df.fieldname) {
            let patterns = df.options.lines().map(str::trim).filter(|p| !p.is_empty());
            facts.head = Some("Select: the naming series".to_owned());
            let list = code_list(patterns, 8);
            if !list.is_empty() {
                facts.tail.push(format!("Series: {list}."));
            }
            Kind::Text
        } else {
            kind
        };
        let mut select_enum = None;
        let named = match kind {
            Kind::Layout => return None,
            Kind::Select => {
                select_enum = self.select_type(dt, struct_ident, df, enums, &mut facts);
                None
            }
            Kind::Link => self.link_type(dt, df, &mut facts),
            Kind::Table => Some(self.table_type(dt, df, &mut facts)?),
            Kind::DynamicLink => {
                self.dynamic_link_facts(dt, df, &mut facts);
                None
            }
            // Not for unknown fieldtypes, which are JSON too.
            Kind::Json if df.kind() == Some(Kind::Json) => {
                facts.notes.push("JSON: MariaDB sites send a JSON-encoded string, Postgres sites the value itself; either is kept as received.".to_owned());
                None
            }
            _ => None,
        };
        // Rows are never a column (`Vec`'s `FieldKind::COLUMN` is false): no virtual mark.
        let is_virtual = df.is_virtual && kind != Kind::Table;
        if is_virtual {
            facts
                .notes
                .push("Virtual: computed by the server, not stored.".to_owned());
        }
        let nullable = types::nullable(kind, df.reqd, df.is_virtual);
        let (ty, wire) = match select_enum {
            Some((named, blank)) => types::select_enum_type(named, blank),
            None => types::field_type(
                kind,
                nullable,
                named,
                self.options.currency,
                &mut self.paths,
            ),
        };
        // serde strips `r#`, so raw identifiers need no rename.
        let rename = (ident.name != df.fieldname).then(|| SerdeArg::Rename(df.fieldname.clone()));
        Some(Field {
            ident,
            docs: field_docs(df, facts),
            ty,
            serde: rename.into_iter().chain(wire).collect(),
            frappe_skip: false,
            frappe_virtual: is_virtual,
            checks: checks::checks(dt, df, kind),
        })
    }

    /// The enum generated for a Select's options (added to `enums`), and whether the options
    /// list the blank one; `None` (plain text) when it has no option.
    fn select_type(
        &mut self,
        dt: &DocType,
        struct_ident: &str,
        df: &DocField,
        enums: &mut Vec<Enum>,
        facts: &mut FieldFacts,
    ) -> Option<(TypeRef, bool)> {
        let Some(options) =
            select::options(&dt.name, &df.fieldname, &df.options, &mut self.warnings)
        else {
            facts.head = Some("Select without options (any text)".to_owned());
            return None;
        };
        let blank = if options.blank {
            "; blank is `None`"
        } else {
            ""
        };
        facts.tail.push(format!(
            "Options: {}{blank}.",
            code_list(options.listed.iter().map(String::as_str), 6)
        ));
        let pascal = df.fieldname.to_upper_camel_case();
        let candidate = if pascal.starts_with(struct_ident) {
            naming::type_name(&pascal)
        } else {
            naming::type_name(&format!("{struct_ident} {pascal}"))
        };
        let name = naming::unique(&candidate, &mut self.type_names, false);
        let derives = self.choice_derives();
        enums.push(select::enum_for(
            name.clone(),
            &dt.name,
            &df.fieldname,
            &options,
            derives,
        ));
        Some((TypeRef::path(&name), options.blank))
    }

    /// `Link<Target>` when the target is generated; `None` (a plain name) otherwise.
    fn link_type(
        &mut self,
        dt: &DocType,
        df: &DocField,
        facts: &mut FieldFacts,
    ) -> Option<TypeRef> {
        let Some(target) = self.index.get(df.options.as_str()) else {
            if df.options.trim().is_empty() {
                self.warnings.push(Problem::field(
                    &dt.name,
                    &df.fieldname,
                    "Link without a target DocType (empty options): generated as String",
                ));
            } else {
                facts.head = Some(format!("Link to {}", quoted(&df.options)));
                facts
                    .tail
                    .push("Not generated here: the field holds the name.".to_owned());
            }
            return None;
        };
        facts.head = Some(format!("Link to {}", quoted(&target.name)));
        let path = self.type_path(&target.name, false);
        Some(TypeRef::generic(&self.paths.get(Known::Link), vec![path]))
    }

    /// A Dynamic Link's doc facts, and a warning when its `options` names no field of `dt`.
    fn dynamic_link_facts(&mut self, dt: &DocType, df: &DocField, facts: &mut FieldFacts) {
        facts.head = Some("Dynamic Link".to_owned());
        facts.tail.push(format!(
            "Its DocType is in the field {}.",
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
    }

    /// The child struct of a Table; `None`, with a problem, when the child is not loaded.
    fn table_type(
        &mut self,
        dt: &DocType,
        df: &DocField,
        facts: &mut FieldFacts,
    ) -> Option<TypeRef> {
        let Some(child) = self.index.get(df.options.as_str()) else {
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
        };
        facts.head = Some(format!(
            "{} of {} rows",
            naming::doc_lines(&df.fieldtype).join(" "),
            quoted(&child.name)
        ));
        if !child.istable {
            self.warnings.push(Problem::field(
                &dt.name,
                &df.fieldname,
                format!(
                    "{} options {:?} is not a child table DocType (istable is not set)",
                    df.fieldtype, df.options
                ),
            ));
        }
        Some(self.type_path(&child.name, true))
    }

    /// The path to a DocType's struct from this module; `hard` for Table children, which the
    /// module cannot compile without, else a link, which a stand-in can satisfy.
    fn type_path(&mut self, doctype: &str, hard: bool) -> TypeRef {
        let place = &self.placements[doctype];
        let target = (place.module.clone(), place.ident.clone());
        if hard {
            let from = self.current.clone();
            self.refs
                .tables
                .insert((from, target.0.clone(), target.1.clone()));
        }
        if place.module == self.module {
            if !hard {
                let from = self.current.clone();
                self.refs.local_links.insert((from, target.1));
            }
            TypeRef::path(&place.ident)
        } else {
            let path = TypeRef::path(&format!("super::{}::{}", place.module, place.ident));
            if !hard {
                self.refs.link_targets.insert(target);
            }
            path
        }
    }
}

/// The field's identifier: its fieldname when that already is a plain identifier (reserved for
/// it before any field is lowered), else the converted name, unique among `taken`.
fn field_ident(df: &DocField, taken: &mut BTreeSet<String>) -> Ident {
    let base = naming::field_ident(&df.fieldname);
    if base.name == df.fieldname {
        base
    } else {
        Ident {
            name: naming::unique(&base.name, taken, true),
            raw: base.raw,
        }
    }
}

/// A name in backticks for a doc comment.
fn quoted(name: &str) -> String {
    naming::code_span(name)
}
