//! The import rules of ARCHITECTURE.md ("frappe-codegen"), checked on the source text: what each
//! part may name with `crate::`. A module not listed in [`ALLOWED`] for a part is one it must
//! not import. Cheap on purpose: a line scan, not a parser; `super::` within a folder is free.

use std::path::{Path, PathBuf};

/// `(file or folder under src/, the crate modules it may import)`. Root re-exports
/// (`crate::Config`, `crate::load_file`) are not modules and are always allowed: they are the
/// public API, which is all the CLI may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("meta/", &["error", "files", "meta"]),
    ("ir.rs", &[]),
    ("naming.rs", &["ir"]),
    ("emit.rs", &["ir"]),
    ("lower/", &["error", "ir", "meta", "naming"]),
    ("output.rs", &["emit", "error", "files", "ir"]),
    ("selection.rs", &["error", "meta"]),
    ("drift.rs", &["meta"]),
    ("site.rs", &["error", "meta"]),
    ("files.rs", &["error"]),
    ("error.rs", &[]),
    ("cli.rs", &["site"]),
];

/// The crate's modules, as `lib.rs` declares them.
fn modules(src: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    lib.lines()
        .filter_map(|l| l.trim_start_matches("pub ").strip_prefix("mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect()
}

/// The crate modules `line` names after `crate::` (`crate::lower::X`, `crate::{lower, Config}`).
fn named(line: &str, modules: &[String]) -> Vec<String> {
    // Comments (and doc links in them) import nothing.
    let code = line.split("//").next().unwrap_or_default();
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let items = match rest.strip_prefix('{') {
            Some(group) => group.split('}').next().unwrap_or_default(),
            None => rest,
        };
        for item in items.split(',') {
            let first: String = item
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&first) {
                found.push(first);
            }
        }
    }
    found
}

fn rust_files(path: PathBuf) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

#[test]
fn each_part_imports_only_what_architecture_md_allows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    assert!(modules.len() >= 12, "lib.rs declares {modules:?}");
    let mut checked = 0;
    let mut broken = Vec::new();
    for (place, allowed) in ALLOWED {
        for file in rust_files(src.join(place)) {
            checked += 1;
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                for module in named(line, &modules) {
                    if !allowed.contains(&module.as_str()) {
                        let file = file.strip_prefix(&src).unwrap().display();
                        broken.push(format!("src/{file}:{}: crate::{module}", n + 1));
                    }
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} files checked");
    assert!(
        broken.is_empty(),
        "imports ARCHITECTURE.md does not allow:\n{}",
        broken.join("\n")
    );
}

/// The parts that may use frappe-runtime itself: the site source (its client), the standard
/// fields and the arguments never passed to a whitelisted function (its tables). Elsewhere
/// `frappe_runtime` appears only as text of generated code (in string literals) or in comments.
const RUNTIME_ALLOWED: &[&str] = &[
    "site.rs",
    "config/",
    "lower/standard.rs",
    "lower/methods.rs",
];

/// Whether `line` names the `frappe_runtime` crate as Rust code: outside comments, string
/// literals (an odd number of `"` before it) and doc backticks.
fn names_runtime(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or_default();
    code.match_indices("frappe_runtime").any(|(at, _)| {
        let before = &code[..at];
        before.matches('"').count() % 2 == 0 && !before.ends_with('`')
    })
}

#[test]
fn only_the_site_and_the_standard_fields_use_frappe_runtime() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut broken = Vec::new();
    let mut found = 0;
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap().display().to_string();
            if rel == "architecture_tests.rs" {
                // Its own examples.
                continue;
            }
            let allowed = RUNTIME_ALLOWED.iter().any(|a| rel.starts_with(a));
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                if names_runtime(line) {
                    found += 1;
                    if !allowed {
                        broken.push(format!("src/{rel}:{}", n + 1));
                    }
                }
            }
        }
    }
    assert!(found > 0, "no use of frappe_runtime found at all");
    assert!(
        broken.is_empty(),
        "frappe_runtime used outside {RUNTIME_ALLOWED:?}:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_runtime_scan_skips_strings_and_comments() {
    assert!(names_runtime("use frappe_runtime::standard::FIELDS;"));
    assert!(names_runtime("    auth: frappe_runtime::Auth,"));
    assert!(!names_runtime(r#"    "frappe_runtime::wire::number","#));
    assert!(!names_runtime("//! goes through `frappe_runtime` (which"));
    assert!(!names_runtime("         `frappe_runtime::serde_json` and"));
}

#[test]
fn the_scan_sees_paths_and_groups_but_not_comments_or_root_items() {
    let modules: Vec<String> = ["lower", "meta", "ir"].map(String::from).to_vec();
    assert_eq!(named("use crate::lower::Options;", &modules), ["lower"]);
    assert_eq!(
        named("use crate::{Config, ir::Item, meta};", &modules),
        ["ir", "meta"]
    );
    assert!(named("//! see [`crate::lower`]", &modules).is_empty());
    assert!(named("let d = crate::load_dir(app);", &modules).is_empty());
}

/// A `build.rs` depends on this crate with `default-features = false`: then frappe-runtime comes
/// without its `client` feature, only its types (the standard fields' table), so none of the
/// client's HTTP stack is built for a build script. Read from cargo's resolution of the
/// workspace's lockfile (`cargo tree`, offline), so a dependency made unconditional in
/// frappe-runtime, or a feature of this crate that turns the client on, fails here.
#[test]
fn without_default_features_the_runtime_comes_without_its_http_stack() {
    let out = std::process::Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "-p", "frappe-codegen", "--no-default-features"])
        .args(["-e", "normal", "--prefix", "none", "--offline", "--locked"])
        .output()
        .expect("cargo runs");
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let crates: Vec<&str> = tree.lines().filter_map(|l| l.split(' ').next()).collect();
    assert!(crates.contains(&"frappe-runtime"), "{tree}");
    let client_only = ["reqwest", "hyper", "tokio", "url", "futures-util", "rustls"];
    let built: Vec<_> = client_only.iter().filter(|c| crates.contains(c)).collect();
    assert!(
        built.is_empty(),
        "the client's stack is built: {built:?}\n{tree}"
    );
}
