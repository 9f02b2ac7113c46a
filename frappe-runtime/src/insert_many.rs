//! Bulk inserts with `frappe.client.insert_many`: [`Client::insert_many`] (typed) and
//! [`Resource::insert_many`] (untyped), both an [`InsertMany`] request.
//!
//! Frappe refuses more than [`INSERT_MANY_CHUNK`] documents per call and inserts a call's
//! documents in one transaction, so the documents go in chunks, each one `POST` that is never
//! retried, at most [`concurrency`](InsertMany::concurrency) chunks at a time. Every document
//! is serialized before the first chunk is sent, so a bad one fails with nothing inserted. A
//! chunk must be answered with one name per document, in order ([`InsertMismatch`] otherwise).
//! After a failed chunk no further chunk is started; the chunks in flight finish, and
//! [`Error::PartialInsert`] says, per document, what was inserted. Only when asked
//! ([`resend_deadlocked`](InsertMany::resend_deadlocked)) is a chunk the database rolled back
//! for a deadlock sent again.

use std::future::{Future, IntoFuture};
use std::ops::Range;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use serde::Serialize;
use serde_json::Value;

use crate::changes::InsertBody;
use crate::client::Client;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::resource::{Check, Resource, in_batch};
use crate::retry::RetryPolicy;
use crate::validation::Mode;

/// Frappe's per-request cap of `frappe.client.insert_many`.
pub const INSERT_MANY_CHUNK: usize = 200;

/// One `insert_many` chunk was answered with a different number of names than it sent
/// documents: carried by [`Error::InsertMismatch`], or by a [`ChunkFailure`].
///
/// Frappe's `insert_many` inserts a chunk in one transaction and answers one name per document,
/// in order; any other count (a proxy, an app overriding the method) means the names cannot be
/// matched to the documents. The server reported success, so the chunk's documents were most
/// likely inserted: check `answered` before inserting them again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "insert_many: chunk #{chunk} (documents {}..{}) was answered with {} names for {} documents",
    documents.start,
    documents.end,
    answered.len(),
    documents.len()
)]
#[non_exhaustive]
pub struct InsertMismatch {
    /// Index of the chunk (0 for the first [`chunk_size`](InsertMany::chunk_size) documents).
    pub chunk: usize,
    /// Indices (into the slice given to `insert_many`) of the chunk's documents.
    pub documents: Range<usize>,
    /// The names the server answered for the chunk, as received (not matched to documents).
    pub answered: Vec<String>,
}

/// What a bulk insert that failed part-way did, document by document: carried by
/// [`Error::PartialInsert`].
#[derive(Debug, thiserror::Error)]
#[error(
    "insert_many: {} of {} documents inserted; {}{}",
    self.inserted(),
    names.len(),
    self.first_failure(),
    self.not_sent_note()
)]
#[non_exhaustive]
pub struct PartialInsert {
    /// Per document, in the order given: its name if its chunk was inserted, `None` if its
    /// chunk failed or was never sent.
    pub names: Vec<Option<String>>,
    /// The chunks that failed, by position. A failure whose
    /// [`maybe_committed`](Error::maybe_committed) is `true` (a timeout, a 502) may have inserted
    /// its documents all the same: look them up before sending them again.
    pub failed: Vec<ChunkFailure>,
}

/// One failed chunk of a bulk insert.
#[derive(Debug)]
#[non_exhaustive]
pub struct ChunkFailure {
    /// Indices (into the slice given to `insert_many`) of the chunk's documents.
    pub documents: Range<usize>,
    /// Why it failed.
    pub error: Error,
}

impl PartialInsert {
    /// How many documents were inserted.
    pub fn inserted(&self) -> usize {
        self.names.iter().filter(|n| n.is_some()).count()
    }

    /// The documents never sent: not inserted and not in a failed chunk.
    pub fn not_sent(&self) -> Vec<usize> {
        (0..self.names.len())
            .filter(|&i| self.names[i].is_none())
            .filter(|i| !self.failed.iter().any(|f| f.documents.contains(i)))
            .collect()
    }

