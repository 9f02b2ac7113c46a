//! Bulk inserts with `frappe.client.insert_many`: [`Client::insert_many`] (typed) and
//! [`Resource::insert_many`] (untyped).
//!
//! Frappe refuses more than [`INSERT_MANY_CHUNK`] documents per call, so the documents go in
//! chunks of that size, each one `POST` (never retried). Every document is serialized before
//! the first chunk is sent, so a bad one fails with nothing inserted. A chunk must be answered
//! with one name per document, in order ([`InsertMismatch`] otherwise); a chunk that fails
//! after earlier ones went in is [`Error::PartialInsert`], listing the names inserted.

use serde::Serialize;
use serde_json::Value;

use crate::changes::InsertBody;
use crate::client::Client;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::resource::Resource;

/// Frappe's per-request cap of `frappe.client.insert_many`.
pub const INSERT_MANY_CHUNK: usize = 200;

/// One `insert_many` chunk was answered with a different number of names than it sent
/// documents: carried by [`Error::InsertMismatch`].
///
/// Frappe's `insert_many` inserts a chunk in one transaction and answers one name per document,
/// in order; any other count (a proxy, an app overriding the method) means the names cannot be
/// matched to the documents. The server reported success, so the chunk's documents were most
/// likely inserted: check `answered` before inserting them again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "insert_many: chunk #{chunk} (documents {}..{}) was answered with {} names for {} documents; \
     the {} names before it are confirmed",
    documents.start,
    documents.end,
    answered.len(),
    documents.len(),
    inserted.len()
)]
#[non_exhaustive]
pub struct InsertMismatch {
    /// Index of the chunk (0 for the first [`INSERT_MANY_CHUNK`] documents).
    pub chunk: usize,
    /// Indices (into the slice given to `insert_many`) of the chunk's documents.
    pub documents: std::ops::Range<usize>,
    /// The names the server answered for the chunk, as received (not matched to documents).
    pub answered: Vec<String>,
    /// The names of the documents before the chunk, in order: `inserted[i]` is document `i`.
    pub inserted: Vec<String>,
}

impl Client {
    /// Inserts many new documents of `D` with `frappe.client.insert_many` (`POST`, never
    /// retried), [`INSERT_MANY_CHUNK`] per request, and returns their names in order. Each
    /// document is a [`Changes<D>`](crate::Changes) (only the fields set; the server fills in
    /// defaults) or a whole `D`; the DocType comes from `D`. [`Resource::insert_many`] is the
    /// untyped form. If a chunk fails after earlier
    /// chunks went in, [`Error::PartialInsert`] lists the names already inserted; a chunk
    /// answered with the wrong number of names is [`Error::InsertMismatch`].
    ///
    /// ```no_run
    /// # use frappe_runtime::{Changes, Client};
    /// # #[derive(frappe_derive::Document, serde::Deserialize)] #[frappe(doctype = "ToDo")]
    /// # struct ToDo { name: String, description: String }
    /// # async fn demo(client: Client) -> frappe_runtime::Result<()> {
    /// let todos: Vec<Changes<ToDo>> = (1..=3)
    ///     .map(|i| Changes::new().set(ToDo::description, format!("Task {i}")))
    ///     .collect();
    /// let names = client.insert_many(&todos).await?;
    /// # let _ = names; Ok(()) }
    /// ```
    pub async fn insert_many<D: Document>(
        &self,
        docs: &[impl InsertBody<D>],
    ) -> Result<Vec<String>> {
        insert_many(self, D::DOCTYPE, docs).await
    }
}

impl Resource {
    /// Inserts many new documents of this DocType with `frappe.client.insert_many` (`POST`,
    /// never retried), [`INSERT_MANY_CHUNK`] per request, and returns their names in order
    /// (`names[i]` is `docs[i]`'s). Each document is any value serializing to a JSON object;
    /// `doctype` is set to this DocType where missing. Errors as [`Client::insert_many`].
    pub async fn insert_many(&self, docs: &[impl Serialize]) -> Result<Vec<String>> {
        insert_many(&self.client, &self.doctype, docs).await
    }
}

/// The chunked `insert_many` of `docs` into `doctype`.
async fn insert_many(
    client: &Client,
    doctype: &str,
    docs: &[impl Serialize],
) -> Result<Vec<String>> {
    let mut prepared = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        match serde_json::to_value(doc) {
            Ok(Value::Object(mut map)) => {
                map.entry("doctype").or_insert_with(|| Value::from(doctype));
                prepared.push(Value::Object(map));
            }
            Ok(_) => {
                return Err(Error::InvalidInput(format!(
                    "{doctype}: insert_many document #{i} is not a JSON object"
                )));
            }
            Err(e) => {
                return Err(Error::InvalidInput(format!(
                    "{doctype}: insert_many document #{i} cannot be serialized: {e}"
                )));
            }
        }
    }
    let mut names = Vec::with_capacity(prepared.len());
    // Every document was serialized above, so a bad one fails before anything is sent.
    // Chunks are then moved (not copied) into their requests, and freed once sent.
    let mut rest = prepared.into_iter();
    for index in 0.. {
        let chunk: Vec<Value> = rest.by_ref().take(INSERT_MANY_CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let documents = names.len()..names.len() + chunk.len();
        let result: Result<Vec<String>> = client
            .call("frappe.client.insert_many")
            .arg_value("docs", Value::Array(chunk))
            .post()
            .await;
        match result {
            Ok(answered) if answered.len() != documents.len() => {
                return Err(Error::InsertMismatch(Box::new(InsertMismatch {
                    chunk: index,
                    documents,
                    answered,
                    inserted: names,
                })));
            }
            Ok(answered) => names.extend(answered),
            Err(e) if names.is_empty() => return Err(e),
            Err(e) => {
                return Err(Error::PartialInsert {
                    inserted: names,
                    source: Box::new(e),
                });
            }
        }
    }
    Ok(names)
}
