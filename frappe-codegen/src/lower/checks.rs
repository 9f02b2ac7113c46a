//! What the client checks before sending a field ([`checks`]): the rule attribute
//! `#[frappe(mandatory, max_length = .., ..)]` that frappe-runtime's `validation` runs.
//!
//! Policy: a check is emitted only where Frappe's own save refuses the same field for the same
//! value, judged from the metadata alone, so a document the client refuses is one the server
//! refuses too. Hence:
//! - `mandatory` (`reqd`) only for fields the server fills in nothing for: no `default`, not a
//!   Check (always 0 or 1), not a Select whose first option is a value (Frappe's default), not
//!   a Link to anything but User (the user's defaults and permissions may fill it), not
//!   read-only or fetched (the server or a controller computes them), not virtual.
//! - `max_length` for `varchar` columns (Frappe's `length` or 140), `max_abs` for `int` and
//!   `bigint` columns: Frappe's `_validate_length`, which skips Single DocTypes.
//! - `non_negative` where Frappe checks it: Int, Float and Currency.
//! - `options` for a Select with at least one non-empty option, except the naming series.
//! - `rows` for child tables: the rows are checked against the child's own checks.
//!
//! Fetched fields (`fetch_from`) get no check at all: the server overwrites them from the
//! linked document before validating. Virtual DocTypes have no table to validate against.
//! `set_only_once`, Link targets and `unique` need the database and stay with the server.

use crate::ir::Check;
use crate::meta::fieldtype::{self, Column, Kind};
use crate::meta::{DocField, DocType};

use super::select;

/// `int`'s range: Frappe refuses `abs(value) > 2^31 - 1`.
const INT_MAX: u64 = i32::MAX as u64;
/// `bigint`'s range.
const BIGINT_MAX: u64 = i64::MAX as u64;
/// A DocField `length` above this makes an Int column a `bigint` (Frappe's rule).
const INT_LENGTH_MAX: u32 = 11;

/// The checks of `df`, a DocField of `kind` in `dt`, in the order the attribute lists them.
pub(super) fn checks(dt: &DocType, df: &DocField, kind: Kind) -> Vec<Check> {
    let mut out = Vec::new();
    if dt.rules_unknown
        || dt.is_virtual
        || df.is_virtual
        || !df.fetch_from.trim().is_empty()
        || kind == Kind::Layout
    {
        return out;
    }
    // By the fieldtype's own kind: the naming series is lowered as text but defaults as a Select.
    if df.reqd && !server_fills(df, df.kind().unwrap_or(kind)) {
        out.push(Check::Mandatory);
    }
    if !dt.issingle {
        match fieldtype::column(&df.fieldtype) {
            Column::Varchar => out.push(Check::MaxLength(if df.length == 0 {
                fieldtype::VARCHAR_LEN
            } else {
                df.length
            })),
            Column::Int if df.length > INT_LENGTH_MAX => out.push(Check::MaxAbs(BIGINT_MAX)),
            Column::Int => out.push(Check::MaxAbs(INT_MAX)),
            Column::BigInt => out.push(Check::MaxAbs(BIGINT_MAX)),
            Column::Other => {}
        }
    }
    if df.non_negative && matches!(df.fieldtype.as_str(), "Int" | "Float" | "Currency") {
        out.push(Check::NonNegative);
    }
    if kind == Kind::Select
        && !select::is_naming_series(&df.fieldname)
        && df.options.split('\n').any(|o| !o.is_empty())
    {
        out.push(Check::Options(df.options.clone()));
    }
    if kind == Kind::Table {
        out.push(Check::Rows);
    }
    out
}