    fn first_failure(&self) -> String {
        match self.failed.first() {
            Some(f) => format!(
                "documents {}..{} failed: {}{}",
                f.documents.start,
                f.documents.end,
                f.error,
                match self.failed.len() {
                    1 => String::new(),
                    n => format!(" (and {} more chunks failed)", n - 1),
                }
            ),
            None => "no chunk failed".into(),
        }
    }

    fn not_sent_note(&self) -> String {
        match self.not_sent().len() {
            0 => String::new(),
            n => format!("; {n} documents not sent"),
        }
    }
}

/// How far a bulk insert has got, handed to [`InsertMany::on_progress`] after each chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct InsertProgress {
    /// Documents in the whole insert.
    pub total: usize,
    /// Documents inserted so far.
    pub inserted: usize,
    /// Documents in chunks that failed so far.
    pub failed: usize,
}

type ProgressFn = Box<dyn FnMut(InsertProgress) + Send>;

/// A bulk insert, built by [`Client::insert_many`] or [`Resource::insert_many`]: set the
/// options, then [`send`](Self::send) it or `.await` it directly. Resolves to the names of the
/// new documents in the order given (`names[i]` is document `i`'s).
#[must_use = "a bulk insert does nothing until sent or awaited"]
pub struct InsertMany {
    client: Client,
    doctype: String,
    docs: Result<Vec<Value>>,
    chunk_size: usize,
    concurrency: usize,
    progress: Option<ProgressFn>,
    /// Times a deadlocked chunk is sent again.
    resend: u32,
}

/// The waits before sending a deadlocked chunk again: jittered, from 50-100 ms, doubling, at
/// most 2 s (only [`RetryPolicy::backoff`] is used).
const RESEND_BACKOFF: RetryPolicy = RetryPolicy {
    max_attempts: u32::MAX,
    base_delay: Duration::from_millis(100),
    max_delay: Duration::from_secs(2),
};

impl std::fmt::Debug for InsertMany {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InsertMany")
            .field("doctype", &self.doctype)
            .field("documents", &self.docs.as_ref().map(Vec::len))
            .field("chunk_size", &self.chunk_size)
            .field("concurrency", &self.concurrency)
            .field("resend_deadlocked", &self.resend)
            .finish_non_exhaustive()
    }
}

impl InsertMany {
    fn new(client: &Client, doctype: &str, docs: &[impl Serialize], check: Option<Check>) -> Self {
        Self {
            client: client.clone(),
            doctype: doctype.to_owned(),
            docs: prepare(doctype, docs, check),
            chunk_size: INSERT_MANY_CHUNK,
            concurrency: 1,
            progress: None,
            resend: 0,
        }
    }

    /// Sends a chunk again, up to `times` times (default 0: never), when the database rolled it
    /// back because of concurrent writers ([`Error::is_deadlock`]: chunks drawing names from one
    /// naming series at once meet MariaDB deadlocks), after a jittered wait of 50-100 ms,
    /// doubling up to 2 s; each resend is a call of its own (with its own deadline), and none
    /// is sent once another chunk has failed.
    ///
    /// `frappe.client.insert_many` inserts a chunk in one transaction, which the deadlock rolled
    /// back whole. Ask for this only when inserting the DocType's documents does nothing that
    /// survives a rollback: no controller or hook that commits on its own (`frappe.db.commit()`),
    /// no schema change (DocType, Custom Field, Property Setter: MariaDB commits those at
    /// once), no effect outside the database (files, calls to other systems), which a resend
    /// would repeat.
    pub fn resend_deadlocked(mut self, times: u32) -> Self {
        self.resend = times;
        self
    }

    /// Documents per request: 1 to [`INSERT_MANY_CHUNK`] (the default). Smaller chunks fail
    /// (and roll back) in smaller units; anything else is refused when sent.
    pub fn chunk_size(mut self, chunk_size: usize) -> Self {
        self.chunk_size = chunk_size;
        self
    }

