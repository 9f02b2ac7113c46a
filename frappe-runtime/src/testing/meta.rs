//! What the test site knows of a DocType: the part of Frappe's DocType metadata its semantics
//! need (fieldtypes, `reqd`, `unique`, Link and Table targets, `default`, `allow_on_submit`,
//! naming, `istable`, `issingle`, `is_submittable`, permissions).
//!
//! Two sources: Frappe's DocType JSON ([`DocTypeMeta::from_json`]: a DocType file as an app ships
//! it, a `/api/resource/DocType/<name>` body, or getdoctype's `{"docs": [...]}`), which carries
//! everything; and a [`Document`] type ([`DocTypeMeta::from_document`]), which carries field
//! names, Table targets and the client-side rules (mandatory, Select options) but no fieldtypes:
//! its fields are stored as sent (no Check/Int/Float coercion, no Link checks), named by hash, and
//! open to System Manager only. Give the JSON where those semantics matter.

use serde::Deserialize;
use serde_json::Value;

use crate::document::Document;

/// A DocType as the test site serves it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocTypeMeta {
    /// The DocType's name, e.g. `"ToDo"`.
    pub name: String,
    /// `istable`: a child-table DocType, stored inside its parents.
    pub istable: bool,
    /// `issingle`: one document, named after the DocType.
    pub issingle: bool,
    /// `is_submittable`: documents go through docstatus 0 -> 1 -> 2.
    pub is_submittable: bool,
    /// `autoname`: `hash` (also empty), `autoincrement`, `field:<f>`, `naming_series:`,
    /// `prompt`, or a series such as `PREFIX-.####`.
    pub autoname: String,
    /// The DocType's own fields, in Frappe's order (standard fields excluded).
    pub fields: Vec<FieldMeta>,
    /// The permission rules (`DocPerm` rows).
    pub permissions: Vec<Permission>,
    /// `allow_rename` (DocType's default: 1).
    pub allow_rename: bool,
    /// `sort_field` (default `modified`).
    pub sort_field: String,
    /// `sort_order` (default `DESC`).
    pub sort_order: String,
    /// `is_tree`: a nested set (`lft`, `rgt`, `is_group`, `old_parent` and the parent field are
    /// added as Frappe's DocType adds them when it is saved).
    pub is_tree: bool,
    /// `nsm_parent_field`: the Link to the parent node (default `parent_<scrubbed name>`).
    pub nsm_parent_field: String,
}

/// One DocField.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMeta {
    /// `fieldname`.
    pub fieldname: String,
    /// `fieldtype`, e.g. `"Data"`, `"Link"`, `"Table"`; `None` when the metadata came from a
    /// [`Document`] type, which does not say.
    pub fieldtype: Option<String>,
    /// `label` (Frappe's messages name fields by label); the fieldname when absent.
    pub label: String,
    /// `options`: the Link or Table target, the Select options (one a line), ...
    pub options: String,
    /// `reqd`.
    pub reqd: bool,
    /// `unique`.
    pub unique: bool,
    /// `allow_on_submit`.
    pub allow_on_submit: bool,
    /// `no_copy`: left out of amendments.
    pub no_copy: bool,
    /// `default`.
    pub default: Option<String>,
}

/// One permission rule (a `DocPerm` row at permlevel 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permission {
    /// The role the rule is for.
    pub role: String,
    /// `if_owner`: the rule applies only to the user's own documents.
    pub if_owner: bool,
    /// `read`.
    pub read: bool,
    /// `write`.
    pub write: bool,
    /// `create`.
    pub create: bool,
    /// `delete`.
    pub delete: bool,
    /// `submit`.
    pub submit: bool,
    /// `cancel`.
    pub cancel: bool,
    /// `amend`.
    pub amend: bool,
}

impl Permission {
    /// Every right, for `role`.
    pub fn all(role: impl Into<String>) -> Self {
        Permission {
            role: role.into(),
            if_owner: false,
            read: true,
            write: true,
            create: true,
            delete: true,
            submit: true,
            cancel: true,
            amend: true,
        }
    }
}

/// Fieldtypes without a column of their own.
const NO_VALUE: &[&str] = &[
    "Section Break",
    "Column Break",
    "Tab Break",
    "HTML",
    "Button",
    "Image",
    "Fold",
    "Heading",
];

impl FieldMeta {
    /// `Table` or `Table MultiSelect`: rows of the DocType in `options`.
    pub fn is_table(&self) -> bool {
        matches!(
            self.fieldtype.as_deref(),
            Some("Table" | "Table MultiSelect")
        )
    }

    /// One of Frappe's `numeric_fieldtypes` (`frappe/model/__init__.py`: the never-NULL ones
    /// and Long Int): compared as a number.
    pub(crate) fn is_numeric(&self) -> bool {
        self.is_never_null() || self.fieldtype.as_deref() == Some("Long Int")
    }

