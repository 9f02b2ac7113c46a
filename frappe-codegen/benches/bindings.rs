//! Benchmark of a bindings crate at scale (prints numbers, asserts nothing about time):
//!
//! ```sh
//! cargo bench -p frappe-codegen --bench bindings                     # ../shared (CI-sized)
//! FRAPPE_BENCH_TREES=/src/frappe:/src/hrms:/src/crm FRAPPE_BENCH_COPIES=2 \
//!     cargo bench -p frappe-codegen --bench bindings                 # real app trees, scaled up
//! ```
//!
//! 1. Generation, load to files written: the trees loaded as `--from-dir` loads them
//!    (`load_dirs`), then `write_crate` into a fresh directory; the median of
//!    `FRAPPE_BENCH_GEN_RUNS` (default 5) runs.
//! 2. `cargo check` of the generated crate with the dependencies already built: each module
//!    feature alone (`FRAPPE_BENCH_FEATURES`: `all`, the default, a comma-separated list, or
//!    `none`), then `--features full`; wall time and the CPU time of the cargo process tree
//!    (user + system, Linux only: on a shared machine CPU time moves less with load than wall
//!    time). Only the generated crate is rebuilt for each figure (its `lib.rs` touched).
//!
//! `FRAPPE_BENCH_TREES`: app source trees, bench `apps/` folders or saved API bodies, `:`-
//! separated, in install order (Frappe first); default `../shared/frappe-v15/doctypes` (Frappe's
//! 262 DocTypes). `FRAPPE_BENCH_COPIES=n` adds n renamed copies of every DocType that is not
//! from the first tree (`Sales Order` -> `Sales Order Copy 2` in module `Selling Copy 2`, Link
//! and Table options renamed alike, Links into the first tree kept): a documented scale-up to
//! ERPNext's size when ERPNext's own tree is not at hand, with the real trees' shape (child
//! tables and Links across modules). A `cargo check` that fails makes the bench exit non-zero.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use frappe_codegen::{Config, CrateOptions, DocType, RuntimeDep, load_dirs};

fn main() {
    let trees: Vec<PathBuf> = match std::env::var("FRAPPE_BENCH_TREES") {
        Ok(v) if !v.is_empty() => v.split(':').map(PathBuf::from).collect(),
        _ => vec![support::shared().join("doctypes")],
    };
    let copies: usize = env_number("FRAPPE_BENCH_COPIES", 0);
    let gen_runs = env_number("FRAPPE_BENCH_GEN_RUNS", 5).max(1);
    let workspace = support::workspace().canonicalize().unwrap();
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bindings-bench");
    let krate = root.join("crate");
    let options = CrateOptions {
        runtime: RuntimeDep::Path(workspace.join("frappe-runtime")),
        standalone: true,
        ..CrateOptions::new("bench-bindings")
    };

    // The renamed copies are made outside the timing: the figure is load + generate + write of
    // the real trees' cost per DocType, at the scaled-up count.
    let first: BTreeSet<String> = load_dirs(&trees[..1])
        .unwrap_or_else(|e| fail(&format!("{}: {e}", trees[0].display())))
        .doctypes
        .into_iter()
        .map(|d| d.name)
        .collect();
    let mut load_times = Vec::new();
    let mut write_times = Vec::new();
    let mut doctypes = Vec::new();
    let mut report = None;
    for run in 0..gen_runs {
        let start = Instant::now();
        let loaded = load_dirs(&trees).unwrap_or_else(|e| fail(&e.to_string()));
        load_times.push(start.elapsed());
        doctypes = scale_up(loaded.doctypes, &first, copies);
        let out = root.join(format!("gen-{run}"));
        let _ = std::fs::remove_dir_all(&out);
        let start = Instant::now();
        let written = Config::new()
            .write_crate(&doctypes, &out, &options)
            .unwrap_or_else(|e| fail(&e.to_string()));
        write_times.push(start.elapsed());
        report = Some(written);
        let _ = std::fs::remove_dir_all(&out);
    }
    let report = report.expect("at least one run");
    let modules: Vec<String> = report
        .structs
        .iter()
        .map(|s| s.module.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let (load, write) = (median(&mut load_times), median(&mut write_times));
    println!(
        "tree set: {} tree(s), {copies} renamed cop(ies): {} DocTypes, {} module features",
        trees.len(),
        doctypes.len(),
        modules.len()
    );
    println!(
        "generation, load to files written (median of {gen_runs}): {:.0} ms \
         (load {:.0} ms + generate and write {:.0} ms)",
        ms(load + write),
        ms(load),
        ms(write)
    );

    let features = match std::env::var("FRAPPE_BENCH_FEATURES").as_deref() {
        Ok("none") => return,
        Ok("all") | Err(_) => modules.clone(),
        Ok(list) => list.split(',').map(str::to_owned).collect(),
    };
    Config::new()
        .write_crate(&doctypes, &krate, &options)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let lock = krate.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(workspace.join("Cargo.lock"), &lock).unwrap();
    }
    let lines: usize = report
        .written
        .files
        .iter()
        .filter_map(|f| {
            f.strip_prefix(root.join(format!("gen-{}", gen_runs - 1)))
                .ok()
        })
        .filter_map(|f| std::fs::read_to_string(krate.join(f)).ok())
        .map(|t| t.lines().count())
        .sum();
    println!("generated crate: {lines} lines, in {}", krate.display());
    // The dependencies, once, untimed.
    if !cargo_check(&krate, &root, "").ok {
        fail("cargo check with no features failed");
    }
    let mut failed = Vec::new();
    let mut slowest: Option<(String, Check)> = None;
    for feature in features.iter().map(String::as_str).chain(["full"]) {
        let check = cargo_check(&krate, &root, feature);
        println!(
            "cargo check --features {feature:<28} {:>6.1} s wall {}{}",
            check.wall.as_secs_f64(),
            check
                .cpu
                .map(|c| format!("{:>6.1} s CPU", c.as_secs_f64()))
                .unwrap_or_default(),
            if check.ok { "" } else { "  (FAILED)" }
        );
        if !check.ok {
            failed.push(feature.to_owned());
        }
        if feature != "full" && slowest.as_ref().is_none_or(|(_, s)| check.wall > s.wall) {
            slowest = Some((feature.to_owned(), check));
        }
    }
    if let Some((feature, check)) = slowest {
        println!(
            "slowest single module feature: {feature}, {:.1} s wall",
            check.wall.as_secs_f64()
        );
    }
    if !failed.is_empty() {
        fail(&format!("cargo check failed: {}", failed.join(", ")));
    }
}

