//! `/api/method/<dotted.path>`: the `frappe.client.*` functions frappe-runtime calls
//! (`frappe/client.py`), and the whitelisted methods a test registers as closures
//! ([`TestSiteBuilder::method`](super::TestSiteBuilder::method)). Arguments come as Frappe's
//! `form_dict` has them: the query string (strings; JSON where a function parses it) and a JSON
//! or form body. Results go in `{"message": ...}`. Other `frappe.*` methods answer 501.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::docs::{self, Save, cstr};
use super::error::{SiteError, SiteResult};
use super::store::{Doc, State, name_text};
use super::users::Caller;
use super::{list, singles, tree};

/// What a registered method receives.
#[derive(Debug, Clone)]
pub struct MethodCall {
    /// The calling user's name (`"Guest"` without credentials).
    pub user: String,
    /// The HTTP method, e.g. `"POST"`.
    pub http_method: String,
    /// The arguments (`frappe.form_dict`): query-string values as strings, JSON body values as
    /// sent.
    pub args: Map<String, Value>,
}

/// A method registered by a test: its answer becomes `message`, its error Frappe's error body.
pub type MethodFn = Arc<dyn Fn(&MethodCall) -> Result<Value, SiteError> + Send + Sync>;

/// The registered methods, by dotted path, with whether Guest may call them.
pub(crate) type Registry = HashMap<String, (MethodFn, bool)>;

/// Every function of `frappe/client.py` (15.44.2): a name outside it is answered as Frappe
/// answers an unknown attribute (417), a name in it that is not implemented here with 501.
const FRAPPE_CLIENT: &[&str] = &[
    "get_list",
    "get_count",
    "get",
    "get_value",
    "get_single_value",
    "set_value",
    "insert",
    "insert_many",
    "save",
    "rename_doc",
    "submit",
    "cancel",
    "delete",
    "bulk_update",
    "has_permission",
    "get_doc_permissions",
    "get_password",
    "get_js",
    "get_time_zone",
    "attach_file",
    "is_document_amended",
    "validate_link",
    "insert_doc",
    "delete_doc",
];

/// An argument that a function parses as JSON when it is a string (`frappe.parse_json`).
fn json_arg(args: &Map<String, Value>, key: &str) -> Option<Value> {
    match args.get(key)? {
        Value::String(s) => {
            Some(serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())))
        }
        Value::Null => None,
        other => Some(other.clone()),
    }
}

fn text_arg(args: &Map<String, Value>, key: &str) -> Option<String> {
    args.get(key)
        .filter(|v| !v.is_null())
        .map(|v| cstr(Some(v)))
}

fn required(args: &Map<String, Value>, method: &str, key: &str) -> SiteResult<String> {
    text_arg(args, key).ok_or_else(|| {
        SiteError::new(
            500,
            "TypeError",
            format!("{method}() missing 1 required positional argument: '{key}'"),
        )
    })
}

/// The list parameters of `args` as a query string would carry them.
fn list_params(args: &Map<String, Value>) -> Vec<(String, String)> {
    args.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect()
}

/// `doc.as_dict()` as a method returns it: null fields included.
fn with_nulls(state: &State, doctype: &str, doc: Doc) -> Value {
    let Ok(meta) = state.meta(doctype) else {
        return Value::Object(doc);
    };
    let mut doc = doc;
    for f in meta.fields.iter().filter(|f| f.has_column()) {
        doc.entry(f.fieldname.clone()).or_insert(Value::Null);
    }
    if meta.issingle {
        // A Single saved but never inserted has a NULL `creation` row.
        doc.entry("creation").or_insert(Value::Null);
    }
    for table in meta.table_fields() {
        let Ok(child) = state.meta(&table.options) else {
            continue;
        };
        if let Some(Value::Array(rows)) = doc.get_mut(&table.fieldname) {
            for row in rows.iter_mut() {
                if let Value::Object(row) = row {
                    for f in child.fields.iter().filter(|f| f.has_column()) {
                        row.entry(f.fieldname.clone()).or_insert(Value::Null);
                    }
                }
            }
        }
    }
    Value::Object(doc)
}

