//! Benchmark (prints numbers, asserts nothing about time): `cargo bench -p frappe-codegen`.
//!
//! 1. load + generate every DocType of the `../shared/frappe-v15` corpus (all sets), in
//!    DocTypes per second (best of several runs);
//! 2. `cargo check` time of generated bindings crates (the 262-DocType Frappe app and the
//!    ERPNext getdoctype set), with all features and with one feature, the dependencies
//!    already built (only the generated crate is cleaned before each timing).
//!
//! Set `FRAPPE_CODEGEN_BENCH_SKIP_CHECK=1` to run part 1 only. A `cargo check` that fails
//! makes the bench exit non-zero (a time for a failed build means nothing).

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use frappe_codegen::{Config, CrateOptions, RuntimeDep};

fn main() {
    let sets = support::sets();
    let doctypes: usize = sets.iter().map(|s| s.doctypes.len()).sum();
    let files: usize = sets.iter().map(|s| s.files).sum();

    let mut best_load = Duration::MAX;
    let mut best_total = Duration::MAX;
    let mut bytes = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let sets = support::sets();
        let loaded = start.elapsed();
        bytes = 0;
        for set in &sets {
            bytes += Config::new()
                .generate(&set.doctypes)
                .expect("corpus generates")
                .len();
        }
        best_load = best_load.min(loaded);
        best_total = best_total.min(start.elapsed());
    }
    println!(
        "corpus: {} sets, {files} files, {doctypes} DocTypes (with repeats across sets)",
        sets.len()
    );
    println!(
        "load:            {:>8.1} ms  ({:.0} DocTypes/s)",
        ms(best_load),
        doctypes as f64 / best_load.as_secs_f64()
    );
    println!(
        "load + generate: {:>8.1} ms  ({:.0} DocTypes/s, {:.1} MB of Rust)",
        ms(best_total),
        doctypes as f64 / best_total.as_secs_f64(),
        bytes as f64 / 1e6
    );

    if std::env::var_os("FRAPPE_CODEGEN_BENCH_SKIP_CHECK").is_some() {
        return;
    }
    let workspace = support::workspace().canonicalize().unwrap();
    // Cargo's scratch directory for tests and benches: inside the target directory, wherever
    // CARGO_TARGET_DIR puts it.
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-check");
    let mut failed = Vec::new();
    for (set, one) in [("frappe_app", "desk"), ("erpnext_getdoctype", "selling")] {
        let set = sets.iter().find(|s| s.name == set).unwrap();
        let krate = root.join(format!("bench-{}", set.name));
        let name = format!("bench-{}", set.name.replace('_', "-"));
        let options = CrateOptions {
            runtime: RuntimeDep::Path(workspace.join("frappe-runtime")),
            standalone: true,
            ..CrateOptions::new(name.clone())
        };
        Config::new()
            .write_crate(&set.doctypes, &krate, &options)
            .unwrap();
        let lock = krate.join("Cargo.lock");
        if !lock.exists() {
            std::fs::copy(workspace.join("Cargo.lock"), &lock).unwrap();
        }
        for features in ["full", one] {
            cargo(&krate, &root, &["clean", "-p", &name]);
            let start = Instant::now();
            let ok = cargo(&krate, &root, &["check", "--features", features]);
            println!(
                "cargo check {:<20} --features {features:<8}: {:>6.1} s{}",
                set.name,
                start.elapsed().as_secs_f64(),
                if ok { "" } else { "  (FAILED)" }
            );
            if !ok {
                failed.push(format!("{} --features {features}", set.name));
            }
        }
    }
    if !failed.is_empty() {
        eprintln!("cargo check failed: {}", failed.join(", "));
        std::process::exit(1);
    }
}

fn cargo(krate: &Path, root: &Path, args: &[&str]) -> bool {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .args(["--offline", "--quiet", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .status()
        .is_ok_and(|s| s.success())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
