//! Controller methods of documents: v1's `run_method` (`POST /api/resource/<dt>/<name>`, or a
//! GET with `run_method` in the query; `execute_doc_method`) and `/api/method/run_doc_method`
//! (alias `runserverobj`; `handler.run_doc_method` with `dt` and `dn`, or the document sent
//! whole as `docs`, checked against the stored `modified`). A method is one the test
//! registered for the DocType ([`TestSiteBuilder::doc_method`](super::TestSiteBuilder::doc_method)),
//! or Document's own whitelisted `submit` and `cancel` (its `rename` and `add_comment` answer
//! 501). Frappe's refusals: a Document method
//! that is not whitelisted (`save`, `insert`, ...) is a PermissionError titled "Method Not
//! Allowed"; any other name is werkzeug's 404 page (v1) or an AttributeError (run_doc_method).
//! The document must exist; GET needs `read`, POST `write` (v1), run_doc_method `read`.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::docs::{self, Save, cstr};
use super::error::{SiteError, SiteResult};
use super::store::State;
use super::users::Caller;

/// One call of a document method a test registered.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DocMethodCall {
    /// The calling user's name.
    pub user: String,
    /// The HTTP method, e.g. `"POST"`.
    pub http_method: String,
    /// The document's DocType.
    pub doctype: String,
    /// The document as a GET returns it.
    pub doc: Value,
    /// The keyword arguments (`frappe.form_dict` without `run_method`, or run_doc_method's
    /// `args`).
    pub args: Map<String, Value>,
}

/// A document method registered by a test: its value is what the method returns.
pub type DocMethodFn = Arc<dyn Fn(&DocMethodCall) -> Result<Value, SiteError> + Send + Sync>;

/// The registered document methods, by DocType and method name.
pub(crate) type DocRegistry = HashMap<(String, String), DocMethodFn>;

/// Document attributes that are methods but not whitelisted (`frappe/model/document.py`,
/// `base_document.py`): calling one is refused as not whitelisted rather than not found.
const DOCUMENT_METHODS: &[&str] = &[
    "save",
    "insert",
    "delete",
    "reload",
    "load_from_db",
    "validate",
    "run_method",
    "run_trigger",
    "db_set",
    "db_update",
    "db_insert",
    "get",
    "set",
    "append",
    "update",
    "as_dict",
    "as_json",
    "get_valid_dict",
    "has_permission",
    "check_permission",
    "is_new",
    "get_doc_before_save",
    "notify_update",
    "set_new_name",
    "add_tag",
    "get_tags",
    "get_title",
    "get_url",
    "queue_action",
    "get_signature",
    "lock",
    "unlock",
    "is_locked",
    "get_children",
    "get_all_children",
];

/// What is wrong with calling `method` on a document of `doctype`, if anything.
enum Lookup {
    Registered(DocMethodFn),
    Builtin,
    /// Whitelisted on Frappe's `Document`, not implemented here: 501.
    Unimplemented,
    NotWhitelisted,
    Missing,
}

/// Document's whitelisted methods beside `submit` and `cancel`, which the test site does not
/// run: an answer of either kind (not found, not whitelisted) would be a wrong one.
const UNIMPLEMENTED: [&str; 2] = ["rename", "add_comment"];

fn lookup(registry: &DocRegistry, doctype: &str, method: &str) -> Lookup {
    if let Some(f) = registry.get(&(doctype.to_owned(), method.to_owned())) {
        Lookup::Registered(f.clone())
    } else if matches!(method, "submit" | "cancel") {
        Lookup::Builtin
    } else if UNIMPLEMENTED.contains(&method) {
        Lookup::Unimplemented
    } else if DOCUMENT_METHODS.contains(&method) {
        Lookup::NotWhitelisted
    } else {
        Lookup::Missing
    }
}

