//! Snapshots of generated code for the fixtures in `tests/fixtures` (our own DocTypes, in
//! Frappe's app layout). Review changes with `cargo insta review`; CI never writes snapshots.

use frappe_codegen::{Config, DocType, load_dir, load_dirs, load_file};

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
    assert_eq!(report.structs.len(), 9);
    assert_eq!(
        report.structs[0],
        frappe_codegen::GeneratedStruct {
            doctype: "Keyword Fields".into(),
            module: "kitchen".into(),
            ident: "KeywordFields".into(),
        }
    );
    // Writing again changes nothing.
    let again = Config::new()
        .write_module_tree(&doctypes, &dir.path().join("tree"))
        .unwrap();
    assert!(again.written.changed.is_empty());

    let options = frappe_codegen::CrateOptions {
        runtime: frappe_codegen::RuntimeDep::Version("0.1".into()),
        ..frappe_codegen::CrateOptions::new("kitchen-bindings")
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

fn app(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn app_fixtures_are_merged_into_the_generated_struct() {
    let loaded = load_dirs([app("workshop_app")]).unwrap();
    let fixture = format!(
        "{}/workshop_app/fixtures/custom_field.json",
        app("workshop_app")
    );
    // The Custom Field for a DocType that is not loaded is a warning naming file and DocType.
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [format!(
            "Workbench: {fixture} ([3]): Custom Field \"bench_height\" is for a DocType that is \
             not loaded"
        )]
    );
    let (code, lower_warnings) = Config::new()
        .generate_with_warnings(&loaded.doctypes)
        .unwrap();
    assert!(lower_warnings.is_empty(), "{lower_warnings:?}");
    insta::assert_snapshot!(code);
    // Custom fields in Frappe's order: after their insert_after field, or at the end.
    let pos = |s: &str| {
        code.find(s)
            .unwrap_or_else(|| panic!("{s:?} not in\n{code}"))
    };
    assert!(pos("pub tool_name: String,") < pos("pub serial_number: String,"));
    assert!(pos("pub serial_number: String,") < pos("pub calibrated_on: Option<NaiveDate>,"));
    assert!(
        pos("pub calibrated_on: Option<NaiveDate>,") < pos("pub condition: Option<ToolCondition>,")
    );
    assert!(pos("pub notes: String,") < pos("pub purchase_price: f64,"));

    // The same DocType without its fixtures: Select options and reqd as the file says.
    let file = format!(
        "{}/workshop_app/workshop/doctype/tool/tool.json",
        app("workshop_app")
    );
    let plain = Config::new().generate(&load_file(file).unwrap()).unwrap();
    assert!(plain.contains("pub notes: Option<String>,"), "{plain}");
    assert!(
        !plain.contains("Broken") && !plain.contains("serial_number"),
        "{plain}"
    );
    // With them: the Property Setters added an option and made `notes` mandatory (text, so a
    // plain String). `condition` was made mandatory too, but a Select has no empty value: it
    // stays an Option, since documents saved before read back `null`.
    assert!(
        code.contains("pub notes: String,")
            && code.contains("pub condition: Option<ToolCondition>,")
            && code.contains("Broken,"),
        "{code}"
    );
}

#[test]
fn load_dir_alone_refuses_to_drop_fixtures_for_other_apps() {
    let err = load_dir(app("workshop_app")).unwrap_err().to_string();
    assert!(err.contains("Custom Field \"bench_height\""), "{err}");
    assert!(err.contains("load_dirs or another --from-dir"), "{err}");
}

#[test]
fn a_custom_field_colliding_with_a_field_is_an_error() {
    let err = load_dirs([app("workshop_app"), app("colliding_app")])
        .unwrap_err()
        .to_string();
    let fixture = format!(
        "{}/colliding_app/fixtures/custom_field.json",
        app("colliding_app")
    );
    assert_eq!(
        err,
        format!(
            "1 problem(s) in the DocType metadata:\n  Tool.condition: the Custom Field in \
             {fixture} ([0]) collides with a field of the same name already in the DocType"
        )
    );
}

#[test]
fn a_workflow_becomes_enums_and_a_transitions_table() {
    // A getdoctype body as a site answers it with an active Workflow (`__workflow_docs`).
    let doctypes = load_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/workflow/order.getdoctype.json"
    ))
    .unwrap();
    let (code, warnings) = Config::new().generate_with_warnings(&doctypes).unwrap();
    insta::assert_snapshot!(code);
    assert!(warnings.is_empty(), "{warnings:?}");
    // A snapshot keeps the Workflow: written and read back, the same code.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("frappe.snapshot.json");
    frappe_codegen::Config::new()
        .write_snapshot(&doctypes, &path)
        .unwrap();
    let again = load_file(&path).unwrap();
    assert_eq!(Config::new().generate(&again).unwrap(), code);
}

