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
//! | Date | Date | `Option<NaiveDate>` via `wire::date::option` | same | `YYYY-MM-DD`; `""` reads as `None` |
//! | Datetime | Datetime | `Option<NaiveDateTime>` via `wire::datetime::option` | same | naive, site time zone |
//! | Time | Time | `Option<NaiveTime>` via `wire::time::option` | same | `H:MM:SS[.ffffff]` |
//! | Select | Select | `Option<Enum>` via `wire::select` (`Option<String>` without options; the naming series is text) | same | enum keeps wire strings, has a catch-all; `""`, `null` and absence are `None`; with a blank option (`wire::select::blank`) `None` is written as `""` |
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
//! Serde policy, one for DocFields and standard fields alike ([`field_type`]):
//! - `Option<T>` fields: `default` (list rows may lack them) and
//!   `skip_serializing_if = "Option::is_none"` (single-document GETs omit nulls, so a round
//!   trip gives back the same keys; to clear a field, send an explicit `null` in a partial
//!   update).
//! - plain fields: `default` plus a `wire` helper that reads `null` as the empty value:
//!   `wire::number` (numbers; a Single sends some as text), `wire::check` (Check), else
//!   `wire::null_default` (mandatory text, Currency as `Decimal`). List rows of old records
//!   carry `null`, and so do documents saved before a field became mandatory.
//! - tables: `default` only (list rows have none), always serialized, because a PUT with `[]`
//!   deletes every row while an absent key keeps them: do not PUT a struct read from a list as
//!   a whole.
//! - Selects generated as an enum: `wire::select` reads `""` (the blank option), `null` and
//!   absence as `None`. If the options list the blank one, `None` is written as `""` and always
//!   sent (`wire::select::blank`): the blank option is the Select's empty value, as `""` is
//!   text's, so a document read back and sent whole empties the field it read blank; otherwise
//!   `None` is skipped like any `Option`.
//! - so every field has `default`: no key is required on the wire, whatever `reqd` says.
//!
//! [`CurrencyType`]: crate::CurrencyType

use super::options::CurrencyType;
use super::paths::{Known, Paths};
use crate::ir::{SerdeArg, TypeRef};
use crate::meta::fieldtype::Kind;

/// The field's Rust type and `#[serde(...)]` arguments (before any `rename`) for a value of
/// `kind`, `nullable` or not ([`nullable`]). `named` is the generated type a Select enum, Link
/// target or Table child names; without it, the kind alone decides ([`value_type`]).
pub(super) fn field_type(
    kind: Kind,
    nullable: bool,
    named: Option<TypeRef>,
    currency: CurrencyType,
    paths: &mut Paths,
) -> (TypeRef, Vec<SerdeArg>) {
    let value = named.unwrap_or_else(|| value_type(kind, currency, paths));
    if kind == Kind::Table {
        return (
            TypeRef::generic("Vec", vec![value]),
            vec![SerdeArg::Default],
        );
    }
    let helper = helper(kind, nullable, currency);
    if nullable {
        let mut serde = vec![SerdeArg::Default, SerdeArg::SkipIf("Option::is_none")];
        serde.extend(helper.map(SerdeArg::With));
        (TypeRef::generic("Option", vec![value]), serde)
    } else {
        let helper = helper.unwrap_or("frappe_runtime::wire::null_default");
        (value, vec![SerdeArg::Default, SerdeArg::With(helper)])
    }
}

/// The type and `#[serde(...)]` arguments of a Select generated as the enum `named`:
/// `Option<Enum>` through `wire::select`; if its options list the blank one (`blank`), `None`
/// is the blank option, written as `""` and never skipped.
pub(super) fn select_enum_type(named: TypeRef, blank: bool) -> (TypeRef, Vec<SerdeArg>) {
    let serde = if blank {
        vec![SerdeArg::Default, SerdeArg::With(SELECT_BLANK)]
    } else {
        vec![
            SerdeArg::Default,
            SerdeArg::SkipIf("Option::is_none"),
            SerdeArg::With(SELECT),
        ]
    };
    (TypeRef::generic("Option", vec![named]), serde)
}

/// The Rust type of a value of `kind` when no generated type is named: a Select without
/// options and a Link to a DocType not generated are plain text. (Table and Layout values
/// always name a type or have none; as JSON they would at least keep what was sent.)
fn value_type(kind: Kind, currency: CurrencyType, paths: &mut Paths) -> TypeRef {
    match kind {
        Kind::Text | Kind::Select | Kind::Link => TypeRef::path("String"),
        Kind::Int => TypeRef::path("i64"),
        Kind::Float | Kind::Duration => TypeRef::path("f64"),
        Kind::Currency => match currency {
            CurrencyType::F64 => TypeRef::path("f64"),
            CurrencyType::Decimal => TypeRef::path(&paths.get(Known::Decimal)),
        },
        Kind::Check => TypeRef::path("bool"),
        Kind::Date => TypeRef::path(&paths.get(Known::NaiveDate)),
        Kind::Datetime => TypeRef::path(&paths.get(Known::NaiveDateTime)),
        Kind::Time => TypeRef::path(&paths.get(Known::NaiveTime)),
        Kind::DynamicLink => TypeRef::path(&paths.get(Known::DynamicLink)),
        Kind::Json | Kind::Table | Kind::Layout => TypeRef::path(&paths.get(Known::JsonValue)),
    }
}

/// The `frappe_runtime::wire` module a value of `kind` is read and written through, if any.
fn helper(kind: Kind, nullable: bool, currency: CurrencyType) -> Option<&'static str> {
    let (plain, option) = match kind {
        // Numbers through `wire::number`: a Single sends some of them as text ("1200").
        Kind::Int | Kind::Float | Kind::Duration => NUMBER,
        Kind::Currency if currency == CurrencyType::F64 => NUMBER,
        Kind::Check => ("frappe_runtime::wire::check", "frappe_runtime::wire::check"),
        Kind::Date => (
            "frappe_runtime::wire::date",
            "frappe_runtime::wire::date::option",
        ),
        Kind::Datetime => (
            "frappe_runtime::wire::datetime",
            "frappe_runtime::wire::datetime::option",
        ),
        Kind::Time => (
            "frappe_runtime::wire::time",
            "frappe_runtime::wire::time::option",
        ),
        _ => return None,
    };
    Some(if nullable { option } else { plain })
}

const SELECT: &str = "frappe_runtime::wire::select";
const SELECT_BLANK: &str = "frappe_runtime::wire::select::blank";

const NUMBER: (&str, &str) = (
    "frappe_runtime::wire::number",
    "frappe_runtime::wire::number::option",
);

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