    /// Chunks in flight at once (default 1; `0` is taken as 1). The client's
    /// [`max_concurrency`](crate::ClientBuilder::max_concurrency) caps them as well.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Called after each chunk, with the counts so far.
    pub fn on_progress(mut self, progress: impl FnMut(InsertProgress) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// Inserts the documents. `Ok` with every name, in order; if the first and only chunk sent
    /// fails, its error; otherwise, when a chunk failed, [`Error::PartialInsert`]. Dropping the
    /// future part-way loses that report: chunks already answered stay inserted.
    pub async fn send(mut self) -> Result<Vec<String>> {
        let docs = self.docs?;
        if !(1..=INSERT_MANY_CHUNK).contains(&self.chunk_size) {
            return Err(Error::InvalidInput(format!(
                "{}: insert_many chunk_size must be 1 to {INSERT_MANY_CHUNK}, got {}",
                self.doctype, self.chunk_size
            )));
        }
        let total = docs.len();
        let mut names: Vec<Option<String>> = vec![None; total];
        let mut failed: Vec<ChunkFailure> = Vec::new();
        let mut sent = 0;
        let mut inserted = 0;
        // Chunks are moved (not copied) into their requests, and freed once sent.
        let mut rest = docs.into_iter();
        let mut chunks = (0..).map_while(|index| {
            let start = index * self.chunk_size;
            let chunk: Vec<Value> = rest.by_ref().take(self.chunk_size).collect();
            (!chunk.is_empty()).then(|| (index, start..start + chunk.len(), chunk))
        });
        let client = &self.client;
        let doctype = self.doctype.as_str();
        let resend = self.resend;
        // Set once a chunk has failed: no chunk is started, and none is sent again, after that.
        let stop = AtomicBool::new(false);
        let stop = &stop;
        let mut in_flight = FuturesUnordered::new();
        loop {
            while failed.is_empty() && in_flight.len() < self.concurrency {
                let Some((index, documents, chunk)) = chunks.next() else {
                    break;
                };
                sent += 1;
                in_flight.push(async move {
                    let result =
                        send_chunk(client, doctype, documents.clone(), chunk, resend, stop).await;
                    (index, documents, result)
                });
            }
            let Some((index, documents, result)) = in_flight.next().await else {
                break;
            };
            match result {
                Ok(answered) if answered.len() == documents.len() => {
                    inserted += answered.len();
                    for (slot, name) in names[documents.clone()].iter_mut().zip(answered) {
                        *slot = Some(name);
                    }
                }
                Ok(answered) => failed.push(ChunkFailure {
                    error: Error::InsertMismatch(Box::new(InsertMismatch {
                        chunk: index,
                        documents: documents.clone(),
                        answered,
                    })),
                    documents,
                }),
                Err(error) => failed.push(ChunkFailure { documents, error }),
            }
            if !failed.is_empty() {
                stop.store(true, Ordering::Relaxed);
            }
            if let Some(progress) = &mut self.progress {
                progress(InsertProgress {
                    total,
                    inserted,
                    failed: failed.iter().map(|f| f.documents.len()).sum(),
                });
            }
        }
        if failed.is_empty() {
            // No chunk failed, so every chunk was sent and answered: every name is there.
            return Ok(names.into_iter().flatten().collect());
        }
        failed.sort_by_key(|f| f.documents.start);
        if sent == 1 && failed.len() == 1 {
            // Nothing else was sent: the chunk's own error says it all.
            return Err(failed.remove(0).error);
        }
        Err(Error::PartialInsert(Box::new(PartialInsert {
            names,
            failed,
        })))
    }
}

/// One chunk's `insert_many`, sent again up to `resend` times while the database answers that
/// it rolled the chunk back for a deadlock, unless another chunk has failed meanwhile (`stop`).
/// The chunk is kept for that only when it may be needed.
async fn send_chunk(
    client: &Client,
    doctype: &str,
    documents: Range<usize>,
    chunk: Vec<Value>,
    resend: u32,
    stop: &AtomicBool,
) -> Result<Vec<String>> {
    let mut attempt = 0;
    let mut chunk = Some(chunk);
    loop {
        let docs = if attempt < resend {
            chunk.clone()
        } else {
            chunk.take()
        };
        let result = client
            .call("frappe.client.insert_many")
            .arg_value("docs", Value::Array(docs.unwrap_or_default()))
            .post()
            .await;
        match result {
            Err(e) if e.is_deadlock() && attempt < resend && !stop.load(Ordering::Relaxed) => {
                attempt += 1;
                tracing::debug!(
                    doctype,
                    documents = ?documents,
                    attempt,
                    error = %e,
                    "insert_many: chunk rolled back for a deadlock, sending it again"
                );
                tokio::time::sleep(RESEND_BACKOFF.backoff(attempt)).await;
                if stop.load(Ordering::Relaxed) {
                    return Err(e);
                }
            }
            result => return result,
        }
    }
}

impl IntoFuture for InsertMany {
    type Output = Result<Vec<String>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Inserts many new documents of `D` with `frappe.client.insert_many` (`POST`, never
    /// retried), [`INSERT_MANY_CHUNK`] per request unless [`chunk_size`](InsertMany::chunk_size)
    /// says otherwise, and resolves to their names in order. Each document is a
    /// [`Changes<D>`](crate::Changes) (only the fields set; the server fills in defaults) or a
    /// whole `D`; the DocType comes from `D`. [`Resource::insert_many`] is the untyped form. See
    /// [`InsertMany`] for concurrency, progress and what a failure reports.
    ///
    /// ```no_run
    /// # use frappe_runtime::{Changes, Client};
    /// # #[derive(frappe_derive::Document, serde::Deserialize)] #[frappe(doctype = "ToDo")]
    /// # struct ToDo { name: String, description: String }
    /// # async fn demo(client: Client) -> frappe_runtime::Result<()> {
    /// let todos: Vec<Changes<ToDo>> = (1..=1000)
    ///     .map(|i| Changes::new().set(ToDo::description, format!("Task {i}")))
    ///     .collect();
    /// let names = client
    ///     .insert_many(&todos)
    ///     .concurrency(2)
    ///     .on_progress(|p| eprintln!("{}/{} inserted", p.inserted, p.total))
    ///     .await?;
    /// # let _ = names; Ok(()) }
    /// ```
    pub fn insert_many<D: Document>(&self, docs: &[impl InsertBody<D>]) -> InsertMany {
        InsertMany::new(self, D::DOCTYPE, docs, self.check::<D>())
    }
}

impl Resource {
    /// Inserts many new documents of this DocType with `frappe.client.insert_many`, as
    /// [`Client::insert_many`]. Each document is any value serializing to a JSON object;
    /// `doctype` is set to this DocType where missing. A document naming another DocType, or
    /// a child row with a `parent`, is refused before anything is sent.
    pub fn insert_many(&self, docs: &[impl Serialize]) -> InsertMany {
        InsertMany::new(&self.client, &self.doctype, docs, None)
    }
}

/// Every document as a JSON object with its `doctype`, or the first one that is not.
/// The documents as JSON objects with their `doctype`, each checked by `check` first (every
/// document before any is sent).
fn prepare(doctype: &str, docs: &[impl Serialize], check: Option<Check>) -> Result<Vec<Value>> {
    docs.iter()
        .enumerate()
        .map(|(i, doc)| match serde_json::to_value(doc) {
            Ok(Value::Object(mut map)) => {
                if let Some(check) = check {
                    check.map(&map, Mode::Create).map_err(|e| in_batch(e, i))?;
                }
                match map.get("doctype") {
                    None => {
                        map.insert("doctype".into(), Value::from(doctype));
                    }
                    Some(Value::String(d)) if d == doctype => {}
                    Some(other) => {
                        // Frappe would insert it as that DocType.
                        return Err(Error::InvalidInput(format!(
                            "{doctype}: insert_many document #{i} says it is a {other}"
                        )));
                    }
                }
                if map.get("parent").is_some_and(|p| !p.is_null()) {
                    // Frappe appends such a row to its parent and answers the parent's name.
                    return Err(Error::InvalidInput(format!(
                        "{doctype}: insert_many document #{i} has a parent: insert child rows \
                         with their parent document"
                    )));
                }
                Ok(Value::Object(map))
            }
            Ok(_) => Err(Error::InvalidInput(format!(
                "{doctype}: insert_many document #{i} is not a JSON object"
            ))),
            Err(e) => Err(Error::InvalidInput(format!(
                "{doctype}: insert_many document #{i} cannot be serialized: {e}"
            ))),
        })
        .collect()
}
