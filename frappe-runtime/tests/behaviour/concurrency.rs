//! `max_concurrency`: no more requests in flight than the cap, across clones of the client.
//!
//! A small server (tokio `TcpListener` on 127.0.0.1) holds every request until two have been in
//! flight at once or the last call has arrived (or 5 s pass, a safety valve that a passing run
//! does not reach), so overlap is guaranteed rather than left to timing, and records the highest
//! number in flight. A request leaves the count before its response is written, so the count
//! never includes one the client has finished.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use frappe_runtime::Client;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// Calls the test makes.
const CALLS: usize = 6;

#[derive(Default)]
struct Gate {
    seen: AtomicUsize,
    in_flight: AtomicUsize,
    max: AtomicUsize,
    changed: Notify,
}

async fn connection(mut sock: TcpStream, gate: Arc<Gate>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        buf.drain(..end + 4);
        gate.seen.fetch_add(1, Ordering::SeqCst);
        let now = gate.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        gate.max.fetch_max(now, Ordering::SeqCst);
        gate.changed.notify_waiters();
        let _ = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                // Register before checking, so a notification in between is not lost.
                let notified = gate.changed.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                // Two at once (latched: a waiter woken after its partner already left is
                // released too), or the last call (which may have no partner left).
                if gate.max.load(Ordering::SeqCst) >= 2 || gate.seen.load(Ordering::SeqCst) == CALLS
                {
                    break;
                }
                notified.await;
            }
        })
        .await;
        let body = br#"{"message":"pong"}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        // Leave the in-flight count before the response is written: once the client has read
        // it, it may send its next request at once, which must not be counted next to this one.
        gate.in_flight.fetch_sub(1, Ordering::SeqCst);
        let sent =
            sock.write_all(head.as_bytes()).await.is_ok() && sock.write_all(body).await.is_ok();
        if !sent {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_max_concurrency_requests_in_flight() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let gate = Arc::new(Gate::default());
    let g = gate.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(connection(sock, g.clone()));
        }
    });
    let client = Client::builder(format!("http://{addr}"))
        .max_concurrency(2)
        .build()
        .unwrap();
    // Every call runs on its own clone: clones share the cap.
    let calls = (0..CALLS).map(|_| {
        let c = client.clone();
        async move { c.ping().await }
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(
        results.iter().all(|r| matches!(r.as_deref(), Ok("pong"))),
        "{results:?}"
    );
    assert_eq!(
        gate.max.load(Ordering::SeqCst),
        2,
        "requests in flight at once"
    );
}
