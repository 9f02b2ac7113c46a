//! Frappe's background bulk actions: [`Client::bulk`] (typed) and [`Resource::bulk`] (untyped),
//! each verb a [`BulkJob`] resolving to a [`BulkReport`].
//!
//! # What Frappe offers, and what it does not say
//!
//! Frappe 15 runs bulk submit, cancel and update through
//! `frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs` and bulk delete
//! through `frappe.desk.reportview.delete_items`:
//!
//! - fewer than 20 names (submit, cancel, update) run inline, and the answer lists the names
//!   that failed (without their errors); 20 to 500 are enqueued on the `short` queue and the
//!   answer says nothing but "enqueued": no job id, no result; more than 500 are refused;
//! - `delete_items` runs up to 10 names inline and enqueues more; either way it answers nothing;
//! - progress goes out only over socket.io, failures are caught and logged without their
//!   errors, and a job that meets a name that does not exist stops there (its `get_doc` is
//!   outside the `try`), leaving the names after it untouched.
//!
//! # What this module does, and what it infers
//!
//! A job sends the names in chunks of at most [`CHUNK`] (each `POST` sent once, never retried),
//! then follows the documents themselves: it lists them (`name in [...]`, fields `name`,
//! `docstatus`, `modified`) every [`poll_interval`](BulkJob::poll_interval) and counts a
//! document done when it is in the action's target state. That is an inference: a document is
//! taken as submitted by the job because its `docstatus` is 1, as deleted because it is no
//! longer listed, and as updated because its `modified` differs from the value read before
//! the job was sent (another writer could have changed it meanwhile). What is known for sure:
//! the inline answer of a small submit, cancel or update chunk (the names it does not list as
//! failed were done), and the errors of individual attempts.
//!
//! Following stops when every document is done, when no document has changed for
//! [`idle`](BulkJob::idle) after one did (the job has finished or stalled), when none has changed
//! within [`queue_wait`](BulkJob::queue_wait) (the job failed, or waits in a busy queue), or at the
//! [`timeout`](BulkJob::timeout). Then, unless the timeout was reached, each document not done
//! and still in the action's source state gets one individual attempt of the same action
//! (submit a draft, cancel a submitted document, delete a document that still exists), which
//! cannot apply anything twice: its error is the server's own reason, typed
//! ([`Error::Validation`], [`Error::NotFound`], ...), and if it succeeds the document counts as
//! done ([`BulkReport::individually`] names it). An update is never sent again: a document whose
//! change is not seen is reported as [`Error::NotConfirmed`], as is any document after a
//! timeout, or in another state than the action expects.

use std::collections::HashMap;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::changes::UpdateBody;
use crate::client::Client;
use crate::document::{Document, Submittable};
use crate::error::{Error, Result};
use crate::list::Row;
use crate::resource::{Check, Resource, check_name, object_body, run_check};
use crate::validation::Mode;

/// Names per enqueue request: Frappe refuses more than 500.
pub const CHUNK: usize = 500;
/// Names per poll (a list request with `name in [...]`, kept short for the URL).
const POLL_CHUNK: usize = 100;
const SUBMIT_METHOD: &str =
    "frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs";
const DELETE_METHOD: &str = "frappe.desk.reportview.delete_items";

/// Which bulk action a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BulkAction {
    /// Submit drafts (docstatus 0 -> 1).
    Submit,
    /// Cancel submitted documents (docstatus 1 -> 2).
    Cancel,
    /// Save the same changes into each document.
    Update,
    /// Delete the documents.
    Delete,
}

impl BulkAction {
    fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Cancel => "cancel",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }
}

impl std::fmt::Display for BulkAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A document a bulk job could not confirm, with what was seen instead (inside
/// [`Error::NotConfirmed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotConfirmed {
    /// The DocType.
    pub doctype: String,
    /// The document.
    pub name: String,
    /// The action that was not confirmed.
    pub action: BulkAction,
    /// What was seen: e.g. "still unchanged when the job went idle", "timed out", "docstatus is 2".
    pub reason: String,
}

impl std::fmt::Display for NotConfirmed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {} not confirmed: {}",
            self.doctype, self.name, self.action, self.reason
        )
    }
}

/// How far a bulk job has got, handed to [`BulkJob::on_progress`] after each poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BulkProgress {
    /// Documents in the job.
    pub total: usize,
    /// Documents seen in the target state (or known done from an inline answer).
    pub done: usize,
    /// Documents known failed (from an inline answer or a refused request).
    pub failed: usize,
    /// Time since the first request was sent.
    pub elapsed: Duration,
}

