//! README.md's five-minute tour is code: every fenced block whose info string has `tour=PATH`
//! (```` ```toml tour=Cargo.toml ````) is a file of a crate the reader makes. This test extracts
//! those blocks from README.md (nothing is copied by hand) and:
//!
//! - fast: checks that the tour is complete and depends on what the README promises, nothing
//!   else (frappe-runtime and tokio; frappe-codegen to build);
//! - slow, `#[ignore]`d (`.ci/run`'s slow step runs it): writes the files into a fresh crate
//!   outside the workspace, with `frappe.snapshot.json` (the examples' snapshot, which holds the
//!   tour's DocTypes), builds it `--offline` without a warning, with the README's
//!   `frappe-runtime = "0.1"` pointed at this checkout by a `[patch.crates-io]` section added
//!   after the README's lines, and runs it without `FRAPPE_URL`, which must say what to set.
//!
//! The crate lives in `<target dir>/tmp/readme-tour/` (`CARGO_TARGET_TMPDIR`) and builds into the
//! corpus test's target directory with the same profile settings, so dependencies both use are
//! compiled once; files are rewritten only when they changed, so reruns are incremental.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// The tour's files: `PATH -> contents`, from README.md's ```` ``` ... tour=PATH ```` blocks.
fn tour_files(readme: &str) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in readme.lines() {
        match &mut current {
            Some((path, text)) => {
                if line.trim_start().starts_with("```") {
                    let previous = files.insert(std::mem::take(path), std::mem::take(text));
                    assert!(
                        previous.is_none(),
                        "README.md: two tour blocks for one file"
                    );
                    current = None;
                } else {
                    text.push_str(line);
                    text.push('\n');
                }
            }
            None => {
                let Some(info) = line.trim_start().strip_prefix("```") else {
                    continue;
                };
                let path = info
                    .split([' ', ','])
                    .find_map(|word| word.strip_prefix("tour="));
                if let Some(path) = path {
                    current = Some((path.to_owned(), String::new()));
                }
            }
        }
    }
    assert!(current.is_none(), "README.md: a tour block is not closed");
    files
}

fn readme_tour() -> BTreeMap<String, String> {
    let path = workspace().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    tour_files(&readme)
}

/// The dependency names of each `[...dependencies]` table of a manifest (a line reader: the
/// README's manifest uses one `name = ...` line per dependency).
fn dependencies(manifest: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut table = String::new();
    for line in manifest.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            table = name.to_owned();
        } else if table.ends_with("dependencies") {
            if let Some((name, _)) = line.split_once('=') {
                tables
                    .entry(table.clone())
                    .or_default()
                    .insert(name.trim().to_owned());
            }
        }
    }
    tables
}

#[test]
fn the_tour_is_a_whole_crate_that_needs_frappe_runtime_alone() {
    let files = readme_tour();
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(paths, ["Cargo.toml", "build.rs", "src/main.rs"]);
    let deps = dependencies(&files["Cargo.toml"]);
    let names = |table: &str| -> Vec<&str> {
        deps.get(table)
            .map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default()
    };
    assert_eq!(names("dependencies"), ["frappe-runtime", "tokio"]);
    assert_eq!(names("build-dependencies"), ["frappe-codegen"]);
    assert_eq!(deps.len(), 2, "unexpected tables: {deps:?}");
    // What build.rs writes is what main.rs includes.
    assert!(files["build.rs"].contains(".out_file(\"erpnext.rs\")"));
    assert!(files["src/main.rs"].contains("\"/erpnext.rs\""));
}

#[test]
fn tour_blocks_are_found_by_their_info_string() {
    let readme = "text\n```toml tour=Cargo.toml\n[package]\n```\n```rust,ignore\nnot()\n```\n\
                  ```rust tour=src/main.rs\nfn main() {}\n```\n";
    let files = tour_files(readme);
    assert_eq!(files.len(), 2);
    assert_eq!(files["Cargo.toml"], "[package]\n");
    assert_eq!(files["src/main.rs"], "fn main() {}\n");
}

/// Writes `text` unless the file already holds it (keeps mtimes, so cargo rebuilds only what
/// changed).
fn write(path: &Path, text: &str) {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// `cargo <subcommand> --offline --manifest-path <krate>/Cargo.toml`.
fn cargo(krate: &Path, subcommand: &str) -> Command {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args([subcommand, "--offline"])
        .arg("--manifest-path")
        .arg(krate.join("Cargo.toml"))
        .current_dir(krate)
        // The corpus test's target directory and profile: dependencies are built once for both.
        .env("CARGO_TARGET_DIR", tmp.join("corpus-check").join("target"))
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env_remove("RUSTFLAGS");
    cmd
}

#[test]
#[ignore = "slow: run by .ci/run"]
fn the_tour_builds_outside_the_workspace_and_explains_missing_settings() {
    let ws = workspace();
    let krate = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-tour");
    let files = readme_tour();
    for (path, text) in &files {
        let mut text = text.clone();
        if path == "Cargo.toml" {
            // The README's crates.io requirements, served by this checkout.
            text.push_str(&format!(
                "\n[patch.crates-io]\nfrappe-runtime = {{ path = {:?} }}\n\
                 frappe-codegen = {{ path = {:?} }}\n\n[workspace]\n",
                ws.join("frappe-runtime").display().to_string(),
                ws.join("frappe-codegen").display().to_string(),
            ));
        }
        write(&krate.join(path), &text);
    }
    let snapshot = std::fs::read_to_string(ws.join("examples/snapshot.json")).unwrap();
    write(&krate.join("frappe.snapshot.json"), &snapshot);
    if !krate.join("Cargo.lock").exists() {
        write(
            &krate.join("Cargo.lock"),
            &std::fs::read_to_string(ws.join("Cargo.lock")).unwrap(),
        );
    }

    let build = cargo(&krate, "build").output().unwrap();
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(
        build.status.success(),
        "the README tour does not build:\n{stderr}"
    );
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(
        warnings.is_empty(),
        "the README tour has warnings:\n{stderr}"
    );

    let run = cargo(&krate, "run")
        .args(["--quiet", "--", "Grant Plastics Ltd.", "Test Co", "SKU001"])
        .env_remove("FRAPPE_URL")
        .env_remove("FRAPPE_API_KEY")
        .env_remove("FRAPPE_API_SECRET")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("FRAPPE_URL is not set: export FRAPPE_URL="),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
