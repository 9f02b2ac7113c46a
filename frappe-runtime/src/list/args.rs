//! What [`ListRequest::filter`](super::ListRequest::filter) and
//! [`ListRequest::order_by`](super::ListRequest::order_by) accept: typed filters and order keys,
//! or raw JSON / text in any of Frappe's forms, normalised to the list-of-lists form. Malformed
//! raw input is reported (naming the DocType) when the request is sent, never dropped.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::filter::{Filter, OrderBy};

/// Something [`ListRequest::filter`](super::ListRequest::filter) accepts: a typed [`Filter<D>`], or raw JSON in any of
/// Frappe's forms — one condition `["status","=","Open"]` /
/// `["ToDo","status","=","Open"]`, a list of conditions, or a dict `{"status": "Open",
/// "priority": ["in", ["High","Medium"]]}` (where a list value is `[operator, value]`).
pub trait IntoFilters<D> {
    /// The conditions as `[field, op, value]` / `[doctype, field, op, value]` arrays, or
    /// [`Error::InvalidInput`] saying what is wrong with them (the list reports it, naming the
    /// DocType, when it is sent).
    fn into_filters(self) -> Result<Vec<Value>>;
}

impl<D> IntoFilters<D> for Filter<D> {
    fn into_filters(self) -> Result<Vec<Value>> {
        self.check()?;
        Ok(vec![self.to_json()])
    }
}

impl<D> IntoFilters<D> for Vec<Filter<D>> {
    fn into_filters(self) -> Result<Vec<Value>> {
        self.iter()
            .map(|f| f.check().map(|()| f.to_json()).map_err(Error::from))
            .collect()
    }
}

impl<D, const N: usize> IntoFilters<D> for [Filter<D>; N] {
    fn into_filters(self) -> Result<Vec<Value>> {
        self.iter()
            .map(|f| f.check().map(|()| f.to_json()).map_err(Error::from))
            .collect()
    }
}

impl<D> IntoFilters<D> for Value {
    fn into_filters(self) -> Result<Vec<Value>> {
        normalize_filters(self)
    }
}

/// Brings raw filters into list-of-lists form, or says what is wrong with them.
pub(crate) fn normalize_filters(value: Value) -> Result<Vec<Value>> {
    match value {
        Value::Object(map) => dict_filters(map).map_err(Error::InvalidInput),
        Value::Array(items) if items.iter().all(Value::is_array) => {
            for item in &items {
                check_condition(item)?;
            }
            Ok(items)
        }
        Value::Array(_) => {
            check_condition(&value)?;
            Ok(vec![value])
        }
        other => Err(Error::InvalidInput(format!(
            "a filter must be a list or a dict, got {other}"
        ))),
    }
}

/// Frappe's dict form as `[field, op, value]` conditions, read as `make_filter_tuple` reads
/// it: `{"f": ["op", v]}` keeps its operator, a value that is not a list is an `=`. A list of
/// any other shape is refused, naming the field: Frappe would take its first two elements as
/// operator and value (dropping the rest, or failing on a missing or non-text operator), never
/// what was meant. Shared with the test site, so both read a dict the same way.
pub(crate) fn dict_filters(map: Map<String, Value>) -> std::result::Result<Vec<Value>, String> {
    map.into_iter()
        .map(|(field, v)| match v {
            Value::Array(pair) if pair.len() == 2 && pair[0].is_string() => {
                let mut it = pair.into_iter();
                let op = it.next().unwrap_or(Value::Null);
                let value = it.next().unwrap_or(Value::Null);
                Ok(Value::Array(vec![Value::String(field), op, value]))
            }
            Value::Array(other) => Err(format!(
                "the dict filter for {field:?} is {}: a list there must be [operator, value]",
                crate::api_error::truncate_chars(&Value::Array(other).to_string(), 80)
            )),
            other => Ok(Value::Array(vec![
                Value::String(field),
                Value::from("="),
                other,
            ])),
        })
        .collect()
}

fn check_condition(item: &Value) -> Result<()> {
    match item.as_array() {
        Some(parts) if (3..=4).contains(&parts.len()) => Ok(()),
        _ => Err(Error::InvalidInput(format!(
            "a filter condition needs 3 or 4 elements ([field, op, value] or [doctype, field, op, value]), got {item}"
        ))),
    }
}

