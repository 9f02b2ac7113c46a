//! Lists as `frappe.client.get_list` / `frappe/model/db_query.py` answer them: `fields` (names,
//! `*`, `` `tabX`.`f` ``, `f as alias`), `filters` and `or_filters` (list of lists, 4-element
//! lists, dict forms), `order_by` (none by default in Frappe 15.44, so the order is unspecified there; here by name,
//! as InnoDB's primary key scan gives it),
//! `limit_start` / `limit_page_length` (alias `limit`, default 20, `0` = all), `as_dict`,
//! `group_by` with `count`, `sum`, `avg`, `min`, `max` (`count(*)` is refused as Frappe 15.44
//! refuses it), child DocTypes through `parent`.
//!
//! Comparisons follow MariaDB as Frappe's SQL uses it: strings compare case-insensitively,
//! `like` is SQL LIKE (`%`, `_`, case-insensitive; a backslash is literal, as Frappe escapes it), numeric fieldtypes compare
//! as numbers, and a NULL takes Frappe's `ifnull(column, fallback)` (`''`, or 0 for numbers) where
//! Frappe wraps the column. The date-range operators (`timespan`, `previous`, `next`) become a
//! `between` of two dates ([`timespan`](super::timespan)); the tree operators an `in` or `not in`
//! of the nodes' names ([`tree`](super::tree)). `distinct`, other SQL functions and fields of
//! linked or child DocTypes answer 501.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::docs::{as_dict, cint, cstr, flt};
use super::error::{SiteError, SiteResult};
use super::meta::DocTypeMeta;
use super::store::{Doc, State};
use super::users::Caller;
use super::{timespan, tree};

fn numeric(meta: &DocTypeMeta, field: &str) -> bool {
    matches!(field, "docstatus" | "idx") || meta.field(field).is_some_and(|f| f.is_numeric())
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
    if meta.issingle {
        return Err(super::singles::no_table(&meta));
    }
    let param = |k: &str| {
        params
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let source: Vec<Doc> = if meta.istable {
        child_rows(state, &meta, param("parent"), caller)?
    } else {
        if !caller.can(&meta, "read", None) {
            return Err(caller.list_denied(&meta));
        }
        state
            .all(doctype)
            .filter(|d| caller.can(&meta, "read", Some(d)))
            .map(|d| as_dict(state, &meta, d))
            .collect()
    };
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
    let filters = conditions(state, &meta, param("filters"), "filters")?;
    let or_filters = conditions(state, &meta, param("or_filters"), "or_filters")?;
    let group_by = match param("group_by").map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) => Some(bare(&meta, g)?),
        None => None,
    };
    let rows: Vec<Doc> = source
        .into_iter()
        .filter(|d| filters.iter().all(|c| c.matches(&meta, d)))
        .filter(|d| or_filters.is_empty() || or_filters.iter().any(|c| c.matches(&meta, d)))
        .collect();
    let grouped = group_by.is_some()
        || columns
            .iter()
            .any(|c| matches!(c, Column::Aggregate { .. }));
    // Grouped rows are built first and sorted by their own keys; plain rows are sorted, paged,
    // then cut down to the requested columns.
    let mut rows: Vec<Doc> = if grouped {
        group(&meta, rows, group_by.as_deref(), &columns)
    } else {
        rows
    };

    let order = match param("order_by") {
        Some(o) if !o.trim().is_empty() => o.to_owned(),
        // MariaDB sorts GROUP BY results by the group.
        _ => match &group_by {
            Some(g) if grouped => format!("{g} asc"),
            // Frappe 15.44 sends no ORDER BY then; MariaDB scans the primary key in order.
            _ if grouped => String::new(),
            _ => "name asc".to_owned(),
        },
    };
    let keys = order
        .split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            let mut words = part.split_whitespace();
            let text = words.next().unwrap_or_default();
            let field = if grouped && columns.iter().any(|c| c.key() == text.trim_matches('`')) {
                text.trim_matches('`').to_owned()
            } else {
                bare(&meta, text)?
            };
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
            let values = columns.iter().map(|c| {
                let value = match c {
                    Column::Field { field, .. } if !grouped => {
                        list_value(&meta, field, row.get(field))
                    }
                    _ => row.get(c.key()).cloned().unwrap_or(Value::Null),
                };
                (c.key().to_owned(), value)
            });
            if as_dict_out {
                Value::Object(values.collect::<Map<_, _>>())
            } else {
                Value::Array(values.map(|(_, v)| v).collect())
            }
        })
        .collect())
}

