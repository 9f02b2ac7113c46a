//! Documents by name: get, insert, update, delete, submit, cancel, amend — typed on [`Client`]
//! (`client.get::<ToDo>(name)`) and untyped through [`Resource`] (`client.doctype("ToDo")`),
//! both over v1 `/api/resource/<DocType>/<name>`.
//!
//! DocType and document names go into the path percent-encoded, each as one segment, so names
//! with spaces, slashes or any Unicode work; an empty name, `.`, `..` or a name holding an ASCII
//! control character (which URL parsing would drop or treat as a path step, addressing another
//! document) is [`Error::InvalidInput`] before anything is sent. Updates are partial (`PUT` with only the given keys);
//! a child-table key replaces the whole table (rows matched by `name`, rows without `name`
//! inserted, rows left out deleted). Submit and cancel are `PUT {"docstatus": 1|2}`, which returns
//! the saved document in one round trip and, being idempotent, may be retried safely (a repeated
//! transition fails with a 417 rather than acting twice).

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::changes::{Changes, UpdateBody};
use crate::client::{Client, Request, check_segment};
use crate::document::{Document, Submittable};
use crate::error::{Error, Result};
use crate::link::Link;
use crate::list::{ListRequest, Row};
use crate::standard::{self, OnCopy};
use crate::validation::{Mode, Validation, ValidationError, validate};

/// Keys besides the standard fields that belong to one saved document and are left out of its
/// amendment: the link to the original (set anew below), what the server sends for the form
/// (`__onload`, `__unsaved`) and Frappe's `optional_fields` (tags, comments, assignments,
/// likes, views). Which standard fields are left out says [`standard::FIELDS`] (`on_copy`).
const OTHER_NOT_COPIED: &[&str] = &[
    "amended_from",
    "__onload",
    "__unsaved",
    "_user_tags",
    "_comments",
    "_assign",
    "_liked_by",
    "_seen",
];
/// The same for child rows.
const OTHER_ROW_NOT_COPIED: &[&str] = &["__unsaved"];

/// The keys an amendment leaves out of the document.
fn not_copied() -> impl Iterator<Item = &'static str> {
    standard::fields(false)
        .filter(|f| f.on_copy != OnCopy::Kept)
        .map(|f| f.name)
        .chain(OTHER_NOT_COPIED.iter().copied())
}

/// The keys an amendment leaves out of each child row.
fn row_not_copied() -> impl Iterator<Item = &'static str> {
    standard::fields(true)
        .filter(|f| f.on_copy == OnCopy::Dropped)
        .map(|f| f.name)
        .chain(OTHER_ROW_NOT_COPIED.iter().copied())
}

fn check_doctype(doctype: &str) -> Result<()> {
    if doctype.trim().is_empty() {
        return Err(Error::InvalidInput("the DocType name is empty".into()));
    }
    check_segment("the DocType name", doctype)
}

pub(crate) fn check_name(doctype: &str, name: &str) -> Result<()> {
    check_doctype(doctype)?;
    if name.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{doctype}: the document name is empty"
        )));
    }
    check_segment(&format!("{doctype}: the document name"), name)
}

pub(crate) fn object_body(doctype: &str, body: &impl Serialize) -> Result<Value> {
    let value = serde_json::to_value(body).map_err(|e| {
        Error::InvalidInput(format!("{doctype}: cannot serialize the document: {e}"))
    })?;
    if !value.is_object() {
        return Err(Error::InvalidInput(format!(
            "{doctype}: a document must serialize to a JSON object, got {}",
            kind(&value)
        )));
    }
    Ok(value)
}

/// `validate::<D>` for some `D`.
type Validate =
    fn(&Map<String, Value>, Mode, Validation) -> std::result::Result<(), ValidationError>;

/// A document type's checks over a body (`validate::<D>`, chosen where `D` is known) and how
/// much of them to run.
#[derive(Clone, Copy)]
pub(crate) struct Check {
    run: Validate,
    level: Validation,
}

