//! An app's fixtures: Custom Fields and Property Setters merged into loaded DocTypes, as
//! `bench migrate` would.
//!
//! A site's metadata (the site source) already has them merged; app source trees keep them
//! apart, in `<app>/fixtures/custom_field.json` and `<app>/fixtures/property_setter.json`
//! (lists of `Custom Field` / `Property Setter` documents, as `bench export-fixtures` writes
//! them). [`crate::meta::load::load_dirs`] reads them while walking the trees and applies them
//! once every tree is loaded, because an app usually customizes another app's DocTypes.
//!
//! What is applied, in Frappe's order (custom fields first, then property setters):
//! - a Custom Field (`dt`, `fieldname`, `fieldtype`, `label`, `options`, `reqd`, `is_virtual`,
//!   `description`, `length`, `non_negative`, `read_only`, `set_only_once`, `fetch_from`,
//!   `insert_after`) becomes a field of `dt`, placed right after its
//!   `insert_after` field (custom fields may follow each other), or at the end when
//!   `insert_after` is empty or names no field. Its `fieldtype` defaults to `Data`, like
//!   Frappe's. A `fieldname` the DocType already has is an error.
//! - a Property Setter overrides one property of `doc_type` (`doctype_or_field` `"DocType"`)
//!   or of its field `field_name` (`"DocField"`). Only properties codegen reads change the
//!   output: on fields `fieldtype`, `label`, `options`, `description`, `reqd`, `is_virtual`,
//!   and those the validation rules read (`default`, `length`, `non_negative`, `read_only`,
//!   `set_only_once`, `fetch_from`);
//!   on the DocType `autoname`, `description`, `nsm_parent_field`, `istable`, `issingle`,
//!   `is_submittable`, `is_tree`, `is_virtual`. Every other property (`hidden`,
//!   `in_list_view`, `bold`, ..., and `field_order`, which only reorders fields),
//!   and `doctype_or_field` `"DocType Link"` / `"DocType Action"` / `"DocType State"`, is
//!   ignored on purpose: it does not change generated code (except `field_order`, not
//!   implemented: custom fields are placed by `insert_after` only).
//!
//! A fixture for a DocType that is not loaded, or a Property Setter for a field the DocType
//! lacks, is left out with a warning ([`Problem`]) naming the fixture file and the DocType. Other
//! fixture files (`role.json`, ...) and `<module>/custom/*.json` customization exports are not
//! read.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::json::{parse, typed};
use super::{DocField, DocType, count, flag, scalar_text, text};
use crate::error::{Error, Problem, Problems, Result};

/// Which fixture a file holds, known from its path (`fixtures/<scrubbed doctype>.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixtureKind {
    /// `fixtures/custom_field.json`.
    CustomField,
    /// `fixtures/property_setter.json`.
    PropertySetter,
}

impl FixtureKind {
    /// The fixture kind of `path`, if it is `.../fixtures/custom_field.json` or
    /// `.../fixtures/property_setter.json`.
    pub fn of(path: &Path) -> Option<Self> {
        let dir = path.parent()?.file_name()?;
        if dir != "fixtures" {
            return None;
        }
        match path.file_name()?.to_str()? {
            "custom_field.json" => Some(Self::CustomField),
            "property_setter.json" => Some(Self::PropertySetter),
            _ => None,
        }
    }
}

