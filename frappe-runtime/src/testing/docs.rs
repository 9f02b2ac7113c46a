//! A document's life as `frappe/model/document.py` runs it: insert (defaults, owner and
//! timestamps, docstatus, Link checks, the `create` permission, naming, mandatory and Select
//! checks, the duplicate-name check), save from a PUT body (`doc.update(data)`: a Table value
//! replaces the table, rows without `name` are new; the `modified` check; docstatus transitions
//! and what may change after submit), delete (not when submitted), and the `as_dict` a response
//! carries (values coerced by fieldtype as `get_valid_dict` does, nulls left out).

use serde_json::{Map, Value, json};

use super::error::{SiteError, SiteResult};
use super::meta::{DocTypeMeta, FieldMeta};
use super::naming;
use super::store::{Doc, State, name_text};
use super::users::Caller;
use super::{singles, tree};

/// The key Frappe's `new_doc` leaves on new child rows: in the answer to the insert or save
/// that added them (and on rows a client sends back with it), not in what is stored.
const UNSAVED: &str = "__unsaved";

/// The answer's document, and the stored one without the transient keys.
fn store(state: &mut State, meta: &DocTypeMeta, doctype: &str, mut doc: Doc) -> Doc {
    let answer = as_dict(state, meta, &doc);
    for (_, row) in rows_mut(meta, &mut doc) {
        if let Value::Object(row) = row {
            row.remove(UNSAVED);
        }
    }
    state.put(doctype, doc);
    answer
}

/// What Single DocTypes (`singles.rs`) do not implement (renames, `frappe.client.save` and
/// submit of one): 501 rather than an answer Frappe would not give.
pub(crate) fn not_single(meta: &DocTypeMeta) -> SiteResult<()> {
    if meta.issingle {
        return Err(SiteError::unsupported(format!(
            "the Single DocType {}",
            meta.name
        )));
    }
    Ok(())
}

/// Frappe's `cint`: integers, floats truncated, numeric strings; anything else 0.
pub(crate) fn cint(v: &Value) -> i64 {
    match v {
        Value::Number(n) => n
            .as_i64()
            .unwrap_or_else(|| n.as_f64().unwrap_or(0.0) as i64),
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .or_else(|| s.trim().parse::<f64>().ok().map(|f| f as i64))
            .unwrap_or(0),
        _ => 0,
    }
}

