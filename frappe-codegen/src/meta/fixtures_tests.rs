//! Unit tests of fixture parsing and merging (inline JSON; the app-tree tests with generated
//! code are in `tests/generate.rs`).

use super::*;

const TOOL: &str = r#"{"doctype":"DocType","name":"Tool","module":"Workshop","fields":[
    {"fieldname":"tool_name","fieldtype":"Data","reqd":1},
    {"fieldname":"condition","fieldtype":"Select","options":"Good\nWorn"},
    {"fieldname":"notes","fieldtype":"Small Text"}]}"#;

fn tool() -> Vec<DocType> {
    vec![serde_json::from_str(TOOL).unwrap()]
}

fn fixtures(custom_fields: &str, property_setters: &str) -> Fixtures {
    let mut fx = Fixtures::default();
    fx.read(FixtureKind::CustomField, custom_fields, "cf.json")
        .unwrap();
    fx.read(FixtureKind::PropertySetter, property_setters, "ps.json")
        .unwrap();
    fx
}

fn names(dt: &DocType) -> Vec<&str> {
    dt.fields.iter().map(|f| f.fieldname.as_str()).collect()
}

#[test]
fn custom_fields_follow_insert_after_like_frappe() {
    let fx = fixtures(
        r#"[
        {"doctype":"Custom Field","dt":"Tool","fieldname":"at_end","fieldtype":"Int"},
        {"dt":"Tool","fieldname":"serial","fieldtype":"Data","insert_after":"tool_name","reqd":1},
        {"dt":"Tool","fieldname":"after_serial","fieldtype":"Date","insert_after":"serial"},
        {"dt":"Tool","fieldname":"also_first","insert_after":"tool_name"},
        {"dt":"Tool","fieldname":"lost","fieldtype":"Check","insert_after":"no_such_field"}]"#,
        "[]",
    );
    let mut doctypes = tool();
    let warnings = fx.apply(&mut doctypes).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        names(&doctypes[0]),
        [
            "tool_name",
            "serial",
            "after_serial",
            "also_first",
            "condition",
            "notes",
            "at_end",
            "lost"
        ]
    );
    let serial = &doctypes[0].fields[1];
    assert!(serial.reqd);
    assert_eq!(serial.fieldtype, "Data");
    // Frappe's Custom Field defaults fieldtype to Data.
    assert_eq!(doctypes[0].fields[3].fieldtype, "Data");
}

#[test]
fn property_setters_override_what_codegen_reads() {
    let fx = fixtures(
        r#"[{"dt":"Tool","fieldname":"grade","fieldtype":"Select","options":"A\nB"}]"#,
        r#"[
        {"doctype":"Property Setter","doc_type":"Tool","doctype_or_field":"DocField",
         "field_name":"condition","property":"options","value":"Good\nWorn\nBroken",
         "property_type":"Text"},
        {"doc_type":"Tool","doctype_or_field":"DocField","field_name":"notes",
         "property":"reqd","value":"1","property_type":"Check"},
        {"doc_type":"Tool","doctype_or_field":"DocField","field_name":"tool_name",
         "property":"reqd","value":0,"property_type":"Check"},
        {"doc_type":"Tool","doctype_or_field":"DocField","field_name":"grade",
         "property":"label","value":"Grade (custom)"},
        {"doc_type":"Tool","doctype_or_field":"DocField","field_name":"notes",
         "property":"hidden","value":"1","property_type":"Check"},
        {"doc_type":"Tool","doctype_or_field":"DocType","property":"is_submittable",
         "value":"1","property_type":"Check"},
        {"doc_type":"Tool","doctype_or_field":"DocType","property":"field_order",
         "value":"[\"notes\"]"}]"#,
    );
    let mut doctypes = tool();
    let warnings = fx.apply(&mut doctypes).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let dt = &doctypes[0];
    assert_eq!(dt.fields[1].options, "Good\nWorn\nBroken");
    assert!(dt.fields[2].reqd);
    assert!(!dt.fields[0].reqd);
    // Property setters apply to custom fields too (they are merged first).
    assert_eq!(dt.fields[3].label, "Grade (custom)");
    assert!(dt.is_submittable);
    // `hidden` and `field_order` are ignored: nothing else changed.
    let mut expected = tool().remove(0);
    expected.fields[1].options = "Good\nWorn\nBroken".into();
    expected.fields[2].reqd = true;
    expected.fields[0].reqd = false;
    expected.is_submittable = true;
    assert_eq!(dt.fields[..3], expected.fields[..]);
}

