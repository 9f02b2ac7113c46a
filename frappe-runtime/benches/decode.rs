//! Decode throughput and streaming memory of frappe-runtime. Prints numbers; asserts nothing.
//!
//! Run with `cargo bench -p frappe-runtime --bench decode`.
//!
//! 1. A 10,000-row `{"data": [...]}` list body shaped like the `fields=["*"]` ToDo rows of
//!    transcript 021 (20 fields, `null`s included, values varied per row) is decoded into a
//!    typed `ToDo` (wire helpers for Datetime/Date/docstatus, `Link`s, Select enums) and into
//!    untyped `serde_json::Map` rows. Best of N runs, reported as MB/s and rows/s.
//! 2. 100,000 rows are streamed through the client's paging `Stream` from a local server that
//!    generates each page on the fly; peak RSS (VmHWM) is read before and after.
//!
//! Goals from issue 2: typed decode >= 300 MB/s; streaming flat, under 30 MB RSS.

#[path = "decode/rows.rs"]
mod rows;
#[path = "decode/stream.rs"]
mod stream;

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Map, Value};

const ROWS: usize = 10_000;
const RUNS: usize = 15;

#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

fn best_of<F: FnMut() -> usize>(runs: usize, mut f: F) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..runs {
        let t = Instant::now();
        n = black_box(f());
        best = best.min(t.elapsed());
    }
    (best, n)
}

fn report(label: &str, bytes: usize, rows: usize, d: Duration) {
    let secs = d.as_secs_f64();
    println!(
        "{label:<44} {:>8.1} MB/s {:>12.0} rows/s   (best {:.2} ms)",
        bytes as f64 / secs / 1e6,
        rows as f64 / secs,
        secs * 1e3
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument selects one half.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let want = |name: &str| args.is_empty() || args.iter().any(|a| name.contains(a.as_str()));

    if want("stream") {
        // First, while the process is small: the memory figure is the point here.
        stream::run();
    }
    if want("decode") {
        decode();
    }
}

fn decode() {
    let body = rows::list_body(ROWS, 0);
    let bytes = body.len();
    println!(
        "decode: {ROWS} ToDo rows, fields=[\"*\"] shape, {:.2} MB body, best of {RUNS}",
        bytes as f64 / 1e6
    );

    let (d, n) = best_of(RUNS, || {
        let env: Envelope<Vec<rows::ToDo>> = serde_json::from_slice(&body).expect("typed decode");
        env.data.len()
    });
    assert_eq!(n, ROWS);
    report("typed ToDo (serde_json::from_slice)", bytes, n, d);

    let (d, n) = best_of(RUNS, || {
        let de = &mut serde_json::Deserializer::from_slice(&body);
        let env: Envelope<Vec<rows::ToDo>> =
            serde_path_to_error::deserialize(de).expect("typed decode");
        env.data.len()
    });
    report("typed ToDo (with serde_path_to_error)", bytes, n, d);

    let (d, n) = best_of(RUNS, || {
        let env: Envelope<Vec<rows::ToDoRawTimes>> =
            serde_json::from_slice(&body).expect("typed decode");
        env.data.len()
    });
    report("typed, creation/modified left as String", bytes, n, d);

    let (d, n) = best_of(RUNS, || {
        let env: Envelope<Vec<Map<String, Value>>> =
            serde_json::from_slice(&body).expect("untyped decode");
        env.data.len()
    });
    report("untyped serde_json::Map", bytes, n, d);

    // Sanity: the typed rows carry the generated values (not a benchmark of nothing).
    let env: Envelope<Vec<rows::ToDo>> = serde_json::from_slice(&body).expect("typed decode");
    rows::check(&env.data, 0);
}
