//! [`ListRequest`]: listing documents (`GET /api/resource/<DocType>`), counting them, and paging
//! through them as a [`Stream`](futures_util::Stream).
//!
//! Query encoding follows Frappe v1: `fields`, `filters` and `or_filters` are JSON in the query
//! string (filters in list-of-lists form), `order_by` / `group_by` are plain strings,
//! `limit_start` is the offset and `limit_page_length` the page size (`0` = all rows). Without
//! [`ListRequest::limit`], `send` sends no page length and Frappe returns its default of 20 rows.
//!
//! Paging policy ([`ListRequest::stream`]): v15 applies no ORDER BY unless asked, so every page
//! request carries an explicit order that ends in the unique key `name`. The default order is
//! `creation asc, name asc` — oldest first, so documents inserted while the stream runs land after
//! the pages already read instead of shifting them. A caller's order that does not end in `name`
//! gets `name` appended in the direction of its last key. (Offset paging cannot be fully stable
//! under concurrent deletes; a document deleted behind the cursor shifts the rest by one.
//! [`ListRequest::keyset`] pages by name instead: stable, and as fast on the last page as on
//! the first.)
//!
//! The rows of every list response are decoded while it arrives (`client/arriving.rs`), so that
//! little is left to decode when its last byte is in. A v1 list whose fields are plain names asks
//! for its rows as lists of values (`as_dict=0`, half the bytes) and reads each as the object of
//! those fields (`compact.rs`, [`ClientBuilder::compact_rows`](crate::ClientBuilder::compact_rows)).
//!
//! Feature `client` (on by default).

mod args;
pub(crate) mod compact;
mod paging;

use std::marker::PhantomData;
use std::sync::Arc;

use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::{ApiVersion, Client, Request};
use crate::error::{Error, Result};

pub use args::{IntoFilters, IntoOrderBy};
// The test site reads dict filters as the client writes them.
#[cfg(feature = "testing")]
pub(crate) use args::dict_filters;
pub(crate) use args::normalize_filters;

/// Default page size of [`ListRequest::stream`].
pub const DEFAULT_PAGE_SIZE: u64 = 500;

pub use crate::row::Row;

/// A list query, built by [`Client::list`] (typed) or [`Resource::list`](crate::Resource::list)
/// (untyped, rows are [`Row`]); finished by [`send`](Self::send), [`send_rows`](Self::send_rows),
/// [`count`](Self::count), [`first`](Self::first) or [`stream`](Self::stream).
#[must_use = "a list request does nothing until sent"]
pub struct ListRequest<D> {
    pub(crate) client: Client,
    pub(crate) doctype: String,
    pub(crate) is_child: bool,
    pub(crate) fields: Option<Vec<String>>,
    pub(crate) filters: Vec<Value>,
    pub(crate) or_filters: Vec<Value>,
    pub(crate) order_by: Vec<String>,
    pub(crate) group_by: Option<String>,
    pub(crate) start: u64,
    pub(crate) limit: Option<u64>,
    pub(crate) page_size: u64,
    /// [`stream`](Self::stream) pages by name instead of by offset.
    pub(crate) keyset: bool,
    pub(crate) parent: Option<String>,
    /// The first invalid input, reported when the request is sent.
    pub(crate) invalid: Option<String>,
    pub(crate) doc: PhantomData<fn() -> D>,
}

impl<D> std::fmt::Debug for ListRequest<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListRequest")
            .field("doctype", &self.doctype)
            .field("fields", &self.fields)
            .field("filters", &self.filters)
            .field("or_filters", &self.or_filters)
            .field("order_by", &self.order_by)
            .field("group_by", &self.group_by)
            .field("start", &self.start)
            .field("limit", &self.limit)
            .field("parent", &self.parent)
            .finish_non_exhaustive()
    }
}

impl<D> Clone for ListRequest<D> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            doctype: self.doctype.clone(),
            is_child: self.is_child,
            fields: self.fields.clone(),
            filters: self.filters.clone(),
            or_filters: self.or_filters.clone(),
            order_by: self.order_by.clone(),
            group_by: self.group_by.clone(),
            start: self.start,
            limit: self.limit,
            page_size: self.page_size,
            keyset: self.keyset,
            parent: self.parent.clone(),
            invalid: self.invalid.clone(),
            doc: PhantomData,
        }
    }
}

impl<D> ListRequest<D> {
    pub(crate) fn new(
        client: Client,
        doctype: String,
        is_child: bool,
        fields: Option<Vec<String>>,
    ) -> Self {
        Self {
            client,
            doctype,
            is_child,
            fields,
            filters: Vec::new(),
            or_filters: Vec::new(),
            order_by: Vec::new(),
            group_by: None,
            start: 0,
            limit: None,
            page_size: DEFAULT_PAGE_SIZE,
            keyset: false,
            parent: None,
            invalid: None,
            doc: PhantomData,
        }
    }