fn doc_arg(args: &Map<String, Value>, method: &str) -> SiteResult<(String, Value)> {
    let doc = json_arg(args, "doc").ok_or_else(|| {
        SiteError::new(
            500,
            "TypeError",
            format!("{method}() missing 1 required positional argument: 'doc'"),
        )
    })?;
    let doctype = doc
        .get("doctype")
        .map(|v| cstr(Some(v)))
        .unwrap_or_default();
    if doctype.is_empty() {
        return Err(SiteError::validation(
            "ValidationError",
            "doctype is required",
        ));
    }
    Ok((doctype, doc))
}

/// Runs `method` (a `frappe.client.*` function); what it prints (`msgprint`) goes to `printed`.
pub(crate) fn call_frappe(
    state: &mut State,
    caller: &Caller,
    method: &str,
    args: &Map<String, Value>,
    printed: &mut Vec<Value>,
) -> SiteResult<Option<Value>> {
    let short = method.trim_start_matches("frappe.client.");
    let result = match short {
        "get_list" => {
            let doctype = required(args, short, "doctype")?;
            Value::Array(list::get_list(state, &doctype, &list_params(args), caller)?)
        }
        "get_count" => {
            let doctype = required(args, short, "doctype")?;
            let meta = state.meta(&doctype)?;
            if meta.issingle {
                return Err(singles::no_table_count(&meta));
            }
            let mut params = list_params(args);
            params.retain(|(k, _)| k == "filters" || k == "or_filters");
            params.push(("limit_page_length".into(), "0".into()));
            params.push(("fields".into(), "[\"name\"]".into()));
            json!(list::get_list(state, &doctype, &params, caller)?.len())
        }
        "get" => {
            let doctype = required(args, short, "doctype")?;
            let meta = state.meta(&doctype)?;
            let name = match (text_arg(args, "name"), json_arg(args, "filters")) {
                (Some(name), _) => name,
                (None, Some(filters)) => first_name(state, caller, &doctype, &filters)?
                    .ok_or_else(|| SiteError::not_found(&doctype, &filters.to_string()))?,
                (None, None) if meta.issingle => doctype.clone(),
                (None, None) => {
                    return Err(SiteError::unsupported(format!(
                        "frappe.client.get of {doctype} without a name or filters"
                    )));
                }
            };
            let doc = docs::get(state, &doctype, &name, caller)?;
            with_nulls(state, &doctype, doc)
        }
        "get_value" => {
            let doctype = required(args, short, "doctype")?;
            let fieldname = required(args, short, "fieldname")?;
            let fields: Vec<String> = match serde_json::from_str::<Value>(&fieldname) {
                Ok(Value::Array(items)) => items.iter().map(|v| cstr(Some(v))).collect(),
                Ok(Value::String(s)) => vec![s],
                _ => vec![fieldname.clone()],
            };
            let filters = match json_arg(args, "filters") {
                Some(Value::String(name)) => json!({ "name": name }),
                Some(Value::Number(n)) => json!({ "name": n }),
                Some(other) => other,
                None => Value::Null,
            };
            let as_dict = args
                .get("as_dict")
                .is_none_or(|v| !matches!(cstr(Some(v)).as_str(), "0" | "false" | "False"));
            let meta = state.meta(&doctype)?;
            if meta.issingle {
                return singles::get_value(state, &meta, &fields, &filters, as_dict, caller);
            }
            let mut params = vec![
                ("fields".to_owned(), Value::from(fields.clone()).to_string()),
                ("limit_page_length".to_owned(), "1".to_owned()),
            ];
            if !filters.is_null() {
                params.push(("filters".into(), filters.to_string()));
            }
            let rows = list::get_list(state, &doctype, &params, caller)?;
            match (rows.into_iter().next(), as_dict) {
                (Some(row), true) => row,
                (None, true) => json!({}),
                (None, false) => return Ok(None),
                (Some(row), false) if fields.len() > 1 => Value::Array(
                    fields
                        .iter()
                        .map(|f| row.get(f).cloned().unwrap_or(Value::Null))
                        .collect(),
                ),
                (Some(row), false) => row.get(&fields[0]).cloned().unwrap_or(Value::Null),
            }
        }
        "get_single_value" => {
            let doctype = required(args, short, "doctype")?;
            let field = required(args, short, "field")?;
            let meta = state.meta(&doctype)?;
            if !meta.issingle {
                return Err(SiteError::unsupported(format!(
                    "get_single_value on {doctype}, which is not a Single"
                )));
            }
            singles::get_single_value(state, &meta, &field, caller)?
        }
        "set_value" => {
            let doctype = required(args, short, "doctype")?;
            let name = required(args, short, "name")?;
            let fieldname = required(args, short, "fieldname")?;
            let standard = crate::standard::field(&fieldname).is_some() || fieldname == "doctype";
            if standard {
                return Err(SiteError::validation(
                    "ValidationError",
                    "Cannot edit standard fields",
                ));
            }
            let value = args
                .get("value")
                .filter(|v| !v.is_null() && !cstr(Some(v)).is_empty());
            let values = match value {
                Some(v) => json!({ fieldname: v }),
                None => match json_arg(args, "fieldname") {
                    Some(Value::Object(m)) => Value::Object(m),
                    _ => json!({ fieldname: "" }),
                },
            };
            if state.meta(&doctype)?.istable {
                return Err(SiteError::unsupported(
                    "frappe.client.set_value on a child row",
                ));
            }
            let doc = docs::save(state, &doctype, &name, values, caller, Save::Update)?;
            with_nulls(state, &doctype, doc)
        }
        "insert" => {
            let (doctype, doc) = doc_arg(args, short)?;
            let doc = docs::insert(state, &doctype, doc, caller)?;
            with_nulls(state, &doctype, doc)
        }
        "insert_many" => {
            let docs = json_arg(args, "docs").unwrap_or(Value::Null);
            let docs = docs.as_array().cloned().unwrap_or_default();
            if docs.len() > 200 {
                return Err(SiteError::validation(
                    "ValidationError",
                    "Only 200 inserts allowed in one request",
                ));
            }
            let mut names = Vec::new();
            for doc in docs {
                let doctype = doc
                    .get("doctype")
                    .map(|v| cstr(Some(v)))
                    .unwrap_or_default();
                let inserted = docs::insert(state, &doctype, doc, caller)?;
                names.push(inserted.get("name").cloned().unwrap_or(Value::Null));
            }
            Value::Array(names)
        }
        "save" | "submit" => {
            let (doctype, mut doc) = doc_arg(args, short)?;
            let name = doc.get("name").map(name_text).unwrap_or_default();
            if name.is_empty() {
                // `get_doc(doc).save()` of a new document inserts it.
                let doc = docs::insert(state, &doctype, doc, caller)?;
                return Ok(Some(with_nulls(state, &doctype, doc)));
            }
            if short == "submit" {
                doc["docstatus"] = json!(1);
            }
            let saved = docs::save(state, &doctype, &name, doc, caller, Save::Replace)?;
            with_nulls(state, &doctype, saved)
        }
        "cancel" => {
            let doctype = required(args, short, "doctype")?;
            let name = required(args, short, "name")?;
            let doc = docs::save(
                state,
                &doctype,
                &name,
                json!({"docstatus": 2}),
                caller,
                Save::Update,
            )?;
            with_nulls(state, &doctype, doc)
        }
        "rename_doc" => {
            let doctype = required(args, short, "doctype")?;
            let old = required(args, short, "old_name")?;
            let new = required(args, short, "new_name")?;
            let merge = args
                .get("merge")
                .is_some_and(|v| matches!(cstr(Some(v)).as_str(), "1" | "true" | "True"));
            let new = rename(state, caller, &doctype, &old, &new, merge)?;
            printed.push(json!({
                "message": format!("Document renamed from <strong>{old}</strong> to <strong>{new}</strong>"),
                "title": "Message", "indicator": "green", "alert": 1,
            }));
            json!(new)
        }
        "delete" => {
            let doctype = required(args, short, "doctype")?;
            let name = required(args, short, "name")?;
            docs::delete(state, &doctype, &name, caller)?;
            return Ok(None);
        }
        _ if FRAPPE_CLIENT.contains(&short) => {
            return Err(SiteError::unsupported(format!("the method {method}")));
        }
        _ => {
            return Err(SiteError::validation(
                "ValidationError",
                format!(
                    "Failed to get method for command {method} with module 'frappe.client' has no attribute '{short}'"
                ),
            ));
        }
    };
    Ok(Some(result))
}

