//! Handles of the standard fields every document has (Frappe's `default_fields`), for structs
//! that do not declare them: a projection can still filter on `modified` or order by `name`.
//!
//! `standard::modified::<Customer>().desc()` is the same key as `Customer::modified.desc()` on a
//! struct that has the field. Types follow Frappe's `std_fields`: `owner` and `modified_by` are
//! links to `User`, taken here as names.

use chrono::NaiveDateTime;

use super::Field;
use crate::document::Document;
use crate::wire::DocStatus;

/// `name`: the document's primary key.
pub const fn name<D: Document>() -> Field<D, String> {
    Field::new("name")
}

/// `owner`: the user who created the document.
pub const fn owner<D: Document>() -> Field<D, String> {
    Field::new("owner")
}

/// `creation`: when the document was created (site time zone).
pub const fn creation<D: Document>() -> Field<D, NaiveDateTime> {
    Field::new("creation")
}

/// `modified`: when the document was last saved (site time zone).
pub const fn modified<D: Document>() -> Field<D, NaiveDateTime> {
    Field::new("modified")
}

/// `modified_by`: the user who last saved the document.
pub const fn modified_by<D: Document>() -> Field<D, String> {
    Field::new("modified_by")
}

/// `docstatus`: draft, submitted or cancelled.
pub const fn docstatus<D: Document>() -> Field<D, DocStatus> {
    Field::new("docstatus")
}

/// `idx`: the row number of a child row (and a sort index elsewhere).
pub const fn idx<D: Document>() -> Field<D, i64> {
    Field::new("idx")
}

/// `parent`: the name of a child row's parent document.
pub const fn parent<D: Document>() -> Field<D, String> {
    Field::new("parent")
}

/// `parentfield`: the parent's table field that holds a child row.
pub const fn parentfield<D: Document>() -> Field<D, String> {
    Field::new("parentfield")
}

/// `parenttype`: the DocType of a child row's parent.
pub const fn parenttype<D: Document>() -> Field<D, String> {
    Field::new("parenttype")
}
