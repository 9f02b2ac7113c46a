//! Helpers for the `frappe.client.*` whitelisted methods, from [`Client::frappe_client`].
//!
//! Each mirrors the server function of the same name. Reads use `GET` (retried on transient
//! failures); writes use `POST` (never retried). `insert_many` sends at most
//! [`INSERT_MANY_CHUNK`] documents per request, because Frappe refuses more, and checks that
//! each chunk is answered with one name per document ([`InsertMismatch`] otherwise).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::changes::InsertBody;
use crate::client::Client;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::list::{Row, normalize_filters};

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

/// `frappe.client.*` helpers; see [`Client::frappe_client`].
#[derive(Debug, Clone, Copy)]
pub struct FrappeClient<'a> {
    client: &'a Client,
}

/// Which document(s) a `get_value` looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// The document with this name.
    Name(String),
    /// The first document matching these filters (any form [`ListRequest::filter`](crate::ListRequest::filter)
    /// accepts as raw JSON).
    Filters(Value),
}

impl From<&str> for Lookup {
    fn from(name: &str) -> Self {
        Self::Name(name.to_owned())
    }
}

impl From<String> for Lookup {
    fn from(name: String) -> Self {
        Self::Name(name)
    }
}

impl From<Value> for Lookup {
    fn from(filters: Value) -> Self {
        Self::Filters(filters)
    }
}

impl Client {
    /// The `frappe.client.*` helpers.
    pub fn frappe_client(&self) -> FrappeClient<'_> {
        FrappeClient { client: self }
    }

    /// Inserts many new documents of `D` with `frappe.client.insert_many` (`POST`, never
    /// retried), [`INSERT_MANY_CHUNK`] per request, and returns their names in order. Each
    /// document is a [`Changes<D>`](crate::Changes) (only the fields set; the server fills in
    /// defaults) or a whole `D`; the DocType comes from `D`. If a chunk fails after earlier
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
        self.frappe_client().insert_many(D::DOCTYPE, docs).await
    }
}

