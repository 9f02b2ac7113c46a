//! [`FrappeClient`]: the blocking form of [`crate::FrappeClient`] (the `frappe.client.*`
//! helpers).

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Client;
use crate::error::Result;
use crate::frappe_client::Lookup;
use crate::list::Row;

/// `frappe.client.*` helpers, from [`Client::frappe_client`]; the blocking form of
/// [`crate::FrappeClient`].
#[derive(Debug, Clone, Copy)]
pub struct FrappeClient<'a> {
    client: &'a Client,
}

impl<'a> FrappeClient<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    fn inner(&self) -> crate::FrappeClient<'a> {
        self.client.inner.frappe_client()
    }

    /// See [`crate::FrappeClient::get_value`].
    pub fn get_value<R: DeserializeOwned>(
        &self,
        doctype: &str,
        fields: &[&str],
        lookup: impl Into<Lookup>,
    ) -> Result<Option<R>> {
        self.client
            .run(self.inner().get_value::<R>(doctype, fields, lookup))
    }

    /// See [`crate::FrappeClient::set_value`].
    pub fn set_value(
        &self,
        doctype: &str,
        name: &str,
        field: &str,
        value: impl Serialize,
    ) -> Result<Row> {
        self.client
            .run(self.inner().set_value(doctype, name, field, value))
    }

    /// See [`crate::FrappeClient::set_values`].
    pub fn set_values(&self, doctype: &str, name: &str, values: &impl Serialize) -> Result<Row> {
        self.client
            .run(self.inner().set_values(doctype, name, values))
    }

    /// See [`crate::FrappeClient::get`].
    pub fn get(&self, doctype: &str, name: Option<&str>) -> Result<Row> {
        self.client.run(self.inner().get(doctype, name))
    }

    /// See [`crate::FrappeClient::save`].
    pub fn save(&self, doc: &impl Serialize) -> Result<Row> {
        self.client.run(self.inner().save(doc))
    }

    /// See [`crate::FrappeClient::insert`].
    pub fn insert(&self, doc: &impl Serialize) -> Result<Row> {
        self.client.run(self.inner().insert(doc))
    }

    /// See [`crate::FrappeClient::submit`].
    pub fn submit(&self, doc: &impl Serialize) -> Result<Row> {
        self.client.run(self.inner().submit(doc))
    }

    /// See [`crate::FrappeClient::cancel`].
    pub fn cancel(&self, doctype: &str, name: &str) -> Result<Row> {
        self.client.run(self.inner().cancel(doctype, name))
    }

    /// See [`crate::FrappeClient::rename_doc`].
    pub fn rename_doc(
        &self,
        doctype: &str,
        old_name: &str,
        new_name: &str,
        merge: bool,
    ) -> Result<String> {
        self.client
            .run(self.inner().rename_doc(doctype, old_name, new_name, merge))
    }

    /// See [`crate::FrappeClient::delete`].
    pub fn delete(&self, doctype: &str, name: &str) -> Result<()> {
        self.client.run(self.inner().delete(doctype, name))
    }
}
