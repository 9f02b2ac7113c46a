//! Lists as `frappe.client.get_list` / `frappe/model/db_query.py` answer them: `fields` (names,
//! `*`, `` `tabX`.`f` ``, `f as alias`), `filters` and `or_filters` (list of lists, 4-element
//! lists, dict forms), `order_by` (none by default in Frappe 15.44, so the order is unspecified there; here by name,
//! as InnoDB's primary key scan gives it),
//! `limit_start` / `limit_page_length` (alias `limit`, default 20, `0` = all), `as_dict`.
//!
//! Comparisons follow MariaDB as Frappe's SQL uses it: strings compare case-insensitively,
//! `like` is SQL LIKE (`%`, `_`, case-insensitive; a backslash is literal, as Frappe escapes it), numeric fieldtypes compare
//! as numbers, and a NULL takes Frappe's `ifnull(column, fallback)` (`''`, or 0 for numbers) where
//! Frappe wraps the column. `group_by`, aggregate fields, date-range operators (`timespan`,
//! `previous`, `next`) and the tree operators answer 501.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::docs::{as_dict, cint, cstr, flt};
use super::error::{SiteError, SiteResult};
use super::meta::DocTypeMeta;
use super::store::{Doc, State};
use super::users::Caller;

const NUMERIC: &[&str] = &["Check", "Int", "Long Int", "Float", "Currency", "Percent"];

fn numeric(meta: &DocTypeMeta, field: &str) -> bool {
    matches!(field, "docstatus" | "idx")
        || meta
            .field(field)
            .and_then(|f| f.fieldtype.as_deref())
            .is_some_and(|t| NUMERIC.contains(&t))
}

fn parse_json(what: &str, text: &str) -> SiteResult<Value> {
    serde_json::from_str(text).map_err(|e| SiteError::bad_json(what, &e))
}

/// `GET /api/resource/<doctype>`.
pub(crate) fn get_list(
    state: &State,
    doctype: &str,
    params: &[(String, String)],
    caller: &Caller,
) -> SiteResult<Vec<Value>> {
    let meta = state.meta(doctype)?;
    let param = |k: &str| {
        params
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    if meta.istable {
        return Err(SiteError::unsupported(format!(
            "listing the child DocType {doctype} (read the rows through their parent)"
        )));
    }
    if !caller.can(&meta, "read", None) {
        return Err(caller.list_denied(&meta));
    }
    if param("group_by").is_some_and(|g| !g.is_empty()) {
        return Err(SiteError::unsupported("group_by in lists"));
    }
    let fields: Vec<String> = match param("fields") {
        None | Some("") => vec!["name".into()],
        Some(text) => match parse_json("fields", text)? {
            Value::Array(items) => items.iter().map(|v| cstr(Some(v))).collect(),
            Value::String(s) => s.split(',').map(|s| s.trim().to_owned()).collect(),
            other => vec![cstr(Some(&other))],
        },
    };
    let columns = fields
        .iter()
        .map(|f| column(&meta, f))
        .collect::<SiteResult<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    let filters = conditions(&meta, param("filters"), "filters")?;
    let or_filters = conditions(&meta, param("or_filters"), "or_filters")?;

    let mut rows: Vec<Doc> = state
        .all(doctype)
        .filter(|d| caller.can(&meta, "read", Some(d)))
        .map(|d| as_dict(state, &meta, d))
        .filter(|d| filters.iter().all(|c| c.matches(&meta, d)))
        .filter(|d| or_filters.is_empty() || or_filters.iter().any(|c| c.matches(&meta, d)))
        .collect();

    let order = match param("order_by") {
        Some(o) if !o.trim().is_empty() => o.to_owned(),
        // Frappe 15.44 sends no ORDER BY then; MariaDB scans the primary key in order.
        _ => "name asc".to_owned(),
    };
    let keys = order
        .split(',')
        .map(|part| {
            let mut words = part.split_whitespace();
            let field = words
                .next()
                .map(|f| bare(&meta, f))
                .transpose()?
                .unwrap_or_default();
            let desc = match words.next().map(str::to_lowercase).as_deref() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(other) => {
                    return Err(SiteError::unsupported(format!(
                        "order_by direction {other:?}"
                    )));
                }
            };
            Ok((field, desc))
        })
        .collect::<SiteResult<Vec<_>>>()?;
    rows.sort_by(|a, b| {
        for (field, desc) in &keys {
            let o = compare_values(&meta, field, a.get(field), b.get(field));
            let o = if *desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    });

    let start = param("limit_start")
        .map_or(0, |s| cint(&Value::String(s.into())))
        .max(0) as usize;
    let length = param("limit_page_length")
        .or_else(|| param("limit"))
        .map_or(20, |s| cint(&Value::String(s.into())));
    let rows = rows.into_iter().skip(start);
    let rows: Vec<Doc> = if length > 0 {
        rows.take(length as usize).collect()
    } else {
        rows.collect()
    };
    let as_dict_out = param("as_dict").is_none_or(|v| !matches!(v, "0" | "false" | "False"));
    Ok(rows
        .into_iter()
        .map(|row| {
            let values = columns
                .iter()
                .map(|(field, alias)| (alias.clone(), list_value(&meta, field, row.get(field))));
            if as_dict_out {
                Value::Object(values.collect::<Map<_, _>>())
            } else {
                Value::Array(values.map(|(_, v)| v).collect())
            }
        })
        .collect())
}

/// A value as a list row has it: the column's value, NULL included.
fn list_value(meta: &DocTypeMeta, field: &str, value: Option<&Value>) -> Value {
    match value {
        Some(v) => v.clone(),
        None if numeric(meta, field) => Value::from(0),
        None => Value::Null,
    }
}

/// A field name as Frappe accepts it: `f`, `` `f` ``, `` `tabX`.`f` ``, `tabX.f`.
fn bare(meta: &DocTypeMeta, text: &str) -> SiteResult<String> {
    let text = text.trim();
    let field = match text.rsplit_once('.') {
        Some((table, f)) => {
            let table = table.trim_matches('`');
            if table != format!("tab{}", meta.name) {
                return Err(SiteError::unsupported(format!(
                    "the column {text:?} (another table)"
                )));
            }
            f
        }
        None => text,
    };
    let field = field.trim_matches('`').to_owned();
    let standard = crate::standard::FIELDS.iter().any(|f| f.name == field);
    if standard || meta.field(&field).is_some_and(|f| f.has_column()) {
        Ok(field)
    } else if field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Err(SiteError::new(
            417,
            "DataError",
            format!("Field not permitted in query: {field}"),
        ))
    } else {
        Err(SiteError::unsupported(format!(
            "the expression {text:?} in a list query"
        )))
    }
}