impl FrappeClient<'_> {
    /// `get_value`: the given fields of one document, decoded as `R` (e.g. a small struct or
    /// [`Row`]); `None` when nothing matches.
    pub async fn get_value<R: DeserializeOwned>(
        &self,
        doctype: &str,
        fields: &[&str],
        lookup: impl Into<Lookup>,
    ) -> Result<Option<R>> {
        if fields.is_empty() {
            return Err(Error::InvalidInput(format!(
                "{doctype}: get_value needs at least one field"
            )));
        }
        let filters = match lookup.into() {
            // An empty name is not "no filter": Frappe would answer with whichever document
            // comes first.
            Lookup::Name(name) if name.is_empty() => {
                return Err(Error::InvalidInput(format!(
                    "{doctype}: get_value needs a document name, got an empty one"
                )));
            }
            Lookup::Name(name) => Value::String(name),
            Lookup::Filters(f) => Value::Array(
                normalize_filters(f).map_err(|e| Error::InvalidInput(format!("{doctype}: {e}")))?,
            ),
        };
        let message: Value = self
            .client
            .call("frappe.client.get_value")
            .arg("doctype", doctype)
            .arg("fieldname", fields)
            .arg("filters", filters)
            .get()
            .await?;
        match message {
            Value::Null => Ok(None),
            Value::Object(m) if m.is_empty() => Ok(None),
            other => {
                // Server text going into an error: the client's own secrets are masked.
                let mask = self.client.inner.session.mask();
                let excerpt =
                    crate::api_error::excerpt_text(other.to_string().as_bytes(), 200, &mask);
                serde_path_to_error::deserialize(other)
                    .map(Some)
                    .map_err(|e| {
                        let json_path = format!("message.{}", e.path());
                        let message = crate::api_error::redact_decode_message(
                            &e.path().to_string(),
                            e.into_inner().to_string(),
                        );
                        Error::Decode(Box::new(crate::error::DecodeError {
                            method: "GET".into(),
                            path: "/api/method/frappe.client.get_value".into(),
                            json_path: mask.str(&json_path).into_owned(),
                            message: mask.str(&message).into_owned(),
                            excerpt,
                        }))
                    })
            }
        }
    }

    /// `set_value`: sets one field and returns the saved document.
    pub async fn set_value(
        &self,
        doctype: &str,
        name: &str,
        field: &str,
        value: impl Serialize,
    ) -> Result<Row> {
        self.client
            .call("frappe.client.set_value")
            .arg("doctype", doctype)
            .arg("name", name)
            .arg("fieldname", field)
            .arg("value", value)
            .post()
            .await
    }

    /// `set_value` with several fields at once (`fieldname` as a dict).
    pub async fn set_values(
        &self,
        doctype: &str,
        name: &str,
        values: &impl Serialize,
    ) -> Result<Row> {
        self.client
            .call("frappe.client.set_value")
            .arg("doctype", doctype)
            .arg("name", name)
            .arg("fieldname", values)
            .post()
            .await
    }

    /// `get_count`. Note: Frappe 15.44 does not check read permission here.
    pub async fn get_count(&self, doctype: &str, filters: Option<Value>) -> Result<u64> {
        let mut call = self
            .client
            .call("frappe.client.get_count")
            .arg("doctype", doctype);
        if let Some(f) = filters {
            let f =
                normalize_filters(f).map_err(|e| Error::InvalidInput(format!("{doctype}: {e}")))?;
            call = call.arg("filters", f);
        }
        call.get().await
    }

    /// `insert_many`: inserts `docs` (each a JSON object; `doctype` is set to `doctype` where
    /// missing) in chunks of [`INSERT_MANY_CHUNK`], returning the new names in order
    /// (`names[i]` is `docs[i]`'s). If a chunk fails, [`Error::PartialInsert`] lists the names
    /// already inserted; if one is answered with a different number of names than it sent
    /// documents, [`Error::InsertMismatch`] names the chunk and stops there.
    pub async fn insert_many(&self, doctype: &str, docs: &[impl Serialize]) -> Result<Vec<String>> {
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
            let result: Result<Vec<String>> = self
                .client
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

    /// `get`: one document (`name` `None` for a single DocType).
    pub async fn get(&self, doctype: &str, name: Option<&str>) -> Result<Row> {
        let mut call = self
            .client
            .call("frappe.client.get")
            .arg("doctype", doctype);
        if let Some(name) = name {
            call = call.arg("name", name);
        }
        call.get().await
    }

    /// `save`: saves the document given in full (with `doctype`, `name` and, for the
    /// concurrency check, `modified`) and returns it.
    pub async fn save(&self, doc: &impl Serialize) -> Result<Row> {
        self.client
            .call("frappe.client.save")
            .arg("doc", doc)
            .post()
            .await
    }

    /// `insert`: inserts one document (`doc` must carry `doctype`; child rows need `parent`,
    /// `parenttype`, `parentfield`).
    pub async fn insert(&self, doc: &impl Serialize) -> Result<Row> {
        self.client
            .call("frappe.client.insert")
            .arg("doc", doc)
            .post()
            .await
    }

    /// `submit`: submits the document given in full (with `doctype`, `name` and `modified`).
    pub async fn submit(&self, doc: &impl Serialize) -> Result<Row> {
        self.client
            .call("frappe.client.submit")
            .arg("doc", doc)
            .post()
            .await
    }

    /// `cancel`: cancels a submitted document and returns it.
    pub async fn cancel(&self, doctype: &str, name: &str) -> Result<Row> {
        self.client
            .call("frappe.client.cancel")
            .args(json!({"doctype": doctype, "name": name}))
            .post()
            .await
    }

    /// `rename_doc`: renames (or, with `merge`, merges into an existing document) and returns the
    /// new name.
    pub async fn rename_doc(
        &self,
        doctype: &str,
        old_name: &str,
        new_name: &str,
        merge: bool,
    ) -> Result<String> {
        let mut call = self
            .client
            .call("frappe.client.rename_doc")
            .args(json!({"doctype": doctype, "old_name": old_name, "new_name": new_name}));
        if merge {
            call = call.arg("merge", true);
        }
        call.post().await
    }

    /// `delete`: deletes a document (child rows too, through their parent).
    pub async fn delete(&self, doctype: &str, name: &str) -> Result<()> {
        self.client
            .call("frappe.client.delete")
            .args(json!({"doctype": doctype, "name": name}))
            .post()
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn get_value_refuses_an_empty_name_before_sending() {
        // Nothing listens on port 9: only a check before sending gives InvalidInput.
        let client = Client::builder("http://127.0.0.1:9").build().unwrap();
        let err = client
            .frappe_client()
            .get_value::<Row>("ToDo", &["status"], "")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.contains("ToDo")),
            "{err:?}"
        );
    }
}
