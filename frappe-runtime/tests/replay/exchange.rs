//! One replayed exchange, the step every wire test starts with: serve the transcript, make the
//! call with a fresh client, assert the client sent exactly the recorded request(s)
//! (`Replay::assert_requests`), and hand back the replay with what the call returned.
//!
//! The call is an async closure taking the client by value, so a test reads as the one client
//! call it checks: `ok(core(19), clients::token, async |c| c.doctype("ToDo").list().send().await)`.

use std::fmt::Debug;

use frappe_runtime::{Client, Error, Row};
use serde::Serialize;
use serde_json::Value;

use crate::support::transcript::Transcript;
use crate::support::{Replay, check};

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

/// The recorded response's `data`: what v1 resource routes and every v2 route answer with.
pub fn data(t: &Transcript) -> &Value {
    &t.response_json()["data"]
}

/// [`ok`] for a typed list: each row must equal the recorded `data` row on every field its
/// type declares.
pub async fn typed_rows<D: Serialize>(
    t: Transcript,
    client: MakeClient,
    call: impl AsyncFnOnce(Client) -> frappe_runtime::Result<Vec<D>>,
) -> (Replay, Vec<D>) {
    let (r, got) = ok(t, client, call).await;
    check::same_as_recorded(&r.transcript().file, &got, data(r.transcript()));
    (r, got)
}

/// [`ok`] for an untyped list: the rows must equal the recorded `data` rows exactly.
pub async fn untyped_rows(
    t: Transcript,
    client: MakeClient,
    call: impl AsyncFnOnce(Client) -> frappe_runtime::Result<Vec<Row>>,
) -> (Replay, Vec<Row>) {
    let (r, got) = ok(t, client, call).await;
    let rows = Value::Array(got.iter().cloned().map(Value::Object).collect());
    assert_eq!(&rows, data(r.transcript()), "{}", r.transcript().file);
    (r, got)
}
