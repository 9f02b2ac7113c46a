//! The [`Document`] trait: what the runtime needs to know about a Rust type that mirrors a DocType.
//!
//! `#[derive(Document)]` (frappe-derive) implements it; generated bindings carry that derive, and
//! hand-written structs can use it too. A struct may hold a subset of a DocType's fields: a
//! *projection*. Lists then request exactly those fields.

use crate::validation::FieldRule;

/// One field of a [`Document`] as it appears on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldInfo {
    /// The wire name (Frappe's `fieldname`).
    pub name: &'static str,
    /// `false` for child tables (`Vec<Child>`): they are not columns of the parent's table, so a
    /// list cannot request them in `fields=`; only a single-document GET returns them.
    pub column: bool,
}

/// A Rust type bound to a Frappe DocType.
///
/// Implemented by `#[derive(Document)]`; implement it by hand only for unusual cases.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a document type",
    note = "document types carry `#[derive(Document)]` (generated bindings do); to insert a \
            `Changes<D>`, call `client.create(&changes)` rather than `insert`"
)]
pub trait Document {
    /// The DocType name, e.g. `"Sales Invoice"`.
    const DOCTYPE: &'static str;
    /// Every field of the struct, in declaration order, by wire name.
    const FIELDS: &'static [FieldInfo];
    /// `true` for child-table DocTypes (`istable`): listing them needs a `parent`.
    const IS_CHILD: bool = false;
    /// `true` for single DocTypes (`issingle`): the document's name is the DocType's name.
    const IS_SINGLE: bool = false;
    /// What the client checks before sending a document of this type (see
    /// [`validation`](crate::validation)): one entry per field with a rule, from
    /// `#[frappe(mandatory, max_length = .., ..)]` on the field. Empty: nothing checked.
    const RULES: &'static [FieldRule] = &[];

    /// The wire names to send as `fields=` when listing this type: every column field.
    fn list_fields() -> Vec<&'static str> {
        Self::FIELDS
            .iter()
            .filter(|f| f.column)
            .map(|f| f.name)
            .collect()
    }
}

/// Marker for submittable DocTypes (`is_submittable`): submit, cancel and amend apply to them.
///
/// `#[derive(Document)]` implements it for `#[frappe(doctype = "...", submittable)]`.
pub trait Submittable: Document {}

#[cfg(test)]
mod tests {
    use super::*;

    struct Invoice;
    impl Document for Invoice {
        const DOCTYPE: &'static str = "Sales Invoice";
        const FIELDS: &'static [FieldInfo] = &[
            FieldInfo {
                name: "name",
                column: true,
            },
            FieldInfo {
                name: "items",
                column: false,
            },
            FieldInfo {
                name: "customer",
                column: true,
            },
        ];
    }

    #[test]
    fn list_fields_leave_out_child_tables() {
        assert_eq!(Invoice::list_fields(), vec!["name", "customer"]);
    }
}
