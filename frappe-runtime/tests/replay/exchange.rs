//! One replayed exchange, the step every wire test starts with: serve the transcript, make the
//! call with a fresh client, assert the client sent exactly the recorded request(s)
//! (`Replay::assert_requests`), and hand back the replay with what the call returned.
//!
//! The call is an async closure taking the client by value, so a test reads as the one client
//! call it checks: `ok(core(19), clients::token, async |c| c.doctype("ToDo").list().send().await)`.
//! What is replayed is one transcript, or a [`ReplayBuilder`] for several exchanges or
//! relaxed headers; the client comes from one of `support::clients` or a closure over the URI.

use std::fmt::Debug;

use frappe_runtime::{Client, Error, Row};
use serde::Serialize;
use serde_json::Value;

use crate::support::replay::ReplayBuilder;
use crate::support::transcript::Transcript;
use crate::support::{Replay, check};

/// What a test replays: one transcript, or a configured [`ReplayBuilder`].
pub trait Exchanges {
    /// Starts the replay server.
    async fn start(self) -> Replay;
}

impl Exchanges for Transcript {
    async fn start(self) -> Replay {
        Replay::start(self).await
    }
}

impl Exchanges for ReplayBuilder {
    async fn start(self) -> Replay {
        ReplayBuilder::start(self).await
    }
}

/// Makes the client for the replay server's base URI (`support::clients::token`, ...).
pub trait MakeClient: FnOnce(&str) -> Client {}
impl<F: FnOnce(&str) -> Client> MakeClient for F {}

/// Replays `t`, runs `call`, asserts the recorded requests were sent; returns the outcome as is.
pub async fn run<R>(
    t: impl Exchanges,
    client: impl MakeClient,
    call: impl AsyncFnOnce(Client) -> R,
) -> (Replay, R) {
    let r = t.start().await;
    let out = call(client(&r.uri())).await;
    r.assert_requests().await;
    (r, out)
}

/// [`run`] for a call the recording answers successfully; a failure panics naming the file.
pub async fn ok<T>(
    t: impl Exchanges,
    client: impl MakeClient,
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
    t: impl Exchanges,
    client: impl MakeClient,
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
    t: impl Exchanges,
    client: impl MakeClient,
    call: impl AsyncFnOnce(Client) -> frappe_runtime::Result<Vec<D>>,
) -> (Replay, Vec<D>) {
    let (r, got) = ok(t, client, call).await;
    check::same_as_recorded(&r.transcript().file, &got, data(r.transcript()));
    (r, got)
}

/// [`ok`] for an untyped list: the rows must equal the recorded `data` rows exactly.
pub async fn untyped_rows(
    t: impl Exchanges,
    client: impl MakeClient,
    call: impl AsyncFnOnce(Client) -> frappe_runtime::Result<Vec<Row>>,
) -> (Replay, Vec<Row>) {
    let (r, got) = ok(t, client, call).await;
    let rows = Value::Array(got.iter().cloned().map(Value::from).collect());
    assert_eq!(&rows, data(r.transcript()), "{}", r.transcript().file);
    (r, got)
}

/// Sends the recorded JSON body as an untyped insert into `doctype`; the outcome as is.
pub async fn insert_recorded(
    t: Transcript,
    client: impl MakeClient,
    doctype: &str,
) -> (Replay, frappe_runtime::Result<Row>) {
    let body = t.request_value().clone();
    run(t, client, async |c| c.doctype(doctype).insert(&body).await).await
}

/// Sends the recorded JSON body as an untyped partial update of `doctype/name`.
pub async fn update_recorded(
    t: Transcript,
    client: impl MakeClient,
    doctype: &str,
    name: &str,
) -> (Replay, frappe_runtime::Result<Row>) {
    let body = t.request_value().clone();
    run(t, client, async |c| {
        c.doctype(doctype).update(name, &body).await
    })
    .await
}

/// [`ok`] for one typed document: it must equal the recorded `data` on every field its type
/// declares.
pub async fn typed_doc<D: Serialize>(
    t: impl Exchanges,
    client: impl MakeClient,
    call: impl AsyncFnOnce(Client) -> frappe_runtime::Result<D>,
) -> (Replay, D) {
    let (r, got) = ok(t, client, call).await;
    check::same_fields(&r.transcript().file, &got, data(r.transcript()));
    (r, got)
}