/// A `Custom Field` document, the keys codegen reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CustomField {
    /// The document's own DocType, `"Custom Field"` when present.
    #[serde(default, deserialize_with = "text")]
    pub doctype: String,
    /// The DocType the field is added to.
    #[serde(default, deserialize_with = "text")]
    pub dt: String,
    /// The wire name.
    #[serde(default, deserialize_with = "text")]
    pub fieldname: String,
    /// Frappe's fieldtype; empty means Frappe's default, `Data`.
    #[serde(default, deserialize_with = "text")]
    pub fieldtype: String,
    /// The label shown in the desk.
    #[serde(default, deserialize_with = "text")]
    pub label: String,
    /// Select options, Link target, ... as on a DocField.
    #[serde(default, deserialize_with = "text")]
    pub options: String,
    /// Mandatory.
    #[serde(default, with = "flag")]
    pub reqd: bool,
    /// The default for new documents.
    #[serde(default, deserialize_with = "scalar_text")]
    pub default: String,
    /// Virtual field: computed, not stored.
    #[serde(default, with = "flag")]
    pub is_virtual: bool,
    /// Help text.
    #[serde(default, deserialize_with = "text")]
    pub description: String,
    /// The column's width, as on a DocField.
    #[serde(default, deserialize_with = "count")]
    pub length: u32,
    /// Negative numbers refused, as on a DocField.
    #[serde(default, with = "flag")]
    pub non_negative: bool,
    /// Read-only, as on a DocField.
    #[serde(default, with = "flag")]
    pub read_only: bool,
    /// Set only once, as on a DocField.
    #[serde(default, with = "flag")]
    pub set_only_once: bool,
    /// Fetched from a linked document, as on a DocField.
    #[serde(default, deserialize_with = "text")]
    pub fetch_from: String,
    /// The field this one is placed after; empty means at the end.
    #[serde(default, deserialize_with = "text")]
    pub insert_after: String,
}

/// A `Property Setter` document, the keys codegen reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PropertySetter {
    /// The document's own DocType, `"Property Setter"` when present.
    #[serde(default, deserialize_with = "text")]
    pub doctype: String,
    /// The DocType customized.
    #[serde(default, deserialize_with = "text")]
    pub doc_type: String,
    /// `"DocField"` (a field's property) or `"DocType"` (the DocType's); empty means DocField
    /// when `field_name` is set.
    #[serde(default, deserialize_with = "text")]
    pub doctype_or_field: String,
    /// The field, for `DocField` setters.
    #[serde(default, deserialize_with = "text")]
    pub field_name: String,
    /// The property overridden, e.g. `"options"`, `"reqd"`.
    #[serde(default, deserialize_with = "text")]
    pub property: String,
    /// The new value, always text in Frappe (`"1"` for a flag).
    #[serde(default, deserialize_with = "scalar_text")]
    pub value: String,
    /// The property's fieldtype (`"Check"`, `"Select"`, ...); informational.
    #[serde(default, deserialize_with = "text")]
    pub property_type: String,
}

/// A fixture and where it came from (file, and index in the file's list).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The fixture file.
    pub file: String,
    /// Its position in the file's list.
    pub index: usize,
    /// The document.
    pub doc: T,
}

impl<T> Located<T> {
    fn at(&self, key: &str) -> String {
        format!("[{}].{key}", self.index)
    }

    fn origin(&self) -> String {
        format!("{} ([{}])", self.file, self.index)
    }
}

/// Fixtures read from app trees, not yet applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fixtures {
    /// Custom Fields, in file order.
    pub custom_fields: Vec<Located<CustomField>>,
    /// Property Setters, in file order.
    pub property_setters: Vec<Located<PropertySetter>>,
}

impl Fixtures {
    /// No fixtures at all.
    pub fn is_empty(&self) -> bool {
        self.custom_fields.is_empty() && self.property_setters.is_empty()
    }

    /// Adds the fixtures of another tree after these.
    pub fn extend(&mut self, other: Fixtures) {
        self.custom_fields.extend(other.custom_fields);
        self.property_setters.extend(other.property_setters);
    }

    /// Parses one fixture file's text; `source` names it in errors.
    pub fn read(&mut self, kind: FixtureKind, text: &str, source: &str) -> Result<()> {
        let value = parse(text, source)?;
        match kind {
            FixtureKind::CustomField => {
                let docs: Vec<CustomField> = typed(&value, "", source)?;
                for (index, doc) in docs.into_iter().enumerate() {
                    let fx = locate(source, index, doc);
                    check_doctype(&fx, &fx.doc.doctype, "Custom Field")?;
                    require(&fx, "dt", &fx.doc.dt)?;
                    require(&fx, "fieldname", &fx.doc.fieldname)?;
                    self.custom_fields.push(fx);
                }
            }
            FixtureKind::PropertySetter => {
                let docs: Vec<PropertySetter> = typed(&value, "", source)?;
                for (index, doc) in docs.into_iter().enumerate() {
                    let fx = locate(source, index, doc);
                    check_doctype(&fx, &fx.doc.doctype, "Property Setter")?;
                    require(&fx, "doc_type", &fx.doc.doc_type)?;
                    require(&fx, "property", &fx.doc.property)?;
                    self.property_setters.push(fx);
                }
            }
        }
        Ok(())
    }