impl Check {
    /// Runs the checks on the JSON object `map`.
    pub(crate) fn map(self, map: &Map<String, Value>, mode: Mode) -> Result<()> {
        (self.run)(map, mode, self.level).map_err(Error::from)
    }
}

/// Runs `check` on `body` (a JSON object, see [`object_body`]); its problems become
/// [`Error::Invalid`].
pub(crate) fn run_check(check: Option<Check>, body: &Value, mode: Mode) -> Result<()> {
    match (check, body) {
        (Some(check), Value::Object(map)) => check.map(map, mode),
        _ => Ok(()),
    }
}

/// `error` of the document at `index` of a bulk call: a validation error says which.
pub(crate) fn in_batch(error: Error, index: usize) -> Error {
    match error {
        Error::Invalid(mut e) => {
            e.document = Some(index);
            Error::Invalid(e)
        }
        other => other,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Client {
    /// Lists documents of `D`, requesting `D`'s column fields.
    pub fn list<D: Document>(&self) -> ListRequest<D> {
        ListRequest::new(
            self.clone(),
            D::DOCTYPE.to_owned(),
            D::IS_CHILD,
            Some(D::list_fields().into_iter().map(str::to_owned).collect()),
        )
    }

    /// The untyped handle of a DocType: documents as [`Row`]s (JSON objects).
    pub fn doctype(&self, doctype: impl Into<String>) -> Resource {
        Resource {
            client: self.clone(),
            doctype: doctype.into(),
        }
    }

    /// Fetches the document `name` of `D`.
    pub async fn get<D: Document + DeserializeOwned>(&self, name: &str) -> Result<D> {
        self.get_doc(D::DOCTYPE, name).await
    }

    /// Fetches a single DocType (`issingle`), whose document name is its DocType name.
    pub async fn get_single<D: Document + DeserializeOwned>(&self) -> Result<D> {
        self.get_doc(D::DOCTYPE, D::DOCTYPE).await
    }

    /// Inserts `doc`, a whole struct (`POST`, never retried), and returns the saved document
    /// with its name and defaults filled in.
    ///
    /// Every field of the struct is sent, including the never-null ones (Check, Int, Float,
    /// `docstatus`, `idx`) as `0`, which override the DocType's defaults, and the struct needs
    /// every mandatory field, even those the server would compute. To send only the fields you
    /// set, use [`create`](Self::create) with [`Changes`].
    pub async fn insert<D: Document + Serialize + DeserializeOwned>(&self, doc: &D) -> Result<D> {
        self.insert_doc(D::DOCTYPE, doc, self.check::<D>()).await
    }

    /// Inserts a new document of `D` made of only the fields set in `changes` (`POST`, never
    /// retried): the server fills in defaults, the naming series and computed fields. Returns
    /// the saved document.
    ///
    /// ```no_run
    /// # use frappe_runtime::{Changes, Client};
    /// # #[derive(frappe_derive::Document, serde::Deserialize)] #[frappe(doctype = "ToDo")]
    /// # struct ToDo { name: String, description: String }
    /// # async fn demo(client: Client) -> frappe_runtime::Result<()> {
    /// let todo = client
    ///     .create(&Changes::new().set(ToDo::description, "Write the report"))
    ///     .await?;
    /// println!("created {}", todo.name);
    /// # Ok(()) }
    /// ```
    pub async fn create<D: Document + DeserializeOwned>(&self, changes: &Changes<D>) -> Result<D> {
        self.insert_doc(D::DOCTYPE, changes, self.check::<D>())
            .await
    }

    /// Updates only the fields in `changes` and returns the saved document: typed
    /// [`Changes<D>`] (`Changes::new().set(ToDo::status, ToDoStatus::Closed)`), or untyped JSON
    /// (`json!({"status": "Closed"})`, a [`Row`]) for keys the types do not cover. A
    /// `Changes` of another DocType does not compile.
    ///
    /// A child-table key replaces the whole table (see [`Changes::rows`]): send every row to
    /// keep, with its `name`. Including `modified` turns on Frappe's optimistic concurrency check
    /// (`TimestampMismatchError` if the document changed since).
    pub async fn update<D: Document + DeserializeOwned>(
        &self,
        name: &str,
        changes: &impl UpdateBody<D>,
    ) -> Result<D> {
        self.update_doc(D::DOCTYPE, name, changes, self.check::<D>())
            .await
    }

    /// Deletes the document `name` of `D`.
    pub async fn delete<D: Document>(&self, name: &str) -> Result<()> {
        self.delete_doc(D::DOCTYPE, name).await
    }

    /// Submits a draft (`PUT {"docstatus": 1}`) and returns the submitted document.
    pub async fn submit<D: Submittable + DeserializeOwned>(&self, name: &str) -> Result<D> {
        self.update_doc(D::DOCTYPE, name, &serde_json::json!({"docstatus": 1}), None)
            .await
    }

    /// Cancels a submitted document (`PUT {"docstatus": 2}`) and returns it.
    pub async fn cancel<D: Submittable + DeserializeOwned>(&self, name: &str) -> Result<D> {
        self.update_doc(D::DOCTYPE, name, &serde_json::json!({"docstatus": 2}), None)
            .await
    }

    /// Amends a cancelled document: inserts a copy as a new draft with `amended_from = name`
    /// (Frappe names it `<name>-1`, `-2`, ...). The copy is made from the full document as the
    /// server returns it, so fields `D` does not declare are carried over too.
    pub async fn amend<D: Submittable + DeserializeOwned>(&self, name: &str) -> Result<D> {
        let original: Row = self.get_doc(D::DOCTYPE, name).await?;
        let copy = amendment(original, name);
        // A copy of a saved document: the server's own rules already passed it.
        self.insert_doc(D::DOCTYPE, &copy, None).await
    }

    /// Runs the whitelisted method `method` of the document `name` of `D` (v1
    /// `POST /api/resource/<dt>/<name>` with `run_method`; v2
    /// `POST /api/v2/document/<dt>/<name>/method/<method>`; never retried) and returns what it
    /// returned, decoded as `R`. `args` (a JSON object, or `()` for none) become the method's
    /// keyword arguments. [`Resource::run_doc_method`] is the untyped form.
    pub async fn run_doc_method<D: Document, R: DeserializeOwned>(
        &self,
        name: &str,
        method: &str,
        args: &impl Serialize,
    ) -> Result<R> {
        self.doc_method(D::DOCTYPE, name, method, args).await
    }

    pub(crate) async fn doc_method<R: DeserializeOwned>(
        &self,
        doctype: &str,
        name: &str,
        method: &str,
        args: &impl Serialize,
    ) -> Result<R> {
        check_name(doctype, name)?;
        if method.is_empty() {
            return Err(Error::InvalidInput(format!(
                "{doctype} {name}: the method name is empty"
            )));
        }
        check_segment(&format!("{doctype} {name}: the method name"), method)?;
        let args = match serde_json::to_value(args) {
            Ok(Value::Object(map)) => map,
            Ok(Value::Null) => serde_json::Map::new(),
            Ok(other) => {
                return Err(Error::InvalidInput(format!(
                    "{doctype}.{method}: arguments must be a JSON object, got {}",
                    kind(&other)
                )));
            }
            Err(e) => {
                return Err(Error::InvalidInput(format!(
                    "{doctype}.{method}: cannot serialize arguments: {e}"
                )));
            }
        };
        let req = self.api.doc_method_request(doctype, name, method, args)?;
        self.execute(&req).await?.data()
    }

    pub(crate) async fn get_doc<T: DeserializeOwned>(
        &self,
        doctype: &str,
        name: &str,
    ) -> Result<T> {
        check_name(doctype, name)?;
        let req = Request::new(Method::GET, self.api.document_path(doctype, Some(name)));
        self.execute(&req).await?.data()
    }

    /// `D`'s checks (see [`validation`](crate::validation)) when this handle validates.
    pub(crate) fn check<D: Document>(&self) -> Option<Check> {
        (self.validation != Validation::Off).then_some(Check {
            run: validate::<D>,
            level: self.validation,
        })
    }

    pub(crate) async fn insert_doc<T: DeserializeOwned>(
        &self,
        doctype: &str,
        doc: &impl Serialize,
        check: Option<Check>,
    ) -> Result<T> {
        check_doctype(doctype)?;
        let body = object_body(doctype, doc)?;
        run_check(check, &body, Mode::Create)?;
        let req = Request::new(Method::POST, self.api.document_path(doctype, None)).json(&body)?;
        self.execute(&req).await?.data()
    }

    pub(crate) async fn update_doc<T: DeserializeOwned>(
        &self,
        doctype: &str,
        name: &str,
        changes: &impl Serialize,
        check: Option<Check>,
    ) -> Result<T> {
        check_name(doctype, name)?;
        let body = object_body(doctype, changes)?;
        run_check(check, &body, Mode::Update)?;
        let req =
            Request::new(Method::PUT, self.api.document_path(doctype, Some(name))).json(&body)?;
        self.execute(&req).await?.data()
    }

    pub(crate) async fn delete_doc(&self, doctype: &str, name: &str) -> Result<()> {
        check_name(doctype, name)?;
        let req = Request::new(Method::DELETE, self.api.document_path(doctype, Some(name)));
        // 202 {"data": "ok"}; the value carries no information beyond the status.
        let _: Value = self.execute(&req).await?.data()?;
        Ok(())
    }
}

/// The new draft for amending `original` (named `name`).
fn amendment(mut original: Row, name: &str) -> Row {
    for key in not_copied() {
        original.remove(key);
    }
    for value in original.values_mut() {
        if let Value::Array(rows) = value {
            for row in rows.iter_mut() {
                if let Value::Object(row) = row {
                    for key in row_not_copied() {
                        row.remove(key);
                    }
                }
            }
        }
    }
    original.insert("amended_from".into(), Value::from(name));
    original.insert("docstatus".into(), Value::from(0));
    original
}

/// Untyped access to one DocType, from [`Client::doctype`]. Documents are [`Row`]s.
#[derive(Debug, Clone)]
pub struct Resource {
    pub(crate) client: Client,
    pub(crate) doctype: String,
}

impl Resource {
    /// The DocType this handle reads and writes.
    pub fn doctype(&self) -> &str {
        &self.doctype
    }

    /// Lists documents. Without [`ListRequest::fields`] Frappe returns only `name`; use
    /// `.fields(["*"])` for every column. Child tables need [`ListRequest::parent`].
    pub fn list(&self) -> ListRequest<Row> {
        ListRequest::new(self.client.clone(), self.doctype.clone(), false, None)
    }

    /// Lists documents decoded as `T` (any `DeserializeOwned`), e.g. a small ad-hoc struct.
    pub fn list_as<T>(&self) -> ListRequest<T> {
        ListRequest::new(self.client.clone(), self.doctype.clone(), false, None)
    }

    /// Fetches one document.
    pub async fn get(&self, name: &str) -> Result<Row> {
        self.client.get_doc(&self.doctype, name).await
    }

    /// Fetches one document decoded as `T`.
    pub async fn get_as<T: DeserializeOwned>(&self, name: &str) -> Result<T> {
        self.client.get_doc(&self.doctype, name).await
    }

    /// Inserts a document (any serializable object) and returns it as saved.
    pub async fn insert(&self, doc: &impl Serialize) -> Result<Row> {
        self.client.insert_doc(&self.doctype, doc, None).await
    }

    /// Updates only the given fields (see [`Client::update`] for child tables) and returns the
    /// saved document.
    pub async fn update(&self, name: &str, changes: &impl Serialize) -> Result<Row> {
        self.client
            .update_doc(&self.doctype, name, changes, None)
            .await
    }

    /// Deletes a document.
    pub async fn delete(&self, name: &str) -> Result<()> {
        self.client.delete_doc(&self.doctype, name).await
    }

    /// Submits a draft (`PUT {"docstatus": 1}`).
    pub async fn submit(&self, name: &str) -> Result<Row> {
        self.update(name, &serde_json::json!({"docstatus": 1}))
            .await
    }

    /// Cancels a submitted document (`PUT {"docstatus": 2}`).
    pub async fn cancel(&self, name: &str) -> Result<Row> {
        self.update(name, &serde_json::json!({"docstatus": 2}))
            .await
    }

    /// Amends a cancelled document (see [`Client::amend`]).
    pub async fn amend(&self, name: &str) -> Result<Row> {
        let original: Row = self.get(name).await?;
        self.insert(&amendment(original, name)).await
    }

    /// Runs the whitelisted method `method` of the document `name` and returns what it
    /// returned, decoded as `R` (see [`Client::run_doc_method`]).
    pub async fn run_doc_method<R: DeserializeOwned>(
        &self,
        name: &str,
        method: &str,
        args: &impl Serialize,
    ) -> Result<R> {
        self.client
            .doc_method(&self.doctype, name, method, args)
            .await
    }
}

impl<T: Document + DeserializeOwned> Link<T> {
    /// Fetches the linked document.
    pub async fn fetch(&self, client: &Client) -> Result<T> {
        client.get_doc(T::DOCTYPE, self.as_str()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amendment_strips_identity_and_links_back() {
        let original = json!({
            "name": "SINV-0001", "docstatus": 2, "owner": "a", "modified": "x", "idx": 0,
            "customer": "ACME", "amended_from": null,
            "items": [{"name": "row1", "parent": "SINV-0001", "parentfield": "items",
                       "parenttype": "Sales Invoice", "idx": 1, "item_code": "I", "docstatus": 2}]
        });
        let Value::Object(original) = original else {
            unreachable!()
        };
        let copy = Value::from(amendment(original.into(), "SINV-0001"));
        assert_eq!(
            copy,
            json!({
                "customer": "ACME", "amended_from": "SINV-0001", "docstatus": 0,
                "items": [{"parentfield": "items", "parenttype": "Sales Invoice", "idx": 1, "item_code": "I"}]
            })
        );
    }

    #[test]
    fn amendments_leave_out_the_standard_fields_the_table_says() {
        assert_eq!(
            not_copied().collect::<Vec<_>>(),
            [
                "name",
                "owner",
                "creation",
                "modified",
                "modified_by",
                "docstatus",
                "idx",
                "amended_from",
                "__onload",
                "__unsaved",
                "_user_tags",
                "_comments",
                "_assign",
                "_liked_by",
                "_seen",
            ]
        );
        // Rows keep `idx` (their order), `parentfield` and `parenttype`.
        assert_eq!(
            row_not_copied().collect::<Vec<_>>(),
            [
                "name",
                "owner",
                "creation",
                "modified",
                "modified_by",
                "docstatus",
                "parent",
                "__unsaved",
            ]
        );
    }

    #[test]
    fn bodies_must_be_objects() {
        let err = object_body("ToDo", &json!(["x"])).unwrap_err().to_string();
        assert!(err.contains("ToDo") && err.contains("an array"), "{err}");
        assert!(object_body("ToDo", &json!({"a": 1})).is_ok());
    }

    #[test]
    fn empty_names_are_rejected() {
        assert!(
            check_name("ToDo", "")
                .unwrap_err()
                .to_string()
                .contains("ToDo")
        );
        assert!(check_name(" ", "x").is_err());
    }
}
