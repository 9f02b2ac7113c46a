//! Generated bindings crates compiled one Cargo feature at a time (slow, so `#[ignore]`d: `.ci/run`
//! runs it with `--include-ignored`). With a module's feature off, the types other modules link
//! to are stand-ins (`emit_crate_root`); only a build with some modules on and others off uses
//! them, and no other test builds one.
//!
//! For each DocType set below, the crate `write_crate` produces is checked with no module, each
//! module alone (no module's feature enables another: a child table is compiled by its own
//! module's feature and by each feature holding it) and `full`, all with `missing_docs` and every
//! other warning denied through a `[lints]` table added to the test's copy of the manifest. The crates live under `<target dir>/tmp/corpus-check/` and use the corpus test's target
//! directory (its build scripts and proc macros are reused; dependencies are checked once), are
//! built `--offline` against a copy of the workspace's `Cargo.lock`, and are rewritten only
//! where their files changed, so reruns are incremental.

mod support;

use std::path::Path;
use std::process::Command;

use frappe_codegen::write_if_changed;
use frappe_codegen::{Config, CrateOptions, RuntimeDep};

/// The sets checked: Frappe's own modules (12, with links across them), ERPNext's, and our
/// fixtures.
const SETS: &[&str] = &["frappe_app", "erpnext_getdoctype", "fixtures"];

/// Added to the copy of the generated manifest: a warning fails the build.
const LINTS: &str = "\n[lints.rust]\nwarnings = \"deny\"\nmissing_docs = \"deny\"\n";

/// Writes the bindings crate of `set` into `krate` (only the files that changed); returns its
/// module features in order.
fn write_test_crate(set: &support::Set, krate: &Path, workspace: &Path) -> Vec<String> {
    let name = format!("features-{}", set.name.replace('_', "-"));
    let options = CrateOptions {
        runtime: RuntimeDep::Path(workspace.join("frappe-runtime")),
        standalone: true,
        ..CrateOptions::new(name)
    };
    // Generated into a scratch directory, then copied with the lints added, so that an
    // unchanged crate keeps its files' timestamps.
    let scratch = tempfile::tempdir().unwrap();
    let report = Config::new()
        .write_crate(&set.doctypes, scratch.path(), &options)
        .unwrap_or_else(|e| panic!("{}: {e}", set.name));
    // One Cargo feature per module, in the modules' (sorted) order.
    let mut modules: Vec<String> = report.structs.iter().map(|s| s.module.clone()).collect();
    modules.dedup();
    let relative: Vec<&Path> = report
        .written
        .files
        .iter()
        .map(|f| f.strip_prefix(scratch.path()).unwrap())
        .collect();
    // A module file left from an earlier run is not compiled (no `mod` for it), but remove it
    // anyway so the directory is exactly what the generator wrote.
    if let Ok(entries) = std::fs::read_dir(krate.join("src")) {
        for entry in entries {
            let path = entry.unwrap().path();
            if !relative.contains(&path.strip_prefix(krate).unwrap()) {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    for relative in relative {
        let mut text = std::fs::read_to_string(scratch.path().join(relative)).unwrap();
        if relative == Path::new("Cargo.toml") {
            text.push_str(LINTS);
        }
        let path = krate.join(relative);
        write_if_changed(&path, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let lock = krate.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(workspace.join("Cargo.lock"), &lock).unwrap();
    }
    modules
}

#[test]
#[ignore = "slow (a cargo check per module feature); .ci/run runs it with --ignored"]
fn each_module_feature_compiles_alone_without_warnings() {
    let workspace = support::workspace().canonicalize().unwrap();
    // Cargo's scratch directory (wherever CARGO_TARGET_DIR puts it), shared with the corpus test.
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-check");
    let sets = support::sets();
    let mut failures = Vec::new();
    let mut checks = 0;
    for name in SETS {
        let set = sets
            .iter()
            .find(|s| s.name == *name)
            .unwrap_or_else(|| panic!("no DocType set {name}"));
        let krate = root.join(format!("features-{name}"));
        let modules = write_test_crate(set, &krate, &workspace);
        assert!(
            modules.len() > 1,
            "{name}: {} module(s); nothing links across modules",
            modules.len()
        );
        // No module, each module alone, everything.
        let runs = std::iter::once(String::new())
            .chain(modules.iter().cloned())
            .chain(std::iter::once("full".to_owned()));
        for features in runs {
            checks += 1;
            let start = std::time::Instant::now();
            let output = Command::new(env!("CARGO"))
                .args(["check", "--offline", "--quiet", "--no-default-features"])
                .args(["--features", &features, "--manifest-path"])
                .arg(krate.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", root.join("target"))
                .output()
                .expect("cargo runs");
            let label = if features.is_empty() {
                "(none)"
            } else {
                &features
            };
            eprintln!(
                "{name} --features {label}: {:.1} s",
                start.elapsed().as_secs_f64()
            );
            let stderr = String::from_utf8_lossy(&output.stderr);
            if !output.status.success() || stderr.contains("warning") {
                // The first diagnostics are enough to see what broke; all of them can run to
                // thousands of lines.
                let head: Vec<&str> = stderr.lines().take(40).collect();
                failures.push(format!("{name} --features {label}:\n{}", head.join("\n")));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checks} feature builds failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