/// Frappe's `flt`.
pub(crate) fn flt(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => s.trim().replace(',', "").parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Frappe's `cstr` of a stored value.
pub(crate) fn cstr(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `get_valid_dict`'s coercion of one value.
pub(crate) fn coerce(field: &FieldMeta, value: Value) -> Value {
    match field.fieldtype.as_deref() {
        Some("Check") => json!(if cint(&value) != 0 { 1 } else { 0 }),
        Some("Int" | "Long Int") if !value.is_i64() => json!(cint(&value)),
        Some("Float" | "Currency" | "Percent") if !value.is_f64() => json!(flt(&value)),
        Some("JSON") if value.is_object() => Value::String(value.to_string()),
        Some("Date" | "Datetime" | "Time") if value == "" => Value::Null,
        _ if field.unique && cstr(Some(&value)).trim().is_empty() => Value::Null,
        _ => value,
    }
}

/// The document as a response carries it: `as_dict(no_nulls=True)`.
pub(crate) fn as_dict(state: &State, meta: &DocTypeMeta, doc: &Doc) -> Doc {
    let mut out = Map::new();
    for (key, value) in doc {
        let value = match meta.field(key) {
            Some(f) if f.is_table() => {
                let child = state.metas.get(&f.options);
                let rows = value.as_array().cloned().unwrap_or_default();
                Value::Array(
                    rows.into_iter()
                        .map(|row| match (row, child) {
                            (Value::Object(row), Some(child)) => {
                                Value::Object(as_dict(state, child, &row))
                            }
                            (row, _) => row,
                        })
                        .collect(),
                )
            }
            // As the column gives it: a document's was made a number when written, a Single's
            // stays text (`_fix_numeric_types` leaves Long Int alone).
            Some(f) if f.fieldtype.as_deref() == Some("Long Int") => value.clone(),
            Some(f) => coerce(f, value.clone()),
            None => value.clone(),
        };
        if !value.is_null() {
            out.insert(key.clone(), value);
        }
    }
    // Check, Int, Float, Currency and Percent columns are never NULL.
    for f in &meta.fields {
        if !out.contains_key(&f.fieldname) && f.is_never_null() {
            out.insert(f.fieldname.clone(), coerce(f, Value::Null));
        }
        if f.is_table() && !out.contains_key(&f.fieldname) {
            out.insert(f.fieldname.clone(), json!([]));
        }
    }
    out.insert("doctype".into(), json!(meta.name));
    out
}

/// The body of a POST or PUT as a JSON object.
fn object(data: Value) -> SiteResult<Map<String, Value>> {
    match data {
        Value::Object(m) => Ok(m),
        other => Err(SiteError::new(
            500,
            "AttributeError",
            format!("the document must be a JSON object, not {other}"),
        )),
    }
}

fn default_value(field: &FieldMeta, caller: &Caller) -> Option<Value> {
    match field.default.as_deref() {
        Some("__user") => Some(json!(caller.user)),
        Some("Today") => Some(json!(chrono::Local::now().date_naive().to_string())),
        Some(d) if !d.starts_with(':') => Some(json!(d)),
        Some(_) => None,
        None if field.fieldtype.as_deref() == Some("Select") => field
            .options
            .split('\n')
            .next()
            .filter(|o| !field.options.is_empty() && *o != "[Select]")
            .map(|o| json!(o)),
        None => None,
    }
}

/// Copies the fields of `meta` from `data` into `doc`; Table values become rows.
pub(crate) fn apply(
    state: &State,
    meta: &DocTypeMeta,
    doc: &mut Doc,
    data: &Map<String, Value>,
    existing_rows: bool,
) -> SiteResult<()> {
    for field in &meta.fields {
        let Some(value) = data.get(&field.fieldname) else {
            continue;
        };
        if field.is_table() {
            let child = state.meta(&field.options)?;
            let rows = match value {
                Value::Null => Vec::new(),
                Value::Array(rows) => rows.clone(),
                _ => {
                    return Err(SiteError::unsupported(format!(
                        "a non-list value for the Table field {}.{}",
                        meta.name, field.fieldname
                    )));
                }
            };
            let mut built = Vec::with_capacity(rows.len());
            for (i, row) in rows.into_iter().enumerate() {
                let row = object(row)?;
                let mut new = Map::new();
                if existing_rows {
                    if let Some(name) = row.get("name").filter(|n| !cstr(Some(n)).is_empty()) {
                        new.insert("name".into(), name.clone());
                    }
                }
                let idx = cint(row.get("idx").unwrap_or(&Value::Null));
                new.insert(
                    "idx".into(),
                    json!(if idx > 0 { idx } else { i as i64 + 1 }),
                );
                for f in child.fields.iter().filter(|f| f.has_column()) {
                    if let Some(v) = row.get(&f.fieldname) {
                        new.insert(f.fieldname.clone(), v.clone());
                    }
                }
                // Echoed in the answer, never stored (see `UNSAVED`).
                if let Some(v) = row.get(UNSAVED) {
                    new.insert(UNSAVED.into(), v.clone());
                }
                built.push(Value::Object(new));
            }
            doc.insert(field.fieldname.clone(), Value::Array(built));
        } else if field.has_column() {
            if value.is_array() {
                return Err(SiteError::validation(
                    "ValidationError",
                    format!("Value for {} cannot be a list", field.label),
                ));
            }
            doc.insert(field.fieldname.clone(), value.clone());
        }
    }
    Ok(())
}

fn rows_mut<'a>(meta: &'a DocTypeMeta, doc: &'a mut Doc) -> Vec<(&'a FieldMeta, &'a mut Value)> {
    let tables: Vec<&FieldMeta> = meta.table_fields().collect();
    let mut out = Vec::new();
    for (key, value) in doc.iter_mut() {
        if let Some(f) = tables.iter().find(|f| &f.fieldname == key) {
            if let Value::Array(rows) = value {
                out.extend(rows.iter_mut().map(|r| (*f, r)));
            }
        }
    }
    out
}

pub(crate) fn set_defaults(
    state: &State,
    meta: &DocTypeMeta,
    doc: &mut Doc,
    caller: &Caller,
) -> SiteResult<()> {
    for f in meta.fields.iter().filter(|f| f.has_column()) {
        if doc.get(&f.fieldname).is_none_or(Value::is_null) {
            if let Some(v) = default_value(f, caller) {
                doc.insert(f.fieldname.clone(), v);
            }
        }
    }
    for (table, row) in rows_mut(meta, doc) {
        let child = state.meta(&table.options)?;
        // Only new rows (no name yet) get defaults, and Frappe's `new_doc` marks them unsaved.
        if let Value::Object(row) = row {
            if row.get("name").is_some_and(|n| !cstr(Some(n)).is_empty()) {
                continue;
            }
            row.insert(UNSAVED.into(), json!(1));
            for f in child.fields.iter().filter(|f| f.has_column()) {
                if row.get(&f.fieldname).is_none_or(Value::is_null) {
                    if let Some(v) = default_value(f, caller) {
                        row.insert(f.fieldname.clone(), v);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Runs `check` on the document (row `None`), then on each row of each of its Table fields with
/// the row's `idx`, as Frappe validates a parent and then its children.
fn each_part(
    state: &State,
    meta: &DocTypeMeta,
    doc: &Doc,
    mut check: impl FnMut(&DocTypeMeta, &Map<String, Value>, Option<i64>) -> SiteResult<()>,
) -> SiteResult<()> {
    check(meta, doc, None)?;
    for table in meta.table_fields() {
        let child = state.meta(&table.options)?;
        let rows = doc.get(&table.fieldname).and_then(Value::as_array);
        for row in rows.into_iter().flatten() {
            if let Value::Object(row) = row {
                check(
                    &child,
                    row,
                    Some(cint(row.get("idx").unwrap_or(&Value::Null))),
                )?;
            }
        }
    }
    Ok(())
}

/// `_validate_links`: every Link value names an existing document.
pub(crate) fn validate_links(state: &State, meta: &DocTypeMeta, doc: &Doc) -> SiteResult<()> {
    let mut invalid = Vec::new();
    let check = |meta: &DocTypeMeta,
                 doc: &Map<String, Value>,
                 row: Option<i64>|
     -> SiteResult<()> {
        for f in meta.fields.iter() {
            let target = match f.fieldtype.as_deref() {
                Some("Link") => f.options.clone(),
                Some("Dynamic Link") => cstr(doc.get(&f.options)),
                _ => continue,
            };
            let value = cstr(doc.get(&f.fieldname));
            if value.is_empty() || target.is_empty() {
                continue;
            }
            if !state.metas.contains_key(&target) {
                return Err(SiteError::unsupported(format!(
                    "checking the Link {}.{}: its target DocType {target:?} is not on the test site \
                     (add it to the builder)",
                    meta.name, f.fieldname
                )));
            }
            if !state.exists(&target, &value) {
                invalid.push(match row {
                    Some(idx) => format!("Row #{idx}: {}: {value}", f.label),
                    None => format!("{}: {value}", f.label),
                });
            }
        }
        Ok(())
    };
    each_part(state, meta, doc, check)?;
    if invalid.is_empty() {
        Ok(())
    } else {
        Err(SiteError::validation(
            "LinkValidationError",
            format!("Could not find {}", invalid.join(", ")),
        ))
    }
}

fn has_content(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Array(a)) => !a.is_empty(),
        Some(v) => !cstr(Some(v)).trim().is_empty(),
    }
}

/// `_validate_mandatory` with the children's, then `_validate_selects`.
pub(crate) fn validate(state: &State, meta: &DocTypeMeta, doc: &Doc, name: &str) -> SiteResult<()> {
    let mut missing: Vec<(String, String)> = Vec::new();
    for f in meta.fields.iter().filter(|f| f.reqd) {
        if !has_content(doc.get(&f.fieldname)) {
            let msg = if f.is_table() {
                format!("Error: Data missing in table: {}", f.label)
            } else {
                format!("Error: Value missing for {}: {}", meta.name, f.label)
            };
            missing.push((f.fieldname.clone(), msg));
        }
    }
    for table in meta.table_fields() {
        let child = state.meta(&table.options)?;
        for row in doc
            .get(&table.fieldname)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for f in child.fields.iter().filter(|f| f.reqd) {
                if !has_content(row.get(&f.fieldname)) {
                    missing.push((
                        f.fieldname.clone(),
                        format!(
                            "Error: <strong>{}</strong> Row #{}: Value missing for: {}",
                            child.name,
                            cint(row.get("idx").unwrap_or(&Value::Null)),
                            f.label
                        ),
                    ));
                }
            }
        }
    }
    if !missing.is_empty() {
        let mut e = SiteError::new(
            417,
            "MandatoryError",
            format!(
                "[{}, {name}]: {}",
                meta.name,
                missing
                    .iter()
                    .map(|m| m.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        e.messages = missing
            .into_iter()
            .map(|(_, m)| json!({"message": m, "title": "Message"}))
            .collect();
        return Err(e);
    }
    let selects =
        |meta: &DocTypeMeta, doc: &Map<String, Value>, row: Option<i64>| -> SiteResult<()> {
            for f in meta
                .fields
                .iter()
                .filter(|f| f.fieldtype.as_deref() == Some("Select"))
            {
                let value = cstr(doc.get(&f.fieldname));
                if f.fieldname == "naming_series" || value.is_empty() || f.options.is_empty() {
                    continue;
                }
                let options: Vec<&str> = f.options.split('\n').collect();
                if !options.contains(&value.trim()) {
                    let prefix = row.map(|i| format!("Row #{i}:")).unwrap_or_default();
                    return Err(SiteError::validation(
                        "ValidationError",
                        format!(
                            "{prefix} {} cannot be \"{}\". It should be one of \"{}\"",
                            f.label,
                            value.trim(),
                            options.join("\", \"")
                        ),
                    ));
                }
            }
            Ok(())
        };
    each_part(state, meta, doc, selects)?;
    Ok(())
}

/// `set_parent_in_children` and the children's standard fields.
fn stamp_children(meta: &DocTypeMeta, doc: &mut Doc) {
    let name = doc.get("name").cloned().unwrap_or(Value::Null);
    let stamp: Vec<(&str, Value)> = ["owner", "creation", "modified", "modified_by", "docstatus"]
        .into_iter()
        .map(|k| (k, doc.get(k).cloned().unwrap_or(Value::Null)))
        .collect();
    for (table, row) in rows_mut(meta, doc) {
        if let Value::Object(row) = row {
            if row.get("name").is_none_or(|n| cstr(Some(n)).is_empty()) {
                row.insert("name".into(), json!(naming::hash_name()));
            }
            for (k, v) in &stamp {
                // New rows take the parent's owner and creation; kept rows keep theirs.
                if (*k == "owner" || *k == "creation") && row.get(*k).is_some_and(|v| !v.is_null())
                {
                    continue;
                }
                row.insert((*k).into(), v.clone());
            }
            row.insert("parent".into(), name.clone());
            row.insert("parentfield".into(), json!(table.fieldname));
            row.insert("parenttype".into(), json!(meta.name));
            row.insert("doctype".into(), json!(table.options));
        }
    }
}

/// DocTypes whose documents change what Frappe answers for other documents (permissions,
/// metadata, naming, workflow states, server-side code). The test site does not apply them, so
/// storing one would make later answers silently wrong: inserting one answers 501.
const APPLIED_BY_FRAPPE: &[&str] = &[
    "Workflow",
    "Document Naming Rule",
    "User Permission",
    "DocShare",
    "Custom Field",
    "Property Setter",
    "Server Script",
    "Assignment Rule",
];

/// POST /api/resource/<doctype>: `frappe.new_doc(doctype, **data).insert()`.
pub(crate) fn insert(
    state: &mut State,
    doctype: &str,
    data: Value,
    caller: &Caller,
) -> SiteResult<Doc> {
    let meta = state.meta(doctype)?;
    if APPLIED_BY_FRAPPE.contains(&doctype) {
        return Err(SiteError::unsupported(format!(
            "{doctype} documents (the site would store them and not apply them)"
        )));
    }
    if meta.issingle {
        return singles::insert(state, &meta, object(data)?, caller);
    }
    if meta.istable {
        return Err(SiteError::unsupported(format!(
            "inserting a {doctype} row by itself (insert it through its parent)"
        )));
    }
    let data = object(data)?;
    let mut doc = Map::new();
    apply(state, &meta, &mut doc, &data, false)?;
    for key in ["name", "amended_from", "naming_series", "__newname"] {
        if let Some(v) = data.get(key) {
            doc.insert(key.into(), v.clone());
        }
    }
    set_defaults(state, &meta, &mut doc, caller)?;
    let now = state.now();
    doc.insert("owner".into(), json!(caller.user));
    doc.insert("creation".into(), json!(now));
    doc.insert("modified".into(), json!(now));
    doc.insert("modified_by".into(), json!(caller.user));
    doc.insert("idx".into(), json!(0));
    let docstatus = data.get("docstatus").map_or(0, cint);
    match docstatus {
        0 => {}
        1 if meta.is_submittable => caller.require(&meta, "submit", None)?,
        2 => {
            return Err(SiteError::new(
                417,
                "DocstatusTransitionError",
                "Cannot change docstatus from 0 (Draft) to 2 (Cancelled)",
            ));
        }
        _ => {
            return Err(SiteError::unsupported(format!(
                "docstatus {docstatus} on a new {doctype} (not submittable)"
            )));
        }
    }
    doc.insert("docstatus".into(), json!(docstatus));
    validate_links(state, &meta, &doc)?;
    caller.require(&meta, "create", None)?;
    let name = {
        let mut counters = std::mem::take(&mut state.counters);
        let amended = |from: &str| {
            state
                .doc(doctype, from)
                .is_ok_and(|d| !cstr(d.get("amended_from")).is_empty())
        };
        let named = naming::new_name(&meta, &doc, &mut counters, amended);
        state.counters = counters;
        named?
    };
    doc.remove("__newname");
    if !meta.fields.iter().any(|f| f.fieldname == "naming_series") {
        doc.remove("naming_series");
    }
    doc.insert("name".into(), name.clone());
    stamp_children(&meta, &mut doc);
    let name_text = name_text(&name);
    validate(state, &meta, &doc, &name_text)?;
    if state.exists(doctype, &name_text) {
        return Err(SiteError::duplicate(doctype, &name_text));
    }
    check_unique(state, &meta, &doc, &name_text)?;
    let before = state.docs.get(doctype).cloned();
    let answer = store(state, &meta, doctype, doc);
    after_write(state, &meta, &name_text, before, answer)
}

/// A tree DocType's `on_update` after a write (nested set, `old_parent`, the leaf check; the
/// write undone when it fails), and the answer with the bounds it set, as Frappe reloads it.
fn after_write(
    state: &mut State,
    meta: &DocTypeMeta,
    name: &str,
    before: Option<std::collections::BTreeMap<String, Doc>>,
    mut answer: Doc,
) -> SiteResult<Doc> {
    if !meta.is_tree {
        return Ok(answer);
    }
    tree::on_update(state, meta, name, before)?;
    let stored = state.doc(&meta.name, name)?;
    for key in ["lft", "rgt", "old_parent"] {
        if let Some(v) = stored.get(key) {
            answer.insert(key.into(), v.clone());
        }
    }
    Ok(answer)
}

/// Unique columns (`unique: 1`): another document with the same value fails as the unique key
/// does in MariaDB (`UniqueValidationError`).
fn check_unique(state: &State, meta: &DocTypeMeta, doc: &Doc, name: &str) -> SiteResult<()> {
    for f in meta.fields.iter().filter(|f| f.unique && f.has_column()) {
        let value = cstr(doc.get(&f.fieldname));
        if value.trim().is_empty() {
            continue;
        }
        let clash = state.all(&meta.name).any(|other| {
            cstr(other.get("name")).to_lowercase() != name.to_lowercase()
                && cstr(other.get(&f.fieldname)).to_lowercase() == value.to_lowercase()
        });
        if clash {
            // The unique key's IntegrityError, as `show_unique_validation_message` reports it.
            return Err(SiteError::new(
                417,
                "UniqueValidationError",
                format!(
                    "('{}', '{name}', IntegrityError(1062, \"Duplicate entry '{value}' for key '{}'\"))",
                    meta.name, f.fieldname
                ),
            )
            .printed(format!("{} must be unique", f.label)));
        }
    }
    Ok(())
}

/// GET /api/resource/<doctype>/<name>.
pub(crate) fn get(state: &State, doctype: &str, name: &str, caller: &Caller) -> SiteResult<Doc> {
    let meta = state.meta(doctype)?;
    if meta.issingle {
        return singles::get(state, &meta, caller);
    }
    let doc = state.doc(doctype, name)?;
    caller.require(&meta, "read", Some(doc))?;
    Ok(as_dict(state, &meta, doc))
}

/// PUT /api/resource/<doctype>/<name>: `doc.update(data); doc.save()`.
pub(crate) fn update(
    state: &mut State,
    doctype: &str,
    name: &str,
    data: Value,
    caller: &Caller,
) -> SiteResult<Doc> {
    save(state, doctype, name, data, caller, Save::Update)
}

/// How a save treats the fields the body leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Save {
    /// `doc.update(data)` on the stored document (PUT, `set_value`, `cancel`): they keep their
    /// values; without `modified` in the body there is no timestamp check.
    Update,
    /// `frappe.get_doc(data).save()` (`frappe.client.save`, `submit`): the body is the whole
    /// document, so they become empty, and a body without the stored `modified` fails the
    /// timestamp check.
    Replace,
}

/// Saves `data` onto the stored document.
pub(crate) fn save(
    state: &mut State,
    doctype: &str,
    name: &str,
    data: Value,
    caller: &Caller,
    mode: Save,
) -> SiteResult<Doc> {
    let meta = state.meta(doctype)?;
    if meta.issingle && mode == Save::Update {
        return singles::update(state, &meta, object(data)?, caller);
    }
    not_single(&meta)?;
    let before = state.doc(doctype, name)?.clone();
    let data = object(data)?;
    let mut doc = match mode {
        Save::Update => before.clone(),
        Save::Replace => before
            .iter()
            .filter(|(k, _)| meta.field(k).is_none())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    apply(state, &meta, &mut doc, &data, true)?;
    caller.require(&meta, "write", Some(&before))?;
    set_defaults(state, &meta, &mut doc, caller)?;
    let previous_modified = cstr(before.get("modified"));
    let original = match (data.get("modified"), mode) {
        (Some(v), _) => cstr(Some(v)),
        (None, Save::Update) => previous_modified.clone(),
        (None, Save::Replace) => String::new(),
    };
    let now = state.now();
    if original != previous_modified {
        let msg = format!(
            "Error: Document has been modified after you have opened it ({previous_modified}, {now}). \
             Please refresh to get the latest document."
        );
        return Err(SiteError::validation("TimestampMismatchError", msg));
    }
    if mode == Save::Replace && cstr(data.get("creation")) != cstr(before.get("creation")) {
        // `validate_set_only_once`: the body's document has no (or another) creation.
        return Err(SiteError::validation(
            "CannotChangeConstantError",
            "Value cannot be changed for <strong>Created On</strong>",
        ));
    }
    let from = cint(before.get("docstatus").unwrap_or(&Value::Null));
    let to = data.get("docstatus").map_or(from, cint);
    let action = match (from, to) {
        (0, 0) => "save",
        (0, 1) if meta.is_submittable => "submit",
        (0, 2) => {
            return Err(SiteError::new(
                417,
                "DocstatusTransitionError",
                "Cannot change docstatus from 0 (Draft) to 2 (Cancelled)",
            ));
        }
        (1, 1) => "update_after_submit",
        (1, 2) => "cancel",
        (1, 0) => {
            return Err(SiteError::new(
                417,
                "DocstatusTransitionError",
                "Cannot change docstatus from 1 (Submitted) to 0 (Draft)",
            ));
        }
        (2, _) => {
            // Raised, not thrown: no message printed.
            return Err(SiteError::new(
                417,
                "ValidationError",
                "Cannot edit cancelled document",
            ));
        }
        _ => {
            return Err(SiteError::unsupported(format!(
                "docstatus {from} -> {to} on {doctype} (not submittable)"
            )));
        }
    };
    match action {
        "submit" => caller.require(&meta, "submit", Some(&before))?,
        "update_after_submit" => caller.require(&meta, "submit", Some(&before))?,
        "cancel" => caller.require(&meta, "cancel", Some(&before))?,
        _ => {}
    }
    doc.insert("docstatus".into(), json!(to));
    doc.insert("modified".into(), json!(now));
    doc.insert("modified_by".into(), json!(caller.user));
    stamp_children(&meta, &mut doc);
    if action != "cancel" {
        validate_links(state, &meta, &doc)?;
        validate(state, &meta, &doc, name)?;
    }
    if action == "cancel" {
        check_not_linked(state, doctype, &cstr(before.get("name")), true)?;
    }
    if action == "update_after_submit" {
        validate_update_after_submit(state, &meta, &before, &doc)?;
    }
    let stored_name = cstr(before.get("name"));
    check_unique(state, &meta, &doc, &stored_name)?;
    let table = state.docs.get(doctype).cloned();
    let answer = store(state, &meta, doctype, doc);
    after_write(state, &meta, &stored_name, table, answer)
}

fn bold_value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "None".into(),
        Some(v) => cstr(Some(v)),
    }
}

/// `_validate_update_after_submit` of the parent (rows: their count).
fn validate_update_after_submit(
    state: &State,
    meta: &DocTypeMeta,
    before: &Doc,
    after: &Doc,
) -> SiteResult<()> {
    let old = as_dict(state, meta, before);
    let new = as_dict(state, meta, after);
    for f in meta
        .fields
        .iter()
        .filter(|f| !f.allow_on_submit && f.fieldname != "amended_from")
    {
        let (a, b) = (old.get(&f.fieldname), new.get(&f.fieldname));
        let changed = if f.is_table() {
            a.and_then(Value::as_array).map(Vec::len) != b.and_then(Value::as_array).map(Vec::len)
        } else {
            (has_content(a) || has_content(b)) && a != b
        };
        if changed {
            return Err(SiteError::validation(
                "UpdateAfterSubmitError",
                format!(
                    " Not allowed to change <strong>{}</strong> after submission from <strong>{}</strong> to <strong>{}</strong>",
                    f.label,
                    bold_value(a),
                    bold_value(b)
                ),
            ).titled("Cannot Update After Submit"));
        }
    }
    Ok(())
}

/// `check_if_doc_is_linked`: another document's Link field (in it or in one of its rows) naming
/// this one stops a delete (any such document) or a cancel (a submitted one; `amended_from`
/// aside). The document's own links to itself do not count.
fn check_not_linked(state: &State, doctype: &str, name: &str, cancel: bool) -> SiteResult<()> {
    let folded = name.to_lowercase();
    for (link_dt, meta) in &state.metas {
        let fields: Vec<&str> = meta
            .fields
            .iter()
            .filter(|f| f.fieldtype.as_deref() == Some("Link") && f.options == doctype)
            .filter(|f| !(cancel && f.fieldname == "amended_from"))
            .map(|f| f.fieldname.as_str())
            .collect();
        if fields.is_empty() {
            continue;
        }
        // (the document holding the link, its DocType, its docstatus)
        let mut holders: Vec<(String, String, i64)> = Vec::new();
        if meta.istable {
            for parent_meta in state.metas.values() {
                for table in parent_meta.table_fields().filter(|t| &t.options == link_dt) {
                    for parent in state.all(&parent_meta.name) {
                        for row in parent
                            .get(&table.fieldname)
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                        {
                            if fields
                                .iter()
                                .any(|f| cstr(row.get(*f)).to_lowercase() == folded)
                            {
                                holders.push((
                                    cstr(parent.get("name")),
                                    parent_meta.name.clone(),
                                    cint(parent.get("docstatus").unwrap_or(&Value::Null)),
                                ));
                            }
                        }
                    }
                }
            }
        } else {
            for doc in state.all(link_dt) {
                if fields
                    .iter()
                    .any(|f| cstr(doc.get(*f)).to_lowercase() == folded)
                {
                    holders.push((
                        name_text(doc.get("name").unwrap_or(&Value::Null)),
                        link_dt.clone(),
                        cint(doc.get("docstatus").unwrap_or(&Value::Null)),
                    ));
                }
            }
        }
        for (holder, holder_dt, docstatus) in holders {
            if cancel && docstatus != 1 {
                continue;
            }
            if holder_dt == doctype && holder.to_lowercase() == folded {
                continue;
            }
            let msg = format!(
                "Cannot delete or cancel because {doctype} <a href=\"/app/Form/{doctype}/{name}\">{name}</a> is linked with {holder_dt} <a href=\"/app/Form/{holder_dt}/{holder}\">{holder}</a> "
            );
            return Err(SiteError::validation("LinkExistsError", msg));
        }
    }
    Ok(())
}

/// DELETE /api/resource/<doctype>/<name>: `frappe.delete_doc`.
pub(crate) fn delete(
    state: &mut State,
    doctype: &str,
    name: &str,
    caller: &Caller,
) -> SiteResult<()> {
    let meta = state.meta(doctype)?;
    if meta.issingle {
        return singles::delete(state, &meta, caller);
    }
    // `frappe.delete_doc` raises DoesNotExistError without printing a message.
    let doc = state.doc(doctype, name).map_err(|_| {
        SiteError::new(
            404,
            "DoesNotExistError",
            format!("{doctype} {name} not found"),
        )
    })?;
    caller.require(&meta, "delete", Some(doc))?;
    if cint(doc.get("docstatus").unwrap_or(&Value::Null)) == 1 {
        return Err(SiteError::validation(
            "ValidationError",
            format!(
                "{doctype} {}: Submitted Record cannot be deleted. You must <a href='https://docs.erpnext.com//docs/user/manual/en/setting-up/articles/delete-submitted-document' target='_blank'> Cancel </a> it first.",
                cstr(doc.get("name"))
            ),
        ));
    }
    let stored = cstr(doc.get("name"));
    let table = meta.is_tree.then(|| state.docs.get(doctype).cloned());
    tree::on_trash(state, &meta, &stored)?;
    if let Err(e) = check_not_linked(state, doctype, &stored, false) {
        // The transaction on_trash wrote in is rolled back.
        if let Some(Some(docs)) = table {
            state.docs.insert(doctype.to_owned(), docs);
        }
        return Err(e);
    }
    state.remove(doctype, name);
    Ok(())
}