fn not_whitelisted(method: &str) -> SiteError {
    SiteError::throw(
        403,
        "PermissionError",
        format!(
            "<details><summary>You are not permitted to access this resource.</summary>Function <strong>frappe.model.document.{method}</strong> is not whitelisted.</details>"
        ),
    )
    .titled("Method Not Allowed")
}

/// The marker of werkzeug's `NotFound("Method <m> not found")`, which the server answers as
/// werkzeug's HTML page.
pub(crate) const NOT_FOUND: &str = "NotFound";

/// The document (404 as `frappe.get_doc` answers) and the right `ptype` checked.
fn document(
    state: &State,
    doctype: &str,
    name: &str,
    caller: &Caller,
    ptype: &str,
) -> SiteResult<Value> {
    let meta = state.meta(doctype)?;
    if !meta.issingle {
        state.doc(doctype, name)?;
    }
    if !caller.can(&meta, ptype, state.doc(doctype, name).ok()) {
        // `doc.has_permission` logs why, then `frappe.throw`.
        let mut e = SiteError::throw(403, "PermissionError", "Not permitted");
        e.messages.insert(
            0,
            json!({"message": format!(
                "User <strong>{}</strong> does not have access to this document: {doctype} - {name}",
                caller.user
            ), "title": "Message"}),
        );
        return Err(e);
    }
    let admin = Caller::administrator();
    Ok(Value::Object(docs::get(state, doctype, name, &admin)?))
}

#[allow(clippy::too_many_arguments)]
fn run(
    state: &mut State,
    found: Lookup,
    caller: &Caller,
    http_method: &str,
    doctype: &str,
    name: &str,
    method: &str,
    doc: Value,
    whole: bool,
    args: Map<String, Value>,
) -> SiteResult<Value> {
    match found {
        Lookup::Registered(f) => f(&DocMethodCall {
            user: caller.user.clone(),
            http_method: http_method.to_owned(),
            doctype: doctype.to_owned(),
            doc,
            args,
        }),
        Lookup::Builtin => {
            let docstatus = if method == "submit" { 1 } else { 2 };
            // The document as the caller has it (a copy sent whole), saved with the new status.
            let (data, mode) = match doc {
                Value::Object(mut copy) if whole => {
                    copy.insert("docstatus".into(), json!(docstatus));
                    (Value::Object(copy), Save::Replace)
                }
                _ => (json!({ "docstatus": docstatus }), Save::Update),
            };
            let saved = docs::save(state, doctype, name, data, caller, mode)?;
            Ok(Value::Object(saved))
        }
        Lookup::Unimplemented => Err(SiteError::unsupported(format!(
            "Document's `{method}` as a document method"
        ))),
        Lookup::NotWhitelisted | Lookup::Missing => {
            Err(SiteError::unsupported("running an unknown method"))
        }
    }
}

/// v1's `execute_doc_method`: the method's value, for `{"data": ...}`.
pub(crate) fn v1(
    state: &mut State,
    registry: &DocRegistry,
    caller: &Caller,
    http_method: &str,
    doctype: &str,
    name: &str,
    mut args: Map<String, Value>,
) -> SiteResult<Value> {
    let Some(method) = args.remove("run_method").map(|m| cstr(Some(&m))) else {
        return Err(SiteError::new(500, "KeyError", "'run_method'"));
    };
    state.meta(doctype)?;
    let meta = state.meta(doctype)?;
    if !meta.issingle && state.doc(doctype, name).is_err() {
        return Err(SiteError::throw(
            404,
            "DoesNotExistError",
            format!("{doctype} {name} not found"),
        ));
    }
    let found = lookup(registry, doctype, &method);
    match found {
        Lookup::Missing => {
            return Err(SiteError::new(
                404,
                NOT_FOUND,
                format!("Method {method} not found"),
            ));
        }
        Lookup::NotWhitelisted => return Err(not_whitelisted(&method)),
        _ => {}
    }
    let ptype = if http_method == "GET" {
        "read"
    } else {
        "write"
    };
    let doc = document(state, doctype, name, caller, ptype)?;
    run(
        state,
        found,
        caller,
        http_method,
        doctype,
        name,
        &method,
        doc,
        false,
        args,
    )
}