/// The rows of a child DocType, read through `parent` (the parent DocType, which must have a
/// Table of it and be readable), as `check_parent_permission` demands.
fn child_rows(
    state: &State,
    meta: &DocTypeMeta,
    parent: Option<&str>,
    caller: &Caller,
) -> SiteResult<Vec<Doc>> {
    let Some(parent) = parent.filter(|p| !p.is_empty()) else {
        return Err(SiteError::permission(
            "Parent is required to get child table data",
        ));
    };
    let parent_meta = state.meta(parent)?;
    let tables: Vec<&str> = parent_meta
        .table_fields()
        .filter(|t| t.options == meta.name)
        .map(|t| t.fieldname.as_str())
        .collect();
    if tables.is_empty() {
        return Err(SiteError::permission(format!(
            "{parent} is not a valid parent DocType for {}",
            meta.name
        )));
    }
    if !caller.can(&parent_meta, "read", None) {
        return Err(caller.list_denied(&parent_meta));
    }
    let mut rows = Vec::new();
    for doc in state.all(parent) {
        if !caller.can(&parent_meta, "read", Some(doc)) {
            continue;
        }
        for table in &tables {
            for row in doc
                .get(*table)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Value::Object(row) = row {
                    rows.push(as_dict(state, meta, row));
                }
            }
        }
    }
    Ok(rows)
}

/// `GROUP BY` (or one group of every row, for aggregates without it): each group's row holds
/// the aggregates under their keys and, for plain fields, the first row's value, as MariaDB
/// answers a column that is neither grouped nor aggregated.
fn group(meta: &DocTypeMeta, rows: Vec<Doc>, by: Option<&str>, columns: &[Column]) -> Vec<Doc> {
    let mut groups: Vec<(Option<String>, Vec<Doc>)> = Vec::new();
    for row in rows {
        let key = by.map(|f| cstr(row.get(f)).to_lowercase());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(row),
            None => groups.push((key, vec![row])),
        }
    }
    if groups.is_empty() && by.is_none() {
        groups.push((None, Vec::new()));
    }
    groups
        .into_iter()
        .map(|(_, members)| {
            let mut out = Map::new();
            for c in columns {
                let value = match c {
                    Column::Field { field, .. } => members
                        .first()
                        .map_or(Value::Null, |r| list_value(meta, field, r.get(field))),
                    Column::Aggregate { func, field, .. } => aggregate(meta, func, field, &members),
                };
                out.insert(c.key().to_owned(), value);
            }
            out
        })
        .collect()
}