/// One entry of `fields`: the column(s) it selects and their keys in the row.
fn column(meta: &DocTypeMeta, text: &str) -> SiteResult<Vec<(String, String)>> {
    let text = text.trim();
    if text == "*" || text == format!("`tab{}`.*", meta.name) {
        let mut all: Vec<(String, String)> = [
            "name",
            "owner",
            "creation",
            "modified",
            "modified_by",
            "docstatus",
            "idx",
        ]
        .iter()
        .map(|f| ((*f).to_owned(), (*f).to_owned()))
        .collect();
        all.extend(
            meta.fields
                .iter()
                .filter(|f| f.has_column())
                .map(|f| (f.fieldname.clone(), f.fieldname.clone())),
        );
        return Ok(all);
    }
    if text.contains('(') {
        return Err(SiteError::unsupported(format!(
            "the field expression {text:?} (aggregates)"
        )));
    }
    let lower = text.to_lowercase();
    let (expr, alias) = match lower.find(" as ") {
        Some(i) => (
            &text[..i],
            Some(text[i + 4..].trim().trim_matches('`').to_owned()),
        ),
        None => (text, None),
    };
    let field = bare(meta, expr)?;
    Ok(vec![(field.clone(), alias.unwrap_or(field))])
}

/// One filter condition.
struct Condition {
    field: String,
    op: String,
    value: Value,
}

fn conditions(meta: &DocTypeMeta, text: Option<&str>, what: &str) -> SiteResult<Vec<Condition>> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    let json = parse_json(what, text)?;
    let mut out = Vec::new();
    let mut push = |field: &Value, op: &str, value: Value| -> SiteResult<()> {
        let field = bare(meta, &cstr(Some(field)))?;
        let op = op.trim().to_lowercase();
        out.push(Condition { field, op, value });
        Ok(())
    };
    match json {
        Value::Object(map) => {
            for (field, value) in map {
                match value {
                    Value::Array(pair) if pair.len() == 2 && pair[0].is_string() => push(
                        &Value::String(field),
                        &cstr(Some(&pair[0])),
                        pair[1].clone(),
                    )?,
                    value => push(&Value::String(field), "=", value)?,
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match item.as_array().map(Vec::as_slice) {
                    Some([field, op, value]) => push(field, &cstr(Some(op)), value.clone())?,
                    Some([doctype, field, op, value, ..]) if cstr(Some(doctype)) == meta.name => {
                        push(field, &cstr(Some(op)), value.clone())?
                    }
                    Some([_, field, ..]) => {
                        return Err(SiteError::unsupported(format!(
                            "a filter on another DocType's field ({field})"
                        )));
                    }
                    _ => {
                        return Err(SiteError::unsupported(format!(
                            "the filter {item} in {what}"
                        )));
                    }
                }
            }
        }
        other => return Err(SiteError::unsupported(format!("{what} = {other}"))),
    }
    for c in &out {
        let implemented = [
            "=", "!=", "<>", ">", "<", ">=", "<=", "like", "not like", "in", "not in", "is",
            "between",
        ];
        if !implemented.contains(&c.op.as_str()) {
            return Err(SiteError::unsupported(format!(
                "the filter operator {:?}",
                c.op
            )));
        }
    }
    Ok(out)
}