#[test]
fn a_child_table_of_another_module_is_compiled_by_its_holders_feature() {
    // Order (Selling) holds Tax Row (Accounts) as a Table child; Tax Row links to Account
    // (Accounts). `selling` alone compiles Tax Row and a stand-in for Account, and needs no
    // other feature.
    let json = r#"{"docs": [
        {"doctype":"DocType","name":"Order","module":"Selling","fields":[
            {"fieldname":"account","fieldtype":"Link","options":"Account"},
            {"fieldname":"taxes","fieldtype":"Table","options":"Tax Row"}]},
        {"doctype":"DocType","name":"Tax Row","module":"Accounts","istable":1,"fields":[
            {"fieldname":"account","fieldtype":"Link","options":"Account"},
            {"fieldname":"kind","fieldtype":"Select","options":"Actual\nOn Net Total"}]},
        {"doctype":"DocType","name":"Account","module":"Accounts","fields":[
            {"fieldname":"title","fieldtype":"Data"}]}
    ]}"#;
    let doctypes = frappe_codegen::load_json(json, "inline.json").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = frappe_codegen::CrateOptions {
        runtime: frappe_codegen::RuntimeDep::Version("0.1".into()),
        ..frappe_codegen::CrateOptions::new("shared-bindings")
    };
    Config::new()
        .write_crate(&doctypes, dir.path(), &options)
        .unwrap();
    let read = |file: &str| std::fs::read_to_string(dir.path().join(file)).unwrap();
    let cargo = read("Cargo.toml");
    assert!(cargo.contains("\naccounts = []\nselling = []\n"), "{cargo}");
    insta::assert_snapshot!("shared_child_lib_rs", read("src/lib.rs"));
    insta::assert_snapshot!("shared_child_accounts_rs", read("src/accounts.rs"));
}

#[cfg(feature = "methods")]
#[test]
fn whitelisted_functions_become_typed_calls() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("shop");
    std::fs::create_dir_all(app.join("selling")).unwrap();
    std::fs::write(app.join("__init__.py"), "").unwrap();
    std::fs::write(app.join("selling/__init__.py"), "").unwrap();
    std::fs::write(
        app.join("selling/api.py"),
        r#"import frappe

@frappe.whitelist(methods=["POST"])
def place_order(customer: str, items: list[dict], note: str | None = None, urgent=False, **kwargs) -> str:
    """Places an order and returns its name."""

@frappe.whitelist(allow_guest=True, methods=["GET"])
def price(item_code, qty: int = 1, currency: "Literal['USD', 'EUR']" = "USD") -> float | None:
    pass

@frappe.whitelist()
def open_orders() -> int:
    pass
"#,
    )
    .unwrap();
    let (methods, warnings) = frappe_codegen::load_methods(dir.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(methods.len(), 3);
    let code = Config::new().methods(methods).generate(&[]).unwrap();
    insta::assert_snapshot!("whitelisted_functions", code);
}

#[test]
fn a_child_table_held_by_a_shared_child_table_is_shared_too() {
    // Order (Selling) holds Tax Row (Accounts), which holds Tax Detail (Accounts) and Stock
    // Detail (Stock): `selling` alone must compile all three.
    let json = r#"{"docs": [
        {"doctype":"DocType","name":"Order","module":"Selling","fields":[
            {"fieldname":"taxes","fieldtype":"Table","options":"Tax Row"}]},
        {"doctype":"DocType","name":"Tax Row","module":"Accounts","istable":1,"fields":[
            {"fieldname":"details","fieldtype":"Table","options":"Tax Detail"},
            {"fieldname":"stock","fieldtype":"Table","options":"Stock Detail"}]},
        {"doctype":"DocType","name":"Tax Detail","module":"Accounts","istable":1,"fields":[]},
        {"doctype":"DocType","name":"Stock Detail","module":"Stock","istable":1,"fields":[]},
        {"doctype":"DocType","name":"Account","module":"Accounts","fields":[]}
    ]}"#;
    let doctypes = frappe_codegen::load_json(json, "inline.json").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = frappe_codegen::CrateOptions {
        runtime: frappe_codegen::RuntimeDep::Version("0.1".into()),
        ..frappe_codegen::CrateOptions::new("nested-bindings")
    };
    Config::new()
        .write_crate(&doctypes, dir.path(), &options)
        .unwrap();
    let read = |file: &str| std::fs::read_to_string(dir.path().join(file)).unwrap();
    let lib = read("src/lib.rs");
    assert!(
        lib.contains("#[cfg(any(feature = \"accounts\", feature = \"selling\"))]\n"),
        "{lib}"
    );
    assert!(
        lib.contains(
            "#[cfg(any(feature = \"accounts\", feature = \"selling\", feature = \"stock\"))]"
        ),
        "{lib}"
    );
    let accounts = read("src/accounts.rs");
    for ty in ["TaxRow", "TaxDetail"] {
        let at = accounts.find(&format!("pub struct {ty} ")).unwrap();
        let cfg = accounts[..at].rfind("#[cfg(").unwrap();
        assert!(
            accounts[cfg..at].contains("feature = \"selling\""),
            "{ty}: {accounts}"
        );
    }
    let at = accounts.find("pub struct Account ").unwrap();
    let cfg = accounts[..at].rfind("#[cfg(").unwrap();
    assert!(
        accounts[cfg..at].starts_with("#[cfg(feature = \"accounts\")]"),
        "{accounts}"
    );
}
