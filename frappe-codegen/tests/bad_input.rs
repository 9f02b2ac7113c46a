//! Bad input gives clear errors naming the file, DocType and field at fault; never a panic.

use frappe_codegen::{Config, load_dir, load_json};

fn dt(json: &str) -> frappe_codegen::DocType {
    load_json(json, "inline.json").unwrap().remove(0)
}

#[test]
fn malformed_json_names_file_and_position() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app/module/doctype/broken/broken.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        "{\"doctype\": \"DocType\", \"name\": \"Broken\",\n \"fields\": [}",
    )
    .unwrap();
    // Other JSON (test records, fixtures) next to it is not metadata and is skipped.
    std::fs::write(
        file.with_file_name("test_records.json"),
        "[{\"doctype\": \"Broken\"}]",
    )
    .unwrap();
    let err = load_dir(dir.path()).unwrap_err().to_string();
    assert!(err.starts_with(&file.display().to_string()), "{err}");
    assert!(
        err.contains("invalid JSON") && err.contains("line 2 column 13"),
        "{err}"
    );
}

#[test]
fn a_truncated_saved_body_is_an_error_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("customer.getdoctype.json");
    std::fs::write(
        &file,
        r#"{"docs": [{"doctype": "DocType", "name": "Customer", "fields": [{"fieldn"#,
    )
    .unwrap();
    // Broken JSON that is clearly not metadata is still skipped.
    std::fs::write(dir.path().join("package.json"), "{\"name\": ").unwrap();
    let err = load_dir(dir.path()).unwrap_err().to_string();
    assert!(err.starts_with(&file.display().to_string()), "{err}");
    assert!(err.contains("invalid JSON"), "{err}");
}

#[test]
fn wrong_value_types_name_the_json_path() {
    let err = load_json(
        r#"{"docs": [{"doctype": "DocType", "name": "A", "fields": []},
                     {"doctype": "DocType", "name": "B", "fields": [{"fieldname": "x", "fieldtype": 5}]}]}"#,
        "a.getdoctype.json",
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "a.getdoctype.json: invalid type: integer `5`, expected a string (at .docs[1].fields[0].fieldtype)"
    );
}

#[test]
fn all_problems_are_reported_together() {
    let doctypes = vec![
        dt(
            r#"{"doctype": "DocType", "name": "Invoice", "module": "Accounts", "fields": [
            {"fieldname": "items", "fieldtype": "Table", "options": "Invoice Itme"},
            {"fieldname": "taxes", "fieldtype": "Table"},
            {"fieldname": "qty", "fieldtype": "Int"},
            {"fieldname": "qty", "fieldtype": "Float"},
            {"fieldtype": "Data", "label": "Nameless"},
            {"fieldname": "mystery"}]}"#,
        ),
        dt(r#"{"doctype": "DocType", "name": "", "module": "Accounts", "fields": []}"#),
    ];
    let err = Config::new().generate(&doctypes).unwrap_err().to_string();
    assert_eq!(
        err,
        "6 problem(s) in the DocType metadata:\n  \
         <unnamed DocType>: DocType #2 (inline.json) has an empty name\n  \
         Invoice.field #5 (label \"Nameless\"): Data field has no fieldname\n  \
         Invoice.items: Table options \"Invoice Itme\" is not a known DocType (load or select it too)\n  \
         Invoice.mystery: has no fieldtype\n  \
         Invoice.qty: duplicate fieldname: defined as Int and again as Float\n  \
         Invoice.taxes: Table without a child DocType (empty options)"
    );
}

#[test]
fn a_doctype_name_with_surrounding_whitespace_is_a_problem() {
    // The derive refuses `#[frappe(doctype = "Note ")]`: reported here, not as a compile error
    // in the generated code.
    let a = dt(r#"{"doctype": "DocType", "name": "Note ", "module": "Desk", "fields": []}"#);
    let err = Config::new().generate(&[a]).unwrap_err().to_string();
    assert_eq!(
        err,
        "1 problem(s) in the DocType metadata:\n  \
         Note : the DocType name \"Note \" has leading or trailing whitespace"
    );
}

#[test]
fn a_child_table_that_is_also_single_is_a_problem() {
    let a = dt(
        r#"{"doctype": "DocType", "name": "Row", "module": "Desk", "istable": 1, "issingle": 1, "fields": []}"#,
    );
    let err = Config::new().generate(&[a]).unwrap_err().to_string();
    assert_eq!(
        err,
        "1 problem(s) in the DocType metadata:\n  Row: is both a child table (istable) and a \
         single (issingle); a DocType is one or the other"
    );
}

#[test]
fn conflicting_definitions_of_one_doctype() {
    let a = dt(
        r#"{"doctype": "DocType", "name": "Note", "fields": [{"fieldname": "title", "fieldtype": "Data"}]}"#,
    );
    let mut b = a.clone();
    b.fields[0].fieldtype = "Text".into();
    b.source = "other.json".into();
    let err = Config::new()
        .generate(&[a.clone(), b.clone()])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Note: defined twice with different contents (inline.json and other.json)"),
        "{err}"
    );
    // Selecting the DocType does not hide the conflict by keeping the first definition.
    let err = Config::new()
        .only(["Note"])
        .generate(&[a.clone(), b.clone()])
        .unwrap_err()
        .to_string();
    assert!(err.contains("Note: defined twice"), "{err}");
    // The same definition twice (a child bundled with two parents) is fine.
    assert!(Config::new().generate(&[a.clone(), a]).is_ok());
}

#[test]
fn unknown_selection_is_an_error() {
    let a = dt(r#"{"doctype": "DocType", "name": "Note", "module": "Desk", "fields": []}"#);
    let err = Config::new()
        .only(["Nte"])
        .generate(&[a])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "not found in the loaded metadata: DocType \"Nte\" (did you mean \"Note\"?)"
    );
}

#[cfg(unix)]
#[test]
fn linked_app_directories_are_read_and_link_loops_end() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("real/app/module/doctype/note");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(
        app.join("note.json"),
        r#"{"doctype": "DocType", "name": "Note", "module": "Desk", "fields": []}"#,
    )
    .unwrap();
    let bench = dir.path().join("bench/apps");
    std::fs::create_dir_all(&bench).unwrap();
    std::os::unix::fs::symlink(dir.path().join("real/app"), bench.join("app")).unwrap();
    // A loop back to the top and a dangling link.
    std::os::unix::fs::symlink(dir.path().join("bench"), bench.join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone"), bench.join("dangling")).unwrap();
    let found = load_dir(dir.path().join("bench")).unwrap();
    let names: Vec<&str> = found.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Note"]);
}

#[test]
fn a_directory_without_doctypes_is_empty_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("package.json"), "{\"name\": \"x\"}").unwrap();
    assert!(load_dir(dir.path()).unwrap().is_empty());
    let err = load_dir(dir.path().join("missing"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing"), "{err}");
}
