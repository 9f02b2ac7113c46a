//! `site_bench`: frappe-rs against curl on a real Frappe site, whole processes timed from
//! outside (wall time, client CPU, peak RSS), medians of interleaved runs.
//!
//! ```text
//! cargo run --release -p frappe-tests --bin site_bench -- [--rows 10000] [--table 100000] [--creates 1000] [--runs 3]
//! ```
//!
//! Needs `FRAPPE_TEST_URL`, `FRAPPE_TEST_API_KEY` and `FRAPPE_TEST_API_SECRET` (the kit in
//! `../shared/frappe-server` writes them to `test-env.sh`) and `curl` on the PATH. It seeds its
//! own ToDo rows (description `frs-bench ...`), then runs:
//!
//! - W0: 1,000 sequential `ping`s on a multi-thread and on a current-thread runtime, against
//!   curl;
//! - W1: every seeded row in pages of 500 through `ListRequest::stream` (typed), against one
//!   curl process fetching the same page URLs one after another on one connection;
//! - W2: every seeded row in one request, against curl fetching that URL; also with rows as
//!   objects (`compact_rows(false)`, curl without `as_dict=0`), and through a proxy passing the
//!   site's answers on at 1 Gbit/s (`link.rs`), for curl and frappe-rs alike; and with each row
//!   parsed and dropped (`IgnoredAny` rows): the floor under typed rows;
//! - W3: `--creates` ToDos created one by one, eight at a time, and with `insert_many`, against
//!   curl posting the same documents one by one;
//! - page depth: one page at the start and at the end of the whole ToDo table (made to hold at
//!   least `--table` rows), by offset and by key.
//!
//! Each measured command runs under a small runner process (`site_bench measure -- CMD`) that
//! reads the operating system's accounting of its one child (`getrusage(RUSAGE_CHILDREN)`), so
//! the figures are the command's own.

mod link;
mod measure;
mod workloads;

use std::process::ExitCode;

use measure::Sample;
use workloads::{Site, Workload};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("measure") => measure::runner(&args[1..]),
        Some("workload") => workloads::run_child(&args[1..]),
        _ => bench(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("site_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The options of a bench run.
struct Options {
    rows: u64,
    table: u64,
    creates: u64,
    runs: usize,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        rows: 10_000,
        table: 100_000,
        creates: 1_000,
        runs: 3,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?
            .parse::<u64>()
            .map_err(|e| format!("{flag}: {e}"))?;
        match flag.as_str() {
            "--rows" => o.rows = value,
            "--table" => o.table = value,
            "--creates" => o.creates = value,
            "--runs" => o.runs = value.max(1) as usize,
            other => {
                return Err(format!(
                    "unknown option {other} (--rows, --table, --creates, --runs)"
                ));
            }
        }
    }
    Ok(o)
}

fn bench(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    let site = Site::from_env()?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let exe = exe.to_string_lossy().into_owned();
    eprintln!("seeding {} rows on {} ...", o.rows, site.url);
    site.seed(o.rows, o.table)?;
    let tmp = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let mut linked = site.clone();
    linked.url = link::start(&site.url, workloads::LINK_BYTES_PER_SEC)?;

    let mut table = Vec::new();
    for workload in Workload::ALL {
        if workload.is_create() && o.creates == 0 {
            continue;
        }
        let (site, url) = match workload.over_link() {
            true => (&linked, linked.url.to_string()),
            false => (&site, site.url.to_string()),
        };
        let curl = workload
            .curl_config(site, &o, tmp.path())
            .map_err(|e| format!("{}: {e}", workload.name()))?;
        let mut ours = Vec::new();
        let mut floor = Vec::new();
        for run in 0..o.runs {
            eprintln!("{} run {}/{} ...", workload.name(), run + 1, o.runs);
            let mut cmd = vec![
                exe.clone(),
                "workload".into(),
                workload.name().into(),
                o.rows.to_string(),
                o.creates.to_string(),
            ];
            ours.push(measure::measure(&exe, &cmd, &url)?);
            if let Some(config) = &curl {
                cmd = vec![
                    "curl".into(),
                    "--silent".into(),
                    "--show-error".into(),
                    "--fail".into(),
                    "--config".into(),
                    config.clone(),
                ];
                floor.push(measure::measure(&exe, &cmd, &url)?);
            }
        }
        table.push((workload, Sample::median(&ours), Sample::median_opt(&floor)));
    }
    print_table(&o, &table);
    eprintln!("page depths ...");
    let (table_rows, depths) = workloads::page_depths(&site, 5)?;
    println!(
        "\none page of 500 of the {table_rows} ToDo rows ordered by name, median of 5 requests:"
    );
    for (label, ms) in depths {
        println!("  {label:<22} {ms:>8.1} ms");
    }
    Ok(())
}

fn print_table(o: &Options, table: &[(Workload, Sample, Option<Sample>)]) {
    println!(
        "\nrows {}, creates {}, medians of {} interleaved runs; cpu = user + sys of the client process",
        o.rows, o.creates, o.runs
    );
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>10} {:>10}",
        "workload", "wall s", "cpu s", "rss MiB", "curl wall", "wall/curl"
    );
    for (w, ours, curl) in table {
        let (curl_wall, ratio) = match curl {
            Some(c) => (
                format!("{:.3}", c.wall),
                format!("{:.2}", ours.wall / c.wall),
            ),
            None => ("-".into(), "-".into()),
        };
        println!(
            "{:<28} {:>9.3} {:>9.3} {:>9.1} {:>10} {:>10}",
            w.label(),
            ours.wall,
            ours.cpu,
            ours.rss_kib as f64 / 1024.0,
            curl_wall,
            ratio
        );
    }
    for (w, _, curl) in table {
        if let Some(c) = curl {
            println!(
                "curl {:<23} cpu {:.3} s, rss {:.1} MiB",
                w.name(),
                c.cpu,
                c.rss_kib as f64 / 1024.0
            );
        }
    }
}
