//! `max_concurrency`: no more requests in flight than the cap, across clones of the client, and
//! the cap reached when calls wait; `rate_limit`: requests spaced to the rate across clones (a second server, on threads, holds requests until the test
//! releases them).
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

/// How a [`holding_server`] saw the requests.
#[derive(Default)]
struct HeldState {
    seen: usize,
    in_flight: usize,
    peak: usize,
    /// Set by the test: held requests are answered, later ones at once.
    released: bool,
}

type Held = std::sync::Arc<(std::sync::Mutex<HeldState>, std::sync::Condvar)>;

/// A tiny blocking HTTP/1.1 server (127.0.0.1) that holds every request until the test
/// releases them (or 10 s pass, so a failing test cannot hang), counting them. A request leaves
/// the count before its response is written, so the count never includes one the client has
/// finished. (wiremock cannot hold requests or tell when a response finished.)
fn holding_server() -> (String, Held) {
    use std::io::{Read, Write};
    use std::sync::{Arc, Condvar, Mutex};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let gate: Held = Arc::new((Mutex::new(HeldState::default()), Condvar::new()));
    let gate_out = gate.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let gate = gate.clone();
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let (lock, changed) = &*gate;
                let mut state = lock.lock().unwrap();
                state.seen += 1;
                state.in_flight += 1;
                state.peak = state.peak.max(state.in_flight);
                changed.notify_all();
                let (mut state, _) = changed
                    .wait_timeout_while(state, std::time::Duration::from_secs(10), |s| !s.released)
                    .unwrap();
                state.in_flight -= 1;
                drop(state);
                let body = br#"{"message":"pong"}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body);
            });
        }
    });
    (format!("http://{addr}"), gate_out)
}

/// Overlap, without timing: the server holds requests until the test has seen `CAP` in flight
/// at once (a client sending fewer at a time never gets there: the wait then fails after 5 s).
/// The cap: the peak the server saw, which never counts a finished request, is `CAP`; a client
/// sending more at once shows a higher peak as soon as its extra requests reach the held ones.
#[tokio::test]
async fn concurrency_cap_is_reached_and_not_exceeded() {
    const CAP: usize = 3;
    const CALLS: usize = 8;
    let (uri, gate) = holding_server();
    let client = Client::builder(uri).max_concurrency(CAP).build().unwrap();
    let calls = tokio::spawn(async move {
        futures_util::future::join_all((0..CALLS).map(|_| client.ping())).await
    });
    let waiter = gate.clone();
    let (seen, in_flight) = tokio::task::spawn_blocking(move || {
        let (lock, changed) = &*waiter;
        let state = lock.lock().unwrap();
        let (state, _) = changed
            .wait_timeout_while(state, std::time::Duration::from_secs(5), |s| {
                s.in_flight < CAP
            })
            .unwrap();
        (state.seen, state.in_flight)
    })
    .await
    .unwrap();
    assert_eq!(in_flight, CAP, "requests in flight at once");
    assert_eq!(seen, CAP, "no request beyond the cap reached the server");
    gate.0.lock().unwrap().released = true;
    gate.1.notify_all();
    let results = calls.await.unwrap();
    assert!(
        results.iter().all(|r| matches!(r.as_deref(), Ok("pong"))),
        "{results:?}"
    );
    let state = gate.0.lock().unwrap();
    assert_eq!((state.seen, state.peak), (CALLS, CAP));
}

/// The rate limit is shared by clones and holds requests back to the rate (the elapsed time is
/// only bounded from below: six slots at 20 per second, one at a time, cannot take less than
/// 250 ms however fast the machine).
#[tokio::test]
async fn the_rate_limit_is_shared_by_clones_and_spaces_requests() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"message": "pong"})),
        )
        .mount(&server)
        .await;
    let client = frappe_runtime::Client::builder(server.uri())
        .auth(frappe_runtime::Auth::Guest)
        .rate_limit(frappe_runtime::RateLimit::per_second(20.0))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let (a, b) = (client.clone(), client.clone());
    tokio::join!(
        async move {
            for _ in 0..3 {
                a.ping().await.unwrap();
            }
        },
        async move {
            for _ in 0..3 {
                b.ping().await.unwrap();
            }
        }
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(client.stats().attempts, 6);

    for rate in [0.0, f64::NAN] {
        let err = frappe_runtime::Client::builder(server.uri())
            .rate_limit(frappe_runtime::RateLimit::per_second(rate))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("rate_limit"), "{err}");
    }
}