/// `frappe.model.rename_doc.rename_doc` with `validate_rename`: the document (and its rows)
/// under the new name, every Link to it updated (without touching `modified`), a `field:`
/// autoname's field set to the new name; with `merge`, the old document deleted instead.
fn rename(
    state: &mut State,
    caller: &Caller,
    doctype: &str,
    old: &str,
    new: &str,
    merge: bool,
) -> SiteResult<String> {
    let meta = state.meta(doctype)?;
    docs::not_single(&meta)?;
    let doc = state.doc(doctype, old)?.clone();
    let old = name_text(doc.get("name").unwrap_or(&Value::Null));
    // A name differing only in case is "not existing" to Frappe (a case fix).
    let exists = state
        .doc(doctype, new)
        .ok()
        .map(|d| name_text(d.get("name").unwrap_or(&Value::Null)));
    let exists_exactly = exists.as_deref() == Some(new);
    let throw = |msg: String| Err(SiteError::validation("ValidationError", msg));
    if old == new {
        return throw("No changes made because old and new name are the same.".into());
    }
    if merge && !exists_exactly {
        return throw(format!(
            "{doctype} {new} does not exist, select a new target to merge"
        ));
    }
    if !merge && exists_exactly {
        return throw(format!(
            "Another {doctype} with name {new} exists, select another name"
        ));
    }
    if !merge && exists.is_some() && !old.eq_ignore_ascii_case(new) {
        return Err(SiteError::unsupported(format!(
            "renaming onto {new:?}, which differs from an existing {doctype} only in case"
        )));
    }
    if !caller.can(&meta, "write", Some(&doc)) {
        return throw("You need write permission to rename".into());
    }
    if !meta.allow_rename {
        return throw(format!("{doctype} not allowed to be renamed"));
    }
    if merge {
        tree::check_merge(&meta, &doc, state.doc(doctype, new)?)?;
    }
    let new = new.trim().to_owned();
    state.remove(doctype, &old);
    if !merge {
        let mut doc = doc;
        doc.insert("name".into(), json!(new));
        if let Some(field) = meta.autoname.strip_prefix("field:") {
            doc.insert(field.to_owned(), json!(new));
        }
        for table in meta.table_fields() {
            if let Some(Value::Array(rows)) = doc.get_mut(&table.fieldname) {
                for row in rows.iter_mut() {
                    row["parent"] = json!(new);
                }
            }
        }
        state.put(doctype, doc);
    }
    // Links to the old name, in documents and their rows.
    let link_fields: Vec<(String, Vec<String>)> = state
        .metas
        .values()
        .map(|m| {
            let fields = m
                .fields
                .iter()
                .filter(|f| f.fieldtype.as_deref() == Some("Link") && f.options == doctype)
                .map(|f| f.fieldname.clone())
                .collect();
            (m.name.clone(), fields)
        })
        .collect();
    let relink = |row: &mut Map<String, Value>, fields: &[String]| {
        for f in fields {
            if row.get(f).is_some_and(|v| cstr(Some(v)) == old) {
                row.insert(f.clone(), json!(new));
            }
        }
    };
    let metas: Vec<_> = state.metas.values().cloned().collect();
    for m in metas {
        let own: &[String] = link_fields
            .iter()
            .find(|(dt, _)| *dt == m.name)
            .map_or(&[], |(_, f)| f.as_slice());
        let tables: Vec<(String, Vec<String>)> = m
            .table_fields()
            .map(|t| {
                let fields = link_fields
                    .iter()
                    .find(|(dt, _)| *dt == t.options)
                    .map_or_else(Vec::new, |(_, f)| f.clone());
                (t.fieldname.clone(), fields)
            })
            .filter(|(_, f)| !f.is_empty())
            .collect();
        if own.is_empty() && tables.is_empty() {
            continue;
        }
        if let Some(docs) = state.docs.get_mut(&m.name) {
            for doc in docs.values_mut() {
                relink(doc, own);
                for (table, fields) in &tables {
                    if let Some(Value::Array(rows)) = doc.get_mut(table) {
                        for row in rows.iter_mut() {
                            if let Value::Object(row) = row {
                                relink(row, fields);
                            }
                        }
                    }
                }
            }
        }
    }
    if merge {
        tree::rebuild(state, &meta);
    }
    Ok(new)
}

