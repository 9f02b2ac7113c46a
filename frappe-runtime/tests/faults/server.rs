//! Raw TCP fault servers on 127.0.0.1, for what wiremock cannot do: never answer, drop the
//! connection after reading the request, stream a body without end. Each server runs until its
//! handle is dropped.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What a fault server does with each connection.
#[derive(Clone, Copy, Debug)]
pub enum Behaviour {
    /// Closes each connection as soon as it is accepted, reading nothing.
    CloseUnread,
    /// Reads the whole request, then keeps the connection open without answering.
    Hang,
    /// Reads the whole request, then closes the connection without answering.
    ReadThenDrop,
    /// Answers 200 and streams `x` bytes until the client goes away, or up to [`CEILING`] (a
    /// client without a cap would otherwise fill the test machine's memory). `declared`: a
    /// `Content-Length` to announce (then the connection stays open after the ceiling);
    /// without it the body ends when the connection closes.
    Endless {
        /// Announced length, if any.
        declared: Option<u64>,
    },
}

/// The most an `Endless` server writes per connection: 64 MiB.
pub const CEILING: u64 = 64 << 20;

/// A running fault server.
pub struct Fault {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    written: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl Drop for Fault {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Fault {
    /// Starts a server on an ephemeral 127.0.0.1 port.
    pub async fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let written = Arc::new(AtomicU64::new(0));
        let (a, r, w) = (accepted.clone(), requests.clone(), written.clone());
        let task = tokio::spawn(async move {
            // Dropped (aborting every connection) when the server task is aborted.
            let mut open = tokio::task::JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                a.fetch_add(1, Ordering::SeqCst);
                let (r, w) = (r.clone(), w.clone());
                open.spawn(serve(stream, behaviour, r, w));
            }
        });
        Self {
            addr,
            accepted,
            requests,
            written,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Whole requests read so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Body bytes written so far.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::SeqCst)
    }
}

async fn serve(
    mut stream: TcpStream,
    behaviour: Behaviour,
    requests: Arc<AtomicUsize>,
    written: Arc<AtomicU64>,
) {
    if let Behaviour::CloseUnread = behaviour {
        return;
    }
    if read_request(&mut stream).await.is_err() {
        return;
    }
    requests.fetch_add(1, Ordering::SeqCst);
    match behaviour {
        Behaviour::Hang => {
            // Hold the connection open until the client closes it.
            let mut sink = [0u8; 1024];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
        Behaviour::ReadThenDrop | Behaviour::CloseUnread => drop(stream),
        Behaviour::Endless { declared } => {
            let length = match declared {
                Some(n) => format!("Content-Length: {n}\r\n"),
                None => "Connection: close\r\n".to_owned(),
            };
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}\r\n");
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b'x'; 64 * 1024];
            let mut sent = 0;
            while sent < CEILING && stream.write_all(&chunk).await.is_ok() {
                sent += chunk.len() as u64;
                written.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
            if declared.is_some() {
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
            }
        }
    }
}

/// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
pub async fn read_request(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut byte).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&byte[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut byte).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&byte[..n]);
    }
    Ok(buf)
}

/// A port nothing listens on: bound, then released, so connecting is refused.
pub fn refused_uri() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A server that answers the first request with `response` (a whole HTTP/1.1 response) and
/// stops listening before sending it, so that every later connection is refused.
pub async fn answer_once_then_refuse(response: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        drop(listener);
        if read_request(&mut stream).await.is_ok() {
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    uri
}
