//! The standard fields every document carries (`frappe/model/__init__.py` `default_fields`,
//! `child_table_fields`), with their Rust types: `name` (an integer for autoincrement DocTypes),
//! `owner`, `creation`, `modified`, `modified_by`, `docstatus`, `idx`; child rows add `parent`,
//! `parentfield`, `parenttype`.
//!
//! Each is typed like a DocField of the same kind ([`types::field_type`]), except the two
//! whose wire meaning is their own: `name` and `docstatus`.

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
    /// A type and serde arguments of its own.
    Own(fn(&mut Paths) -> TypeRef, Vec<SerdeArg>),
}

impl Standard {
    pub(super) fn build(self, paths: &mut Paths, currency: CurrencyType) -> Field {
        let (ty, serde) = match self.ty {
            Ty::Like(kind, nullable) => types::field_type(kind, nullable, None, currency, paths),
            Ty::Own(ty, serde) => (ty(paths), serde),
        };
        Field {
            ident: Ident::plain(self.wire),
            docs: vec![self.doc.to_owned()],
            ty,
            serde,
            frappe_skip: false,
            frappe_virtual: false,
        }
    }
}

pub(super) fn standard_fields(dt: &DocType) -> Vec<(&'static str, Standard)> {
    use SerdeArg::{Default, SkipIf};
    let autoincrement = dt.autoname.trim() == "autoincrement";
    let mut v = vec![
        if autoincrement {
            Standard {
                wire: "name",
                doc: "The document's name: an integer for this autoincrement DocType (`None` before insert).",
                // The server assigns it on insert; it is never sent as text.
                ty: Ty::Own(
                    |_| TypeRef::generic("Option", vec![TypeRef::path("i64")]),
                    vec![Default, SkipIf("Option::is_none")],
                ),
            }
        } else {
            Standard {
                wire: "name",
                doc: "The document's name (its primary key); empty before insert, when the server names it.",
                // Left out when empty, so that an insert lets the server name the document.
                ty: Ty::Own(
                    |_| TypeRef::path("String"),
                    vec![Default, SkipIf("String::is_empty")],
                ),
            }
        },
        Standard {
            wire: "owner",
            doc: "The user who created the document.",
            ty: Ty::Like(Kind::Text, true),
        },
        Standard {
            wire: "creation",
            doc: "When the document was created (site time zone).",
            ty: Ty::Like(Kind::Datetime, true),
        },
        Standard {
            wire: "modified",
            doc: "When the document was last modified (site time zone); sent back, it guards against overwriting newer changes.",
            ty: Ty::Like(Kind::Datetime, true),
        },
        Standard {
            wire: "modified_by",
            doc: "The user who last modified the document.",
            ty: Ty::Like(Kind::Text, true),
        },
        Standard {
            wire: "docstatus",
            doc: "Draft, Submitted or Cancelled.",
            // frappe-runtime's own type reads and writes 0, 1, 2.
            ty: Ty::Own(|p| TypeRef::path(&p.get(Known::DocStatus)), vec![Default]),
        },
        Standard {
            wire: "idx",
            doc: "Position: the 1-based row number for child rows.",
            // A Single DocType sends it as text ("0"); `wire::number` reads either.
            ty: Ty::Like(Kind::Int, false),
        },
    ];
    if dt.istable {
        for (wire, doc) in [
            ("parent", "The name of the parent document."),
            ("parentfield", "The parent's Table field holding this row."),
            ("parenttype", "The parent's DocType."),
        ] {
            v.push(Standard {
                wire,
                doc,
                ty: Ty::Like(Kind::Text, true),
            });
        }
    }
    v.into_iter().map(|s| (s.wire, s)).collect()
}
