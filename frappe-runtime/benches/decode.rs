//! Decode throughput and streaming memory of frappe-runtime. Prints numbers; asserts nothing.
//!
//! Run with `cargo bench -p frappe-runtime --bench decode`.
//!
//! 1. A 10,000-row `{"data": [...]}` list body shaped like the `fields=["*"]` ToDo rows of
//!    transcript 021 (20 fields, `null`s included, values varied per row) is decoded into the
//!    `ToDo` struct frappe-codegen generates (wire helpers, Select enums, the `extra` map), into
//!    the same struct with serde's derives instead of `#[frappe(serde)]` (what codegen emitted
//!    before issue 19), into
//!    the same struct with its standard fields in one `#[serde(flatten)]` struct (the design
//!    ARCHITECTURE.md rejects on this figure), and into untyped `serde_json::Map` rows. N runs
//!    each, reported as MB/s and rows/s of the median run, and the best run's time.
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

/// The median and the best of `runs` timings of `f`, and what `f` returned.
fn timed<F: FnMut() -> usize>(runs: usize, mut f: F) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut n = 0;
    for _ in 0..runs {
        let t = Instant::now();
        n = black_box(f());
        times.push(t.elapsed());
    }
    times.sort();
    (times[runs / 2], times[0], n)
}

fn report(label: &str, bytes: usize, (median, best, rows): (Duration, Duration, usize)) {
    let secs = median.as_secs_f64();
    println!(
        "{label:<44} {:>8.1} MB/s {:>12.0} rows/s   (median {:.2} ms, best {:.2} ms)",
        bytes as f64 / secs / 1e6,
        rows as f64 / secs,
        secs * 1e3,
        best.as_secs_f64() * 1e3
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
        "decode: {ROWS} ToDo rows, fields=[\"*\"] shape, {:.2} MB body, {RUNS} runs each",
        bytes as f64 / 1e6
    );

    let typed = timed(RUNS, || {
        let env: Envelope<Vec<rows::ToDo>> = serde_json::from_slice(&body).expect("typed decode");
        env.data.len()
    });
    assert_eq!(typed.2, ROWS);
    report("typed ToDo, as generated", bytes, typed);

    let derives = timed(RUNS, || {
        let env: Envelope<Vec<rows::ToDoSerdeDerives>> =
            serde_json::from_slice(&body).expect("typed decode");
        env.data.len()
    });
    assert_eq!(derives.2, ROWS);
    report("typed ToDo, serde's derives (before)", bytes, derives);
    println!(
        "  serde's derives / #[frappe(serde)] median time: {:.2}",
        derives.0.as_secs_f64() / typed.0.as_secs_f64()
    );

    let flat = timed(RUNS, || {
        let env: Envelope<Vec<rows::ToDoFlat>> =
            serde_json::from_slice(&body).expect("typed decode");
        env.data.len()
    });
    assert_eq!(flat.2, ROWS);
    report("typed ToDo, standard fields flattened", bytes, flat);
    println!(
        "  flattened / inline median time: {:.2}",
        flat.0.as_secs_f64() / typed.0.as_secs_f64()
    );

    let with_path = timed(RUNS, || {
        let de = &mut serde_json::Deserializer::from_slice(&body);
        let env: Envelope<Vec<rows::ToDo>> =
            serde_path_to_error::deserialize(de).expect("typed decode");
        env.data.len()
    });
    report("typed ToDo (with serde_path_to_error)", bytes, with_path);

    let raw_times = timed(RUNS, || {
        let env: Envelope<Vec<rows::ToDoRawTimes>> =
            serde_json::from_slice(&body).expect("typed decode");
        env.data.len()
    });
    report("typed, creation/modified left as String", bytes, raw_times);

    let untyped = timed(RUNS, || {
        let env: Envelope<Vec<Map<String, Value>>> =
            serde_json::from_slice(&body).expect("untyped decode");
        env.data.len()
    });
    report("untyped serde_json::Map", bytes, untyped);

    // Sanity: both typed shapes carry the generated values (not a benchmark of nothing).
    let env: Envelope<Vec<rows::ToDo>> = serde_json::from_slice(&body).expect("typed decode");
    rows::check(env.data.iter().map(rows::ToDo::probe), 0);
    let env: Envelope<Vec<rows::ToDoFlat>> = serde_json::from_slice(&body).expect("typed decode");
    rows::check(env.data.iter().map(rows::ToDoFlat::probe), 0);
}
