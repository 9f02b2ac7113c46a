//! What differs between Frappe's REST API generations, in one place: per [`ApiVersion`], the
//! paths of documents and methods, the page parameters of a list, the count route, how a
//! document method is addressed and which key of a success body holds a method's result. The
//! operations (`resource.rs`, `list/`, `method.rs`) ask here and never branch on the version
//! themselves.
//!
//! A few routes are the same whatever the version: login, logout, token refresh, file upload,
//! `frappe.client.get_count` and the report view are served at their v1 paths
//! ([`v1_method_path`]), and DocType metadata at its v2 path ([`meta_path`]), by every v15 site.

use reqwest::Method;
use serde_json::{Map, Value};

use crate::client::Request;
use crate::error::Result;

/// Which REST API generation resource and method calls use.
///
/// | | v1 (default) | v2 (Frappe ≥ 15) |
/// |---|---|---|
/// | documents | `/api/resource/<dt>[/<name>]` | `/api/v2/document/<dt>[/<name>]` |
/// | methods | `/api/method/<m>` → `{"message": ..}` | `/api/v2/method/<m>` → `{"data": ..}` |
/// | page size | `limit_page_length` | `limit` |
/// | count | `frappe.client.get_count` | `/api/v2/doctype/<dt>/count` |
/// | document method | `POST /api/resource/<dt>/<name>` + `run_method` | `POST …/<name>/method/<m>` |
///
/// Login, logout, token refresh, file upload and the report view always use their v1 routes,
/// which every v15 site serves. Errors decode from either body form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ApiVersion {
    /// `/api/resource`, `/api/method`.
    #[default]
    V1,
    /// `/api/v2/document`, `/api/v2/method`.
    V2,
}

/// The top-level key of a success body that holds the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Envelope {
    /// `{"data": ..}`: documents and lists (both versions), v2 methods.
    Data,
    /// `{"message": ..}`: v1 methods (a body without it reads as `null`).
    Message,
}

