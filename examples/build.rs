//! Generates the ERPNext bindings the examples use (Customer, Sales Invoice and its item rows)
//! from the committed snapshot `snapshot.json`, offline, into `$OUT_DIR/erpnext.rs`.
//!
//! `compile_snapshot` prints `cargo:rerun-if-changed` for the snapshot and turns codegen
//! warnings into `cargo:warning=` lines.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let result = frappe_codegen::Config::new()
        .only(["Customer", "Sales Invoice"])
        .out_file("erpnext.rs")
        .compile_snapshot("snapshot.json");
    if let Err(e) = result {
        // A readable message instead of a Debug dump of the error.
        eprintln!("frappe-examples: cannot generate bindings from snapshot.json:\n{e}");
        std::process::exit(1);
    }
}
