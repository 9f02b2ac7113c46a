//! Peak memory of streaming 100,000 ToDo rows through the client's paging `Stream`.
//!
//! A minimal HTTP/1.1 server in this process (tokio `TcpListener` on 127.0.0.1, keep-alive,
//! `Content-Length` bodies) generates each page on the fly from `limit_start` /
//! `limit_page_length`, so no body of all rows ever exists and the server itself keeps nothing
//! per request (wiremock was tried first: its per-request bookkeeping grew RSS by ~2.5 MB per
//! 100k rows, hiding the client's figure). Peak RSS is `VmHWM` from /proc/self/status, reset
//! (`5` into /proc/self/clear_refs) before each measurement. For contrast, the same rows are then
//! fetched in one request into a `Vec` (`limit(0)`).

use std::time::Instant;

use frappe_runtime::{Auth, Client, RetryPolicy};
use futures_util::TryStreamExt as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use crate::rows;

const PAGE: u64 = 500;

/// Rows to stream; `FRAPPE_BENCH_STREAM_ROWS` overrides (e.g. to check that the peak stays flat
/// over longer runs).
fn total() -> usize {
    std::env::var("FRAPPE_BENCH_STREAM_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// Serves pages of generated rows until the process ends.
async fn serve(listener: TcpListener, total: usize) {
    while let Ok((sock, _)) = listener.accept().await {
        tokio::spawn(connection(sock, total));
    }
}

async fn connection(mut sock: TcpStream, total: usize) {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        // Read one request head (the client only sends GETs here: no body).
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        buf.drain(..head_end + 4);
        let target = head.split_whitespace().nth(1).unwrap_or("/");
        let (start, len) = page_of(target, total);
        let end = (start + len).min(total);
        let body = rows::list_body(end.saturating_sub(start), start);
        let header = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        if sock.write_all(header.as_bytes()).await.is_err() || sock.write_all(&body).await.is_err()
        {
            return;
        }
    }
}

/// `(limit_start, limit_page_length)` of a request target; page length 0 means all rows.
fn page_of(target: &str, total: usize) -> (usize, usize) {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let mut start = 0;
    let mut len = 20;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*k {
            "limit_start" => start = v.parse().unwrap_or(0),
            "limit_page_length" => len = v.parse().unwrap_or(20),
            _ => {}
        }
    }
    (start, if len == 0 { total } else { len })
}

/// `(VmRSS, VmHWM)` in MB, if /proc is there.
fn rss_mb() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Resets the peak-RSS counter; `false` if the kernel refused.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn show(label: &str) -> String {
    match rss_mb() {
        Some((rss, hwm)) => format!("{label}: RSS {rss:.1} MB, peak {hwm:.1} MB"),
        None => format!("{label}: /proc/self/status unavailable"),
    }
}

/// Prints the streaming figures.
pub fn run() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let total = total();
    rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(serve(listener, total));
        let client = Client::builder(format!("http://{addr}"))
            .auth(Auth::token("bench-key", "bench-secret"))
            .retry(RetryPolicy::none())
            .build()
            .expect("client");

        println!("stream: {total} ToDo rows, page size {PAGE}, typed (20 fields)");
        let resettable = reset_peak();
        println!("  {}", show("before"));
        let t = Instant::now();
        let mut s = Box::pin(client.list::<rows::ToDo>().page_size(PAGE).stream());
        let mut n = 0usize;
        let mut described = 0usize;
        let mut peaks = Vec::new();
        while let Some(todo) = s.try_next().await.expect("stream item") {
            n += 1;
            described += todo.description.len();
            if n % (total / 10).max(1) == 0 {
                peaks.push(rss_mb().map_or(0.0, |m| m.1));
            }
        }
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(n, total);
        println!("  {}", show("after "));
        let peaks: Vec<String> = peaks.iter().map(|m| format!("{m:.1}")).collect();
        println!("  peak RSS after each tenth (MB): {}", peaks.join(" "));
        println!(
            "  {n} rows in {secs:.2} s = {:.0} rows/s ({described} description bytes seen){}",
            n as f64 / secs,
            if resettable {
                ""
            } else {
                "  [peak not resettable: cumulative]"
            }
        );

        reset_peak();
        let t = Instant::now();
        let all = client
            .list::<rows::ToDo>()
            .all()
            .send()
            .await
            .expect("all rows");
        let secs = t.elapsed().as_secs_f64();
        println!(
            "  contrast, one request into a Vec: {} rows in {secs:.2} s; {}",
            all.len(),
            show("after")
        );
        drop(all);
    });
}
