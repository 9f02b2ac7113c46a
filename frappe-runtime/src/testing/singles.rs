//! Single DocTypes (`issingle`) as Frappe 15.44 keeps them: one document named after the DocType,
//! stored as `tabSingles` rows (field, value as text; `update_single` writes every valid column,
//! NULLs included), read back by `load_from_db` (numeric fields cast, `idx` left as text) or, never
//! saved, as `new_doc` makes it (defaults, owner). Any name reads it; a POST inserts it anew
//! (`creation` set), a PUT saves it (`creation` left NULL when it was never inserted), a DELETE
//! removes the rows. `get_value` reads the raw rows as `get_values_from_single` does (text
//! values; with filters, every row), `get_single_value` casts one by its fieldtype. Lists have no
//! table to read: Frappe's query fails with `ProgrammingError` (500), and so does the test site.

use serde_json::{Map, Value, json};

use super::docs::{self, cint, cstr, flt};
use super::error::{SiteError, SiteResult};
use super::meta::DocTypeMeta;
use super::store::{Doc, State, fold};
use super::users::Caller;

fn tables_unsupported(meta: &DocTypeMeta) -> SiteResult<()> {
    if meta.table_fields().next().is_some() {
        return Err(SiteError::unsupported(format!(
            "Table fields on the Single DocType {}",
            meta.name
        )));
    }
    Ok(())
}

/// The `tabSingles` rows of `meta`, if it was saved.
fn rows<'a>(state: &'a State, meta: &DocTypeMeta) -> Option<&'a Doc> {
    state
        .docs
        .get(&meta.name)
        .and_then(|t| t.get(&fold(&meta.name)))
}

/// A value as MariaDB keeps it in `tabSingles.value` (text).
fn as_text(v: &Value) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::String(if *b { "1" } else { "0" }.into()),
        Value::String(s) => Value::String(s.clone()),
        other => Value::String(other.to_string()),
    }
}

/// `update_single`: every valid column as a row.
fn write(state: &mut State, meta: &DocTypeMeta, doc: &Doc) {
    let mut stored = Map::new();
    let own = meta.fields.iter().filter(|f| f.has_column());
    // The standard columns `get_valid_dict` gives a Single: a document's, no `parent*`.
    for key in crate::standard::fields(false)
        .map(|f| f.name.to_owned())
        .chain(own.map(|f| f.fieldname.clone()))
    {
        let value = doc.get(&key).map_or(Value::Null, as_text);
        stored.insert(key, value);
    }
    state.put(&meta.name, stored);
}

/// The end of an insert or a save: `_validate_links`, for an insert (`creator`) the `create`
/// permission (which `Document.insert` checks after the links), `_validate`, `update_single`,
/// and the document as the answer carries it.
fn save(
    state: &mut State,
    meta: &DocTypeMeta,
    doc: &Doc,
    creator: Option<&Caller>,
) -> SiteResult<Doc> {
    docs::validate_links(state, meta, doc)?;
    if let Some(caller) = creator {
        caller.require(meta, "create", None)?;
    }
    docs::validate(state, meta, doc, &meta.name)?;
    write(state, meta, doc);
    Ok(docs::as_dict(state, meta, doc))
}

/// `load_from_db` for a Single: the stored rows with numeric fields cast, or `new_doc`.
fn load(state: &State, meta: &DocTypeMeta, caller: &Caller) -> SiteResult<Doc> {
    let Some(stored) = rows(state, meta) else {
        let mut doc = Map::new();
        docs::set_defaults(state, meta, &mut doc, caller)?;
        doc.insert("name".into(), json!(meta.name));
        doc.insert("owner".into(), json!(caller.user));
        doc.insert("docstatus".into(), json!(0));
        doc.insert("idx".into(), json!(0));
        return Ok(doc);
    };
    let mut doc = stored.clone();
    for f in &meta.fields {
        if let Some(v) = doc
            .get_mut(&f.fieldname)
            .filter(|v| !v.is_null() && f.is_never_null())
        {
            *v = docs::coerce(f, v.clone());
        }
    }
    if let Some(v) = doc.get_mut("docstatus") {
        *v = json!(cint(v));
    }
    Ok(doc)
}