/// Something [`ListRequest::order_by`](super::ListRequest::order_by) accepts: a typed [`OrderBy<D>`] or a raw clause such as
/// `"modified desc"` (several keys may be comma-separated).
pub trait IntoOrderBy<D> {
    /// The clause text.
    fn into_order_by(self) -> String;
}

impl<D> IntoOrderBy<D> for OrderBy<D> {
    fn into_order_by(self) -> String {
        self.to_string()
    }
}

impl<D> IntoOrderBy<D> for &str {
    fn into_order_by(self) -> String {
        self.to_owned()
    }
}

impl<D> IntoOrderBy<D> for String {
    fn into_order_by(self) -> String {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::super::ListRequest;
    use super::super::Row;
    use crate::Client;
    use serde_json::json;

    fn req() -> ListRequest<Row> {
        let client = Client::builder("http://127.0.0.1:9").build().unwrap();
        ListRequest::new(client, "ToDo".into(), false, None)
    }

    #[test]
    fn filters_on_nan_are_reported_not_sent_as_null() {
        struct Item;
        impl crate::Document for Item {
            const DOCTYPE: &'static str = "Item";
            const FIELDS: &'static [crate::FieldInfo] = &[];
        }
        const RATE: crate::Field<Item, f64> = crate::Field::new("rate");
        let client = Client::builder("http://127.0.0.1:9").build().unwrap();
        let list = || client.list::<Item>();
        for (what, r) in [
            ("gt", list().filter(RATE.gt(f64::NAN))),
            ("in", list().filter(vec![RATE.is_in([1.0, f64::INFINITY])])),
            ("between", list().or_filter([RATE.between(0.0, f64::NAN)])),
        ] {
            let err = r.check().unwrap_err().to_string();
            assert!(
                err.contains("Item") && err.contains("rate") && err.contains("NaN"),
                "{what}: {err}"
            );
        }
        assert!(serde_json::to_value(RATE.eq(f64::NAN)).is_err());
        // Finite values are fine.
        assert!(list().filter(RATE.between(0.5, 2.0)).check().is_ok());
    }

    #[test]
    fn filter_errors_are_typed() {
        use super::IntoFilters;
        use crate::Error;
        let err = IntoFilters::<Row>::into_filters(json!("status")).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.contains("list or a dict")),
            "{err:?}"
        );
        // A dict's list value is [operator, value]; what Frappe would misread is refused,
        // naming the field.
        let dict = IntoFilters::<Row>::into_filters(json!({"status": ["!=", "Open"], "idx": 3}));
        assert_eq!(
            dict.unwrap(),
            [json!(["idx", "=", 3]), json!(["status", "!=", "Open"])]
        );
        for bad in [
            json!(["a", "b", "c"]),
            json!([1, 2]),
            json!([]),
            json!(["in"]),
        ] {
            let err = IntoFilters::<Row>::into_filters(json!({ "title": bad })).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput(m) if m.contains("\"title\"") && m.contains("[operator, value]")),
                "{bad}: {err:?}"
            );
        }
        const RATE: crate::Field<Row, f64> = crate::Field::new("rate");
        let err = RATE.gt(f64::NAN).check().unwrap_err();
        assert!(err.message().starts_with("rate >"), "{err:?}");
        let err = IntoFilters::<Row>::into_filters(RATE.gt(f64::NAN)).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.starts_with("rate >")),
            "{err:?}"
        );
        // Wrapped into the list's message without a second "invalid input" prefix.
        let err = req()
            .filter(RATE.gt(f64::NAN))
            .check()
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "invalid input: ToDo: filter: rate >: the value has no JSON form (NaN or infinity)"
        );
    }

    #[test]
    fn bad_raw_filters_are_reported_not_dropped() {
        let r = req().filter(json!(["status", "Open"]));
        let err = r.check().unwrap_err().to_string();
        assert!(
            err.contains("ToDo") && err.contains("3 or 4 elements"),
            "{err}"
        );
        let r = req().filter(json!("status"));
        assert!(r.check().is_err());
    }
}