    /// Merges the fixtures into `doctypes` (custom fields, then property setters). Returns the
    /// warnings (fixtures left out because their DocType or field is not loaded); custom fields
    /// colliding with existing fields are an error listing every collision.
    pub fn apply(&self, doctypes: &mut [DocType]) -> Result<Vec<Problem>> {
        let mut warnings = Vec::new();
        if self.is_empty() {
            return Ok(warnings);
        }
        let index: BTreeMap<String, usize> = doctypes
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.clone(), i))
            .collect();
        let mut added: BTreeMap<usize, Vec<&Located<CustomField>>> = BTreeMap::new();
        let mut collisions = Vec::new();
        for fx in &self.custom_fields {
            let cf = &fx.doc;
            let Some(&i) = index.get(&cf.dt) else {
                warnings.push(Problem::doctype(
                    &cf.dt,
                    format!(
                        "{}: Custom Field {:?} is for a DocType that is not loaded",
                        fx.origin(),
                        cf.fieldname
                    ),
                ));
                continue;
            };
            let earlier = added.entry(i).or_default();
            let clash = doctypes[i]
                .fields
                .iter()
                .any(|f| f.fieldname == cf.fieldname)
                || earlier.iter().any(|e| e.doc.fieldname == cf.fieldname);
            if clash {
                collisions.push(Problem::field(
                    &cf.dt,
                    &cf.fieldname,
                    format!(
                        "the Custom Field in {} collides with a field of the same name already \
                         in the DocType",
                        fx.origin()
                    ),
                ));
            } else {
                earlier.push(fx);
            }
        }
        if !collisions.is_empty() {
            return Err(Error::Problems(Problems(collisions)));
        }
        for (i, custom) in added {
            insert_custom_fields(&mut doctypes[i], &custom);
        }
        for fx in &self.property_setters {
            match index.get(&fx.doc.doc_type) {
                Some(&i) => set_property(&mut doctypes[i], fx, &mut warnings)?,
                None => warnings.push(Problem::doctype(
                    &fx.doc.doc_type,
                    format!(
                        "{}: Property Setter for {:?} is for a DocType that is not loaded",
                        fx.origin(),
                        fx.doc.property
                    ),
                )),
            }
        }
        Ok(warnings)
    }
}

fn locate<T>(file: &str, index: usize, doc: T) -> Located<T> {
    Located {
        file: file.to_owned(),
        index,
        doc,
    }
}

fn check_doctype<T>(fx: &Located<T>, doctype: &str, want: &str) -> Result<()> {
    if doctype.is_empty() || doctype == want {
        return Ok(());
    }
    Err(Error::Json {
        file: fx.file.clone(),
        json_path: fx.at("doctype"),
        message: format!("expected a {want} document, found {doctype:?}"),
    })
}

fn require<T>(fx: &Located<T>, key: &str, value: &str) -> Result<()> {
    if !value.is_empty() {
        return Ok(());
    }
    Err(Error::Json {
        file: fx.file.clone(),
        json_path: fx.at(key),
        message: format!("`{key}` is missing or empty"),
    })
}

/// Frappe's placement: fields without a (known) `insert_after` go to the end; the others right
/// after their target, in fixture order, each followed by the fields placed after it.
fn insert_custom_fields(dt: &mut DocType, custom: &[&Located<CustomField>]) {
    let mut after: BTreeMap<&str, Vec<DocField>> = BTreeMap::new();
    let mut fields = std::mem::take(&mut dt.fields);
    let mut pending = Vec::new();
    for fx in custom {
        let field = to_docfield(&fx.doc);
        if fx.doc.insert_after.is_empty() {
            fields.push(field);
        } else {
            pending.push(fx.doc.insert_after.as_str());
            after.entry(&fx.doc.insert_after).or_default().push(field);
        }
    }
    let mut i = 0;
    while i < fields.len() {
        if let Some(next) = after.remove(fields[i].fieldname.as_str()) {
            let at = i + 1;
            fields.splice(at..at, next);
        }
        i += 1;
    }
    // Targets that name no field (or a cycle): at the end, in fixture order.
    for target in pending {
        if let Some(rest) = after.remove(target) {
            fields.extend(rest);
        }
    }
    dt.fields = fields;
}

