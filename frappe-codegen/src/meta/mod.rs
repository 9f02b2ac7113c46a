//! The metadata model: a serde mirror of Frappe's DocType JSON, in Frappe's own words.
//!
//! [`DocType`] and [`DocField`] hold only the keys codegen reads; every other key Frappe sends is
//! ignored, so app files, API bodies of any shape and snapshots all deserialize into the same
//! types. Fieldtypes are read through their [`fieldtype::Kind`]; loading (files, directories,
//! API bodies, snapshots) lives in [`load`], writing a snapshot in [`snapshot`], with app fixtures in [`fixtures`] and several apps
//! combined in [`apps`]. Nothing here decides anything about Rust.
//!
//! Flags (`istable`, `reqd`, ...) are `0`/`1` in Frappe's JSON, sometimes `true`/`false`,
//! `"1"` or `null`; they all read as `bool` and are written back as `0`/`1`.

pub mod apps;
pub mod fieldtype;
pub mod fixtures;
pub(crate) mod index;
mod json;
pub mod load;
pub mod methods;
#[cfg(feature = "methods")]
pub mod python;
pub mod snapshot;
mod workflow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use workflow::{Workflow, WorkflowState, WorkflowTransition};

/// A DocType definition: `frappe/core/doctype/doctype/doctype.json`, the keys codegen reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocType {
    /// The DocType's name, e.g. `"Sales Invoice"`.
    pub name: String,
    /// The Frappe module it belongs to, e.g. `"Accounts"`.
    #[serde(
        default,
        deserialize_with = "text",
        skip_serializing_if = "String::is_empty"
    )]
    pub module: String,
    /// Child table DocType (rows live inside a parent document).
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub istable: bool,
    /// Single DocType: exactly one document, named like the DocType.
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub issingle: bool,
    /// Submittable: documents go Draft -> Submitted -> Cancelled.
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub is_submittable: bool,
    /// Tree DocType (nested set: `lft`, `rgt`, `is_group`, parent field).
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub is_tree: bool,
    /// Virtual DocType: no table; a controller supplies the documents.
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub is_virtual: bool,
    /// Read from a version-1 snapshot, which lacks field lengths and flags: no validation rule
    /// can be derived (not part of any file format).
    #[serde(skip)]
    pub rules_unknown: bool,
    /// Created on a site (not shipped in an app's files).
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub custom: bool,
    /// Naming rule, e.g. `"autoincrement"`, `"hash"`, `"field:title"`, `"format:INV-{####}"`.
    #[serde(
        default,
        deserialize_with = "text",
        skip_serializing_if = "String::is_empty"
    )]
    pub autoname: String,
    /// For tree DocTypes: the field holding the parent node.
    #[serde(
        default,
        deserialize_with = "text",
        skip_serializing_if = "String::is_empty"
    )]
    pub nsm_parent_field: String,
    /// The DocType's description.
    #[serde(
        default,
        deserialize_with = "text",
        skip_serializing_if = "String::is_empty"
    )]
    pub description: String,
    /// The fields, in Frappe's order.
    #[serde(default)]
    pub fields: Vec<DocField>,
    /// The site's active Workflow for it, when there is one (read from getdoctype's
    /// `__workflow_docs` or a snapshot's `workflow`; app files have none).
    #[serde(
        default,
        alias = "__workflow_docs",
        deserialize_with = "workflow::workflow",
        skip_serializing_if = "Option::is_none"
    )]
    pub workflow: Option<Workflow>,
    /// Where this definition was read from (a file, plus a JSON path for bundles); not part of
    /// the metadata, used in error messages.
    #[serde(skip)]
    pub source: String,
}

/// One field of a DocType: `frappe/core/doctype/docfield/docfield.json`, the keys codegen reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocField {
    /// The wire name; empty for some layout fields.
    #[serde(
        default,
        deserialize_with = "text",
        skip_serializing_if = "String::is_empty"
    )]
    pub fieldname: String,
    /// Frappe's fieldtype, e.g. `"Data"`, `"Link"`, `"Table"`.
    #[serde(default, deserialize_with = "text")]
    pub fieldtype: String,
    /// The label shown in the desk.
    #[serde(
        default,
        deserialize_with = "text",
        skip_serializing_if = "String::is_empty"
    )]
    pub label: String,
    /// Meaning depends on the fieldtype: Select options (newline-separated), Link / Table
    /// target DocType, Dynamic Link's doctype field, ...
    #[serde(
        default,
        deserialize_with = "text",
        skip_serializing_if = "String::is_empty"
    )]
    pub options: String,
    /// Mandatory.
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub reqd: bool,
    /// The default for new documents, as Frappe stores it (text; `Today`, `__user`, `now` and
    /// `:Company` are placeholders the server resolves).
    #[serde(
        default,
        deserialize_with = "scalar_text",
        skip_serializing_if = "String::is_empty"
    )]
    pub default: String,
    /// Virtual field: computed by the controller, not stored.
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub is_virtual: bool,
    /// Help text.
    #[serde(
        default,
        deserialize_with = "text",
        skip_serializing_if = "String::is_empty"
    )]
    pub description: String,
    /// The column's width: characters of a `varchar` (0: Frappe's 140), and for Int more than
    /// 11 makes the column a `bigint`.
    #[serde(default, deserialize_with = "count", skip_serializing_if = "is_zero")]
    pub length: u32,
    /// Negative numbers are refused on save (Int, Float, Currency).
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub non_negative: bool,
    /// Not editable in the desk; the server or a controller sets it.
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// May not change once the document is saved.
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub set_only_once: bool,
    /// `link_field.source_field`: the server copies the value from the linked document.
    #[serde(
        default,
        deserialize_with = "text",
        skip_serializing_if = "String::is_empty"
    )]
    pub fetch_from: String,
}

