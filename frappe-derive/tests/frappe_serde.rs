//! `#[frappe(serde)]` reads and writes the JSON serde's derives do for the same attributes: one
//! struct written twice, once with each, fed the same bodies.

use chrono::{NaiveDate, NaiveDateTime};
use frappe_runtime::serde_json::{Map, Value};
use frappe_runtime::{Choice, DocStatus, Document, Link};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The fields generated code has, one of each wire treatment.
macro_rules! row {
    ($name:ident, $status:ident, [$($derive:ident),*], [$($frappe:tt)*]) => {
        #[derive(Debug, Clone, PartialEq, Document, $($derive),*)]
        #[frappe(doctype = "Row", $($frappe)*)]
        struct $name {
            #[serde(default, skip_serializing_if = "String::is_empty")]
            name: String,
            #[serde(default, with = "frappe_runtime::wire::null_default")]
            title: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            note: Option<String>,
            #[serde(default, with = "frappe_runtime::wire::check")]
            done: bool,
            #[serde(default, with = "frappe_runtime::wire::number")]
            qty: i64,
            #[serde(default, skip_serializing_if = "Option::is_none", with = "frappe_runtime::wire::date::option")]
            due: Option<NaiveDate>,
            #[serde(default, skip_serializing_if = "Option::is_none", with = "frappe_runtime::wire::datetime::option")]
            modified: Option<NaiveDateTime>,
            #[serde(default, with = "frappe_runtime::wire::select::blank")]
            status: Option<$status>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            owner_user: Option<Link<$name>>,
            #[serde(default, rename = "type")]
            kind: Option<String>,
            #[serde(default)]
            docstatus: DocStatus,
            #[frappe(skip)]
            #[serde(flatten)]
            extra: Map<String, Value>,
        }
    };
}

row!(Derived, StatusDerived, [Serialize, Deserialize], []);
row!(Frappe, StatusFrappe, [], [serde]);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Choice)]
enum StatusDerived {
    Open,
    #[serde(rename = "On Hold")]
    OnHold,
    #[serde(untagged)]
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Choice)]
#[frappe(serde)]
enum StatusFrappe {
    Open,
    #[serde(rename = "On Hold")]
    OnHold,
    #[serde(untagged)]
    Other(String),
}

fn both(body: Value) -> (Value, Value) {
    let derived: Derived = serde_json::from_value(body.clone()).expect("serde's derive reads it");
    let frappe: Frappe = serde_json::from_value(body.clone()).expect("frappe(serde) reads it");
    // From text too: serde_json's string deserializer borrows keys, Value's owns them.
    let text = body.to_string();
    let from_text: Frappe = serde_json::from_str(&text).expect("frappe(serde) reads text");
    assert_eq!(from_text, frappe);
    (
        serde_json::to_value(&derived).unwrap(),
        serde_json::to_value(&frappe).unwrap(),
    )
}

#[test]
fn the_same_bodies_read_and_write_the_same_json() {
    let bodies = [
        json!({}),
        json!({"name": "R-1", "title": null, "note": null, "done": 1, "qty": "7", "due": "",
               "modified": "2024-01-02 03:04:05.123456", "status": "On Hold",
               "owner_user": "R-0", "type": "x", "docstatus": 1,
               "doctype": "Row", "_user_tags": null}),
        json!({"title": "T", "done": 0, "qty": null, "due": "2024-02-29", "status": "",
               "modified": null, "status2": [1, 2]}),
        json!({"status": "Somewhere else", "extra_key": {"nested": true}}),
    ];
    for body in bodies {
        let (derived, frappe) = both(body.clone());
        assert_eq!(derived, frappe, "{body}");
        // And the key order, which the two serde_json maps above do not compare.
        let d: Derived = serde_json::from_value(body.clone()).unwrap();
        let f: Frappe = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            serde_json::to_string(&f).unwrap()
        );
    }
}

#[test]
fn bad_values_fail_with_the_same_message() {
    for body in [
        json!({"done": "yes"}),
        json!({"qty": "seven"}),
        json!({"due": "02/29/2024"}),
        json!({"docstatus": 5}),
        json!([]),
        json!("Row"),
    ] {
        let derived = serde_json::from_value::<Derived>(body.clone()).unwrap_err();
        let frappe = serde_json::from_value::<Frappe>(body.clone()).unwrap_err();
        let derived = derived.to_string().replace("Derived", "Row");
        let frappe = frappe.to_string().replace("Frappe", "Row");
        if body.is_array() {
            // serde's derive reads a struct from an array of its fields; ours does not.
            assert_eq!(frappe, "invalid type: sequence, expected struct Row");
        } else {
            assert_eq!(derived, frappe, "{body}");
        }
    }
}

#[test]
fn a_select_enum_is_its_wire_string() {
    for (value, wire) in [
        (StatusFrappe::Open, "Open"),
        (StatusFrappe::OnHold, "On Hold"),
        (StatusFrappe::Other("Later".into()), "Later"),
    ] {
        assert_eq!(serde_json::to_value(&value).unwrap(), json!(wire));
        assert_eq!(
            serde_json::from_value::<StatusFrappe>(json!(wire)).unwrap(),
            value
        );
    }
    assert!(serde_json::from_value::<StatusFrappe>(json!(3)).is_err());
}

/// Only unknown keys: every key goes to the map (and the impls compile without warnings,
/// which the workspace's lints deny in tests).
#[derive(Debug, Document)]
#[frappe(doctype = "Anything", serde)]
struct Anything {
    #[frappe(skip)]
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[test]
fn a_struct_of_only_a_flattened_map_keeps_every_key() {
    let body = json!({"a": 1, "b": [true]});
    let doc: Anything = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(Value::Object(doc.rest.clone()), body);
    assert_eq!(serde_json::to_value(&doc).unwrap(), body);
}