fn segments(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

/// Path segments of a whitelisted method at its v1 route, whatever the client's version.
pub(crate) fn v1_method_path(method: &str) -> Vec<String> {
    segments(&["api", "method", method])
}

/// Path segments of a DocType's metadata (`/api/v2/doctype/<dt>/meta`), whatever the version.
pub(crate) fn meta_path(doctype: &str) -> Vec<String> {
    segments(&["api", "v2", "doctype", doctype, "meta"])
}

impl ApiVersion {
    /// Path segments of a document, or of the DocType's collection when `name` is `None`.
    pub(crate) fn document_path(self, doctype: &str, name: Option<&str>) -> Vec<String> {
        let mut segs = match self {
            Self::V1 => segments(&["api", "resource"]),
            Self::V2 => segments(&["api", "v2", "document"]),
        };
        segs.push(doctype.to_owned());
        segs.extend(name.map(str::to_owned));
        segs
    }

    /// Path segments of a whitelisted method.
    pub(crate) fn method_path(self, method: &str) -> Vec<String> {
        match self {
            Self::V1 => v1_method_path(method),
            Self::V2 => segments(&["api", "v2", "method", method]),
        }
    }

    /// Where a whitelisted method's result is in the body.
    pub(crate) fn method_envelope(self) -> Envelope {
        match self {
            Self::V1 => Envelope::Message,
            Self::V2 => Envelope::Data,
        }
    }

    /// The page window of a list: offset `start` (left out when 0) and page length `limit`
    /// (`None`: the server's default of 20; `0`: every row).
    pub(crate) fn page_params(self, start: u64, limit: Option<u64>) -> Vec<(String, String)> {
        let mut q = Vec::new();
        if start > 0 {
            if self == Self::V2 {
                // v2 in 15.44 reads `limit_start`; later v15 releases read `start`.
                q.push(("start".to_owned(), start.to_string()));
            }
            q.push(("limit_start".to_owned(), start.to_string()));
        }
        if let Some(limit) = limit {
            let key = match self {
                Self::V1 => "limit_page_length",
                Self::V2 => "limit",
            };
            q.push((key.to_owned(), limit.to_string()));
        }
        q
    }

    /// The request running the whitelisted method `method` of a document, with the keyword
    /// arguments `args`: v1 names the method in the body (`run_method`), v2 in the path.
    pub(crate) fn doc_method_request(
        self,
        doctype: &str,
        name: &str,
        method: &str,
        mut args: Map<String, Value>,
    ) -> Result<Request> {
        let mut segs = self.document_path(doctype, Some(name));
        match self {
            Self::V1 => {
                args.insert("run_method".into(), Value::from(method));
            }
            Self::V2 => segs.extend(["method".to_owned(), method.to_owned()]),
        }
        Request::new(Method::POST, segs).json(&args)
    }

    /// The request counting the documents of `doctype` that match `filters` / `or_filters`
    /// (each JSON in list-of-lists form, `None` when empty), and the envelope of its answer;
    /// `None` when this version's count route cannot express the query (a child table's
    /// `parent`; `or_filters` in v1), which is then counted by an aggregate list query.
    ///
    /// Note: in Frappe 15.44 `frappe.client.get_count` (v1) does not check read permission; the
    /// v2 route (the report view's count) and the aggregate list do.
    pub(crate) fn count_request(
        self,
        doctype: &str,
        filters: Option<String>,
        or_filters: Option<String>,
        has_parent: bool,
    ) -> Option<(Request, Envelope)> {
        if has_parent {
            return None;
        }
        let mut req = match self {
            Self::V1 if or_filters.is_some() => return None,
            Self::V1 => Request::new(Method::GET, v1_method_path("frappe.client.get_count"))
                .query("doctype", doctype),
            Self::V2 => Request::new(
                Method::GET,
                segments(&["api", "v2", "doctype", doctype, "count"]),
            ),
        };
        if let Some(f) = filters {
            req = req.query("filters", f);
        }
        if let Some(f) = or_filters {
            req = req.query("or_filters", f);
        }
        let envelope = match self {
            Self::V1 => Envelope::Message,
            Self::V2 => Envelope::Data,
        };
        Some((req, envelope))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &[(String, String)]) -> Vec<(&str, &str)> {
        q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn paths_per_version() {
        use ApiVersion::{V1, V2};
        assert_eq!(
            V1.document_path("ToDo", Some("a")),
            ["api", "resource", "ToDo", "a"]
        );
        assert_eq!(
            V2.document_path("ToDo", None),
            ["api", "v2", "document", "ToDo"]
        );
        assert_eq!(V1.method_path("ping"), ["api", "method", "ping"]);
        assert_eq!(V2.method_path("ping"), ["api", "v2", "method", "ping"]);
        assert_eq!(V1.method_envelope(), Envelope::Message);
        assert_eq!(V2.method_envelope(), Envelope::Data);
    }

    #[test]
    fn page_params_per_version() {
        assert_eq!(
            pairs(&ApiVersion::V1.page_params(10, Some(0))),
            [("limit_start", "10"), ("limit_page_length", "0")]
        );
        assert_eq!(
            pairs(&ApiVersion::V2.page_params(2, Some(2))),
            [("start", "2"), ("limit_start", "2"), ("limit", "2")]
        );
        assert!(ApiVersion::V2.page_params(0, None).is_empty());
    }

    #[test]
    fn document_methods_per_version() {
        let v1 = ApiVersion::V1
            .doc_method_request("ToDo", "t1", "submit", Map::new())
            .unwrap();
        assert_eq!(v1.segments, ["api", "resource", "ToDo", "t1"]);
        let crate::client::Body::Json(body) = &v1.body else {
            panic!("a JSON body")
        };
        assert_eq!(&body[..], br#"{"run_method":"submit"}"#);
        let v2 = ApiVersion::V2
            .doc_method_request("ToDo", "t1", "submit", Map::new())
            .unwrap();
        assert_eq!(
            v2.segments,
            ["api", "v2", "document", "ToDo", "t1", "method", "submit"]
        );
    }

    #[test]
    fn count_routes_per_version() {
        let f = || Some("[]".to_owned());
        let (v1, env) = ApiVersion::V1
            .count_request("ToDo", f(), None, false)
            .unwrap();
        assert_eq!(v1.segments, ["api", "method", "frappe.client.get_count"]);
        assert_eq!(pairs(&v1.query), [("doctype", "ToDo"), ("filters", "[]")]);
        assert_eq!(env, Envelope::Message);
        // v1's get_count takes no or_filters; neither version's route takes a parent.
        assert!(
            ApiVersion::V1
                .count_request("ToDo", None, f(), false)
                .is_none()
        );
        assert!(
            ApiVersion::V2
                .count_request("ToDo", None, None, true)
                .is_none()
        );
        let (v2, env) = ApiVersion::V2
            .count_request("ToDo", f(), f(), false)
            .unwrap();
        assert_eq!(v2.segments, ["api", "v2", "doctype", "ToDo", "count"]);
        assert_eq!(pairs(&v2.query), [("filters", "[]"), ("or_filters", "[]")]);
        assert_eq!(env, Envelope::Data);
    }
}
