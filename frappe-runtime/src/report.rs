//! Reports: query and script reports through `frappe.desk.query_report.run`
//! ([`Client::query_report`]) and the report view, `frappe.desk.reportview.get`
//! ([`ListRequest::report_view`]).
//!
//! Both are read-only and sent with `GET` (so retried on transient failures). Report columns come
//! either as objects (`{fieldname, label, fieldtype, options, width}`) or, in older reports, as
//! `"Label:Fieldtype/Options:Width"` strings; [`ReportColumn`] accepts both.
//!
//! Feature `client` (on by default).

use reqwest::Method;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::client::{ApiVersion, Client, Request, v1_method_path};
use crate::error::{Error, Result};
use crate::list::{ListRequest, Row};

/// One column of a query/script report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ReportColumn {
    /// Key of the column in dict rows.
    pub fieldname: Option<String>,
    /// Header text.
    pub label: Option<String>,
    /// Frappe fieldtype, e.g. `"Currency"`, `"Link"`.
    pub fieldtype: Option<String>,
    /// Link target or other options.
    pub options: Option<String>,
    /// Width in pixels.
    pub width: Option<u32>,
}

impl<'de> Deserialize<'de> for ReportColumn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Obj {
            fieldname: Option<String>,
            label: Option<String>,
            fieldtype: Option<String>,
            options: Option<Value>,
            width: Option<Value>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Obj(Obj),
        }
        fn width(v: Option<&Value>) -> Option<u32> {
            match v? {
                Value::Number(n) => n.as_f64().map(|f| f as u32),
                Value::String(s) => s.trim().trim_end_matches("px").parse().ok(),
                _ => None,
            }
        }
        Ok(match Raw::deserialize(deserializer)? {
            Raw::Obj(o) => ReportColumn {
                fieldname: o.fieldname,
                label: o.label,
                fieldtype: o.fieldtype,
                options: o.options.and_then(|v| match v {
                    Value::String(s) => Some(s),
                    Value::Null => None,
                    other => Some(other.to_string()),
                }),
                width: width(o.width.as_ref()),
            },
            Raw::Text(s) => {
                // "Label:Fieldtype/Options:Width"; missing parts stay None.
                let mut parts = s.split(':');
                let label = parts.next().map(str::to_owned);
                let (fieldtype, options) = match parts.next() {
                    Some(t) => match t.split_once('/') {
                        Some((t, o)) => (Some(t.to_owned()), Some(o.to_owned())),
                        None => (Some(t.to_owned()).filter(|t| !t.is_empty()), None),
                    },
                    None => (None, None),
                };
                let width = parts.next().and_then(|w| w.trim().parse().ok());
                ReportColumn {
                    fieldname: None,
                    label,
                    fieldtype,
                    options,
                    width,
                }
            }
        })
    }
}

/// The output of a query or script report.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct QueryReport {
    /// The columns.
    #[serde(default)]
    pub columns: Vec<ReportColumn>,
    /// The rows: objects keyed by `fieldname`, or arrays in column order (reports use both; a
    /// total row may be appended).
    #[serde(default)]
    pub result: Vec<Value>,
    /// Everything else the report returned (`message`, `chart`, `report_summary`, ...).
    #[serde(flatten)]
    pub other: Row,
}

/// A request to run a report, from [`Client::query_report`].
#[derive(Debug, Clone)]
#[must_use = "a report request does nothing until .run()"]
pub struct QueryReportRequest {
    client: Client,
    report_name: String,
    filters: serde_json::Map<String, Value>,
    ignore_prepared_report: bool,
    invalid: Option<String>,
}

impl Client {
    /// Prepares a run of the query or script report `report_name`.
    pub fn query_report(&self, report_name: impl Into<String>) -> QueryReportRequest {
        QueryReportRequest {
            client: self.clone(),
            report_name: report_name.into(),
            filters: serde_json::Map::new(),
            ignore_prepared_report: false,
            invalid: None,
        }
    }
}

impl QueryReportRequest {
    /// Sets one report filter.
    pub fn filter(mut self, key: impl Into<String>, value: impl Serialize) -> Self {
        let key = key.into();
        match serde_json::to_value(value) {
            Ok(v) => {
                self.filters.insert(key, v);
            }
            Err(e) => {
                self.invalid
                    .get_or_insert(format!("{}: filter {key:?}: {e}", self.report_name));
            }
        }
        self
    }

    /// Sets every field of `filters` (a struct or map serializing to an object; `()` for none,
    /// as with [`MethodCall::args`](crate::MethodCall::args)).
    pub fn filters(mut self, filters: impl Serialize) -> Self {
        match serde_json::to_value(filters) {
            Ok(Value::Object(m)) => self.filters.extend(m),
            Ok(Value::Null) => {}
            Ok(other) => {
                self.invalid.get_or_insert(format!(
                    "{}: report filters must be a JSON object, got {other}",
                    self.report_name
                ));
            }
            Err(e) => {
                self.invalid
                    .get_or_insert(format!("{}: report filters: {e}", self.report_name));
            }
        }
        self
    }

    /// Runs the report now even if it is configured as a prepared (background) report.
    pub fn ignore_prepared_report(mut self, yes: bool) -> Self {
        self.ignore_prepared_report = yes;
        self
    }

