//! What a webhook body decodes into: a generated struct (the body is the document) or an
//! [`Event`] (the body from [`event_template`]), both [`Payload`]s; and [`decode`].

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{WebhookError, shorten};
use crate::document::Document;

/// The document event a Webhook is sent on: its `webhook_docevent`.
///
/// Frappe 15.44 never sends `on_update_after_submit` (its webhook runner listens for
/// `before_update_after_submit` instead, which no Webhook can select); `on_change` follows any
/// save, submit, cancel or delete of an existing document, not an insert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DocEvent {
    /// `after_insert`: a new document was saved.
    AfterInsert,
    /// `on_update`: a document was saved or submitted, new ones included (after
    /// `after_insert`; before `on_submit`).
    OnUpdate,
    /// `on_submit`: a submittable document was submitted.
    OnSubmit,
    /// `on_cancel`: a submitted document was cancelled.
    OnCancel,
    /// `on_trash`: a document is being deleted (the body holds it as it was).
    OnTrash,
    /// `on_update_after_submit`: a submitted document's "allow on submit" fields changed (not
    /// sent by Frappe 15.44, see above).
    OnUpdateAfterSubmit,
    /// `on_change`: an existing document changed in any way.
    OnChange,
}

impl DocEvent {
    /// Frappe's name for it, the value of the Webhook's `webhook_docevent`: `"on_update"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AfterInsert => "after_insert",
            Self::OnUpdate => "on_update",
            Self::OnSubmit => "on_submit",
            Self::OnCancel => "on_cancel",
            Self::OnTrash => "on_trash",
            Self::OnUpdateAfterSubmit => "on_update_after_submit",
            Self::OnChange => "on_change",
        }
    }
}

/// A webhook body written by [`event_template`]: which event, and the whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event<D> {
    /// The event the Webhook is sent on.
    pub event: DocEvent,
    /// The document as it was when the event ran: every field, child rows included, dates as
    /// Frappe formats them in the REST API.
    pub doc: D,
}

/// The Jinja template for a Webhook's `webhook_json` (with `request_structure` *JSON*) whose
/// body decodes as an [`Event`]: `{"event": "<event>", "doc": {{ doc | tojson }}}`.
///
/// A Webhook is sent on one event only, so the event is written into the template; one
/// Webhook per event, all posting to the same URL, give one receiver every change.
pub fn event_template(event: DocEvent) -> String {
    format!(
        "{{\n  \"event\": \"{}\",\n  \"doc\": {{{{ doc | tojson }}}}\n}}",
        event.as_str()
    )
}

/// What a webhook body can decode into: a [`Document`] (the body is the document: a
/// `{{ doc | tojson }}` template, or `webhook_data` rows whose keys are the fieldnames) or an
/// [`Event`] of one. Implement it for an envelope of your own template.
pub trait Payload: DeserializeOwned {
    /// The DocType expected, named in errors and checked against the body's `doctype`.
    const DOCTYPE: &'static str;
    /// Where the document is in the body, as a JSON pointer (`""`: the whole body; `"/doc"`
    /// for an [`Event`]): a `doctype` key there must be [`DOCTYPE`](Self::DOCTYPE).
    const DOCUMENT: &'static str;
}

impl<D: Document + DeserializeOwned> Payload for D {
    const DOCTYPE: &'static str = D::DOCTYPE;
    const DOCUMENT: &'static str = "";
}

impl<D: Document + DeserializeOwned> Payload for Event<D> {
    const DOCTYPE: &'static str = D::DOCTYPE;
    const DOCUMENT: &'static str = "/doc";
}

