//! One replayed exchange, the step every wire test starts with: serve the transcript, make the
//! call with a fresh client, assert the client sent exactly the recorded request(s)
//! (`Replay::assert_requests`), and hand back the replay with what the call returned.
//!
//! The call is an async closure taking the client by value, so a test reads as the one client
//! call it checks: `ok(core(19), clients::token, async |c| c.doctype("ToDo").list().send().await)`.

use std::fmt::Debug;

use frappe_runtime::{Client, Error};

use crate::support::Replay;
use crate::support::transcript::Transcript;

/// Makes a client for the replay server's base URI (one of `support::clients`).
pub type MakeClient = fn(&str) -> Client;

/// Replays `t`, runs `call`, asserts the recorded requests were sent; returns the outcome as is.
pub async fn run<R>(
    t: Transcript,
    client: MakeClient,
    call: impl AsyncFnOnce(Client) -> R,
) -> (Replay, R) {
    let r = Replay::start(t).await;
    let out = call(client(&r.uri())).await;
    r.assert_requests().await;
    (r, out)
}

/// [`run`] for a call the recording answers successfully; a failure panics naming the file.
pub async fn ok<T>(
    t: Transcript,
    client: MakeClient,
    call: impl AsyncFnOnce(Client) -> frappe_runtime::Result<T>,
) -> (Replay, T) {
    let (r, out) = run(t, client, call).await;
    match out {
        Ok(v) => (r, v),
        Err(e) => panic!("{}: expected success, got {e:?}", r.transcript().file),
    }
}

/// [`run`] for a call the recording refuses; a success panics naming the file.
pub async fn fails<T: Debug>(
    t: Transcript,
    client: MakeClient,
    call: impl AsyncFnOnce(Client) -> frappe_runtime::Result<T>,
) -> (Replay, Error) {
    let (r, out) = run(t, client, call).await;
    match out {
        Ok(v) => panic!("{}: expected an error, got {v:?}", r.transcript().file),
        Err(e) => (r, e),
    }
}