    /// The DocType being listed.
    pub fn doctype(&self) -> &str {
        &self.doctype
    }

    /// Adds AND-ed conditions (`filters=`).
    pub fn filter(mut self, filter: impl IntoFilters<D>) -> Self {
        match filter.into_filters() {
            Ok(f) => self.filters.extend(f),
            Err(e) => self.invalid(format!("filter: {}", e.input_message())),
        }
        self
    }

    /// Adds conditions to the any-of group (`or_filters=`): a row matches if it meets all
    /// [`filter`](Self::filter)s and at least one `or_filter`.
    pub fn or_filter(mut self, filter: impl IntoFilters<D>) -> Self {
        match filter.into_filters() {
            Ok(f) => self.or_filters.extend(f),
            Err(e) => self.invalid(format!("or_filter: {}", e.input_message())),
        }
        self
    }

    /// Adds an order key; call again for secondary keys.
    pub fn order_by(mut self, key: impl IntoOrderBy<D>) -> Self {
        let key = key.into_order_by();
        if key.trim().is_empty() {
            self.invalid("order_by: empty clause".to_owned());
        } else {
            self.order_by.push(key);
        }
        self
    }

    /// Replaces the requested fields (`fields=`). Typed lists default to the struct's column
    /// fields; untyped lists default to Frappe's `["name"]`. `"*"`, `"field as alias"`,
    /// `"child_table.field"` and aggregates such as `"count(name) as n"` are passed through.
    pub fn fields<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        let fields: Vec<String> = fields.into_iter().map(Into::into).collect();
        if fields.is_empty() {
            self.invalid("fields: the list is empty".to_owned());
        }
        self.fields = Some(fields);
        self
    }

    /// `group_by=`, e.g. `"status"` together with `fields(["status", "count(name) as n"])`.
    pub fn group_by(mut self, group_by: impl Into<String>) -> Self {
        let group_by = group_by.into();
        if group_by.trim().is_empty() {
            // Frappe ignores an empty group_by: the rows would come back ungrouped.
            self.invalid("group_by: empty clause".to_owned());
        }
        self.group_by = Some(group_by);
        self
    }

    /// The maximum number of rows (`limit_page_length`; `0` = all). For
    /// [`stream`](Self::stream) it caps the total number of items.
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Every row (`limit_page_length=0`). Prefer [`stream`](Self::stream) for large tables.
    pub fn all(self) -> Self {
        self.limit(0)
    }

    /// Skips the first `start` rows (`limit_start`).
    pub fn start(mut self, start: u64) -> Self {
        self.start = start;
        self
    }

    /// Rows per request for [`stream`](Self::stream) (default [`DEFAULT_PAGE_SIZE`]; `0` is
    /// treated as 1).
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = page_size.max(1);
        self
    }

    /// Makes [`stream`](Self::stream) page by key instead of by offset: ordered by `name`,
    /// each page asks for the rows whose name comes after the last one read (`name > last`,
    /// or `<` for `order_by("name desc")`), with no `limit_start`.
    ///
    /// Offset paging costs the database the skipped rows on every page and shifts rows under
    /// concurrent deletes (one deleted behind the cursor and a row is never read); keyset pages
    /// cost the same whatever their depth and read every row that exists throughout exactly once,
    /// whatever is inserted or deleted meanwhile. The price: the order is the name's (use it
    /// for exports and syncs that need every row, not for a display order). The rows must carry
    /// `name` (typed lists do; an untyped list's default fields are `["name"]`).
    ///
    /// Refused when sent (with [`Error::InvalidInput`]) together with an order other than
    /// `name asc` / `name desc`, with [`group_by`](Self::group_by) or [`start`](Self::start),
    /// or with [`fields`](Self::fields) that leave out `name`, and by the one-request finishers
    /// ([`send`](Self::send), [`send_rows`](Self::send_rows), [`first`](Self::first)); like
    /// every paging setting it does not change [`count`](Self::count).
    pub fn keyset(mut self) -> Self {
        self.keyset = true;
        self
    }

    /// The parent DocType, required when listing a child table (`parent=`).
    pub fn parent(mut self, parent_doctype: impl Into<String>) -> Self {
        self.parent = Some(parent_doctype.into());
        self
    }

    fn invalid(&mut self, message: String) {
        self.invalid
            .get_or_insert_with(|| format!("{}: {message}", self.doctype));
    }

    pub(crate) fn check(&self) -> Result<()> {
        if let Some(msg) = &self.invalid {
            return Err(Error::InvalidInput(msg.clone()));
        }
        if self.doctype.trim().is_empty() {
            return Err(Error::InvalidInput(
                "list: the DocType name is empty".into(),
            ));
        }
        crate::client::check_segment("list: the DocType name", &self.doctype)?;
        if self.is_child && self.parent.is_none() {
            return Err(Error::InvalidInput(format!(
                "{} is a child table: listing it needs .parent(\"<parent DocType>\")",
                self.doctype
            )));
        }
        Ok(())
    }

    /// [`check`](Self::check) for the finishers that send one request: [`keyset`](Self::keyset)
    /// only means something to [`stream`](Self::stream), and is not dropped silently.
    fn check_one_request(&self) -> Result<()> {
        self.check()?;
        if self.keyset {
            return Err(Error::InvalidInput(format!(
                "{}: keyset() pages stream(); send(), send_rows() and first() make one request",
                self.doctype
            )));
        }
        Ok(())
    }

    /// The query parameters for one request; `page` overrides start/limit/order for paging.
    pub(crate) fn query(&self, page: Option<(u64, u64, &[String])>) -> Vec<(String, String)> {
        self.query_for(self.client.api, page)
    }

    /// [`query`](Self::query) with the page parameters of `api` (the report view, a v1 route,
    /// takes v1's whatever the client's version).
    pub(crate) fn query_for(
        &self,
        api: ApiVersion,
        page: Option<(u64, u64, &[String])>,
    ) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = Vec::new();
        if let Some(fields) = &self.fields {
            q.push(("fields".into(), json(fields)));
        }
        if !self.filters.is_empty() {
            q.push(("filters".into(), json(&self.filters)));
        }
        if !self.or_filters.is_empty() {
            q.push(("or_filters".into(), json(&self.or_filters)));
        }
        let (start, limit, order): (u64, Option<u64>, &[String]) = match page {
            Some((start, len, order)) => (start, Some(len), order),
            None => (self.start, self.limit, &self.order_by),
        };
        if !order.is_empty() {
            q.push(("order_by".into(), order.join(", ")));
        }
        if let Some(g) = &self.group_by {
            q.push(("group_by".into(), g.clone()));
        }
        q.extend(api.page_params(start, limit));
        if let Some(p) = &self.parent {
            q.push(("parent".into(), p.clone()));
        }
        q
    }

    fn request(&self, query: Vec<(String, String)>) -> Request {
        Self::page_request(&self.client, &self.doctype, query)
    }

    /// Makes `query` ask for compact rows (`as_dict=0`) when this list's fields allow it
    /// (`compact.rs`; v1 only, and unless the client turned them off); their columns.
    pub(crate) fn compact(&self, query: &mut Vec<(String, String)>) -> Option<Arc<[String]>> {
        // Not with `group_by`: on Postgres Frappe adds a column for the order then.
        let columns = match self.client.api {
            ApiVersion::V1 if self.client.inner.compact_rows && self.group_by.is_none() => {
                compact::columns(self.fields.as_deref())
                    .filter(|c| !self.client.misaligned(&self.doctype, c))
            }
            _ => None,
        };
        if columns.is_some() {
            query.push(("as_dict".into(), "0".into()));
        }
        columns
    }

    /// The list request of `doctype` with this query.
    fn page_request(client: &Client, doctype: &str, query: Vec<(String, String)>) -> Request {
        let mut req = Request::new(Method::GET, client.api.document_path(doctype, None));
        req.query = query;
        req
    }

    /// The rows as lists of values in `fields` order (`as_dict=0`): compact for wide exports.
    /// Frappe leaves out a field whose name contains `_assign`, `_comments`, `_liked_by`,
    /// `_seen` or `_user_tags` when the table lacks that column (Note has no `_seen`), and a
    /// field above the user's permission level: the lists are then shorter than `fields`.
    /// ([`send`](Self::send) reads lists of values as objects of the fields, and asks again for
    /// objects when they do not line up.)
    pub async fn send_rows(self) -> Result<Vec<Vec<Value>>> {
        self.check_one_request()?;
        let mut query = self.query(None);
        query.push(("as_dict".into(), "0".into()));
        Ok(self
            .client
            .list_rows(&self.request(query), None)
            .await?
            .rows)
    }

    /// How many documents match the filters. Fields, order and paging do not apply.
    ///
    /// v1: `frappe.client.get_count`; with `or_filters` or `parent`, which `get_count` does not
    /// take, an aggregate list query (`count(name)`) instead. Note: in Frappe 15.44 `get_count`
    /// does not check read permission, the aggregate list does. v2: `/api/v2/doctype/<dt>/count`
    /// (permission-checked), or the aggregate list when a `parent` is set.
    pub async fn count(self) -> Result<u64> {
        self.check()?;
        if self.group_by.is_some() {
            return Err(Error::InvalidInput(format!(
                "{}: count() with group_by is ambiguous; list with fields([\"count(name) as n\"]) instead",
                self.doctype
            )));
        }
        let filters = (!self.filters.is_empty()).then(|| json(&self.filters));
        let or_filters = (!self.or_filters.is_empty()).then(|| json(&self.or_filters));
        let route = self.client.api.count_request(
            &self.doctype,
            filters,
            or_filters,
            self.parent.is_some(),
        );
        if let Some((req, envelope)) = route {
            return self.client.execute(&req).await?.decode(envelope);
        }
        #[derive(Deserialize)]
        struct Count {
            count: u64,
        }
        let probe = self.count_probe();
        let rows: Vec<Count> = self
            .client
            .execute(&probe.request(probe.query(None)))
            .await?
            .data()?;
        Ok(rows.first().map_or(0, |c| c.count))
    }
}