/// `frappe.desk.reportview.get`: the list with the report view's parameter names (`start`,
/// `page_length`, `parent_doctype`), the DocType's sort by default, answered compressed
/// (`keys`, `values`, `user_info`); no rows answer `[]`, as `compress` returns them.
pub(crate) fn report_view(
    state: &State,
    caller: &Caller,
    args: &Map<String, Value>,
) -> SiteResult<Value> {
    let doctype = required(args, "get", "doctype")?;
    let meta = state.meta(&doctype)?;
    let mut params: Vec<(String, String)> = list_params(args)
        .into_iter()
        .map(|(k, v)| {
            let k = match k.as_str() {
                "start" => "limit_start".to_owned(),
                "page_length" => "limit_page_length".to_owned(),
                "parent_doctype" => "parent".to_owned(),
                _ => k,
            };
            (k, v)
        })
        .collect();
    if !params.iter().any(|(k, v)| k == "order_by" && !v.is_empty()) {
        params.push((
            "order_by".into(),
            format!("{} {}", meta.sort_field, meta.sort_order),
        ));
    }
    let fields_given = params.iter().any(|(k, _)| k == "fields");
    let rows = list::get_list(state, &doctype, &params, caller)?;
    let Some(first) = rows.first() else {
        return Ok(json!([]));
    };
    let keys: Vec<String> = match first {
        Value::Object(m) if fields_given => {
            // The requested order, which a JSON object does not keep.
            let requested: Vec<String> = params
                .iter()
                .find(|(k, _)| k == "fields")
                .and_then(|(_, v)| serde_json::from_str::<Vec<String>>(v).ok())
                .unwrap_or_default();
            let mut keys: Vec<String> = requested
                .iter()
                .map(|f| {
                    f.rsplit_once(" as ")
                        .map_or(f.as_str(), |(_, a)| a)
                        .trim()
                        .trim_matches('`')
                        .to_owned()
                })
                .map(|f| {
                    f.rsplit_once('.')
                        .map_or(f.clone(), |(_, c)| c.trim_matches('`').to_owned())
                })
                .filter(|k| m.contains_key(k))
                .collect();
            if keys.len() != m.len() {
                keys = m.keys().cloned().collect();
            }
            keys
        }
        Value::Object(m) => m.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let values: Vec<Value> = rows
        .iter()
        .map(|r| {
            Value::Array(
                keys.iter()
                    .map(|k| r.get(k).cloned().unwrap_or(Value::Null))
                    .collect(),
            )
        })
        .collect();
    Ok(json!({ "keys": keys, "values": values, "user_info": {} }))
}

/// The name of the first document matching `filters` (a dict or list), by name order.
fn first_name(
    state: &State,
    caller: &Caller,
    doctype: &str,
    filters: &Value,
) -> SiteResult<Option<String>> {
    let params = vec![
        ("filters".to_owned(), filters.to_string()),
        ("limit_page_length".to_owned(), "1".to_owned()),
    ];
    let rows = list::get_list(state, doctype, &params, caller)?;
    Ok(rows.first().and_then(|r| r.get("name")).map(name_text))
}
