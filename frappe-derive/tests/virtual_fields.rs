//! `#[frappe(is_virtual)]`: a field the server computes (Frappe's `is_virtual`) has no database
//! column, so a list must not ask for it (Frappe answers 500 "Unknown column").

use frappe_runtime::Document;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, Document)]
#[frappe(doctype = "Webhook")]
struct Webhook {
    name: String,
    #[serde(default)]
    request_url: Option<String>,
    /// Virtual: computed by the server, not stored.
    #[frappe(is_virtual)]
    #[serde(default)]
    preview_request_body: Option<String>,
}

#[test]
fn a_virtual_field_is_a_field_but_not_a_column() {
    let fields: Vec<&str> = Webhook::FIELDS.iter().map(|f| f.name).collect();
    assert_eq!(fields, ["name", "request_url", "preview_request_body"]);
    assert_eq!(Webhook::list_fields(), ["name", "request_url"]);
    // It still decodes from a document.
    let doc: Webhook = serde_json::from_str(
        r#"{"name":"h","request_url":"https://x","preview_request_body":"{}"}"#,
    )
    .unwrap();
    assert_eq!(doc.preview_request_body.as_deref(), Some("{}"));
}
