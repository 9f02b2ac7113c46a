//! The standard fields every generated struct gets: frappe-runtime's table
//! ([`frappe_runtime::standard::FIELDS`]: `name`, `owner`, `creation`, `modified`,
//! `modified_by`, `docstatus`, `idx`; child rows add `parent`, `parentfield`, `parenttype`),
//! turned into fields. The table decides which fields, their order, their docs and their
//! types; this file only says how a table type becomes a Rust type, so generated structs, the
//! runtime's handles (`filter::standard`) and amendments cannot disagree.
//!
//! Each is typed like a DocField of the same kind and nullability ([`types::field_type`]),
//! except the two whose wire meaning is their own: `name` and `docstatus`.

use frappe_runtime::standard::{self, StandardField, StandardType};

use super::options::CurrencyType;
use super::paths::{Known, Paths};
use super::types;
use crate::ir::{Field, Ident, SerdeArg, TypeRef};
use crate::meta::DocType;
use crate::meta::fieldtype::Kind;

/// A standard field to add unless a DocField has its wire name.
pub(super) struct Standard {
    wire: &'static str,
    doc: &'static str,
    ty: Ty,
}

/// How a standard field's type is decided.
enum Ty {
    /// As a DocField of this kind, nullable or not.
    Like(Kind, bool),
    /// `name`: text, or an integer for an autoincrement DocType.
    Name { autoincrement: bool },
    /// `docstatus`: frappe-runtime's own type, which reads and writes 0, 1, 2.
    DocStatus { nullable: bool },
}

impl Standard {
    fn from_table(field: &'static StandardField, autoincrement: bool) -> Self {
        let ty = match field.ty {
            StandardType::Name => Ty::Name { autoincrement },
            StandardType::Text => Ty::Like(Kind::Text, field.nullable),
            StandardType::Datetime => Ty::Like(Kind::Datetime, field.nullable),
            // A Single DocType sends `idx` as text ("0"); `wire::number` reads either.
            StandardType::Int => Ty::Like(Kind::Int, field.nullable),
            StandardType::DocStatus => Ty::DocStatus {
                nullable: field.nullable,
            },
        };
        let doc = match ty {
            Ty::Name {
                autoincrement: true,
            } => {
                "The document's name: an integer for this autoincrement DocType (`None` before insert)."
            }
            Ty::Name {
                autoincrement: false,
            } => {
                "The document's name (its primary key); empty before insert, when the server names it."
            }
            _ => field.doc,
        };
        Standard {
            wire: field.name,
            doc,
            ty,
        }
    }

    pub(super) fn build(self, paths: &mut Paths, currency: CurrencyType) -> Field {
        use SerdeArg::{Default, SkipIf};
        let (ty, serde) = match self.ty {
            Ty::Like(kind, nullable) => types::field_type(kind, nullable, None, currency, paths),
            // The server assigns it on insert; it is never sent as text.
            Ty::Name {
                autoincrement: true,
            } => (
                TypeRef::generic("Option", vec![TypeRef::path("i64")]),
                vec![Default, SkipIf("Option::is_none")],
            ),
            // Left out when empty, so that an insert lets the server name the document.
            Ty::Name {
                autoincrement: false,
            } => (
                TypeRef::path("String"),
                vec![Default, SkipIf("String::is_empty")],
            ),
            Ty::DocStatus { nullable } => {
                let value = TypeRef::path(&paths.get(Known::DocStatus));
                if nullable {
                    (
                        TypeRef::generic("Option", vec![value]),
                        vec![Default, SkipIf("Option::is_none")],
                    )
                } else {
                    (value, vec![Default])
                }
            }
        };
        Field {
            ident: Ident::plain(self.wire),
            docs: vec![self.doc.to_owned()],
            ty,
            serde,
            frappe_skip: false,
            frappe_virtual: false,
            checks: Vec::new(),
        }
    }
}

/// The standard fields of `dt` in the table's order, by wire name.
pub(super) fn standard_fields(dt: &DocType) -> Vec<(&'static str, Standard)> {
    let autoincrement = dt.autoname.trim() == "autoincrement";
    standard::fields(dt.istable)
        .map(|f| (f.name, Standard::from_table(f, autoincrement)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Options, lower};
    use super::*;
    use crate::ir::{Item, Struct};
    use crate::meta::load::load_json;

    const NOTE: &str = r#"{"doctype":"DocType","name":"Note","module":"Desk","fields":[
        {"fieldname":"title","fieldtype":"Data"}]}"#;
    const NOTE_ROW: &str = r#"{"doctype":"DocType","name":"Note Row","module":"Desk","istable":1,
        "fields":[{"fieldname":"qty","fieldtype":"Int"}]}"#;

    fn structs() -> Vec<Struct> {
        let doctypes: Vec<DocType> = [NOTE, NOTE_ROW]
            .iter()
            .flat_map(|j| load_json(j, "test.json").unwrap())
            .collect();
        let lowered = lower(&doctypes, &[], &Options::default()).unwrap();
        let mut out = Vec::new();
        for module in lowered.bindings.modules {
            for item in module.items().cloned() {
                if let Item::Struct(s) = item {
                    out.push(s);
                }
            }
        }
        out
    }

    fn render(t: &TypeRef) -> String {
        let path = t.segments.join("::");
        if t.args.is_empty() {
            return path;
        }
        let args: Vec<String> = t.args.iter().map(render).collect();
        format!("{path}<{}>", args.join(", "))
    }

    /// The type frappe-runtime's handle of `f` has (`filter::standard`), spelled as the
    /// generated code spells it: the same type is what keeps struct and handle in step.
    fn handle_type(f: &StandardField) -> String {
        let value = match f.ty {
            StandardType::Name | StandardType::Text => "String",
            StandardType::Datetime => "NaiveDateTime",
            StandardType::DocStatus => "DocStatus",
            StandardType::Int => "i64",
        };
        if f.nullable {
            format!("Option<{value}>")
        } else {
            value.to_owned()
        }
    }

    #[test]
    fn structs_get_the_tables_fields_in_its_order_with_its_types_and_docs() {
        let structs = structs();
        assert_eq!(structs.len(), 2);
        for s in structs {
            let child = s.ident == "NoteRow";
            let own = if child { "qty" } else { "title" };
            let got: Vec<_> = s
                .fields
                .iter()
                .filter(|f| f.ident.name != own && f.ident.name != "extra")
                .collect();
            let table: Vec<_> = standard::fields(child).collect();
            assert_eq!(
                got.iter()
                    .map(|f| f.ident.name.as_str())
                    .collect::<Vec<_>>(),
                table.iter().map(|f| f.name).collect::<Vec<_>>(),
                "{}",
                s.ident
            );
            for (field, entry) in got.iter().zip(&table) {
                assert_eq!(render(&field.ty), handle_type(entry), "{}", entry.name);
                if entry.ty != StandardType::Name {
                    assert_eq!(field.docs, [entry.doc], "{}", entry.name);
                }
            }
        }
    }
}