/// Whether the server gives a new document's `df` a value by itself (`frappe.new_doc`'s
/// defaults, or a value computed or fetched), so that leaving it out is no mistake.
fn server_fills(df: &DocField, kind: Kind) -> bool {
    let select_default = kind == Kind::Select
        && !matches!(df.options.as_str(), "[Select]" | "Loading...")
        && df
            .options
            .split('\n')
            .next()
            .is_some_and(|first| !first.is_empty());
    !df.default.trim().is_empty()
        || df.read_only
        || df.fieldtype == "Read Only"
        || kind == Kind::Check
        // `set_dynamic_default_values` sets every Time field of a new document to now.
        || df.fieldtype == "Time"
        || select_default
        || (kind == Kind::Link && df.options != "User")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doctype(single: bool) -> DocType {
        serde_json::from_value(serde_json::json!({"name": "T", "issingle": single})).unwrap()
    }

    fn field(json: serde_json::Value) -> DocField {
        serde_json::from_value(json).unwrap()
    }

    fn of(json: serde_json::Value) -> Vec<Check> {
        let df = field(json);
        let kind = df.kind().unwrap_or(Kind::Json);
        checks(&doctype(false), &df, kind)
    }

    #[test]
    fn mandatory_only_where_the_server_fills_nothing() {
        let reqd = |extra: serde_json::Value| {
            let mut json = serde_json::json!({"fieldname": "f", "reqd": 1});
            json.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            of(json).contains(&Check::Mandatory)
        };
        assert!(reqd(serde_json::json!({"fieldtype": "Small Text"})));
        assert!(reqd(
            serde_json::json!({"fieldtype": "Table", "options": "Row"})
        ));
        assert!(reqd(
            serde_json::json!({"fieldtype": "Link", "options": "User"})
        ));
        assert!(reqd(
            serde_json::json!({"fieldtype": "Select", "options": "\nA\nB"})
        ));
        assert!(!reqd(
            serde_json::json!({"fieldtype": "Data", "default": "x"})
        ));
        assert!(!reqd(serde_json::json!({"fieldtype": "Check"})));
        // A new document's Time fields are set to now by the server.
        assert!(!reqd(serde_json::json!({"fieldtype": "Time"})));
        assert!(!reqd(
            serde_json::json!({"fieldtype": "Select", "options": "A\nB"})
        ));
        let series = field(serde_json::json!({"fieldname": "naming_series", "reqd": 1,
                                              "fieldtype": "Select", "options": "A-.###"}));
        assert!(!checks(&doctype(false), &series, Kind::Text).contains(&Check::Mandatory));
        assert!(!reqd(
            serde_json::json!({"fieldtype": "Link", "options": "Company"})
        ));
        assert!(!reqd(
            serde_json::json!({"fieldtype": "Currency", "read_only": 1})
        ));
        assert!(!reqd(serde_json::json!({"fieldtype": "Read Only"})));
        assert!(!reqd(
            serde_json::json!({"fieldtype": "Data", "is_virtual": 1})
        ));
    }

    #[test]
    fn columns_give_lengths_and_ranges() {
        assert_eq!(
            of(serde_json::json!({"fieldname": "f", "fieldtype": "Data"})),
            [Check::MaxLength(140)]
        );
        assert_eq!(
            of(serde_json::json!({"fieldname": "f", "fieldtype": "Data", "length": 20})),
            [Check::MaxLength(20)]
        );
        assert_eq!(
            of(serde_json::json!({"fieldname": "f", "fieldtype": "Int"})),
            [Check::MaxAbs(INT_MAX)]
        );
        assert_eq!(
            of(serde_json::json!({"fieldname": "f", "fieldtype": "Int", "length": 12})),
            [Check::MaxAbs(BIGINT_MAX)]
        );
        assert_eq!(
            of(serde_json::json!({"fieldname": "f", "fieldtype": "Long Int"})),
            [Check::MaxAbs(BIGINT_MAX)]
        );
        assert!(of(serde_json::json!({"fieldname": "f", "fieldtype": "Text"})).is_empty());
        let df = field(serde_json::json!({"fieldname": "f", "fieldtype": "Data"}));
        assert!(
            checks(&doctype(true), &df, Kind::Text).is_empty(),
            "Singles"
        );
    }

    #[test]
    fn non_negative_only_for_frappes_three_fieldtypes() {
        let nn = |ft: &str| {
            of(serde_json::json!({"fieldname": "f", "fieldtype": ft, "non_negative": 1}))
                .contains(&Check::NonNegative)
        };
        assert!(nn("Int") && nn("Float") && nn("Currency"));
        assert!(!nn("Percent") && !nn("Long Int"));
    }

    #[test]
    fn selects_rows_and_fetched_fields() {
        assert_eq!(
            of(serde_json::json!({"fieldname": "s", "fieldtype": "Select", "options": "A\nB"})),
            [Check::MaxLength(140), Check::Options("A\nB".into())]
        );
        assert_eq!(
            of(serde_json::json!({"fieldname": "s", "fieldtype": "Select", "options": "\n"})),
            [Check::MaxLength(140)]
        );
        assert_eq!(
            of(
                serde_json::json!({"fieldname": "naming_series", "fieldtype": "Select",
                                  "options": "A-.###"})
            ),
            [Check::MaxLength(140)]
        );
        assert_eq!(
            of(serde_json::json!({"fieldname": "t", "fieldtype": "Table", "options": "Row"})),
            [Check::Rows]
        );
        assert!(
            of(
                serde_json::json!({"fieldname": "f", "fieldtype": "Data", "reqd": 1,
                                  "fetch_from": "customer.customer_name"})
            )
            .is_empty()
        );
    }
}