impl DocType {
    /// The child DocTypes its Table and Table MultiSelect fields hold rows of (their `options`,
    /// as written: empty when a field names none), in field order.
    pub fn table_children(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|f| f.kind() == Some(fieldtype::Kind::Table))
            .map(|f| f.options.as_str())
    }

    /// Equal apart from where each was read ([`DocType::source`]).
    pub fn same_definition(&self, other: &DocType) -> bool {
        let strip = |d: &DocType| DocType {
            source: String::new(),
            ..d.clone()
        };
        strip(self) == strip(other)
    }
}

impl DocField {
    /// The kind of its fieldtype; `None` for a fieldtype Frappe v15 does not have.
    pub fn kind(&self) -> Option<fieldtype::Kind> {
        fieldtype::kind(&self.fieldtype)
    }
}

fn is_false(v: &bool) -> bool {
    !*v
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

/// A non-negative whole number (`length`) that files may give as text or `null` (read as 0).
fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let text = scalar_text(deserializer)?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<u32>()
        .or_else(|_| text.parse::<f64>().map(|f| f.max(0.0) as u32))
        .map_err(|_| serde::de::Error::custom(format!("expected a whole number, found {text:?}")))
}

/// A text key that Frappe may send as `null` (read as `""`).
fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}

/// A text key that hand-written files may give as a number or a boolean (read as Frappe would
/// cast it back: `1`, `0`), or as `null` (read as `""`).
fn scalar_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(
        match Option::<serde_json::Value>::deserialize(deserializer)? {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Bool(b)) => u8::from(b).to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(other) => {
                return Err(serde::de::Error::custom(format!(
                    "expected text, found {other}"
                )));
            }
        },
    )
}

/// `0`/`1` flags, tolerant of the other spellings Frappe and app files use.
mod flag {
    use super::*;

    pub fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(u8::from(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Int(i64),
            Float(f64),
            Text(String),
        }
        match Option::<Raw>::deserialize(deserializer)? {
            None => Ok(false),
            Some(Raw::Bool(b)) => Ok(b),
            Some(Raw::Int(i)) => Ok(i != 0),
            Some(Raw::Float(f)) => Ok(f != 0.0),
            Some(Raw::Text(s)) => match s.trim() {
                "" | "0" | "false" => Ok(false),
                "1" | "true" => Ok(true),
                other => Err(serde::de::Error::custom(format!(
                    "expected a 0/1 flag, found {other:?}"
                ))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_accept_every_spelling() {
        for (json, want) in [
            ("1", true),
            ("0", false),
            ("true", true),
            ("null", false),
            ("\"1\"", true),
            ("1.0", true),
        ] {
            let text = format!(r#"{{"name":"X","istable":{json}}}"#);
            let dt: DocType = serde_json::from_str(&text).unwrap();
            assert_eq!(dt.istable, want, "{json}");
        }
    }

    #[test]
    fn unknown_keys_are_ignored_and_nulls_are_empty() {
        let dt: DocType = serde_json::from_str(
            r#"{"name":"ToDo","module":null,"engine":"InnoDB","fields":[
                {"fieldname":"status","fieldtype":"Select","options":"Open\nClosed","width":"3"}]}"#,
        )
        .unwrap();
        assert_eq!(dt.module, "");
        assert_eq!(dt.fields[0].options, "Open\nClosed");
    }

    #[test]
    fn serializes_only_what_is_set() {
        let dt: DocType =
            serde_json::from_str(r#"{"name":"Note","issingle":0,"istable":1,"fields":[]}"#)
                .unwrap();
        let json = serde_json::to_string(&dt).unwrap();
        assert_eq!(json, r#"{"name":"Note","istable":1,"fields":[]}"#);
    }

    #[test]
    fn table_children_are_the_options_of_table_fields() {
        let dt: DocType = serde_json::from_str(
            r#"{"name":"Invoice","fields":[
                {"fieldname":"items","fieldtype":"Table","options":"Invoice Item"},
                {"fieldname":"customer","fieldtype":"Link","options":"Customer"},
                {"fieldname":"tags","fieldtype":"Table MultiSelect","options":"Tag Row"},
                {"fieldname":"broken","fieldtype":"Table"}]}"#,
        )
        .unwrap();
        let children: Vec<&str> = dt.table_children().collect();
        assert_eq!(children, ["Invoice Item", "Tag Row", ""]);
    }
}