fn aggregate(meta: &DocTypeMeta, func: &str, field: &str, rows: &[Doc]) -> Value {
    let values: Vec<&Value> = rows
        .iter()
        .filter_map(|r| r.get(field))
        .filter(|v| !v.is_null())
        .collect();
    match func {
        "count" => Value::from(values.len()),
        "sum" | "avg" if values.is_empty() => Value::Null,
        "sum" => Value::from(values.iter().map(|v| flt(v)).sum::<f64>()),
        "avg" => Value::from(values.iter().map(|v| flt(v)).sum::<f64>() / values.len() as f64),
        _ => {
            let best = values.into_iter().reduce(|a, b| {
                let o = compare_values(meta, field, Some(a), Some(b));
                if (func == "max") == (o == Ordering::Less) {
                    b
                } else {
                    a
                }
            });
            best.cloned().unwrap_or(Value::Null)
        }
    }
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
    if crate::standard::field(&field).is_some()
        || meta.field(&field).is_some_and(|f| f.has_column())
    {
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

/// One selected column: a field, or an aggregate of one.
enum Column {
    Field {
        field: String,
        key: String,
    },
    Aggregate {
        func: String,
        field: String,
        key: String,
    },
}

impl Column {
    fn key(&self) -> &str {
        match self {
            Column::Field { key, .. } | Column::Aggregate { key, .. } => key,
        }
    }
}

/// One entry of `fields`: the column(s) it selects and their keys in the row.
fn column(meta: &DocTypeMeta, text: &str) -> SiteResult<Vec<Column>> {
    let text = text.trim();
    if text == "*" || text == format!("`tab{}`.*", meta.name) {
        let mut all: Vec<Column> = crate::standard::fields(meta.istable)
            .map(|f| Column::Field {
                field: f.name.to_owned(),
                key: f.name.to_owned(),
            })
            .collect();
        all.extend(
            meta.fields
                .iter()
                .filter(|f| f.has_column())
                .map(|f| Column::Field {
                    field: f.fieldname.clone(),
                    key: f.fieldname.clone(),
                }),
        );
        return Ok(all);
    }
    let lower = text.to_lowercase();
    let (expr, alias) = match lower.find(" as ") {
        Some(i) => (
            text[..i].trim(),
            Some(text[i + 4..].trim().trim_matches('`').to_owned()),
        ),
        None => (text, None),
    };
    if let Some(open) = expr.find('(') {
        let func = expr[..open].trim().to_lowercase();
        let inner = expr[open + 1..]
            .trim_end()
            .strip_suffix(')')
            .unwrap_or("")
            .trim();
        if !matches!(func.as_str(), "count" | "sum" | "avg" | "min" | "max") {
            return Err(SiteError::unsupported(format!(
                "the field expression {text:?}"
            )));
        }
        let inner = inner.strip_prefix("distinct ").map_or(inner, str::trim);
        if inner
            != expr[open + 1..]
                .trim_end()
                .strip_suffix(')')
                .unwrap_or("")
                .trim()
        {
            return Err(SiteError::unsupported(format!(
                "the field expression {text:?} (distinct)"
            )));
        }
        if inner == "*" {
            // What Frappe 15.44 answers for `count(*)` (its field check sees `*`).
            return Err(SiteError::validation(
                "DataError",
                "Field not permitted in query: *",
            ));
        }
        let field = bare(meta, inner)?;
        return Ok(vec![Column::Aggregate {
            func,
            field,
            key: alias.unwrap_or_else(|| expr.to_owned()),
        }]);
    }
    let field = bare(meta, expr)?;
    Ok(vec![Column::Field {
        key: alias.unwrap_or_else(|| field.clone()),
        field,
    }])
}

/// One filter condition.
struct Condition {
    field: String,
    op: String,
    value: Value,
}

fn conditions(
    state: &State,
    meta: &DocTypeMeta,
    text: Option<&str>,
    what: &str,
) -> SiteResult<Vec<Condition>> {
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
    let items = match json {
        // The dict form read as the client reads it: every entry a 3-element condition. A shape
        // Frappe would misread (see `dict_filters`) is not answered as it would be: 501.
        Value::Object(map) => crate::list::dict_filters(map)
            .map_err(|e| SiteError::unsupported(format!("{e} (in {what})")))?,
        Value::Array(items) => items,
        other => return Err(SiteError::unsupported(format!("{what} = {other}"))),
    };
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
    for c in &mut out {
        let implemented = [
            "=", "!=", "<>", ">", "<", ">=", "<=", "like", "not like", "in", "not in", "is",
            "between",
        ];
        if tree::OPERATORS.contains(&c.op.as_str()) {
            // The operator's nodes, read from the Link's DocType (the list's own for `name`).
            let target = match meta.field(&c.field) {
                None => meta.name.clone(),
                Some(f) if !f.options.is_empty() => f.options.clone(),
                Some(_) => {
                    return Err(SiteError::unsupported(format!(
                        "the {:?} filter on {}.{}, which is not a Link",
                        c.op, meta.name, c.field
                    )));
                }
            };
            let nodes = tree::nodes(state, &target, &c.op, &c.value)?;
            c.op = if c.op.starts_with("not ") {
                "not in"
            } else {
                "in"
            }
            .to_owned();
            c.value = Value::Array(nodes);
        } else if matches!(c.op.as_str(), "timespan" | "previous" | "next") {
            let today = chrono::Local::now().date_naive();
            let (from, to) = timespan::date_range(&c.op, &cstr(Some(&c.value)), today)?;
            c.op = "between".to_owned();
            c.value = json!([from.to_string(), to.to_string()]);
        } else if !implemented.contains(&c.op.as_str()) {
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
