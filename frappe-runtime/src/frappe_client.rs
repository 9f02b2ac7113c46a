//! Helpers for the `frappe.client.*` whitelisted methods, from [`Client::frappe_client`].
//!
//! Each mirrors the server function of the same name, for code that wants that exact function
//! (e.g. `frappe.client.save` with its concurrency check on `modified`). Reads use `GET`
//! (retried on transient failures); writes use `POST` (never retried).
//!
//! The common operations have one obvious way each elsewhere: documents through
//! [`Client`] (typed) and [`Resource`](crate::Resource) (untyped), counting with
//! [`ListRequest::count`](crate::ListRequest::count) (which is `frappe.client.get_count` in v1),
//! bulk inserts with [`Client::insert_many`] / [`Resource::insert_many`](crate::Resource::insert_many)
//! (`frappe.client.insert_many`, chunked).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::client::{Client, without_position};
use crate::error::{Error, Result};
use crate::list::{Row, normalize_filters};

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
        let filters =
            match lookup.into() {
                // An empty name is not "no filter": Frappe would answer with whichever document
                // comes first.
                Lookup::Name(name) if name.is_empty() => {
                    return Err(Error::InvalidInput(format!(
                        "{doctype}: get_value needs a document name, got an empty one"
                    )));
                }
                Lookup::Name(name) => Value::String(name),
                Lookup::Filters(f) => Value::Array(normalize_filters(f).map_err(|e| {
                    Error::InvalidInput(format!("{doctype}: {}", e.input_message()))
                })?),
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
                            without_position(e.into_inner()),
                        );
                        Error::Decode(Box::new(crate::error::DecodeError {
                            method: "GET".into(),
                            path: "/api/method/frappe.client.get_value".into(),
                            json_path: mask.str(&json_path).into_owned(),
                            message: mask.str(&message).into_owned(),
                            excerpt,
                            doctype: Some(doctype.to_owned()),
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