/// What a bulk job did: names in the order given.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkReport {
    /// Documents that reached the action's target state.
    pub succeeded: Vec<String>,
    /// Documents that did not, each with the server's error from its individual attempt, or
    /// [`Error::NotConfirmed`].
    pub failed: Vec<(String, Error)>,
    /// Of `succeeded`, those the job left undone and one individual attempt completed.
    pub individually: Vec<String>,
}

type ProgressFn = Box<dyn FnMut(BulkProgress) + Send>;

/// The typed bulk actions of `D`, from [`Client::bulk`]; [`Resource::bulk`] is the untyped form.
#[must_use = "a bulk handle does nothing until one of its actions is sent"]
pub struct Bulk<D> {
    client: Client,
    doctype: String,
    check: Option<Check>,
    doc: PhantomData<fn() -> D>,
}

impl<D> std::fmt::Debug for Bulk<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bulk")
            .field("doctype", &self.doctype)
            .finish_non_exhaustive()
    }
}

impl<D> Bulk<D> {
    fn job(&self, action: BulkAction, names: Vec<String>, data: Result<Option<Value>>) -> BulkJob {
        let names = data.and_then(|data| {
            let mut seen = std::collections::HashSet::new();
            for (i, name) in names.iter().enumerate() {
                check_name(&self.doctype, name)
                    .map_err(|e| Error::InvalidInput(format!("bulk {action} name #{i}: {e}")))?;
                if !seen.insert(name.as_str()) {
                    return Err(Error::InvalidInput(format!(
                        "{}: bulk {action} gets {name:?} twice",
                        self.doctype
                    )));
                }
            }
            Ok((names, data))
        });
        BulkJob {
            client: self.client.clone(),
            doctype: self.doctype.clone(),
            action,
            input: names,
            poll_interval: Duration::from_secs(1),
            queue_wait: Duration::from_secs(120),
            idle: Duration::from_secs(15),
            timeout: Duration::from_secs(600),
            progress: None,
        }
    }

    fn names<N: Into<String>>(names: impl IntoIterator<Item = N>) -> Vec<String> {
        names.into_iter().map(Into::into).collect()
    }

    /// Deletes the documents (`delete_items`).
    pub fn delete<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.job(BulkAction::Delete, Self::names(names), Ok(None))
    }

    fn submit_job<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.job(BulkAction::Submit, Self::names(names), Ok(None))
    }

    fn cancel_job<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.job(BulkAction::Cancel, Self::names(names), Ok(None))
    }

    fn update_job<N: Into<String>>(
        &self,
        names: impl IntoIterator<Item = N>,
        changes: &impl Serialize,
    ) -> BulkJob {
        let data = object_body(&self.doctype, changes)
            .and_then(|body| run_check(self.check, &body, Mode::Update).map(|()| Some(body)));
        self.job(BulkAction::Update, Self::names(names), data)
    }
}

impl<D: Submittable> Bulk<D> {
    /// Submits the drafts.
    pub fn submit<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.submit_job(names)
    }

    /// Cancels the submitted documents.
    pub fn cancel<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.cancel_job(names)
    }
}

impl<D: Document> Bulk<D> {
    /// Saves `changes` into every document (checked against `D`'s rules first, as
    /// [`Client::update`]).
    pub fn update<N: Into<String>>(
        &self,
        names: impl IntoIterator<Item = N>,
        changes: &impl UpdateBody<D>,
    ) -> BulkJob {
        self.update_job(names, changes)
    }
}

impl Bulk<Row> {
    /// Submits the drafts.
    pub fn submit<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.submit_job(names)
    }

    /// Cancels the submitted documents.
    pub fn cancel<N: Into<String>>(&self, names: impl IntoIterator<Item = N>) -> BulkJob {
        self.cancel_job(names)
    }

    /// Saves `changes` (a JSON object) into every document.
    pub fn update<N: Into<String>>(
        &self,
        names: impl IntoIterator<Item = N>,
        changes: &impl Serialize,
    ) -> BulkJob {
        self.update_job(names, changes)
    }
}