/// `GET /api/resource/<Single>/<any name>`.
pub(crate) fn get(state: &State, meta: &DocTypeMeta, caller: &Caller) -> SiteResult<Doc> {
    tables_unsupported(meta)?;
    caller.require(meta, "read", None)?;
    let doc = load(state, meta, caller)?;
    Ok(docs::as_dict(state, meta, &doc))
}

/// A PUT (or `set_value`): `doc.update(data)` on the loaded Single, validated and saved.
pub(crate) fn update(
    state: &mut State,
    meta: &DocTypeMeta,
    data: Map<String, Value>,
    caller: &Caller,
) -> SiteResult<Doc> {
    tables_unsupported(meta)?;
    let mut doc = load(state, meta, caller)?;
    docs::apply(state, meta, &mut doc, &data, true)?;
    caller.require(meta, "write", None)?;
    let now = state.now();
    // `check_if_latest`: the stored `modified` row against the one the body carries, before the
    // validations as in `Document._save`. A Single never saved loads with no `modified`, which
    // `cstr` makes "": a body carrying one does not match it.
    let stored = rows(state, meta).map_or(String::new(), |r| cstr(r.get("modified")));
    if let Some(sent) = data.get("modified") {
        if cstr(Some(sent)) != stored {
            return Err(SiteError::validation(
                "TimestampMismatchError",
                format!(
                    "Error: Document has been modified after you have opened it ({stored}, {now}). \
                     Please refresh to get the latest document."
                ),
            ));
        }
    }
    doc.insert("modified".into(), json!(now));
    doc.insert("modified_by".into(), json!(caller.user));
    save(state, meta, &doc, None)
}

/// A POST: a new Single from `data` (defaults, owner, creation), replacing what was saved.
pub(crate) fn insert(
    state: &mut State,
    meta: &DocTypeMeta,
    data: Map<String, Value>,
    caller: &Caller,
) -> SiteResult<Doc> {
    tables_unsupported(meta)?;
    let mut doc = Map::new();
    docs::apply(state, meta, &mut doc, &data, false)?;
    docs::set_defaults(state, meta, &mut doc, caller)?;
    let now = state.now();
    doc.insert("name".into(), json!(meta.name));
    doc.insert("owner".into(), json!(caller.user));
    doc.insert("creation".into(), json!(now));
    doc.insert("modified".into(), json!(now));
    doc.insert("modified_by".into(), json!(caller.user));
    doc.insert("docstatus".into(), json!(0));
    doc.insert("idx".into(), json!(0));
    save(state, meta, &doc, Some(caller))
}

/// A DELETE: the rows go; the Single reads as never saved.
pub(crate) fn delete(state: &mut State, meta: &DocTypeMeta, caller: &Caller) -> SiteResult<()> {
    caller.require(meta, "delete", None)?;
    state.remove(&meta.name, &meta.name);
    Ok(())
}

fn read_permission(meta: &DocTypeMeta, caller: &Caller) -> SiteResult<()> {
    if !caller.can(meta, "read", None) {
        return Err(SiteError::throw(
            403,
            "PermissionError",
            format!("No permission for {}", meta.name),
        ));
    }
    Ok(())
}

/// `frappe.client.get_value` on a Single (`get_values_from_single`): with dict filters, every
/// row when they all match the stored text; else the rows of `fields`. `None` is no answer.
pub(crate) fn get_value(
    state: &State,
    meta: &DocTypeMeta,
    fields: &[String],
    filters: &Value,
    as_dict: bool,
    caller: &Caller,
) -> SiteResult<Option<Value>> {
    read_permission(meta, caller)?;
    let empty = Map::new();
    let stored = rows(state, meta).unwrap_or(&empty);
    let found: Map<String, Value> = match filters {
        Value::Object(filters) if !filters.is_empty() => {
            if filters.iter().any(|(k, v)| stored.get(k) != Some(v)) {
                Map::new()
            } else {
                stored.clone()
            }
        }
        _ => fields
            .iter()
            .filter_map(|f| stored.get(f).map(|v| (f.clone(), v.clone())))
            .collect(),
    };
    Ok(match (as_dict, found.is_empty()) {
        (true, _) => Some(Value::Object(found)),
        (false, true) => None,
        (false, false) if fields.len() > 1 => Some(Value::Array(
            fields
                .iter()
                .map(|f| found.get(f).cloned().unwrap_or(Value::Null))
                .collect(),
        )),
        (false, false) => Some(found.get(&fields[0]).cloned().unwrap_or(Value::Null)),
    })
}

