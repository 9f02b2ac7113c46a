//! The workspace README.md's fieldtype -> Rust type table is kept in sync with lowering by
//! these tests.
//!
//! The table is not copied from anywhere: the test lowers a DocType holding one field of every
//! fieldtype codegen knows ([`FIELDTYPES`], the metadata model's list) plus one unknown
//! fieldtype, once optional and once mandatory (`reqd`), renders the Rust types lowering chose
//! (the IR, before emitting), and compares that with the section of README.md between the
//! `fieldtype-table` markers. On a mismatch it prints the section to paste.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Lowered;
use crate::ir::{SerdeArg, TypeRef};
use crate::meta::DocType;
use crate::meta::fieldtype::FIELDTYPES;
use crate::meta::load::load_json;

const START: &str = "<!-- fieldtype-table:start -->";
const END: &str = "<!-- fieldtype-table:end -->";
/// A fieldtype Frappe v15 does not have, standing for "anything else".
const UNKNOWN: &str = "Vector";

fn fieldname(fieldtype: &str) -> String {
    fieldtype.to_lowercase().replace(' ', "_")
}

fn options(fieldtype: &str) -> Value {
    match fieldtype {
        "Select" => json!("Open\nClosed"),
        "Link" => json!("Target"),
        "Dynamic Link" => json!("ref_doctype"),
        "Table" | "Table MultiSelect" => json!("Row"),
        _ => Value::Null,
    }
}

/// One DocType with a field of every fieldtype; `reqd` for all or none.
fn sink(name: &str, reqd: bool) -> Value {
    let mut fields: Vec<Value> = FIELDTYPES
        .iter()
        .copied()
        .chain([UNKNOWN])
        .map(|ft| {
            json!({"fieldname": fieldname(ft), "fieldtype": ft, "label": ft,
                   "reqd": i32::from(reqd), "options": options(ft)})
        })
        .collect();
    fields.push(json!({"fieldname": "ref_doctype", "fieldtype": "Link", "options": "DocType"}));
    json!({"doctype": "DocType", "name": name, "module": "Sink", "fields": fields})
}

fn doctypes() -> Vec<DocType> {
    let mut all = Vec::new();
    for body in [
        sink("Doc", false),
        sink("Req Doc", true),
        json!({"doctype": "DocType", "name": "Target", "module": "Sink", "fields": []}),
        json!({"doctype": "DocType", "name": "Row", "module": "Sink", "istable": 1,
               "fields": [{"fieldname": "x", "fieldtype": "Data"}]}),
    ] {
        all.extend(load_json(&body.to_string(), "kitchen sink").unwrap());
    }
    all
}

/// `Option<Link<Target>>` etc., with the generated Select enums shown as `Enum`.
fn render(ty: &TypeRef) -> String {
    let path = ty.segments.join("::");
    let path = match path.as_str() {
        "DocSelect" | "ReqDocSelect" => "Enum".to_owned(),
        _ => path,
    };
    if ty.args.is_empty() {
        path
    } else {
        let args: Vec<String> = ty.args.iter().map(render).collect();
        format!("{path}<{}>", args.join(", "))
    }
}

/// `(type, serde helper)` of every generated field of the struct `ident`, by field name.
fn fields_of(lowered: &Lowered, ident: &str) -> BTreeMap<String, (String, String)> {
    let (_, st) = lowered
        .bindings
        .structs()
        .find(|(_, s)| s.ident == ident)
        .unwrap_or_else(|| panic!("no struct {ident} generated"));
    st.fields
        .iter()
        .map(|f| {
            let with = f
                .serde
                .iter()
                .find_map(|a| match a {
                    SerdeArg::With(p) => Some(p.trim_start_matches("frappe_runtime::").to_owned()),
                    _ => None,
                })
                .unwrap_or_default();
            (f.ident.name.clone(), (render(&f.ty), with))
        })
        .collect()
}

fn code(s: &str) -> String {
    if s.is_empty() {
        "—".to_owned()
    } else {
        format!("`{s}`")
    }
}

