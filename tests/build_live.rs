//! The `live` feature: bindings for every DocType of the running test site, generated from the
//! snapshot `.ci/live` takes of it (`FRAPPE_LIVE_SNAPSHOT`), into `$OUT_DIR/live_site.rs`, plus
//! `$OUT_DIR/live_registry.rs`: one entry per DocType with the generated struct, so a live test
//! can decode every DocType the site has with its own type.

use std::fmt::Write as _;
use std::path::PathBuf;

pub fn run() -> Result<(), String> {
    println!("cargo:rerun-if-env-changed=FRAPPE_LIVE_SNAPSHOT");
    let snapshot = std::env::var_os("FRAPPE_LIVE_SNAPSHOT")
        .map(PathBuf::from)
        .ok_or(
            "the `live` feature needs FRAPPE_LIVE_SNAPSHOT: a snapshot of the test site taken with \
         `frappe-codegen snapshot --site` (.ci/live takes it; see README, \"Live tests\")",
        )?;
    println!("cargo:rerun-if-changed={}", snapshot.display());
    let doctypes =
        frappe_codegen::load_file(&snapshot).map_err(|e| format!("{}: {e}", snapshot.display()))?;
    // Typed calls of every whitelisted function of the site's Frappe (issue 16).
    println!("cargo:rerun-if-env-changed=FRAPPE_LIVE_FRAPPE_SOURCE");
    let source = std::env::var_os("FRAPPE_LIVE_FRAPPE_SOURCE")
        .map(PathBuf::from)
        .ok_or(
            "the `live` feature needs FRAPPE_LIVE_FRAPPE_SOURCE: the site's Frappe package (the \
             kit's STATE/bench/apps/frappe/frappe; .ci/live sets it)",
        )?;
    let (methods, warnings) = frappe_codegen::load_methods(&source);
    if methods.len() < 100 || !warnings.is_empty() {
        return Err(format!(
            "{}: {} whitelisted functions, warnings: {warnings:?}",
            source.display(),
            methods.len()
        ));
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    let report = frappe_codegen::Config::new()
        .methods(methods)
        .write_file(&doctypes, out.join("live_site.rs"))
        .map_err(|e| format!("cannot generate bindings from {}:\n{e}", snapshot.display()))?;

    let mut registry = String::from(
        "/// Every DocType of the live site that has its own table, with its generated struct.\n\
         pub fn all() -> Vec<Probe> {\n    vec![\n",
    );
    for generated in &report.structs {
        let Some(meta) = doctypes.iter().find(|d| d.name == generated.doctype) else {
            continue;
        };
        // Child rows are read through their parents; virtual DocTypes have no table.
        let kind = if meta.istable || meta.is_virtual {
            continue;
        } else if meta.issingle {
            "Single"
        } else {
            "List"
        };
        let ty = format!(
            "crate::live_site::{}::{}",
            generated.module, generated.ident
        );
        writeln!(
            registry,
            "        Probe {{ doctype: {:?}, kind: Kind::{kind}, \
             run: |c| Box::pin(probe_{}::<{ty}>(c)) }},",
            generated.doctype,
            kind.to_lowercase()
        )
        .map_err(|e| e.to_string())?;
    }
    registry.push_str("    ]\n}\n");
    frappe_codegen::write_if_changed(&out.join("live_registry.rs"), &registry)
        .map_err(|e| e.to_string())?;
    Ok(())
}