/// `frappe.client.get_single_value`: the stored text cast by the field's type.
pub(crate) fn get_single_value(
    state: &State,
    meta: &DocTypeMeta,
    field: &str,
    caller: &Caller,
) -> SiteResult<Value> {
    read_permission(meta, caller)?;
    let Some(f) = meta.field(field) else {
        return Err(SiteError::throw(
            417,
            "ValidationError",
            format!(
                "Field <strong>{field}</strong> does not exist on <strong>{}</strong>",
                meta.name
            ),
        ));
    };
    let value = rows(state, meta)
        .and_then(|r| r.get(field))
        .cloned()
        .unwrap_or(Value::Null);
    Ok(match f.fieldtype.as_deref() {
        Some("Currency" | "Float" | "Percent") => json!(flt(&value)),
        Some("Int" | "Check") => json!(cint(&value)),
        Some(
            "Data" | "Text" | "Small Text" | "Long Text" | "Text Editor" | "Select" | "Link"
            | "Dynamic Link",
        ) => Value::String(cstr(Some(&value))),
        _ => value,
    })
}

/// What a list query on a Single answers: Frappe's SQL names a table that does not exist.
pub(crate) fn no_table(meta: &DocTypeMeta) -> SiteError {
    SiteError::new(
        500,
        "ProgrammingError",
        format!("('DocType', '{}')", meta.name),
    )
}

/// What `get_count` on a Single answers (the site's database name left out).
pub(crate) fn no_table_count(meta: &DocTypeMeta) -> SiteError {
    SiteError::new(
        500,
        "ProgrammingError",
        format!("(1146, \"Table 'tab{}' doesn't exist\")", meta.name),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    /// The Single DocType `json` and a site holding only it.
    fn single(json: Value) -> (DocTypeMeta, State) {
        let meta = DocTypeMeta::from_json(&json).expect("valid").remove(0);
        let mut state = State::default();
        state
            .metas
            .insert(meta.name.clone(), Arc::new(meta.clone()));
        (meta, state)
    }

    #[test]
    fn a_stale_save_is_refused_before_the_body_is_validated() {
        // `Document._save` runs `check_if_latest` before `_validate_links` and `_validate`.
        let (meta, mut state) = single(json!({"name": "Settings", "issingle": 1, "fields": [
            {"fieldname": "company", "fieldtype": "Data", "label": "Company", "reqd": 1}]}));
        let admin = Caller::administrator();
        insert(&mut state, &meta, body(json!({"company": "ACME"})), &admin).expect("insert");
        let stale = json!({"company": null, "modified": "2000-01-01 00:00:00.000000"});
        let err = update(&mut state, &meta, body(stale), &admin).expect_err("stale");
        assert_eq!(err.exc_type, "TimestampMismatchError", "{err:?}");
        let err = update(&mut state, &meta, body(json!({"company": null})), &admin)
            .expect_err("no company");
        assert_eq!(err.exc_type, "MandatoryError", "{err:?}");
        // Never saved: a body's `modified` matches nothing; without one the save goes through.
        state.remove(&meta.name, &meta.name);
        let sent = json!({"company": "ACME", "modified": "2000-01-01 00:00:00.000000"});
        let err = update(&mut state, &meta, body(sent), &admin).expect_err("never saved");
        assert_eq!(err.exc_type, "TimestampMismatchError", "{err:?}");
        update(&mut state, &meta, body(json!({"company": "ACME"})), &admin).expect("saved");
    }

    #[test]
    fn a_single_keeps_a_long_int_as_its_text_and_leaves_an_unset_one_out() {
        let (meta, mut state) = single(json!({"name": "Counters", "issingle": 1, "fields": [
            {"fieldname": "big", "fieldtype": "Long Int"},
            {"fieldname": "other", "fieldtype": "Long Int"},
            {"fieldname": "small", "fieldtype": "Int"}]}));
        let admin = Caller::administrator();
        insert(
            &mut state,
            &meta,
            body(json!({"big": 5, "small": 2})),
            &admin,
        )
        .expect("insert");
        let doc = get(&state, &meta, &admin).expect("get");
        // `tabSingles` holds text; `_fix_numeric_types` casts Int, not Long Int.
        assert_eq!(doc["big"], json!("5"));
        assert_eq!(doc["small"], json!(2));
        assert!(!doc.contains_key("other"), "{doc:?}");
    }
}
