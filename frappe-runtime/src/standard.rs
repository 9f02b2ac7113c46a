//! Frappe's standard fields, defined once: the columns every document has (`name`, `owner`,
//! `creation`, `modified`, `modified_by`, `docstatus`, `idx`: `frappe/model/__init__.py`
//! `default_fields`) and the three only child rows have (`parent`, `parentfield`,
//! `parenttype`: `child_table_fields`).
//!
//! [`FIELDS`] is the table; everything else that lists standard fields derives from it:
//! the filter handles of [`filter::standard`](crate::filter::standard) (generated from the same
//! declaration below), what amending leaves out (`resource.rs`), and the standard fields
//! frappe-codegen adds to every generated struct (its `lower/standard.rs`). `doctype`, which
//! `default_fields` also lists, is not a column but the document's DocType, so it is not here.
//!
//! ## Types
//!
//! A field's Rust type follows from its [`StandardType`] and whether its column may be `NULL`
//! ([`StandardField::nullable`]): `owner`, `creation`, `modified`, `modified_by` and the child
//! row fields may (`frappe/database/mariadb/schema.py` declares them without `not null`), so
//! they are `Option` in generated structs, and absent before insert or from a projection that
//! leaves them out reads as `None` too. A filter handle's `T` is that same type, as
//! `#[derive(Document)]` writes `Field<Self, T>` with the struct field's type: the handle of a
//! nullable field is `Field<D, Option<T>>`, whose filters compare with a plain `T`
//! ([`Filterable::Value`](crate::filter::Filterable::Value) forwards through `Option`) and which
//! offers `is set` as well. So `standard::creation::<D>()` has the type of `D::creation` in a
//! generated `D`. `name` is the exception: its handle is `Field<D, String>` even for an
//! autoincrement DocType, whose generated `name` is an `Option<i64>` (Frappe compares the text).
//!
//! `owner` and `modified_by` are links to `User` in Frappe's `std_fields`; they are taken as the
//! user's name (`String`), since `User` is rarely among the generated DocTypes.

/// What a standard field holds: its Rust type before `Option`. Deliberately exhaustive:
/// frappe-codegen matches every variant, so a new one cannot go ungenerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StandardType {
    /// The document's name: `String` (frappe-codegen makes it an `Option<i64>` for an
    /// autoincrement DocType, whose names the server counts).
    Name,
    /// A name taken as text (a user, a parent document, a DocType, a fieldname): `String`.
    Text,
    /// A point in time in the site's time zone: `chrono::NaiveDateTime`.
    Datetime,
    /// Draft, submitted or cancelled: [`DocStatus`](crate::DocStatus).
    DocStatus,
    /// An integer: `i64`.
    Int,
}

/// What a copy of a document (an amendment, a duplicate) does with a standard field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OnCopy {
    /// Left out of the document and of its child rows: it belongs to the one saved record, and
    /// the server sets it anew.
    Dropped,
    /// Left out of the document, kept on its child rows (`idx`: the rows keep their order).
    DroppedFromDocument,
    /// Copied (`parentfield`, `parenttype`: a row's place in the new parent).
    Kept,
}

/// One standard field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct StandardField {
    /// The wire name, which is also the column and the Rust field name.
    pub name: &'static str,
    /// What it means, one sentence (the doc comment of the generated field and of the handle).
    pub doc: &'static str,
    /// Its fieldtype as Frappe's `std_fields` declare it (`"Link"`, `"Datetime"`, `"Int"`); the
    /// child row fields, which `std_fields` leave out, as the text their columns hold (`"Data"`).
    pub fieldtype: &'static str,
    /// The linked DocType of a `"Link"` (`"User"` for `owner`, `modified_by`), else `""`.
    pub options: &'static str,
    /// Its Rust type before `Option`.
    pub ty: StandardType,
    /// Whether the column may be `NULL`, which makes the Rust type an `Option`.
    pub nullable: bool,
    /// Whether only child rows (`istable` DocTypes) have it.
    pub child_only: bool,
    /// What copying a document does with it.
    pub on_copy: OnCopy,
}

