//! The standard fields every document carries (`frappe/model/__init__.py` `default_fields`,
//! `child_table_fields`), with their Rust types: `name` (an integer for autoincrement DocTypes),
//! `owner`, `creation`, `modified`, `modified_by`, `docstatus`, `idx`; child rows add `parent`,
//! `parentfield`, `parenttype`.

use super::paths::{Known, Paths};
use crate::ir::{Field, Ident, SerdeArg, TypeRef};
use crate::meta::DocType;

/// A standard field to add unless a DocField has its wire name.
pub(super) struct Standard {
    wire: &'static str,
    doc: &'static str,
    ty: fn(&mut Paths) -> TypeRef,
    serde: Vec<SerdeArg>,
}

impl Standard {
    pub(super) fn build(self, paths: &mut Paths) -> Field {
        Field {
            ident: Ident::plain(self.wire),
            docs: vec![self.doc.to_owned()],
            ty: (self.ty)(paths),
            serde: self.serde,
            frappe_skip: false,
            frappe_virtual: false,
        }
    }
}

fn optional(paths: &mut Paths, known: Option<Known>) -> TypeRef {
    let inner = match known {
        Some(k) => TypeRef::path(&paths.get(k)),
        None => TypeRef::path("String"),
    };
    TypeRef::generic("Option", vec![inner])
}

pub(super) fn standard_fields(dt: &DocType) -> Vec<(&'static str, Standard)> {
    use SerdeArg::{Default, SkipIf, With};
    let opt = || vec![Default, SkipIf("Option::is_none")];
    let opt_dt = || {
        vec![
            Default,
            SkipIf("Option::is_none"),
            With("frappe_runtime::wire::datetime::option"),
        ]
    };
    let autoincrement = dt.autoname.trim() == "autoincrement";
    let mut v = vec![
        if autoincrement {
            Standard {
                wire: "name",
                doc: "The document's name: an integer for this autoincrement DocType (`None` before insert).",
                ty: |_| TypeRef::generic("Option", vec![TypeRef::path("i64")]),
                serde: opt(),
            }
        } else {
            Standard {
                wire: "name",
                doc: "The document's name (its primary key); empty before insert, when the server names it.",
                ty: |_| TypeRef::path("String"),
                serde: vec![Default, SkipIf("String::is_empty")],
            }
        },
        Standard {
            wire: "owner",
            doc: "The user who created the document.",
            ty: |p| optional(p, None),
            serde: opt(),
        },
        Standard {
            wire: "creation",
            doc: "When the document was created (site time zone).",
            ty: |p| optional(p, Some(Known::NaiveDateTime)),
            serde: opt_dt(),
        },
        Standard {
            wire: "modified",
            doc: "When the document was last modified (site time zone); sent back, it guards against overwriting newer changes.",
            ty: |p| optional(p, Some(Known::NaiveDateTime)),
            serde: opt_dt(),
        },
        Standard {
            wire: "modified_by",
            doc: "The user who last modified the document.",
            ty: |p| optional(p, None),
            serde: opt(),
        },
        Standard {
            wire: "docstatus",
            doc: "Draft, Submitted or Cancelled.",
            ty: |p| TypeRef::path(&p.get(Known::DocStatus)),
            serde: vec![Default],
        },
        Standard {
            wire: "idx",
            doc: "Position: the 1-based row number for child rows.",
            ty: |_| TypeRef::path("i64"),
            // A Single DocType sends it as text ("0").
            serde: vec![Default, With("frappe_runtime::wire::number")],
        },
    ];
    if dt.istable {
        v.push(Standard {
            wire: "parent",
            doc: "The name of the parent document.",
            ty: |p| optional(p, None),
            serde: opt(),
        });
        v.push(Standard {
            wire: "parentfield",
            doc: "The parent's Table field holding this row.",
            ty: |p| optional(p, None),
            serde: opt(),
        });
        v.push(Standard {
            wire: "parenttype",
            doc: "The parent's DocType.",
            ty: |p| optional(p, None),
            serde: opt(),
        });
    }
    v.into_iter().map(|s| (s.wire, s)).collect()
}
