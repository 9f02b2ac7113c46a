//! Frappe's fieldtypes, grouped by the kind of value they hold: the vocabulary every other part
//! of frappe-codegen reads a [`DocField`](super::DocField)'s `fieldtype` through.
//!
//! Nothing here is about Rust: which Rust type each kind becomes is decided in lowering (the
//! table in `src/lower/types.rs`).

/// What a fieldtype holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No value: layout and display-only fields (Section Break, HTML, Button, ...).
    Layout,
    /// Text (Data, Small Text, Text Editor, Password, Attach, ...).
    Text,
    /// A whole number (Int, Long Int).
    Int,
    /// A decimal number (Float, Percent, Rating).
    Float,
    /// An amount of money (Currency).
    Currency,
    /// A number of seconds (Duration); the only number Frappe leaves `null`.
    Duration,
    /// A `0`/`1` flag (Check).
    Check,
    /// A date (`YYYY-MM-DD`).
    Date,
    /// A date and time in the site's time zone.
    Datetime,
    /// A time of day.
    Time,
    /// One of the newline-separated `options`.
    Select,
    /// The name of a document of the DocType in `options`.
    Link,
    /// The name of a document whose DocType is in the field named by `options`.
    DynamicLink,
    /// Rows of the child DocType in `options` (Table, Table MultiSelect).
    Table,
    /// Any JSON value.
    Json,
}

impl Kind {
    /// Frappe never sends `null` for it in a document (`frappe/types/exporter.py`
    /// `non_nullable_types`, plus Check): it coerces numbers and flags (`cint`, `flt`) and
    /// sends tables as lists.
    pub fn never_null(self) -> bool {
        matches!(
            self,
            Kind::Int | Kind::Float | Kind::Currency | Kind::Check | Kind::Table
        )
    }
}

/// The database column of a fieldtype, as far as Frappe's own checks read it
/// (`BaseDocument._validate_length` over the MariaDB `type_map`): text in a `varchar` has a
/// width, a whole number in `int` or `bigint` a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `varchar(length)`, `length` being the DocField's or [`VARCHAR_LEN`].
    Varchar,
    /// `int`: at most 2³¹-1 either way; a DocField `length` above 11 makes it a `bigint`.
    Int,
    /// `bigint`: at most 2⁶³-1 either way.
    BigInt,
    /// Any other column (`text`, `decimal`, `date`, ...), or none: nothing Frappe measures.
    Other,
}

/// Frappe's default `varchar` width (`frappe.database.database.VARCHAR_LEN`).
pub const VARCHAR_LEN: u32 = 140;

/// The column Frappe gives `fieldtype` on MariaDB (Check's `int(1)` is not measured, so it is
/// [`Column::Other`]).
pub fn column(fieldtype: &str) -> Column {
    match fieldtype {
        "Data" | "Link" | "Dynamic Link" | "Select" | "Read Only" | "Color" | "Icon" | "Phone"
        | "Autocomplete" => Column::Varchar,
        "Int" => Column::Int,
        "Long Int" => Column::BigInt,
        _ => Column::Other,
    }
}

/// Every Frappe v15 fieldtype [`kind`] knows. ("Long Int" is supported by Frappe's database
/// layer though missing from the DocField fieldtype options.)
pub const FIELDTYPES: &[&str] = &[
    "Data",
    "Small Text",
    "Text",
    "Long Text",
    "Text Editor",
    "Markdown Editor",
    "HTML Editor",
    "Code",
    "Password",
    "Read Only",
    "Phone",
    "Autocomplete",
    "Barcode",
    "Color",
    "Icon",
    "Signature",
    "Attach",
    "Attach Image",
    "Geolocation",
    "JSON",
    "Rating",
    "Duration",
    "Int",
    "Long Int",
    "Float",
    "Currency",
    "Percent",
    "Check",
    "Date",
    "Datetime",
    "Time",
    "Select",
    "Link",
    "Dynamic Link",
    "Table",
    "Table MultiSelect",
    "Section Break",
    "Column Break",
    "Tab Break",
    "HTML",
    "Button",
    "Heading",
    "Fold",
    "Image",
];

/// The kind of `fieldtype`; `None` for a fieldtype Frappe v15 does not have.
pub fn kind(fieldtype: &str) -> Option<Kind> {
    Some(match fieldtype {
        "Data" | "Small Text" | "Text" | "Long Text" | "Text Editor" | "Markdown Editor"
        | "HTML Editor" | "Code" | "Password" | "Read Only" | "Phone" | "Autocomplete"
        | "Barcode" | "Color" | "Icon" | "Signature" | "Attach" | "Attach Image"
        | "Geolocation" => Kind::Text,
        "Int" | "Long Int" => Kind::Int,
        "Float" | "Percent" | "Rating" => Kind::Float,
        "Currency" => Kind::Currency,
        "Duration" => Kind::Duration,
        "Check" => Kind::Check,
        "Date" => Kind::Date,
        "Datetime" => Kind::Datetime,
        "Time" => Kind::Time,
        "Select" => Kind::Select,
        "Link" => Kind::Link,
        "Dynamic Link" => Kind::DynamicLink,
        "Table" | "Table MultiSelect" => Kind::Table,
        "JSON" => Kind::Json,
        "Section Break" | "Column Break" | "Tab Break" | "HTML" | "Button" | "Heading" | "Fold"
        | "Image" => Kind::Layout,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_v15_fieldtype_is_mapped() {
        for ft in FIELDTYPES {
            assert!(kind(ft).is_some(), "{ft} is listed but not mapped");
        }
        assert_eq!(FIELDTYPES.len(), 44);
    }

    #[test]
    fn columns_follow_the_mariadb_type_map() {
        assert_eq!(column("Data"), Column::Varchar);
        assert_eq!(column("Select"), Column::Varchar);
        assert_eq!(column("Small Text"), Column::Other);
        assert_eq!(column("Password"), Column::Other);
        assert_eq!(column("Int"), Column::Int);
        assert_eq!(column("Long Int"), Column::BigInt);
        assert_eq!(column("Check"), Column::Other);
        assert_eq!(column("Currency"), Column::Other);
    }

    #[test]
    fn unknown_fieldtypes_are_none() {
        assert_eq!(kind("Vector"), None);
        assert_eq!(kind("data"), None);
    }

    #[test]
    fn nullability_follows_frappe() {
        assert!(Kind::Check.never_null());
        assert!(Kind::Currency.never_null());
        assert!(!Kind::Duration.never_null());
        assert!(!Kind::Date.never_null());
        assert!(!Kind::Select.never_null());
    }
}
