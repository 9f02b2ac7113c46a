//! The `frappe-codegen` command line: `generate`, `snapshot`, `check`.
//!
//! `main` is a one-liner over [`run`], which takes the arguments and the output streams, so
//! every command is testable in-process. Credentials for `--site` come from environment
//! variables only (flags would leak into shell history and process lists). Exit codes: 0 ok,
//! 1 drift found by `check`, 2 error (bad arguments, unreadable or inconsistent metadata).

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::{Config, CrateOptions, CurrencyType, Error, Problem, RuntimeDep};

const EXAMPLES: &str = "\
Examples:
  # Bindings for the example app (no site needed), as a module tree:
  frappe-codegen generate --from-dir examples/library_app --out target/library-bindings

  # Selected DocTypes of a live site (credentials from the environment):
  export FRAPPE_URL=https://erp.example.com FRAPPE_API_KEY=... FRAPPE_API_SECRET=...
  frappe-codegen generate --site --doctype 'Sales Invoice' --module Selling --out src/erp

  # Every DocType of one app on the site (custom fields included), as a crate:
  frappe-codegen generate --site --app my_app --crate my-app-types --crate-name my-app-types

  # Commit the metadata once, then build offline from it:
  frappe-codegen snapshot --site --module Selling --out frappe.snapshot.json
  frappe-codegen generate --snapshot frappe.snapshot.json --crate erp-bindings --crate-name erp-bindings

  # In CI: fail when the site no longer matches the committed snapshot:
  frappe-codegen check --snapshot frappe.snapshot.json --site

Environment:
  FRAPPE_URL                          site URL for --site without a value
  FRAPPE_API_KEY, FRAPPE_API_SECRET   token authentication (preferred)
  FRAPPE_USER, FRAPPE_PASSWORD        password login (when no API key is set)";

#[derive(Debug, Parser)]
#[command(
    name = "frappe-codegen",
    version,
    about = "Generate typed Rust from Frappe / ERPNext DocType metadata",
    after_help = EXAMPLES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate Rust bindings (a module tree, a crate, or one file on stdout).
    Generate(GenerateArgs),
    /// Write the metadata, normalized, to one JSON file to commit.
    Snapshot(SnapshotArgs),
    /// Compare a site or directory with a snapshot; exit 1 on drift.
    ///
    /// Give the same --doctype/--module as for `snapshot`. Without them, a site is asked for
    /// the snapshot's DocTypes, and a directory is compared within the snapshot's modules.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
struct Sources {
    /// An app source tree (its fixtures/custom_field.json and property_setter.json applied), a
    /// bench's apps/ folder (its apps in sites/apps.txt order, else frappe first then by name), a
    /// folder of saved API bodies, or one such file. Repeatable: give apps in the order the site
    /// installed them (frappe first); a DocType a later app also ships replaces the earlier
    /// app's, as `bench migrate` does, with a warning.
    #[arg(long = "from-dir", value_name = "DIR")]
    from_dir: Vec<PathBuf>,
    /// A live site; without a value, FRAPPE_URL.
    #[arg(long, value_name = "URL", num_args = 0..=1, default_missing_value = "")]
    site: Option<String>,
    /// Also read the whitelisted Python functions (`@frappe.whitelist()`) of the --from-dir app
    /// source trees: typed calls under a `methods` module (generate), kept in the snapshot
    /// (snapshot), compared with it (check). A snapshot's own functions are always read.
    #[arg(long, requires = "from_dir")]
    methods: bool,
}

#[derive(Debug, Args)]
struct Selection {
    /// Only this DocType, plus the child tables it needs (repeatable).
    #[arg(long = "doctype", value_name = "NAME")]
    doctypes: Vec<String>,
    /// Every DocType of this Frappe module (repeatable).
    #[arg(long = "module", value_name = "NAME")]
    modules: Vec<String>,
    /// With --site: every DocType of this app's modules (repeatable).
    #[arg(long = "app", value_name = "NAME", requires = "site")]
    apps: Vec<String>,
}

#[derive(Debug, Args)]
struct GenerateArgs {
    #[command(flatten)]
    sources: Sources,
    /// A snapshot file written by `frappe-codegen snapshot`.
    #[arg(long, value_name = "FILE")]
    snapshot: Option<PathBuf>,
    #[command(flatten)]
    selection: Selection,
    /// Write a module tree (mod.rs + one file per Frappe module) into DIR.
    #[arg(long, value_name = "DIR", conflicts_with = "crate_dir")]
    out: Option<PathBuf>,
    /// Write a standalone crate into DIR (one Cargo feature per Frappe module).
    #[arg(long = "crate", value_name = "DIR", requires = "crate_name")]
    crate_dir: Option<PathBuf>,
    /// The generated crate's package name.
    #[arg(long = "crate-name", value_name = "NAME", requires = "crate_dir")]
    crate_name: Option<String>,
    /// Depend on frappe-runtime at this path instead of crates.io (written into the crate's
    /// Cargo.toml as given: a relative PATH is relative to the crate's DIR).
    #[arg(long = "runtime-path", value_name = "PATH", requires = "crate_dir")]
    runtime_path: Option<PathBuf>,
    /// Currency fields as rust_decimal::Decimal instead of f64.
    #[arg(long)]
    decimal: bool,
    /// Leave out the `extra` map that keeps keys the metadata does not describe.
    #[arg(long = "no-extra-field")]
    no_extra_field: bool,
}