fn to_docfield(cf: &CustomField) -> DocField {
    DocField {
        fieldname: cf.fieldname.clone(),
        fieldtype: if cf.fieldtype.is_empty() {
            "Data".to_owned()
        } else {
            cf.fieldtype.clone()
        },
        label: cf.label.clone(),
        options: cf.options.clone(),
        reqd: cf.reqd,
        default: cf.default.clone(),
        is_virtual: cf.is_virtual,
        description: cf.description.clone(),
        length: cf.length,
        non_negative: cf.non_negative,
        read_only: cf.read_only,
        set_only_once: cf.set_only_once,
        fetch_from: cf.fetch_from.clone(),
    }
}

fn set_property(
    dt: &mut DocType,
    fx: &Located<PropertySetter>,
    warnings: &mut Vec<Problem>,
) -> Result<()> {
    let ps = &fx.doc;
    let value = ps.value.clone();
    let on_doctype = ps.doctype_or_field == "DocType"
        || (ps.doctype_or_field.is_empty() && ps.field_name.is_empty());
    if on_doctype {
        match ps.property.as_str() {
            "autoname" => dt.autoname = value,
            "description" => dt.description = value,
            "nsm_parent_field" => dt.nsm_parent_field = value,
            "istable" => dt.istable = parse_flag(fx)?,
            "issingle" => dt.issingle = parse_flag(fx)?,
            "is_submittable" => dt.is_submittable = parse_flag(fx)?,
            "is_tree" => dt.is_tree = parse_flag(fx)?,
            "is_virtual" => dt.is_virtual = parse_flag(fx)?,
            _ => {}
        }
        return Ok(());
    }
    if ps.doctype_or_field != "DocField" && !ps.doctype_or_field.is_empty() {
        // DocType Link / Action / State: nothing codegen reads.
        return Ok(());
    }
    let Some(field) = dt.fields.iter_mut().find(|f| f.fieldname == ps.field_name) else {
        warnings.push(Problem::field(
            &dt.name,
            &ps.field_name,
            format!(
                "{}: Property Setter for {:?} names a field the DocType does not have",
                fx.origin(),
                ps.property
            ),
        ));
        return Ok(());
    };
    match ps.property.as_str() {
        "fieldtype" => field.fieldtype = value,
        "label" => field.label = value,
        "options" => field.options = value,
        "description" => field.description = value,
        "reqd" => field.reqd = parse_flag(fx)?,
        "default" => field.default = value,
        "is_virtual" => field.is_virtual = parse_flag(fx)?,
        "length" => field.length = parse_count(fx)?,
        "non_negative" => field.non_negative = parse_flag(fx)?,
        "read_only" => field.read_only = parse_flag(fx)?,
        "set_only_once" => field.set_only_once = parse_flag(fx)?,
        "fetch_from" => field.fetch_from = value,
        _ => {}
    }
    Ok(())
}

fn parse_count(fx: &Located<PropertySetter>) -> Result<u32> {
    count(Value::String(fx.doc.value.clone())).map_err(|e| Error::Json {
        file: fx.file.clone(),
        json_path: fx.at("value"),
        message: format!("Property Setter for {:?}: {e}", fx.doc.property),
    })
}

fn parse_flag(fx: &Located<PropertySetter>) -> Result<bool> {
    flag::deserialize(Value::String(fx.doc.value.clone())).map_err(|e| Error::Json {
        file: fx.file.clone(),
        json_path: fx.at("value"),
        message: format!("Property Setter for {:?}: {e}", fx.doc.property),
    })
}

#[cfg(test)]
#[path = "fixtures_tests.rs"]
mod tests;