/// The README section the code implies.
fn expected_table() -> String {
    let lowered = crate::Config::new()
        .lower(&doctypes())
        .expect("the kitchen sink lowers");
    let optional = fields_of(&lowered, "Doc");
    let required = fields_of(&lowered, "ReqDoc");
    // Rows in FIELDTYPES order; fieldtypes that map alike share a row.
    let mut rows: Vec<(Vec<&str>, [String; 4])> = Vec::new();
    for ft in FIELDTYPES.iter().copied().chain([UNKNOWN]) {
        let get = |m: &BTreeMap<String, (String, String)>| {
            m.get(&fieldname(ft)).cloned().unwrap_or_default()
        };
        let ((o, ow), (r, rw)) = (get(&optional), get(&required));
        let cells = [code(&o), code(&ow), code(&r), code(&rw)];
        match rows.iter_mut().find(|(_, c)| *c == cells) {
            Some((fts, _)) => fts.push(ft),
            None => rows.push((vec![ft], cells)),
        }
    }
    let mut out = String::from(
        "| fieldtype | Rust type | serde `with` | Rust type when `reqd` | serde `with` when `reqd` |\n\
         |---|---|---|---|---|\n",
    );
    for (fts, [o, ow, r, rw]) in rows {
        let names: Vec<String> = fts
            .iter()
            .map(|ft| {
                if *ft == UNKNOWN {
                    "any other (unknown) fieldtype".to_owned()
                } else {
                    (*ft).to_owned()
                }
            })
            .collect();
        out.push_str(&format!(
            "| {} | {o} | {ow} | {r} | {rw} |\n",
            names.join(", ")
        ));
    }
    out.push_str(
        "\n`Enum`: the enum generated from the Select's options (with an `Other(String)` fallback; \
         `\"\"`, `null` and no key read as `None`, and where the options list the blank one, \
         `None` is sent as `\"\"`; the `naming_series` Select is text); \
         `Target`: the linked DocType's struct (`Option<String>` if it is not generated); `Row`: \
         the child DocType's struct; `Value`: `serde_json::Value`; `NaiveDate`, `NaiveDateTime`, \
         `NaiveTime`: chrono's (generated code imports both through frappe-runtime's re-exports, \
         `frappe_runtime::serde_json` and `frappe_runtime::chrono`); `—`: no field (layout) or no \
         helper. An unknown fieldtype also produces a warning. Currency can be \
         `rust_decimal::Decimal` instead (`Config::currency(CurrencyType::Decimal)`, `--decimal`, \
         with frappe-runtime's `decimal` feature). Serde helpers are in `frappe_runtime::wire`.\n\n\
         `reqd` drops the `Option` only where an empty value exists (text `\"\"`, Duration `0`): \
         Frappe checks mandatory fields on save only, so a field made mandatory later, rows \
         imported by SQL or a Single never saved read back `null`, which these types read as \
         empty and the others as `None`. Every field has serde's `default`: a key missing from \
         the body (a `fields` projection, an older site) reads the same way.\n",
    );
    out
}

#[test]
fn readme_fieldtype_table_matches_the_generator() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
    let readme = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let expected = expected_table();
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md lacks the markers {START} / {END}; put this between them:\n\n{expected}");
    };
    let section = readme[start + START.len()..end].trim();
    assert!(
        section == expected.trim(),
        "README.md's fieldtype table differs from what frappe-codegen generates; \
         replace the section between the markers with:\n\n{expected}"
    );
}

#[test]
fn every_known_fieldtype_is_in_the_table() {
    let table = expected_table();
    for ft in FIELDTYPES {
        assert!(table.contains(ft), "{ft} missing");
    }
    // Layout fieldtypes generate no field; everything else does, in both columns.
    assert!(table.contains(
        "| Section Break, Column Break, Tab Break, HTML, Button, Heading, Fold, Image | — |"
    ));
    assert!(table.contains("`Option<String>`") && table.contains("`Vec<Row>`"));
}