#[derive(Debug, Args)]
struct SnapshotArgs {
    #[command(flatten)]
    sources: Sources,
    #[command(flatten)]
    selection: Selection,
    /// The snapshot file to write.
    #[arg(long, value_name = "FILE", default_value = "frappe.snapshot.json")]
    out: PathBuf,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The committed snapshot to compare with.
    #[arg(long, value_name = "FILE")]
    snapshot: PathBuf,
    #[command(flatten)]
    sources: Sources,
    #[command(flatten)]
    selection: Selection,
}

/// Runs the command line `args` (program name first), writing to `out` and `err`; returns the
/// process exit code.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            let text = e.render().to_string();
            let _ = if code == 0 {
                write!(out, "{text}")
            } else {
                write!(err, "{text}")
            };
            return code;
        }
    };
    match execute(cli, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "error: {}", message(&e));
            2
        }
    }
}

/// The error and its causes, each said once: this crate's errors already include their cause
/// in their message (`path: reason`), which `{:#}` would repeat.
fn message(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

fn execute(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    match cli.command {
        Command::Generate(a) => generate(a, out, err),
        Command::Snapshot(a) => {
            let mut cfg = config(&a.sources, None, &a.selection)?;
            let loaded = cfg.load(err)?;
            print_warnings(&loaded.warnings, err)?;
            let methods = loaded.methods.len();
            cfg.methods(loaded.methods);
            let n = cfg.write_snapshot(&loaded.doctypes, &a.out)?;
            let also = if methods > 0 {
                format!(" and {methods} whitelisted function(s)")
            } else {
                String::new()
            };
            writeln!(out, "wrote {n} DocType(s){also} to {}", a.out.display())?;
            Ok(0)
        }
        Command::Check(a) => {
            anyhow::ensure!(
                !a.sources.from_dir.is_empty() || a.sources.site.is_some(),
                "check needs the current metadata: give --from-dir DIR or --site"
            );
            let cfg = config(&a.sources, None, &a.selection)?;
            let (drift, warnings) = cfg.check(&a.snapshot, err)?;
            print_warnings(&warnings, err)?;
            write!(out, "{drift}")?;
            if drift.is_empty() {
                writeln!(out)?;
                Ok(0)
            } else {
                Ok(1)
            }
        }
    }
}

/// The [`Config`] the arguments describe: its sources and selection.
fn config(
    sources: &Sources,
    snapshot: Option<&PathBuf>,
    selection: &Selection,
) -> anyhow::Result<Config> {
    let mut cfg = Config::new();
    cfg.only(selection.doctypes.iter().cloned())
        .modules(selection.modules.iter().cloned())
        .apps(selection.apps.iter().cloned());
    for dir in &sources.from_dir {
        cfg.from_dir(dir);
    }
    cfg.read_methods(sources.methods);
    if let Some(file) = snapshot {
        cfg.from_snapshot(file);
    }
    if let Some(site) = &sources.site {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let url = if site.is_empty() {
            env("FRAPPE_URL")
                .ok_or_else(|| anyhow::anyhow!("--site without a URL needs FRAPPE_URL"))?
        } else {
            site.clone()
        };
        cfg.from_site(url, crate::site::auth_from_env(env)?);
    }
    Ok(cfg)
}

fn generate(a: GenerateArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let mut cfg = config(&a.sources, a.snapshot.as_ref(), &a.selection)?;
    if a.decimal {
        cfg.currency(CurrencyType::Decimal);
    }
    cfg.extra_field(!a.no_extra_field);
    let loaded = cfg.load(err)?;
    print_warnings(&loaded.warnings, err)?;
    cfg.methods(loaded.methods);
    let doctypes = loaded.doctypes;
    anyhow::ensure!(
        !doctypes.is_empty(),
        "no DocType metadata found: give --from-dir DIR, --snapshot FILE or --site"
    );
    let report = if let Some(dir) = &a.out {
        cfg.write_module_tree(&doctypes, dir)?
    } else if let Some(dir) = &a.crate_dir {
        let mut options = CrateOptions::new(a.crate_name.clone().unwrap_or_default());
        if let Some(path) = &a.runtime_path {
            options.runtime = RuntimeDep::Path(path.clone());
        }
        cfg.write_crate(&doctypes, dir, &options)
            .map_err(|e| match e {
                // Named by its flag: the user gave it, not a Cargo.toml.
                Error::CrateName(_) => anyhow::anyhow!("--crate-name {e}"),
                e => e.into(),
            })?
    } else {
        let (code, warnings) = cfg.generate_with_warnings(&doctypes)?;
        print_warnings(&warnings, err)?;
        write!(out, "{code}")?;
        return Ok(0);
    };
    print_warnings(&report.warnings, err)?;
    let dir = a
        .out
        .as_ref()
        .or(a.crate_dir.as_ref())
        .cloned()
        .unwrap_or_default();
    writeln!(
        out,
        "generated {} DocType(s) into {} ({} file(s), {} changed):",
        report.structs.len(),
        dir.display(),
        report.written.files.len(),
        report.written.changed.len()
    )?;
    for f in &report.written.files {
        writeln!(out, "  {}", f.display())?;
    }
    Ok(0)
}

fn print_warnings(warnings: &[Problem], err: &mut dyn Write) -> std::io::Result<()> {
    for w in warnings {
        writeln!(err, "warning: {w}")?;
    }
    Ok(())
}
