//! The site's state: DocTypes, documents (each stored whole, child rows inside their parent as
//! Frappe's `as_dict` has them), naming counters and the clock. Names are looked up
//! case-insensitively, as MariaDB's `utf8mb4_unicode_ci` primary keys compare them (accents and
//! trailing spaces are not folded: a documented difference).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDateTime;
use serde_json::{Map, Value};

use super::error::{SiteError, SiteResult};
use super::meta::DocTypeMeta;
use super::naming::Counters;

/// A stored document.
pub(crate) type Doc = Map<String, Value>;

/// Everything the site holds.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) metas: BTreeMap<String, Arc<DocTypeMeta>>,
    /// DocType -> folded name -> document.
    pub(crate) docs: HashMap<String, BTreeMap<String, Doc>>,
    pub(crate) counters: Counters,
    last: Option<NaiveDateTime>,
}

/// The key a name is stored under.
pub(crate) fn fold(name: &str) -> String {
    name.to_lowercase()
}

/// A document's name as text (autoincrement names are numbers).
pub(crate) fn name_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

impl State {
    /// The metadata of `doctype`, or 404 as `frappe.get_meta` answers for an unknown DocType.
    pub(crate) fn meta(&self, doctype: &str) -> SiteResult<Arc<DocTypeMeta>> {
        self.metas
            .get(doctype)
            .cloned()
            .ok_or_else(|| SiteError::no_doctype(doctype))
    }

    /// The stored document, or 404 `DoesNotExistError`.
    pub(crate) fn doc(&self, doctype: &str, name: &str) -> SiteResult<&Doc> {
        self.docs
            .get(doctype)
            .and_then(|t| t.get(&fold(name)))
            .ok_or_else(|| SiteError::not_found(doctype, name))
    }

    /// Whether `doctype` has a document `name`.
    pub(crate) fn exists(&self, doctype: &str, name: &str) -> bool {
        self.docs
            .get(doctype)
            .is_some_and(|t| t.contains_key(&fold(name)))
    }

    /// Every stored document of `doctype`.
    pub(crate) fn all(&self, doctype: &str) -> impl Iterator<Item = &Doc> {
        self.docs.get(doctype).into_iter().flat_map(|t| t.values())
    }

    pub(crate) fn put(&mut self, doctype: &str, doc: Doc) {
        let key = fold(&name_text(doc.get("name").unwrap_or(&Value::Null)));
        self.docs
            .entry(doctype.to_owned())
            .or_default()
            .insert(key, doc);
    }

    pub(crate) fn remove(&mut self, doctype: &str, name: &str) -> Option<Doc> {
        self.docs.get_mut(doctype)?.remove(&fold(name))
    }

    /// `frappe.utils.now()`: `YYYY-MM-DD HH:MM:SS.ffffff` in local time, strictly increasing
    /// across the site so `modified` orders writes as they happened.
    pub(crate) fn now(&mut self) -> String {
        let mut now = chrono::Local::now().naive_local();
        if let Some(last) = self.last {
            if now <= last {
                now = last + chrono::TimeDelta::microseconds(1);
            }
        }
        self.last = Some(now);
        now.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
    }
}
