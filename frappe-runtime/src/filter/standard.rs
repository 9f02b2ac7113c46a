//! Handles of the standard fields every document has (Frappe's `default_fields`, and
//! `child_table_fields` on child rows), for structs that do not declare them: a projection can
//! still filter on `modified` or order by `name`.
//!
//! `standard::modified::<Customer>().desc()` is the same key as `Customer::modified.desc()` on a
//! struct that has the field. The handles are expanded from the one declaration of the standard
//! fields in [`crate::standard`], which also says their types: a handle's `T` is the type a
//! generated struct gives the field, so a nullable column's handle is `Field<D, Option<T>>`
//! (compared with a plain `T`, and offering `is set`), the way `#[derive(Document)]` types the
//! handle of an `Option` field.

use super::Field;
use crate::document::Document;
use crate::standard::with_standard_fields;

/// A standard field's Rust type before `Option` (see [`StandardType`](crate::standard::StandardType)).
macro_rules! value_type {
    (Name) => {
        String
    };
    (Text) => {
        String
    };
    (Datetime) => {
        chrono::NaiveDateTime
    };
    (DocStatus) => {
        crate::wire::DocStatus
    };
    (Int) => {
        i64
    };
}

/// The handle's `T`: the value type, in an `Option` when the column is nullable.
macro_rules! handle_type {
    (false, $ty:ident) => { value_type!($ty) };
    (true, $ty:ident) => { Option<value_type!($ty)> };
}

macro_rules! handles {
    ($(
        $name:ident {
            doc: $doc:literal,
            fieldtype: $fieldtype:literal, options: $options:literal, ty: $ty:ident,
            nullable: $nullable:tt, child_only: $child_only:literal, on_copy: $on_copy:ident,
        }
    )*) => {$(
        #[doc = concat!("`", stringify!($name), "`: ", $doc)]
        pub const fn $name<D: Document>() -> Field<D, handle_type!($nullable, $ty)> {
            Field::new(stringify!($name))
        }
    )*};
}
with_standard_fields!(handles);