/// Decodes a webhook body into `P` (a generated struct, or an [`Event`] of one), without
/// checking a signature: call [`Verifier::decode`](super::Verifier::decode) for a request
/// from the network.
///
/// Errors: [`WebhookError::Decode`] naming the DocType and the JSON path (the body is not
/// JSON, a field has the wrong type), [`WebhookError::WrongDocType`] when the document's
/// `doctype` is another DocType.
pub fn decode<P: Payload>(body: &[u8]) -> Result<P, WebhookError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| WebhookError::decode(P::DOCTYPE, ".".to_owned(), &e.to_string()))?;
    if let Some(found) = value
        .pointer(P::DOCUMENT)
        .and_then(|doc| doc.get("doctype"))
        .and_then(Value::as_str)
    {
        if found != P::DOCTYPE {
            return Err(WebhookError::WrongDocType {
                expected: P::DOCTYPE,
                found: shorten(found, 140),
            });
        }
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        // serde quotes the value; not when it sits under a credential key (a token field).
        let message = crate::redact::redact_decode_message(&path, e.into_inner().to_string());
        WebhookError::decode(P::DOCTYPE, path, &message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::FieldInfo;

    /// An API Test Order as generated code has it, abridged by hand (no derive here: the
    /// crate's unit tests build without `derive`).
    #[derive(Debug, PartialEq, Deserialize)]
    struct Order {
        name: String,
        customer_name: String,
        #[serde(default, with = "crate::wire::number")]
        total: f64,
        #[serde(default)]
        items: Vec<OrderItem>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct OrderItem {
        item: String,
        #[serde(with = "crate::wire::number")]
        qty: i64,
    }

    impl Document for Order {
        const DOCTYPE: &'static str = "API Test Order";
        const FIELDS: &'static [FieldInfo] = &[];
    }

    /// As Frappe renders `event_template(OnSubmit)` for an order (`doc | tojson` sorts keys).
    const EVENT: &str = r#"{"event": "on_submit", "doc": {"customer_name": "Acme", "doctype": "API Test Order", "docstatus": 1, "items": [{"doctype": "API Test Order Item", "item": "bolt", "qty": 3}], "name": "ATO-00001", "total": 12.5}}"#;

    #[test]
    fn an_event_decodes_with_its_child_rows() {
        let event: Event<Order> = decode(EVENT.as_bytes()).unwrap();
        assert_eq!(event.event, DocEvent::OnSubmit);
        assert_eq!(
            event.doc,
            Order {
                name: "ATO-00001".into(),
                customer_name: "Acme".into(),
                total: 12.5,
                items: vec![OrderItem {
                    item: "bolt".into(),
                    qty: 3
                }],
            }
        );
    }

    #[test]
    fn a_bare_document_decodes() {
        let body = br#"{"name": "ATO-00002", "customer_name": "Acme", "total": 0}"#;
        let order: Order = decode(body).unwrap();
        assert_eq!(order.name, "ATO-00002");
        assert!(order.items.is_empty());
    }

    #[test]
    fn a_field_of_the_wrong_type_names_the_doctype_and_the_path() {
        let body = EVENT.replace(r#""qty": 3"#, r#""qty": "three""#);
        let err = decode::<Event<Order>>(body.as_bytes()).unwrap_err();
        let WebhookError::Decode { doctype, path, .. } = &err else {
            panic!("expected Decode, got {err:?}")
        };
        assert_eq!(*doctype, "API Test Order");
        assert_eq!(path, "doc.items[0].qty");
        assert!(
            err.to_string()
                .starts_with("the webhook body is not API Test Order data: at doc.items[0].qty:"),
            "{err}"
        );
    }

    #[test]
    fn a_credential_of_the_wrong_type_is_not_quoted() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Token {
            access_token: u64,
        }
        impl Document for Token {
            const DOCTYPE: &'static str = "OAuth Bearer Token";
            const FIELDS: &'static [FieldInfo] = &[];
        }
        let err = decode::<Token>(br#"{"access_token": "tok-SECRET-1"}"#).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("tok-SECRET-1"), "{shown}");
        assert!(shown.contains("access_token"), "{shown}");
    }

    #[test]
    fn a_body_that_is_not_json_names_the_doctype() {
        let err = decode::<Order>(b"customer_name=Acme").unwrap_err();
        assert!(
            matches!(&err, WebhookError::Decode { doctype: "API Test Order", path, .. } if path == "."),
            "{err:?}"
        );
    }

    #[test]
    fn a_missing_field_is_named() {
        let err = decode::<Order>(br#"{"name": "ATO-00003"}"#).unwrap_err();
        let WebhookError::Decode { message, .. } = &err else {
            panic!("expected Decode, got {err:?}")
        };
        assert!(message.contains("customer_name"), "{err}");
    }

    #[test]
    fn another_doctypes_document_is_refused() {
        let body = EVENT.replace(r#""doctype": "API Test Order","#, r#""doctype": "Note","#);
        assert_eq!(
            decode::<Event<Order>>(body.as_bytes()).unwrap_err(),
            WebhookError::WrongDocType {
                expected: "API Test Order",
                found: "Note".into()
            }
        );
        let bare = br#"{"doctype": "Note", "name": "n", "customer_name": "x"}"#;
        assert!(matches!(
            decode::<Order>(bare),
            Err(WebhookError::WrongDocType { .. })
        ));
    }

    #[test]
    fn an_unknown_event_is_a_decode_error() {
        let body = EVENT.replace("on_submit", "on_rename");
        let err = decode::<Event<Order>>(body.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, WebhookError::Decode { path, .. } if path == "event"),
            "{err:?}"
        );
    }

    #[test]
    fn the_template_names_the_event_and_renders_the_document() {
        assert_eq!(
            event_template(DocEvent::OnUpdate),
            "{\n  \"event\": \"on_update\",\n  \"doc\": {{ doc | tojson }}\n}"
        );
        for event in [
            DocEvent::AfterInsert,
            DocEvent::OnUpdate,
            DocEvent::OnSubmit,
            DocEvent::OnCancel,
            DocEvent::OnTrash,
            DocEvent::OnUpdateAfterSubmit,
            DocEvent::OnChange,
        ] {
            // The name in the template is the one the enum decodes.
            let wire = serde_json::to_value(event).unwrap();
            assert_eq!(wire, event.as_str());
        }
    }
}
