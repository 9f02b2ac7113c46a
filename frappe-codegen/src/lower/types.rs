//! The one table from Frappe fieldtype to Rust type. Nothing else in frappe-codegen (and nothing
//! in frappe-derive) knows which Rust type a fieldtype becomes; the fieldtypes and their
//! [`Kind`]s are the metadata model's ([`crate::meta::fieldtype`]).
//!
//! | fieldtype | [`Kind`] | Rust type (not `reqd`) | Rust type (`reqd`) | wire notes |
//! |---|---|---|---|---|
//! | Data, Small Text, Text, Long Text, Text Editor, Markdown Editor, HTML Editor, Code, Password, Read Only, Phone, Autocomplete, Barcode, Color, Icon, Signature, Attach, Attach Image, Geolocation | Text | `Option<String>` | `String` via `wire::null_default` (`null` or absent reads as `""`) | Password reads back as `*****`; Geolocation is a GeoJSON string |
//! | Int, Long Int | Int | `i64` via `wire::number` | `i64` | never null in documents; `null` in list rows reads as 0; a Single may send text (`"0"`) |
//! | Float, Percent, Rating | Float | `f64` via `wire::number` | `f64` | as Int |
//! | Currency | Currency | `f64` via `wire::number` (or `rust_decimal::Decimal` via `wire::null_default`, [`CurrencyType`]) | same | as Int |
//! | Duration | Duration | `Option<f64>` via `wire::number::option` | `f64` via `wire::number` | seconds; nullable in Frappe; a Single sends text (`"1200"`) |
//! | Check | Check | `bool` via `wire::check` | `bool` | `0`/`1` on the wire |
//! | Date | Date | `Option<NaiveDate>` | same | `YYYY-MM-DD` |
//! | Datetime | Datetime | `Option<NaiveDateTime>` via `wire::datetime::option` | same | naive, site time zone |
//! | Time | Time | `Option<NaiveTime>` via `wire::time::option` | same | `H:MM:SS[.ffffff]` |
//! | Select | Select | `Option<Enum>` (`Option<String>` without options) | same | enum keeps wire strings, has a catch-all |
//! | Link | Link | `Option<Link<Target>>` (`Option<String>` if the target is not generated) | same | a name |
//! | Dynamic Link | DynamicLink | `Option<DynamicLink>` | same | a name; its DocType is in the field named by `options` |
//! | Table, Table MultiSelect | Table | `Vec<Child>` | `Vec<Child>` | absent in list rows (then empty) |
//! | JSON | Json | `Option<serde_json::Value>` | same | MariaDB sends a JSON-encoded *string*, Postgres the value: `Value` keeps either exactly |
//! | Section Break, Column Break, Tab Break, HTML, Button, Heading, Fold, Image | Layout | nothing | nothing | no value |
//! | anything else | (unknown) | `Option<serde_json::Value>` + a warning | same | |
//!
//! Why `i64`/`f64`/`bool` are never `Option`: Frappe coerces them (`cint`, `flt`) in every
//! document, so `None` would be a state the server never produces.
//!
//! Why `reqd` hardly matters: Frappe enforces it only when a document is saved
//! (`frappe/model/base_document.py` `_get_missing_mandatory_fields`). A field made mandatory
//! after documents exist, rows imported by SQL, or a Single never saved all read back `null` or
//! without the key, and a typed read must not fail on them. So a mandatory field is a plain type
//! only where an empty value exists to read `null` and absence as ([`nullable`]): text
//! (`""`) and Duration (`0`). Dates, times, Selects, Links and JSON have none and stay `Option`.
//! Every field has serde's `default`, so any field may be absent (list rows with a `fields`
//! projection, older sites).
//!
//! [`CurrencyType`]: crate::CurrencyType

use crate::meta::fieldtype::Kind;

/// Whether a field of this kind is an `Option`. `reqd` makes it a plain type only when the type
/// has an empty value that `null` and absence read as (text `""`, Duration `0`); mandatory
/// Dates, Selects, Links, ... stay `Option`, because sites hold `null` in mandatory fields (see
/// the module docs). Virtual fields are computed and may be absent, so they stay `Option` even
/// when mandatory.
pub(super) fn nullable(kind: Kind, reqd: bool, is_virtual: bool) -> bool {
    match kind {
        _ if kind.never_null() => false,
        Kind::Text | Kind::Duration => is_virtual || !reqd,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::fieldtype::FIELDTYPES;

    #[test]
    fn the_module_doc_lists_every_fieldtype() {
        let doc = include_str!("types.rs");
        let table: String = doc.lines().filter(|l| l.starts_with("//! |")).collect();
        for ft in FIELDTYPES {
            assert!(
                table.contains(&format!(" {ft},")) || table.contains(&format!(" {ft} |")),
                "{ft} missing from the documented table"
            );
        }
    }

    #[test]
    fn mandatory_is_plain_only_where_an_empty_value_exists() {
        // Sites answer `null` for mandatory fields of older documents; only text and Duration
        // can read it as an empty value.
        for kind in [Kind::Text, Kind::Duration] {
            assert!(!nullable(kind, true, false), "{kind:?}");
            assert!(nullable(kind, false, false), "{kind:?}");
            assert!(nullable(kind, true, true), "{kind:?} virtual");
        }
        for kind in [
            Kind::Date,
            Kind::Datetime,
            Kind::Time,
            Kind::Select,
            Kind::Link,
            Kind::DynamicLink,
            Kind::Json,
        ] {
            assert!(nullable(kind, true, false), "{kind:?}");
            assert!(nullable(kind, false, false), "{kind:?}");
        }
        for kind in [
            Kind::Int,
            Kind::Float,
            Kind::Currency,
            Kind::Check,
            Kind::Table,
        ] {
            assert!(
                !nullable(kind, false, false) && !nullable(kind, true, true),
                "{kind:?}"
            );
        }
    }
}