/// Adds `copies` renamed copies of every DocType not in `first` (see the module docs).
fn scale_up(mut doctypes: Vec<DocType>, first: &BTreeSet<String>, copies: usize) -> Vec<DocType> {
    let apps: Vec<DocType> = doctypes
        .iter()
        .filter(|d| !first.contains(&d.name))
        .cloned()
        .collect();
    let names: BTreeSet<&str> = apps.iter().map(|d| d.name.as_str()).collect();
    let mut added = Vec::new();
    for n in 2..copies + 2 {
        for d in &apps {
            let mut copy = d.clone();
            copy.name = format!("{} Copy {n}", d.name);
            copy.module = format!("{} Copy {n}", d.module);
            for f in &mut copy.fields {
                let linked = matches!(f.fieldtype.as_str(), "Link" | "Table" | "Table MultiSelect");
                if linked && names.contains(f.options.as_str()) {
                    f.options = format!("{} Copy {n}", f.options);
                }
            }
            added.push(copy);
        }
    }
    doctypes.extend(added);
    doctypes
}

struct Check {
    ok: bool,
    wall: Duration,
    cpu: Option<Duration>,
}

fn cargo_check(krate: &Path, root: &Path, features: &str) -> Check {
    // A newer mtime on lib.rs is what makes cargo check this crate again, and only it.
    let lib = krate.join("src/lib.rs");
    let text = std::fs::read(&lib).unwrap();
    std::fs::write(&lib, text).unwrap();
    let cpu_before = children_cpu();
    let start = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--offline", "--quiet", "--features", features])
        .arg("--manifest-path")
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .status();
    let wall = start.elapsed();
    let cpu = children_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    Check {
        ok: status.is_ok_and(|s| s.success()),
        wall,
        cpu,
    }
}

/// User + system time of this process's waited-for children (Linux `/proc/self/stat`, fields 16
/// and 17, in clock ticks; 100 per second on every Linux this runs on).
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after it follow its `)`.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn env_number(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn fail(message: &str) -> ! {
    eprintln!("bindings bench: {message}");
    std::process::exit(1)
}