    /// Runs the report.
    pub async fn run(self) -> Result<QueryReport> {
        if let Some(msg) = self.invalid {
            return Err(Error::InvalidInput(msg));
        }
        if self.report_name.trim().is_empty() {
            return Err(Error::InvalidInput(
                "query_report: the report name is empty".into(),
            ));
        }
        let mut call = self
            .client
            .call("frappe.desk.query_report.run")
            .arg("report_name", &self.report_name)
            .arg("filters", Value::Object(self.filters));
        if self.ignore_prepared_report {
            call = call.arg("ignore_prepared_report", 1);
        }
        call.get().await
    }
}

/// Rows of the report view in Frappe's compressed form.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ReportView {
    /// Column names, in `values` order.
    pub keys: Vec<String>,
    /// The rows.
    pub values: Vec<Vec<Value>>,
}

impl<'de> Deserialize<'de> for ReportView {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Compressed {
            #[serde(default)]
            keys: Vec<String>,
            #[serde(default)]
            values: Vec<Vec<Value>>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Compressed(Compressed),
            // An empty result comes back as a bare empty list.
            Empty(Vec<Value>),
        }
        Ok(match Option::<Raw>::deserialize(deserializer)? {
            Some(Raw::Compressed(c)) => ReportView {
                keys: c.keys,
                values: c.values,
            },
            Some(Raw::Empty(v)) if v.is_empty() => ReportView::default(),
            Some(Raw::Empty(_)) => {
                return Err(serde::de::Error::custom(
                    "expected {keys, values} or an empty list",
                ));
            }
            None => ReportView::default(),
        })
    }
}

impl ReportView {
    /// The rows as objects keyed by column name.
    pub fn into_rows(self) -> Vec<Row> {
        let keys = self.keys;
        self.values
            .into_iter()
            .map(|row| keys.iter().cloned().zip(row).collect())
            .collect()
    }
}

impl<D> ListRequest<D> {
    /// Runs this list through the report view (`frappe.desk.reportview.get`), which returns
    /// compressed rows. The page is `start` / `limit` (sent as `start` / `page_length`), the
    /// parent of a child table as `parent_doctype`. Without an order the report view applies the
    /// DocType's default sort (unlike `/api/resource`, which applies none).
    pub async fn report_view(self) -> Result<ReportView> {
        self.check()?;
        let req = self.report_view_request();
        self.client.execute(&req).await?.message()
    }

    fn report_view_request(&self) -> Request {
        let mut req = Request::new(Method::GET, v1_method_path("frappe.desk.reportview.get"))
            .query("doctype", self.doctype.clone());
        // A v1 route: v1's page parameters, whatever the client's version.
        for (key, value) in self.query_for(ApiVersion::V1, None) {
            let key = match key.as_str() {
                "limit_start" => "start".to_owned(),
                "limit_page_length" => "page_length".to_owned(),
                // The report view's query takes the parent as `parent_doctype`.
                "parent" => "parent_doctype".to_owned(),
                _ => key,
            };
            req.query.push((key, value));
        }
        req
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_filters_is_like_no_args() {
        let client = Client::builder("http://127.0.0.1:9").build().unwrap();
        let r = client.query_report("General Ledger").filters(());
        assert!(r.invalid.is_none(), "{:?}", r.invalid);
        assert!(r.filters.is_empty());
        let r = client.query_report("General Ledger").filters([1, 2]);
        assert!(r.invalid.is_some());
    }

    #[test]
    fn report_view_pages_the_v1_way_from_a_v2_handle() {
        // The report view is a v1 route: a v2 handle used to send `start` twice (`start` and
        // `limit_start` both renamed) and `limit` instead of `page_length`.
        let client = Client::builder("http://127.0.0.1:9")
            .api_version(ApiVersion::V2)
            .build()
            .unwrap();
        let req = client
            .doctype("ToDo")
            .list()
            .start(20)
            .limit(10)
            .report_view_request();
        let q: Vec<(&str, &str)> = req
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            q,
            [("doctype", "ToDo"), ("start", "20"), ("page_length", "10")]
        );
        assert_eq!(
            req.segments,
            ["api", "method", "frappe.desk.reportview.get"]
        );
    }

    #[test]
    fn columns_in_both_forms() {
        let cols: Vec<ReportColumn> = serde_json::from_str(
            r#"[{"fieldname":"account","label":"Account","fieldtype":"Link","options":"Account","width":300},
                "Posting Date:Date:100", "Amount:Currency/currency:120", "Remarks"]"#,
        )
        .unwrap();
        assert_eq!(cols[0].options.as_deref(), Some("Account"));
        assert_eq!(cols[0].width, Some(300));
        assert_eq!(cols[1].label.as_deref(), Some("Posting Date"));
        assert_eq!(cols[1].fieldtype.as_deref(), Some("Date"));
        assert_eq!(cols[1].width, Some(100));
        assert_eq!(cols[2].options.as_deref(), Some("currency"));
        assert_eq!(cols[3].fieldtype, None);
    }

    #[test]
    fn report_view_forms() {
        let v: ReportView =
            serde_json::from_str(r#"{"keys":["name","status"],"values":[["a","Open"]]}"#).unwrap();
        let rows = v.into_rows();
        assert_eq!(rows[0]["status"], "Open");
        let empty: ReportView = serde_json::from_str("[]").unwrap();
        assert!(empty.values.is_empty());
    }

    #[test]
    fn query_report_keeps_extra_keys() {
        let r: QueryReport = serde_json::from_str(
            r#"{"columns":[],"result":[{"a":1}],"chart":null,"report_summary":[]}"#,
        )
        .unwrap();
        assert_eq!(r.result.len(), 1);
        assert!(r.other.contains_key("report_summary"));
    }
}
