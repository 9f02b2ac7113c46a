//! Snapshots of generated code for the fixtures in `tests/fixtures` (our own DocTypes, in
//! Frappe's app layout). Review changes with `cargo insta review`; CI never writes snapshots.

use frappe_codegen::{Config, DocType, load_dir};

fn fixtures() -> Vec<DocType> {
    load_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/kitchen_app"
    ))
    .unwrap()
}

fn generate(only: &[&str]) -> (String, Vec<String>) {
    let (code, warnings) = Config::new()
        .only(only.iter().copied())
        .generate_with_warnings(&fixtures())
        .unwrap();
    (code, warnings.iter().map(ToString::to_string).collect())
}

#[test]
fn kitchen_sink_every_fieldtype() {
    let (code, warnings) = generate(&["Kitchen Sink", "Pantry Shelf"]);
    insta::assert_snapshot!(code);
    assert_eq!(
        warnings,
        [
            "Kitchen Sink.no_target: Link without a target DocType (empty options): generated as String",
            "Kitchen Sink.vector: unknown fieldtype \"Vector\": generated as serde_json::Value",
        ]
    );
}

#[test]
fn child_table() {
    let (code, warnings) = generate(&["Kitchen Sink Row"]);
    insta::assert_snapshot!(code);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn select_edge_cases() {
    let (code, warnings) = generate(&["Select Edge Cases"]);
    insta::assert_snapshot!(code);
    assert_eq!(
        warnings,
        [
            "Select Edge Cases.duplicates: Select option \"Open\" is listed more than once; it gets one variant"
        ]
    );
}

#[test]
fn keyword_fieldnames() {
    let (code, warnings) = generate(&["Keyword Fields"]);
    insta::assert_snapshot!(code);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn prelude_type_names_and_colliding_variants() {
    // A DocType named `Option` must not shadow the `Option` every struct uses; variants that
    // collide after conversion stay UpperCamelCase (`N15Alt2`, not `N15_2`, which rustc warns
    // about); a bare CR or a text-direction control in a label would be a compile error.
    let (code, warnings) = generate(&["Option"]);
    assert!(!code.contains(['\r', '\u{202E}']), "{code:?}");
    insta::assert_snapshot!(code);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(code.contains("pub struct Option_ {"), "{code}");
    assert!(
        code.contains("pub next_option: Option<Link<Option_>>,"),
        "{code}"
    );
}

#[test]
fn single_tree_virtual_and_autoincrement() {
    let (code, _) = generate(&["Kitchen Settings", "Pantry Shelf", "Kitchen Log"]);
    insta::assert_snapshot!(code);
}

#[test]
fn module_tree_and_crate_output() {
    let dir = tempfile::tempdir().unwrap();
    let doctypes = fixtures();
    let report = Config::new()
        .write_module_tree(&doctypes, &dir.path().join("tree"))
        .unwrap();
    let names: Vec<String> = report
        .written
        .files
        .iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(names, ["tree/mod.rs", "tree/kitchen.rs", "tree/pantry.rs"]);
    assert_eq!(report.doctypes, 9);
    // Writing again changes nothing.
    let again = Config::new()
        .write_module_tree(&doctypes, &dir.path().join("tree"))
        .unwrap();
    assert!(again.written.changed.is_empty());

    let options = frappe_codegen::CrateOptions {
        name: "kitchen-bindings".into(),
        runtime: frappe_codegen::RuntimeDep::Version("0.1".into()),
        decimal: false,
        standalone: false,
    };
    Config::new()
        .write_crate(&doctypes, &dir.path().join("crate"), &options)
        .unwrap();
    let cargo = std::fs::read_to_string(dir.path().join("crate/Cargo.toml")).unwrap();
    insta::assert_snapshot!("crate_cargo_toml", cargo);
    let lib = std::fs::read_to_string(dir.path().join("crate/src/lib.rs")).unwrap();
    insta::assert_snapshot!("crate_lib_rs", lib);
}

#[test]
fn output_is_deterministic() {
    let mut reversed = fixtures();
    reversed.reverse();
    let a = Config::new().generate(&fixtures()).unwrap();
    let b = Config::new().generate(&reversed).unwrap();
    assert_eq!(a, b);
}