#[test]
fn fixtures_for_missing_doctypes_or_fields_are_warnings() {
    let fx = fixtures(
        r#"[{"dt":"Ghost","fieldname":"boo","fieldtype":"Data"}]"#,
        r#"[{"doc_type":"Ghost","field_name":"x","property":"reqd","value":"1"},
            {"doc_type":"Tool","field_name":"nope","property":"options","value":"A"}]"#,
    );
    let mut doctypes = tool();
    let before = doctypes.clone();
    let warnings: Vec<String> = fx
        .apply(&mut doctypes)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        warnings,
        [
            "Ghost: cf.json ([0]): Custom Field \"boo\" is for a DocType that is not loaded",
            "Ghost: ps.json ([0]): Property Setter for \"reqd\" is for a DocType that is not loaded",
            "Tool.nope: ps.json ([1]): Property Setter for \"options\" names a field the DocType \
             does not have",
        ]
    );
    assert_eq!(doctypes, before);
}

#[test]
fn colliding_custom_fields_are_errors_naming_file_doctype_and_field() {
    let fx = fixtures(
        r#"[{"dt":"Tool","fieldname":"condition","fieldtype":"Data"},
            {"dt":"Tool","fieldname":"extra","fieldtype":"Data"},
            {"dt":"Tool","fieldname":"extra","fieldtype":"Int"}]"#,
        "[]",
    );
    let err = fx.apply(&mut tool()).unwrap_err().to_string();
    assert_eq!(
        err,
        "2 problem(s) in the DocType metadata:\n  Tool.condition: the Custom Field in cf.json \
         ([0]) collides with a field of the same name already in the DocType\n  Tool.extra: the \
         Custom Field in cf.json ([2]) collides with a field of the same name already in the \
         DocType"
    );
}

#[test]
fn malformed_fixtures_name_file_and_json_path() {
    let mut fx = Fixtures::default();
    let err = fx
        .read(
            FixtureKind::CustomField,
            r#"[{"dt":"Tool","fieldname":"a"},{"dt":"Tool","fieldname":"b","reqd":"maybe"}]"#,
            "cf.json",
        )
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("cf.json: "), "{err}");
    assert!(err.contains("[1].reqd"), "{err}");
    let err = fx
        .read(
            FixtureKind::CustomField,
            r#"[{"fieldname":"a"}]"#,
            "cf.json",
        )
        .unwrap_err()
        .to_string();
    assert_eq!(err, "cf.json: `dt` is missing or empty (at [0].dt)");
    let err = fx
        .read(
            FixtureKind::PropertySetter,
            r#"[{"doctype":"Custom Field","doc_type":"Tool","property":"reqd"}]"#,
            "ps.json",
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("(at [0].doctype)"), "{err}");
    let err = fx
        .read(
            FixtureKind::PropertySetter,
            r#"{"doc_type":"Tool"}"#,
            "ps.json",
        )
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("ps.json: invalid type"), "{err}");

    let mut fx = Fixtures::default();
    fx.read(
        FixtureKind::PropertySetter,
        r#"[{"doc_type":"Tool","field_name":"notes","property":"reqd","value":"maybe"}]"#,
        "ps.json",
    )
    .unwrap();
    let err = fx.apply(&mut tool()).unwrap_err().to_string();
    assert!(
        err.starts_with("ps.json: Property Setter for \"reqd\""),
        "{err}"
    );
    assert!(err.ends_with("(at [0].value)"), "{err}");
}

#[test]
fn fixture_files_are_known_by_their_path() {
    let of = |p: &str| FixtureKind::of(Path::new(p));
    assert_eq!(
        of("app/app/fixtures/custom_field.json"),
        Some(FixtureKind::CustomField)
    );
    assert_eq!(
        of("app/fixtures/property_setter.json"),
        Some(FixtureKind::PropertySetter)
    );
    assert_eq!(of("app/fixtures/role.json"), None);
    assert_eq!(of("app/custom/custom_field.json"), None);
}