/// `handler.run_doc_method` with `dt` (and `dn`, the Single's name by default): the body,
/// `{"docs": [the document after], "message": value}` (no `message` when it returned nothing).
pub(crate) fn run_doc_method(
    state: &mut State,
    registry: &DocRegistry,
    caller: &Caller,
    http_method: &str,
    args: &Map<String, Value>,
) -> SiteResult<Value> {
    let text = |k: &str| args.get(k).filter(|v| !v.is_null()).map(|v| cstr(Some(v)));
    let Some(method) = text("method") else {
        return Err(SiteError::new(
            500,
            "TypeError",
            "run_doc_method() missing 1 required positional argument: 'method'",
        ));
    };
    let (doctype, name, sent) = match (text("dt"), args.get("docs")) {
        (Some(dt), _) => (dt.clone(), text("dn").unwrap_or(dt), None),
        (None, Some(docs)) => {
            let sent = match docs {
                Value::String(s) => {
                    serde_json::from_str::<Value>(s).map_err(|e| SiteError::bad_json("docs", &e))?
                }
                other => other.clone(),
            };
            let Value::Object(sent) = sent else {
                return Err(SiteError::unsupported(format!(
                    "run_doc_method with docs = {sent}"
                )));
            };
            let doctype = cstr(sent.get("doctype"));
            let name = cstr(sent.get("name"));
            if name.is_empty() || sent.get("__islocal").is_some() {
                return Err(SiteError::unsupported(
                    "run_doc_method on a document that is not saved",
                ));
            }
            (doctype, name, Some(sent))
        }
        (None, None) => {
            return Err(SiteError::unsupported(
                "run_doc_method without `dt` or `docs`",
            ));
        }
    };
    let meta = state.meta(&doctype)?;
    if !meta.issingle && state.doc(&doctype, &name).is_err() {
        return Err(SiteError::throw(
            404,
            "DoesNotExistError",
            format!("{doctype} {name} not found"),
        ));
    }
    let mut doc = document(state, &doctype, &name, caller, "read")?;
    if let Some(sent) = &sent {
        // `check_if_latest`: the sent copy's `modified` against the stored one.
        let stored = cstr(doc.get("modified"));
        let copy = cstr(sent.get("modified"));
        if stored != copy {
            return Err(SiteError::validation(
                "TimestampMismatchError",
                format!(
                    "Error: Document has been modified after you have opened it ({stored}, {copy}). \
                     Please refresh to get the latest document."
                ),
            ));
        }
        doc = Value::Object(docs::as_dict(state, &meta, sent));
    }
    let found = lookup(registry, &doctype, &method);
    let found_builtin = matches!(found, Lookup::Builtin);
    match found {
        Lookup::Missing => {
            let class = if meta.is_tree {
                "NestedSet"
            } else {
                "Document"
            };
            return Err(SiteError::new(
                500,
                "AttributeError",
                format!("'{class}' object has no attribute '{method}'"),
            ));
        }
        Lookup::NotWhitelisted => return Err(not_whitelisted(&method)),
        _ => {}
    }
    let call_args = match args.get("args").or_else(|| args.get("arg")) {
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        },
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let value = run(
        state,
        found,
        caller,
        http_method,
        &doctype,
        &name,
        &method,
        doc.clone(),
        sent.is_some(),
        call_args,
    )?;
    // The document after the method: stored again by submit or cancel, else the copy it ran on.
    let after = match (&found_builtin, doc) {
        (false, Value::Object(copy)) if sent.is_some() => copy,
        _ => docs::get(state, &doctype, &name, &Caller::administrator())?,
    };
    let mut body = json!({ "docs": [after] });
    if !value.is_null() {
        body["message"] = value;
    }
    Ok(body)
}