/// SQL LIKE, case-insensitive. Frappe doubles backslashes before sending (`db_query.py`), so a
/// backslash matches itself and `%` and `_` cannot be escaped.
fn like(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    fn go(t: &[char], p: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('%') => (0..=t.len()).any(|i| go(&t[i..], &p[1..])),
            Some('_') => !t.is_empty() && go(&t[1..], &p[1..]),
            Some(c) => t.first() == Some(c) && go(&t[1..], &p[1..]),
        }
    }
    go(&t, &p)
}

fn compare_values(
    meta: &DocTypeMeta,
    field: &str,
    a: Option<&Value>,
    b: Option<&Value>,
) -> Ordering {
    let null = |v: Option<&Value>| v.is_none_or(Value::is_null);
    match (null(a), null(b)) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    let (a, b) = (a.unwrap_or(&Value::Null), b.unwrap_or(&Value::Null));
    if numeric(meta, field) || (a.is_number() && b.is_number()) {
        flt(a).partial_cmp(&flt(b)).unwrap_or(Ordering::Equal)
    } else {
        cstr(Some(a))
            .to_lowercase()
            .cmp(&cstr(Some(b)).to_lowercase())
    }
}

impl Condition {
    fn matches(&self, meta: &DocTypeMeta, row: &Doc) -> bool {
        let num = numeric(meta, &self.field);
        let stored = row.get(&self.field).filter(|v| !v.is_null());
        let nullable = !matches!(self.field.as_str(), "name" | "modified" | "creation") && !num;
        let op = self.op.as_str();
        if op == "is" {
            let set = stored.is_some_and(|v| !cstr(Some(v)).is_empty());
            return match cstr(Some(&self.value)).as_str() {
                "set" => set,
                _ => !set,
            };
        }
        // ifnull(column, '') where Frappe wraps the column; NULL otherwise matches nothing.
        let value = match stored {
            Some(v) => v.clone(),
            None if num => Value::from(0),
            None if nullable => Value::String(String::new()),
            None => return false,
        };
        let eq = |a: &Value, b: &Value| {
            compare_values(meta, &self.field, Some(a), Some(b)) == Ordering::Equal
        };
        match op {
            "=" => eq(&value, &self.value),
            "!=" | "<>" => !eq(&value, &self.value),
            ">" | "<" | ">=" | "<=" => {
                let o = compare_values(meta, &self.field, Some(&value), Some(&self.value));
                match op {
                    ">" => o == Ordering::Greater,
                    "<" => o == Ordering::Less,
                    ">=" => o != Ordering::Less,
                    _ => o != Ordering::Greater,
                }
            }
            "like" => like(&cstr(Some(&value)), &cstr(Some(&self.value))),
            "not like" => !like(&cstr(Some(&value)), &cstr(Some(&self.value))),
            "in" | "not in" => {
                let items: Vec<Value> = match &self.value {
                    Value::Array(a) => a.clone(),
                    Value::String(s) => s
                        .split(',')
                        .map(|s| Value::String(s.trim().into()))
                        .collect(),
                    other => vec![other.clone()],
                };
                let found = items.iter().any(|i| {
                    cstr(Some(i)).trim().to_lowercase() == cstr(Some(&value)).to_lowercase()
                });
                (op == "in") == found
            }
            "between" => {
                let Some([lo, hi]) = self.value.as_array().map(Vec::as_slice) else {
                    return false;
                };
                let datetime = meta
                    .field(&self.field)
                    .and_then(|f| f.fieldtype.as_deref())
                    .is_some_and(|t| t == "Datetime")
                    || matches!(self.field.as_str(), "creation" | "modified");
                let hi = if datetime && cstr(Some(hi)).len() == 10 {
                    Value::String(format!("{} 23:59:59.999999", cstr(Some(hi))))
                } else {
                    hi.clone()
                };
                compare_values(meta, &self.field, Some(&value), Some(lo)) != Ordering::Less
                    && compare_values(meta, &self.field, Some(&value), Some(&hi))
                        != Ordering::Greater
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn like_is_sql_like_without_case() {
        assert!(like("Hello World", "%world"));
        assert!(like("abc", "a_c"));
        assert!(!like("abc", "a_"));
        assert!(like("50\\% off", "50\\%"));
        assert!(!like("50% off", "50\\%%"));
    }
}
