//! Decode throughput and streaming memory of frappe-runtime. Prints numbers; asserts nothing.
//!
//! Run with `cargo bench -p frappe-runtime --bench decode`.
//!
//! 1. A 10,000-row `{"data": [...]}` list body shaped like the `fields=["*"]` ToDo rows of
//!    transcript 021 (20 fields, `null`s included, values varied per row) is decoded as the
//!    client decodes it (checked as UTF-8 once, parsed as text) into the `ToDo` struct
//!    frappe-codegen generates (wire helpers, Select enums, the `extra` map), into the same
//!    struct parsed as bytes (as the client did before), with serde's derives instead of
//!    `#[frappe(serde)]` (what codegen emitted before issue 19), with its standard fields in one
//!    `#[serde(flatten)]` struct (the design ARCHITECTURE.md rejects on this figure), and into
//!    untyped rows: [`Row`] and `serde_json::Map` (what `Row` was before). N runs each, reported
//!    as MB/s and rows/s of the median run, and the best run's time; last the floor, the body
//!    parsed with nothing kept.
//! 2. 100,000 rows are streamed through the client's paging `Stream` from a local server that
//!    generates each page on the fly; peak RSS (VmHWM) is read before and after.
//!
//! Goals: issue 2, typed decode >= 300 MB/s and streaming flat under 30 MB RSS; issue 12, typed
//! decode >= 500 MB/s and `Row`s faster than node's `JSON.parse` of the same body (about 20 ms).

#[path = "decode/rows.rs"]
mod rows;
#[path = "decode/stream.rs"]
mod stream;

use std::hint::black_box;
use std::time::{Duration, Instant};

use frappe_runtime::Row;
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

/// Parses `body` as the client does (`client/response.rs`): checked as UTF-8 once, then parsed
/// as text, so serde_json does not check every string again.
fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> T {
    serde_json::from_str(std::str::from_utf8(body).expect("UTF-8 body")).expect("decode")
}

fn decode() {
    let body = rows::list_body(ROWS, 0);
    let bytes = body.len();
    println!(
        "decode: {ROWS} ToDo rows, fields=[\"*\"] shape, {:.2} MB body, {RUNS} runs each",
        bytes as f64 / 1e6
    );

    let typed = timed(RUNS, || {
        parse::<Envelope<Vec<rows::ToDo>>>(&body).data.len()
    });
    assert_eq!(typed.2, ROWS);
    report("typed ToDo, as generated", bytes, typed);

    let as_bytes = timed(RUNS, || {
        let env: Envelope<Vec<rows::ToDo>> = serde_json::from_slice(&body).expect("typed decode");
        env.data.len()
    });
    report("typed ToDo, parsed as bytes (before)", bytes, as_bytes);
    println!(
        "  as bytes / as text median time: {:.2}",
        as_bytes.0.as_secs_f64() / typed.0.as_secs_f64()
    );

    let derives = timed(RUNS, || {
        parse::<Envelope<Vec<rows::ToDoSerdeDerives>>>(&body)
            .data
            .len()
    });
    assert_eq!(derives.2, ROWS);
    report("typed ToDo, serde's derives (before)", bytes, derives);
    println!(
        "  serde's derives / #[frappe(serde)] median time: {:.2}",
        derives.0.as_secs_f64() / typed.0.as_secs_f64()
    );

    let flat = timed(RUNS, || {
        parse::<Envelope<Vec<rows::ToDoFlat>>>(&body).data.len()
    });
    assert_eq!(flat.2, ROWS);
    report("typed ToDo, standard fields flattened", bytes, flat);
    println!(
        "  flattened / inline median time: {:.2}",
        flat.0.as_secs_f64() / typed.0.as_secs_f64()
    );

    let with_path = timed(RUNS, || {
        let text = std::str::from_utf8(&body).expect("UTF-8 body");
        let de = &mut serde_json::Deserializer::from_str(text);
        let env: Envelope<Vec<rows::ToDo>> =
            serde_path_to_error::deserialize(de).expect("typed decode");
        env.data.len()
    });
    report("typed ToDo (with serde_path_to_error)", bytes, with_path);

    let raw_times = timed(RUNS, || {
        parse::<Envelope<Vec<rows::ToDoRawTimes>>>(&body).data.len()
    });
    report("typed, creation/modified left as String", bytes, raw_times);

    let row = timed(RUNS, || parse::<Envelope<Vec<Row>>>(&body).data.len());
    assert_eq!(row.2, ROWS);
    report("untyped Row (shared column names)", bytes, row);

    let map = timed(RUNS, || {
        parse::<Envelope<Vec<Map<String, Value>>>>(&body).data.len()
    });
    report("untyped serde_json::Map (Row before)", bytes, map);
    println!(
        "  Map / Row median time: {:.2}",
        map.0.as_secs_f64() / row.0.as_secs_f64()
    );

    let floor = timed(RUNS, || {
        parse::<Envelope<Vec<serde::de::IgnoredAny>>>(&body)
            .data
            .len()
    });
    report("JSON parsed, nothing kept (the floor)", bytes, floor);

    peers(&body, RUNS);

    // Sanity: every shape carries the generated values (not a benchmark of nothing).
    let env: Envelope<Vec<rows::ToDo>> = parse(&body);
    rows::check(env.data.iter().map(rows::ToDo::probe), 0);
    let env: Envelope<Vec<rows::ToDoFlat>> = parse(&body);
    rows::check(env.data.iter().map(rows::ToDoFlat::probe), 0);
    let rows: Envelope<Vec<Row>> = parse(&body);
    let maps: Envelope<Vec<Map<String, Value>>> = parse(&body);
    assert!(rows.data.into_iter().map(Row::into_map).eq(maps.data));
}