/// One bulk action, from a [`Bulk`] handle: set the options, then [`send`](Self::send) it or
/// `.await` it. The outer `Err` is for input refused before anything was sent, or the first
/// enqueue request failing unprocessed; everything after that is in the [`BulkReport`].
#[must_use = "a bulk job does nothing until sent or awaited"]
pub struct BulkJob {
    client: Client,
    doctype: String,
    action: BulkAction,
    input: Result<(Vec<String>, Option<Value>)>,
    poll_interval: Duration,
    queue_wait: Duration,
    idle: Duration,
    timeout: Duration,
    // A Mutex only to make the job `Sync` (the callback is `Send` only); never contended.
    progress: Option<std::sync::Mutex<ProgressFn>>,
}

impl std::fmt::Debug for BulkJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The changes of an update may be sensitive: the count of names only.
        f.debug_struct("BulkJob")
            .field("doctype", &self.doctype)
            .field("action", &self.action)
            .field("documents", &self.input.as_ref().map(|(n, _)| n.len()))
            .field("poll_interval", &self.poll_interval)
            .field("queue_wait", &self.queue_wait)
            .field("idle", &self.idle)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Where one document stands.
enum Slot {
    Pending,
    /// Listed as failed by an inline answer: not followed, explained at the end.
    Listed,
    Done,
    Individually,
    Failed(Error),
}

/// What the last poll saw of a document.
#[derive(Deserialize)]
struct Seen {
    name: String,
    #[serde(default)]
    docstatus: i64,
    #[serde(default)]
    modified: Option<String>,
}

impl BulkJob {
    /// Time between polls (default 1 s).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// How long to wait for the first document to change (default 2 min): the job may wait in
    /// the queue behind others. A job that has changed nothing by then is taken as failed or
    /// stalled, and its documents get their individual attempts.
    pub fn queue_wait(mut self, wait: Duration) -> Self {
        self.queue_wait = wait;
        self
    }

    /// How long no document may change, once one has, before the job is taken as finished
    /// (default 15 s): Frappe's job works through the names one by one.
    pub fn idle(mut self, idle: Duration) -> Self {
        self.idle = idle;
        self
    }

    /// The longest the job is followed (default 10 min); documents not done by then are
    /// reported [`Error::NotConfirmed`] without an individual attempt (the job may still run).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Called after each poll, with the counts so far.
    pub fn on_progress(mut self, progress: impl FnMut(BulkProgress) + Send + 'static) -> Self {
        self.progress = Some(std::sync::Mutex::new(Box::new(progress)));
        self
    }

    fn not_confirmed(&self, name: &str, reason: impl Into<String>) -> Error {
        Error::NotConfirmed(Box::new(NotConfirmed {
            doctype: self.doctype.clone(),
            name: name.to_owned(),
            action: self.action,
            reason: reason.into(),
        }))
    }