    /// Check, Int, Float, Currency or Percent: a `not null default 0` column
    /// (`database/schema.py`), so never NULL in a document, and what `_fix_numeric_types` casts
    /// when a Single is loaded. Not Long Int: its column takes NULL, and a Single keeps its text.
    pub(crate) fn is_never_null(&self) -> bool {
        matches!(
            self.fieldtype.as_deref(),
            Some("Check" | "Int" | "Float" | "Currency" | "Percent")
        )
    }

    /// Holds a value (not a layout field, not a table).
    pub fn has_column(&self) -> bool {
        !self.is_table() && !NO_VALUE.contains(&self.fieldtype.as_deref().unwrap_or(""))
    }
}

/// A `0`/`1`/`true`/`"1"`/absent flag as Frappe's JSON has it.
/// `frappe.scrub`: lower case, spaces and hyphens as underscores.
fn scrub(text: &str) -> String {
    text.replace([' ', '-'], "_").to_lowercase()
}

fn flag(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty() && s != "0",
        _ => false,
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Why DocType JSON could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaError(pub String);

impl std::fmt::Display for MetaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MetaError {}

#[derive(Deserialize)]
struct Docs {
    docs: Vec<Value>,
}

impl DocTypeMeta {
    /// Every DocType in `json`: one DocType object, a list of them, an API envelope
    /// (`{"data": ...}`, `{"message": ...}`), or getdoctype's `{"docs": [...]}` (the DocType and
    /// its Table children).
    pub fn from_json(json: &Value) -> Result<Vec<DocTypeMeta>, MetaError> {
        if let Some(inner) = json.get("data").or_else(|| json.get("message")) {
            return Self::from_json(inner);
        }
        if json.get("docs").is_some() {
            let docs: Docs = serde_json::from_value(json.clone())
                .map_err(|e| MetaError(format!("getdoctype body: {e}")))?;
            return docs.docs.iter().map(Self::one).collect();
        }
        match json {
            Value::Array(items) => items.iter().map(Self::one).collect(),
            _ => Ok(vec![Self::one(json)?]),
        }
    }

    fn one(json: &Value) -> Result<DocTypeMeta, MetaError> {
        let name = match json.get("name") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => return Err(MetaError("DocType JSON without a \"name\"".into())),
        };
        let mut fields = Vec::new();
        for (i, f) in json
            .get("fields")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let fieldname = text(f.get("fieldname"));
            if fieldname.is_empty() {
                return Err(MetaError(format!("{name}: field #{i} has no fieldname")));
            }
            let label = match text(f.get("label")) {
                l if l.is_empty() => fieldname.clone(),
                l => l,
            };
            let default = match f.get("default") {
                None | Some(Value::Null) => None,
                Some(v) => Some(text(Some(v))).filter(|s| !s.is_empty()),
            };
            fields.push(FieldMeta {
                fieldtype: Some(match text(f.get("fieldtype")) {
                    t if t.is_empty() => "Data".into(),
                    t => t,
                }),
                label,
                options: text(f.get("options")),
                reqd: flag(f.get("reqd")),
                unique: flag(f.get("unique")),
                allow_on_submit: flag(f.get("allow_on_submit")),
                no_copy: flag(f.get("no_copy")),
                default,
                fieldname,
            });
        }
        let is_submittable = flag(json.get("is_submittable"));
        if is_submittable && !fields.iter().any(|f| f.fieldname == "amended_from") {
            // Frappe adds the field when a submittable DocType is saved.
            fields.push(FieldMeta {
                fieldname: "amended_from".into(),
                fieldtype: Some("Link".into()),
                label: "Amended From".into(),
                options: name.clone(),
                reqd: false,
                unique: false,
                allow_on_submit: false,
                no_copy: true,
                default: None,
            });
        }
        let is_tree = flag(json.get("is_tree"));
        let mut nsm_parent_field = text(json.get("nsm_parent_field"));
        if is_tree && !fields.iter().any(|f| f.fieldname == "lft") {
            // `DocType.add_nestedset_fields`, run when a tree DocType is saved.
            let parent = format!("parent_{}", scrub(&name));
            let link = |fieldname: &str, label: &str| FieldMeta {
                fieldname: fieldname.into(),
                fieldtype: Some("Link".into()),
                label: label.into(),
                options: name.clone(),
                reqd: false,
                unique: false,
                allow_on_submit: false,
                no_copy: false,
                default: None,
            };
            let plain = |fieldname: &str, fieldtype: &str, label: &str, no_copy: bool| FieldMeta {
                fieldname: fieldname.into(),
                fieldtype: Some(fieldtype.into()),
                label: label.into(),
                options: String::new(),
                reqd: false,
                unique: false,
                allow_on_submit: false,
                no_copy,
                default: None,
            };
            fields.push(plain("lft", "Int", "Left", true));
            fields.push(plain("rgt", "Int", "Right", true));
            fields.push(plain("is_group", "Check", "Is Group", false));
            fields.push(link("old_parent", "Old Parent"));
            fields.push(link(&parent, &format!("Parent {name}")));
            nsm_parent_field = parent;
        }
        let permissions = json
            .get("permissions")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(|p| p.get("permlevel").and_then(Value::as_i64).unwrap_or(0) == 0)
            .map(|p| Permission {
                role: text(p.get("role")),
                if_owner: flag(p.get("if_owner")),
                // DocPerm's defaults: read, write, create and delete are 1 when absent.
                read: p.get("read").is_none() || flag(p.get("read")),
                write: p.get("write").is_none() || flag(p.get("write")),
                create: p.get("create").is_none() || flag(p.get("create")),
                delete: p.get("delete").is_none() || flag(p.get("delete")),
                submit: flag(p.get("submit")),
                cancel: flag(p.get("cancel")),
                amend: flag(p.get("amend")),
            })
            .collect();
        Ok(DocTypeMeta {
            istable: flag(json.get("istable")),
            issingle: flag(json.get("issingle")),
            is_submittable,
            autoname: text(json.get("autoname")),
            allow_rename: json.get("allow_rename").is_none() || flag(json.get("allow_rename")),
            sort_field: Some(text(json.get("sort_field")))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "modified".into()),
            sort_order: Some(text(json.get("sort_order")))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "DESC".into()),
            fields,
            permissions,
            is_tree,
            nsm_parent_field,
            name,
        })
    }

    /// What a [`Document`] type says of its DocType (see the module's documentation for what it
    /// cannot say). Table fields point at the row DocType their rules name; give that DocType
    /// too (with [`from_document`](Self::from_document) of the row type or its JSON).
    pub fn from_document<D: Document>() -> DocTypeMeta {
        let fields = D::FIELDS
            .iter()
            .filter(|f| crate::standard::field(f.name).is_none() && f.name != "doctype")
            .map(|f| {
                let rule = D::RULES.iter().find(|r| r.name == f.name);
                let table = rule.and_then(|r| r.rows).map(|rows| rows.doctype);
                FieldMeta {
                    fieldname: f.name.into(),
                    fieldtype: (!f.column).then(|| "Table".to_string()),
                    label: f.name.into(),
                    options: match (table, rule) {
                        (Some(t), _) => t.into(),
                        (None, Some(r)) => r.options.join("\n"),
                        (None, None) => String::new(),
                    },
                    reqd: rule.is_some_and(|r| r.mandatory),
                    unique: false,
                    allow_on_submit: false,
                    no_copy: false,
                    default: None,
                }
            })
            .collect();
        DocTypeMeta {
            name: D::DOCTYPE.into(),
            istable: D::IS_CHILD,
            issingle: D::IS_SINGLE,
            is_submittable: false,
            autoname: String::new(),
            allow_rename: true,
            fields,
            permissions: vec![Permission::all("System Manager")],
            sort_field: "modified".into(),
            sort_order: "DESC".into(),
            is_tree: false,
            nsm_parent_field: String::new(),
        }
    }

    /// The Link to a node's parent in a tree DocType (`nsm_parent_field`, else
    /// `parent_<scrubbed name>` as `update_nsm` falls back to); `None` for other DocTypes.
    pub fn tree_parent_field(&self) -> Option<String> {
        self.is_tree.then(|| match self.nsm_parent_field.as_str() {
            "" => format!("parent_{}", scrub(&self.name)),
            f => f.to_owned(),
        })
    }

    /// The field named `fieldname`.
    pub fn field(&self, fieldname: &str) -> Option<&FieldMeta> {
        self.fields.iter().find(|f| f.fieldname == fieldname)
    }

    /// The Table fields.
    pub fn table_fields(&self) -> impl Iterator<Item = &FieldMeta> {
        self.fields.iter().filter(|f| f.is_table())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_an_app_file_and_adds_amended_from_to_submittable_doctypes() {
        let metas = DocTypeMeta::from_json(&json!({
            "name": "Order", "is_submittable": 1, "autoname": "ORD-.####",
            "fields": [{"fieldname": "customer", "fieldtype": "Link", "options": "Customer",
                        "reqd": 1, "label": "Customer"}],
            "permissions": [{"role": "Sales User", "read": 1, "write": 1},
                            {"role": "Auditor", "read": 1, "permlevel": 1}]
        }))
        .expect("valid");
        let order = &metas[0];
        assert_eq!(order.autoname, "ORD-.####");
        assert!(order.field("customer").is_some_and(|f| f.reqd));
        assert_eq!(
            order.field("amended_from").map(|f| f.options.as_str()),
            Some("Order")
        );
        assert_eq!(order.permissions.len(), 1, "permlevel 1 rules ignored");
        assert!(
            order.permissions[0].write && order.permissions[0].delete,
            "DocPerm defaults"
        );
        assert!(!order.permissions[0].submit);
    }

    #[test]
    fn reads_getdoctype_bodies_and_rejects_nameless_json() {
        let metas =
            DocTypeMeta::from_json(&json!({"docs": [{"name": "A"}, {"name": "B", "istable": 1}]}))
                .expect("valid");
        assert_eq!(metas.len(), 2);
        assert!(metas[1].istable);
        let err = DocTypeMeta::from_json(&json!({"fields": []})).expect_err("no name");
        assert!(err.0.contains("name"));
    }
}
