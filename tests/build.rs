//! Generates bindings from the real Frappe v15 / ERPNext metadata in `../shared`, read in place
//! (never copied into this repository), into `$OUT_DIR/frappe_bindings.rs`.
//!
//! The `getdoctype` bodies bundle each DocType with its child tables, so loading them gives the
//! generator everything it needs. A missing `../shared` fails the build with a message saying
//! where the data was expected.
//!
//! A third, `$OUT_DIR/workflow_order.rs`, a DocType with an active Workflow (enums of its
//! states and actions, its transitions table).
//!
//! A second file, `$OUT_DIR/late_mandatory.rs`, holds the real Note with our own Custom Fields
//! (`fixtures/custom_field.json`): mandatory fields added after documents existed.

use std::path::{Path, PathBuf};

use frappe_codegen::meta::fixtures::{FixtureKind, Fixtures};

/// `(directory under frappe-v15, DocType file slug)`.
const SOURCES: &[(&str, &str)] = &[
    ("meta", "todo"),
    ("meta", "note"),
    ("meta", "contact"),
    ("meta", "api_test_order"),
    ("meta", "user"),
    ("meta", "role"),
    ("meta", "file"),
    ("erpnext/meta", "customer"),
    ("erpnext/meta", "sales_invoice"),
];

/// The DocTypes to generate (their child tables come along).
const DOCTYPES: &[&str] = &[
    "ToDo",
    "Note",
    "Contact",
    "API Test Order",
    "User",
    "Role",
    "File",
    "Customer",
    "Sales Invoice",
];

fn main() {
    let live = std::env::var_os("CARGO_FEATURE_LIVE").is_some();
    let result = run().and_then(|()| if live { live::run() } else { Ok(()) });
    if let Err(message) = result {
        eprintln!("frappe-tests build: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let shared = manifest.join("../../shared/frappe-v15");
    println!("cargo:rerun-if-changed=build.rs");
    if !shared.join("meta").is_dir() {
        return Err(format!(
            "the Frappe v15 reference data is missing: expected {} (the `shared` directory next \
             to this repository's root, holding frappe-v15/meta and frappe-v15/erpnext/meta)",
            shared.display()
        ));
    }
    let mut doctypes = Vec::new();
    for (dir, slug) in SOURCES {
        let file = shared.join(dir).join(format!("{slug}.getdoctype.json"));
        println!("cargo:rerun-if-changed={}", file.display());
        doctypes.extend(load(&file)?);
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    // The report's warnings are known and expected for this corpus (e.g. `amended_from` listed
    // twice in a captured body); `tests/tests/` asserts what matters, and a `cargo:warning` here
    // only looks like a failure to whoever runs the tests.
    frappe_codegen::Config::new()
        .only(DOCTYPES.iter().copied())
        .write_file(&doctypes, out.join("frappe_bindings.rs"))
        .map_err(|e| format!("cannot generate bindings from {}:\n{e}", shared.display()))?;
    late_mandatory(&shared, &manifest, &out)?;
    workflow(&manifest, &out)
}

/// A DocType with an active Workflow, as a site's getdoctype answers it (frappe-codegen's
/// fixture), into `$OUT_DIR/workflow_order.rs`: the generated enums and `HasWorkflow` impl
/// must compile without a warning.
fn workflow(manifest: &Path, out: &Path) -> Result<(), String> {
    let fixture = manifest.join("../frappe-codegen/tests/fixtures/workflow/order.getdoctype.json");
    println!("cargo:rerun-if-changed={}", fixture.display());
    frappe_codegen::Config::new()
        .write_file(&load(&fixture)?, out.join("workflow_order.rs"))
        .map_err(|e| format!("cannot generate the workflow fixture:\n{e}"))?;
    Ok(())
}

/// The real Note with the Custom Fields of `fixtures/custom_field.json` (one mandatory field of
/// every kind, added after notes existed), into `$OUT_DIR/late_mandatory.rs`.
fn late_mandatory(shared: &Path, manifest: &Path, out: &Path) -> Result<(), String> {
    let note = shared.join("meta/note.getdoctype.json");
    let fixture = manifest.join("fixtures/custom_field.json");
    println!("cargo:rerun-if-changed={}", fixture.display());
    let mut doctypes = load(&note)?;
    let text =
        std::fs::read_to_string(&fixture).map_err(|e| format!("{}: {e}", fixture.display()))?;
    let mut fixtures = Fixtures::default();
    fixtures
        .read(
            FixtureKind::CustomField,
            &text,
            &fixture.display().to_string(),
        )
        .map_err(|e| e.to_string())?;
    let left_out = fixtures.apply(&mut doctypes).map_err(|e| e.to_string())?;
    if let Some(w) = left_out.first() {
        return Err(format!("{}: {w}", fixture.display()));
    }
    frappe_codegen::Config::new()
        .write_file(&doctypes, out.join("late_mandatory.rs"))
        .map_err(|e| format!("cannot generate Note with custom fields:\n{e}"))?;
    Ok(())
}

#[path = "build_live.rs"]
mod live;

fn load(file: &Path) -> Result<Vec<frappe_codegen::DocType>, String> {
    frappe_codegen::load_file(file).map_err(|e| format!("{}: {e}", file.display()))
}