/// The same body parsed by node's `JSON.parse` and CPython's `json.loads`, timed inside those
/// programs the same way (median and best of `runs`): the figures issue 12 compares `Row` with.
/// A peer that is not installed is reported as such.
fn peers(body: &[u8], runs: usize) {
    let path =
        std::env::temp_dir().join(format!("frappe-decode-bench-{}.json", std::process::id()));
    std::fs::write(&path, body).expect("write the body for the peers");
    let node = format!(
        "const b=require('fs').readFileSync(process.argv[1],'utf8');const t=[];\
         for(let i=0;i<{runs};i++){{const s=process.hrtime.bigint();const v=JSON.parse(b);\
         t.push(Number(process.hrtime.bigint()-s)/1e6);if(v.data.length<1)throw 0}}\
         t.sort((a,b)=>a-b);console.log(t[{mid}].toFixed(2),t[0].toFixed(2))",
        mid = runs / 2
    );
    let python = format!(
        "import json,sys,time\nb=open(sys.argv[1],'rb').read()\nt=[]\n\
         for _ in range({runs}):\n    s=time.perf_counter();v=json.loads(b);t.append((time.perf_counter()-s)*1e3)\n\
         t.sort();print('%.2f %.2f'%(t[{mid}],t[0]))",
        mid = runs / 2
    );
    for (label, program, flag, script) in [
        ("node JSON.parse (peer)", "node", "-e", node),
        ("CPython json.loads (peer)", "python3", "-c", python),
    ] {
        let out = std::process::Command::new(program)
            .args([flag, script.as_str()])
            .arg(&path)
            .output();
        let times = out.ok().filter(|o| o.status.success()).and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let mut it = text.split_whitespace().map(|x| x.parse::<f64>().ok());
            Some((it.next()??, it.next()??))
        });
        match times {
            Some((median, best)) => println!(
                "{label:<44} {:>8.1} MB/s {:>12.0} rows/s   (median {median:.2} ms, best {best:.2} ms)",
                body.len() as f64 / median / 1e3,
                ROWS as f64 / median * 1e3,
            ),
            None => println!("{label:<44} not measured: `{program}` did not run"),
        }
    }
    let _ = std::fs::remove_file(&path);
}
