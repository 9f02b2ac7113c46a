//! A receiver for Frappe's Webhooks: the signature checked, the body decoded into a generated
//! struct.
//!
//! A Webhook (Integrations → Webhook on the site) posts a document to a URL when one of its
//! DocType's documents is inserted, updated, submitted, cancelled or deleted
//! ([`DocEvent`]). Entry points: [`Verifier`] (one per Webhook secret) and its
//! [`decode`](Verifier::decode), which checks the signature and decodes the body in one step; with
//! the feature `webhook-axum`, the extractor [`axum::Webhook`] does both for an axum handler.
//!
//! # What Frappe sends (15.44, `frappe/integrations/doctype/webhook/webhook.py`)
//!
//! - **When:** after the transaction that changed the document commits, as a job on the
//!   site's background worker (queue `default` unless the Webhook names one), so seconds later
//!   and only while a worker runs. Within one transaction a Webhook sends one request per
//!   document, with its last state. A failed request (an error status, a refused connection)
//!   is tried up to 3 times, each logged as a Webhook Request Log on the site.
//! - **Body:** always JSON, whatever `request_structure` says: with *Form URL-Encoded* (or
//!   none) an object of the `webhook_data` rows (`key` → the document's `fieldname`); with
//!   *JSON* the `webhook_json` Jinja template, rendered with `doc` (the document as a dict,
//!   dates as text) and re-serialized. [`event_template`] writes a template whose body decodes
//!   as an [`Event`]; `{{ doc | tojson }}` alone sends the whole document, which decodes as
//!   the generated struct itself. The `Content-Type` is whatever the Webhook's headers say (the
//!   desk adds `application/x-www-form-urlencoded` for *Form URL-Encoded*), or none: the
//!   receiver never looks at it.
//! - **Signature:** with *Enable Security* and a secret, the header [`SIGNATURE_HEADER`]
//!   carries base64 (standard alphabet, padded) of HMAC-SHA256 over the body bytes, keyed with
//!   the secret's UTF-8 bytes. [`Verifier::verify`] recomputes it over the bytes received and
//!   compares in constant time; a request without the header is refused, so a Webhook whose
//!   security was switched off cannot slip through.
//! - **Replays:** the signature covers the body only (no timestamp, no nonce), and Frappe keeps
//!   each request's headers and body in its Webhook Request Log, so a signed request can be sent
//!   again by anyone who can read that log or the traffic. Serve the receiver over HTTPS, keep
//!   the log's read permission narrow, and make handling idempotent: compare the document's
//!   `modified` with the copy you hold and ignore what is not newer.
//!
//! Decoding names the DocType and the JSON path of the field that failed, and refuses a body
//! whose `doctype` is another DocType's ([`WebhookError::WrongDocType`]). A secret never
//! appears in `Debug` or an error.
//!
//! Feature `webhook` (`hmac`, `sha2`, `base64`); it does not need the HTTP client (`client`).

mod error;
mod payload;
mod verify;

#[cfg(feature = "webhook-axum")]
pub mod axum;

pub use error::WebhookError;
pub use payload::{DocEvent, Event, Payload, decode, event_template};
pub use verify::Verifier;

/// The request header carrying the signature: `X-Frappe-Webhook-Signature` (HTTP header names
/// are case-insensitive; this is how Frappe spells it).
pub const SIGNATURE_HEADER: &str = "X-Frappe-Webhook-Signature";