    /// Sends the job, follows it to the end and reports each document.
    pub async fn send(mut self) -> Result<BulkReport> {
        let (names, data) = std::mem::replace(&mut self.input, Ok((Vec::new(), None)))?;
        let start = Instant::now();
        let total = names.len();
        let mut slots: Vec<Slot> = names.iter().map(|_| Slot::Pending).collect();
        // Update: the `modified` of each document before, to see which the job saved.
        let before = if self.action == BulkAction::Update {
            self.poll(&names).await?
        } else {
            HashMap::new()
        };

        let mut sent_any = false;
        for (c, chunk) in names.chunks(CHUNK).enumerate() {
            let at = c * CHUNK;
            match self.enqueue(chunk, data.as_ref()).await {
                // Inline: the names listed failed, the others were done (known).
                Ok(Some(failed)) => {
                    for (i, name) in chunk.iter().enumerate() {
                        slots[at + i] = if failed.contains(name) {
                            Slot::Listed
                        } else {
                            Slot::Done
                        };
                    }
                }
                Ok(None) => {}
                Err(e) if !sent_any && !e.maybe_committed() => return Err(e),
                Err(e) => {
                    // This chunk may or may not have been taken: polling finds out if it was.
                    // Later chunks are not sent.
                    let rest = &names[at + chunk.len()..];
                    for (i, name) in rest.iter().enumerate() {
                        let reason = format!("not sent: an earlier request failed: {e}");
                        slots[at + chunk.len() + i] =
                            Slot::Failed(self.not_confirmed(name, reason));
                    }
                    break;
                }
            }
            sent_any = true;
        }

        // Follow the documents until done, idle or timed out.
        let mut last: HashMap<String, Seen> = HashMap::new();
        let mut last_change: Option<Instant> = None;
        let mut timed_out = false;
        loop {
            let pending: Vec<String> = pending_names(&names, &slots);
            if pending.is_empty() {
                break;
            }
            if start.elapsed() >= self.timeout {
                timed_out = true;
                break;
            }
            let quiet = match last_change {
                Some(at) => at.elapsed() >= self.idle,
                None => start.elapsed() >= self.queue_wait,
            };
            if quiet {
                break;
            }
            let wait = self
                .poll_interval
                .min(self.timeout.saturating_sub(start.elapsed()));
            tokio::time::sleep(wait).await;
            let seen = self.poll(&pending).await?;
            let mut changed = false;
            for (i, name) in names.iter().enumerate() {
                if !matches!(slots[i], Slot::Pending) {
                    continue;
                }
                let now = seen.get(name);
                if self.reached(now, before.get(name)) {
                    slots[i] = Slot::Done;
                    changed = true;
                } else if !last.is_empty()
                    && now.map(|s| (s.docstatus, &s.modified))
                        != last.get(name).map(|s| (s.docstatus, &s.modified))
                {
                    // Moved, though not (yet) to the target state.
                    changed = true;
                }
            }
            if changed {
                last_change = Some(Instant::now());
            }
            last = seen;
            self.report(&slots, total, start);
        }

        // Documents not done: one individual attempt each where that is safe, from their state
        // as read now.
        let open: Vec<String> = names
            .iter()
            .zip(&slots)
            .filter(|(_, s)| matches!(s, Slot::Pending | Slot::Listed))
            .map(|(n, _)| n.clone())
            .collect();
        let now = if timed_out || open.is_empty() {
            HashMap::new()
        } else {
            self.poll(&open).await?
        };
        let mut individually = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let listed = match slots[i] {
                Slot::Pending => false,
                Slot::Listed => true,
                _ => continue,
            };
            slots[i] = if timed_out {
                Slot::Failed(self.not_confirmed(name, "timed out; the job may still be running"))
            } else if self.reached(now.get(name), before.get(name)) {
                Slot::Done
            } else {
                self.individual(name, now.get(name), listed).await
            };
            if matches!(slots[i], Slot::Individually) {
                individually.push(name.clone());
            }
        }
        self.report(&slots, total, start);