impl<D> ListRequest<D> {
    /// The aggregate list query behind [`count`](Self::count): the same filters and parent, one
    /// `count(name)` row. Order and paging are dropped — with `limit_start` the single aggregate
    /// row would be skipped and the count read as 0.
    fn count_probe(&self) -> Self {
        let mut probe = self.clone();
        probe.fields = Some(vec!["count(name) as count".into()]);
        probe.order_by.clear();
        probe.start = 0;
        probe.limit = None;
        probe
    }
}

impl<D: DeserializeOwned> ListRequest<D> {
    /// Runs the query: one request, the rows decoded as `D`. Without [`limit`](Self::limit)
    /// Frappe returns at most 20 rows; use [`all`](Self::all) or [`stream`](Self::stream) for
    /// more.
    pub async fn send(self) -> Result<Vec<D>> {
        self.check_one_request()?;
        let mut query = self.query(None);
        let columns = self.compact(&mut query);
        Ok(self
            .client
            .list_rows(&self.request(query), columns)
            .await?
            .rows)
    }

    /// The first matching row, if any (`limit_page_length=1`).
    pub async fn first(self) -> Result<Option<D>> {
        Ok(self.limit(1).send().await?.into_iter().next())
    }
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Serializing Vec<String> / Vec<Value> cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn client() -> Client {
        Client::builder("http://127.0.0.1:9").build().unwrap()
    }

