//! A link of set speed between a client and the site: a proxy on 127.0.0.1 that passes the
//! site's answers on at a set rate (requests go through as they come).
//!
//! Why: on loopback a 2 MB body is in within about 3 ms, so there is nothing to decode while it
//! arrives; on a real network it takes longer (16 ms at 1 Gbit/s), and decoding while it
//! arrives is what keeps the client's time close to the transfer's. curl and frappe-rs go
//! through the same proxy, which runs in the bench's own process (not timed).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Starts the proxy to `site` passing answers on at `bytes_per_sec`; the URL to use instead of
/// the site's. It runs until the bench exits.
pub fn start(site: &url::Url, bytes_per_sec: u64) -> Result<url::Url, String> {
    let target = site
        .socket_addrs(|| None)
        .map_err(|e| format!("{site}: {e}"))?
        .into_iter()
        .next()
        .ok_or_else(|| format!("{site}: no address"))?;
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("link proxy: {e}"))?;
    let mut url = site.clone();
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    url.set_port(Some(port))
        .map_err(|()| format!("{site}: cannot set a port"))?;
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            if let Err(e) = connect(client, target, bytes_per_sec) {
                eprintln!("link proxy: {e}");
            }
        }
    });
    Ok(url)
}

/// Joins `client` to the site at `target`: requests as they come, answers at the set rate.
fn connect(
    client: TcpStream,
    target: impl ToSocketAddrs,
    bytes_per_sec: u64,
) -> std::io::Result<()> {
    let server = TcpStream::connect(target)?;
    for s in [&client, &server] {
        s.set_nodelay(true)?;
    }
    let (mut from_client, mut to_server) = (client.try_clone()?, server.try_clone()?);
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_client, &mut to_server);
        let _ = to_server.shutdown(Shutdown::Write);
    });
    std::thread::spawn(move || {
        let _ = paced_copy(server, client, bytes_per_sec);
    });
    Ok(())
}

/// Copies `from` to `to`, each burst no faster than `bytes_per_sec` (a burst starts when bytes
/// come after the link was idle, so a slow answer gains no credit).
fn paced_copy(mut from: TcpStream, mut to: TcpStream, bytes_per_sec: u64) -> std::io::Result<()> {
    let mut buf = vec![0u8; 64 << 10];
    let mut burst = Instant::now();
    let mut sent = 0u64;
    loop {
        let n = from.read(&mut buf)?;
        if n == 0 {
            return to.shutdown(Shutdown::Write);
        }
        let now = Instant::now();
        let due = burst + Duration::from_secs_f64(sent as f64 / bytes_per_sec as f64);
        if now > due + Duration::from_millis(1) {
            // Idle since the last bytes left: a new burst.
            burst = now;
            sent = 0;
        }
        sent += n as u64;
        let due = burst + Duration::from_secs_f64(sent as f64 / bytes_per_sec as f64);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        to.write_all(&buf[..n])?;
    }
}