        let mut report = BulkReport {
            succeeded: Vec::new(),
            failed: Vec::new(),
            individually,
        };
        for (name, slot) in names.into_iter().zip(slots) {
            match slot {
                Slot::Done | Slot::Individually => report.succeeded.push(name),
                Slot::Failed(e) => report.failed.push((name, e)),
                Slot::Pending | Slot::Listed => {}
            }
        }
        Ok(report)
    }

    fn report(&mut self, slots: &[Slot], total: usize, start: Instant) {
        if let Some(progress) = &mut self.progress {
            let progress = progress.get_mut().unwrap_or_else(|e| e.into_inner());
            progress(BulkProgress {
                total,
                done: slots
                    .iter()
                    .filter(|s| matches!(s, Slot::Done | Slot::Individually))
                    .count(),
                failed: slots
                    .iter()
                    .filter(|s| matches!(s, Slot::Failed(_)))
                    .count(),
                elapsed: start.elapsed(),
            });
        }
    }

    /// Sends one chunk; `Some(failed names)` for an inline answer, `None` when enqueued (or
    /// for delete, which answers nothing either way).
    async fn enqueue(&self, chunk: &[String], data: Option<&Value>) -> Result<Option<Vec<String>>> {
        if self.action == BulkAction::Delete {
            // `delete_items` reads `items` with `json.loads`: a JSON text, not a list.
            let items = serde_json::to_string(chunk).map_err(|e| {
                Error::InvalidInput(format!("{}: names cannot be serialized: {e}", self.doctype))
            })?;
            let _: Value = self
                .client
                .call(DELETE_METHOD)
                .arg("doctype", &self.doctype)
                .arg("items", items)
                .post()
                .await?;
            return Ok(None);
        }
        let answer: Value = self
            .client
            .call(SUBMIT_METHOD)
            .arg("doctype", &self.doctype)
            .arg("docnames", chunk)
            .arg("action", self.action.as_str())
            .arg("data", data.cloned().unwrap_or(Value::Null))
            .post()
            .await?;
        Ok(match answer {
            Value::Array(failed) => Some(
                failed
                    .into_iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            ),
            _ => None,
        })
    }

    /// The documents among `names` that exist, by name.
    async fn poll(&self, names: &[String]) -> Result<HashMap<String, Seen>> {
        let mut seen = HashMap::new();
        for chunk in names.chunks(POLL_CHUNK) {
            let rows: Vec<Seen> = self
                .client
                .doctype(self.doctype.clone())
                .list_as::<Seen>()
                .fields(["name", "docstatus", "modified"])
                .filter(json!([["name", "in", chunk]]))
                .limit(chunk.len() as u64)
                .send()
                .await?;
            seen.extend(rows.into_iter().map(|s| (s.name.clone(), s)));
        }
        Ok(seen)
    }

    fn reached(&self, now: Option<&Seen>, before: Option<&Seen>) -> bool {
        match (self.action, now) {
            (BulkAction::Delete, now) => now.is_none(),
            (_, None) => false,
            (BulkAction::Submit, Some(s)) => s.docstatus == 1,
            (BulkAction::Cancel, Some(s)) => s.docstatus == 2,
            (BulkAction::Update, Some(s)) => {
                before.is_some_and(|b| b.modified.is_some() && b.modified != s.modified)
            }
        }
    }

    /// One individual attempt of the same action, where it is safe; otherwise `NotConfirmed`.
    async fn individual(&self, name: &str, seen: Option<&Seen>, listed: bool) -> Slot {
        let resource = self.client.doctype(self.doctype.clone());
        let docstatus = seen.map(|s| s.docstatus);
        let outcome = match (self.action, docstatus) {
            (BulkAction::Update, _) => {
                let reason = match seen {
                    None => "the document was not found",
                    Some(_) if listed => "Frappe answered it failed, without the error",
                    Some(_) => "no change seen; the update is not sent again",
                };
                return Slot::Failed(self.not_confirmed(name, reason));
            }
            // Gone, not in the list: the attempt answers why (NotFound, or the permission).
            (BulkAction::Submit, Some(0) | None) => resource.submit(name).await.map(drop),
            (BulkAction::Cancel, Some(1) | None) => resource.cancel(name).await.map(drop),
            (BulkAction::Delete, _) => match resource.delete(name).await {
                Err(Error::NotFound(_)) => Ok(()),
                other => other,
            },
            (_, Some(status)) => {
                return Slot::Failed(self.not_confirmed(name, format!("docstatus is {status}")));
            }
        };
        match outcome {
            Ok(()) => Slot::Individually,
            Err(e) => Slot::Failed(e),
        }
    }
}

fn pending_names(names: &[String], slots: &[Slot]) -> Vec<String> {
    names
        .iter()
        .zip(slots)
        .filter(|(_, s)| matches!(s, Slot::Pending))
        .map(|(n, _)| n.clone())
        .collect()
}

impl IntoFuture for BulkJob {
    type Output = Result<BulkReport>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Frappe's background bulk actions on documents of `D`: `.submit(names)`,
    /// `.cancel(names)` (submittable `D`), `.update(names, &changes)`, `.delete(names)`, each
    /// a [`BulkJob`] resolving to a [`BulkReport`]. See [the module](crate::bulk_job) for what
    /// is known and what is inferred. [`Resource::bulk`] is the untyped form.
    ///
    /// ```no_run
    /// # use frappe_runtime::Client;
    /// # #[derive(frappe_derive::Document, serde::Deserialize)] #[frappe(doctype = "ToDo")]
    /// # struct ToDo { name: String }
    /// # async fn demo(client: Client, names: Vec<String>) -> frappe_runtime::Result<()> {
    /// let report = client
    ///     .bulk::<ToDo>()
    ///     .delete(&names)
    ///     .on_progress(|p| eprintln!("{}/{}", p.done, p.total))
    ///     .await?;
    /// for (name, error) in &report.failed {
    ///     eprintln!("{name}: {error}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn bulk<D: Document>(&self) -> Bulk<D> {
        Bulk {
            client: self.clone(),
            doctype: D::DOCTYPE.to_owned(),
            check: self.check::<D>(),
            doc: PhantomData,
        }
    }
}

impl Resource {
    /// Frappe's background bulk actions on documents of this DocType (see [`Client::bulk`]).
    pub fn bulk(&self) -> Bulk<Row> {
        Bulk {
            client: self.client.clone(),
            doctype: self.doctype.clone(),
            check: None,
            doc: PhantomData,
        }
    }
}