    fn req() -> ListRequest<Row> {
        ListRequest::new(client(), "ToDo".into(), false, None)
    }

    #[test]
    fn query_encoding() {
        let q = req()
            .fields(["name", "status"])
            .filter(json!(["status", "=", "Open"]))
            .or_filter(json!({"priority": ["in", ["High", "Medium"]], "owner": "a@b"}))
            .order_by("creation asc")
            .start(10)
            .limit(0)
            .query(None);
        let expected = vec![
            ("fields", r#"["name","status"]"#),
            ("filters", r#"[["status","=","Open"]]"#),
            (
                "or_filters",
                r#"[["owner","=","a@b"],["priority","in",["High","Medium"]]]"#,
            ),
            ("order_by", "creation asc"),
            ("limit_start", "10"),
            ("limit_page_length", "0"),
        ];
        let got: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn empty_group_by_is_reported() {
        let err = req().group_by(" ").check().unwrap_err().to_string();
        assert!(err.contains("ToDo") && err.contains("group_by"), "{err}");
    }

    #[test]
    fn no_params_means_frappe_defaults() {
        assert!(req().query(None).is_empty());
    }

    #[test]
    fn child_lists_need_a_parent() {
        let r: ListRequest<Row> = ListRequest::new(client(), "Contact Email".into(), true, None);
        let err = r.check().unwrap_err().to_string();
        assert!(
            err.contains("Contact Email") && err.contains("parent"),
            "{err}"
        );
        let r: ListRequest<Row> =
            ListRequest::new(client(), "Contact Email".into(), true, None).parent("Contact");
        assert!(r.check().is_ok());
    }

    #[test]
    fn count_ignores_paging_and_order() {
        let q = req()
            .filter(json!(["status", "=", "Open"]))
            .or_filter(json!(["priority", "=", "High"]))
            .order_by("modified desc")
            .start(40)
            .limit(20)
            .parent("Project")
            .count_probe()
            .query(None);
        let got: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            got,
            [
                ("fields", r#"["count(name) as count"]"#),
                ("filters", r#"[["status","=","Open"]]"#),
                ("or_filters", r#"[["priority","=","High"]]"#),
                ("parent", "Project"),
            ]
        );
    }

    #[test]
    fn paging_query_uses_page_window() {
        let order = vec!["creation asc".to_string(), "name asc".to_string()];
        let q = req().limit(7).query(Some((500, 250, &order)));
        let get = |k: &str| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("limit_start"), Some("500"));
        assert_eq!(get("limit_page_length"), Some("250"));
        assert_eq!(get("order_by"), Some("creation asc, name asc"));
    }
}