/// Calls `$then! { ... }` with the declaration of every standard field, in the order generated
/// structs list them (Frappe's `default_fields`, then `child_table_fields`). The one place they
/// are declared: [`FIELDS`] and the handles in [`filter::standard`](crate::filter::standard)
/// are both expanded from it.
macro_rules! with_standard_fields {
    ($then:ident) => {
        $then! {
            name {
                doc: "The document's name (its primary key).",
                fieldtype: "Link", options: "", ty: Name, nullable: false,
                child_only: false, on_copy: Dropped,
            }
            owner {
                doc: "The user who created the document.",
                fieldtype: "Link", options: "User", ty: Text, nullable: true,
                child_only: false, on_copy: Dropped,
            }
            creation {
                doc: "When the document was created (site time zone).",
                fieldtype: "Datetime", options: "", ty: Datetime, nullable: true,
                child_only: false, on_copy: Dropped,
            }
            modified {
                doc: "When the document was last modified (site time zone); sent back, it \
guards against overwriting newer changes.",
                fieldtype: "Datetime", options: "", ty: Datetime, nullable: true,
                child_only: false, on_copy: Dropped,
            }
            modified_by {
                doc: "The user who last modified the document.",
                fieldtype: "Link", options: "User", ty: Text, nullable: true,
                child_only: false, on_copy: Dropped,
            }
            docstatus {
                doc: "Draft, Submitted or Cancelled.",
                fieldtype: "Int", options: "", ty: DocStatus, nullable: false,
                child_only: false, on_copy: Dropped,
            }
            idx {
                doc: "Position: the 1-based row number for child rows.",
                fieldtype: "Int", options: "", ty: Int, nullable: false,
                child_only: false, on_copy: DroppedFromDocument,
            }
            parent {
                doc: "The name of the parent document.",
                fieldtype: "Data", options: "", ty: Text, nullable: true,
                child_only: true, on_copy: Dropped,
            }
            parentfield {
                doc: "The parent's Table field holding this row.",
                fieldtype: "Data", options: "", ty: Text, nullable: true,
                child_only: true, on_copy: Kept,
            }
            parenttype {
                doc: "The parent's DocType.",
                fieldtype: "Data", options: "", ty: Text, nullable: true,
                child_only: true, on_copy: Kept,
            }
        }
    };
}
pub(crate) use with_standard_fields;

macro_rules! table {
    ($(
        $name:ident {
            doc: $doc:literal,
            fieldtype: $fieldtype:literal, options: $options:literal, ty: $ty:ident,
            nullable: $nullable:literal, child_only: $child_only:literal, on_copy: $on_copy:ident,
        }
    )*) => {
        /// Every standard field, in the order generated structs list them: `name`, `owner`,
        /// `creation`, `modified`, `modified_by`, `docstatus`, `idx`, then the child row fields
        /// `parent`, `parentfield`, `parenttype`.
        pub const FIELDS: &[StandardField] = &[$(
            StandardField {
                name: stringify!($name),
                doc: $doc,
                fieldtype: $fieldtype,
                options: $options,
                ty: StandardType::$ty,
                nullable: $nullable,
                child_only: $child_only,
                on_copy: OnCopy::$on_copy,
            },
        )*];
    };
}
with_standard_fields!(table);

/// The standard fields of a document (`child: false`) or of a child row (`child: true`), in
/// [`FIELDS`] order.
pub fn fields(child: bool) -> impl Iterator<Item = &'static StandardField> {
    FIELDS.iter().filter(move |f| child || !f.child_only)
}

/// The standard field named `name`, if it is one.
pub fn field(name: &str) -> Option<&'static StandardField> {
    FIELDS.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(child: bool) -> Vec<&'static str> {
        fields(child).map(|f| f.name).collect()
    }

    #[test]
    fn the_table_lists_frappes_default_and_child_table_fields_in_order() {
        // frappe/model/__init__.py: default_fields without "doctype", then child_table_fields.
        let default_fields = [
            "name",
            "owner",
            "creation",
            "modified",
            "modified_by",
            "docstatus",
            "idx",
        ];
        assert_eq!(names(false), default_fields);
        let mut child = default_fields.to_vec();
        child.extend(["parent", "parentfield", "parenttype"]);
        assert_eq!(names(true), child);
    }

    #[test]
    fn types_follow_frappes_std_fields_and_columns() {
        let owner = field("owner").unwrap();
        assert_eq!((owner.fieldtype, owner.options), ("Link", "User"));
        assert_eq!(field("modified_by").unwrap().options, "User");
        assert_eq!(field("creation").unwrap().ty, StandardType::Datetime);
        assert_eq!(field("idx").unwrap().fieldtype, "Int");
        // `not null` columns: name (primary key), docstatus, idx.
        let not_null: Vec<_> = FIELDS
            .iter()
            .filter(|f| !f.nullable)
            .map(|f| f.name)
            .collect();
        assert_eq!(not_null, ["name", "docstatus", "idx"]);
        assert!(field("doctype").is_none());
    }

    #[test]
    fn docs_are_one_sentence() {
        for f in FIELDS {
            assert!(f.doc.ends_with('.'), "{}: {:?}", f.name, f.doc);
            assert!(!f.doc.contains("  "), "{}: {:?}", f.name, f.doc);
        }
    }
}
