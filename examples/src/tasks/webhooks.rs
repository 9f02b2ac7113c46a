//! A webhook receiver keeping a CRM's copy of the site's customers in sync: the site posts each
//! saved or deleted Customer, signed; the receiver checks the signature, decodes the body into
//! the generated [`Customer`] and applies it to a [`CustomerMirror`].
//!
//! Entry points: [`webhooks`] (the two Webhook documents to create on the site, one per event,
//! both posting to the receiver), [`register`] (creates them) and [`router`] (the axum app).
//!
//! Requests can arrive out of order: a failed request is tried again seconds later, while a
//! later save may already have been sent. The mirror keeps the copy with the latest `modified`
//! and ignores an older one; a deletion removes the copy and leaves a tombstone with the
//! deleted document's `modified`, so that a late save of the deleted customer does not bring
//! it back (a customer created again under the name is newer, and comes back).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::NaiveDateTime;
use frappe_runtime::webhook::axum::Webhook;
use frappe_runtime::webhook::{DocEvent, Event, Verifier, event_template};
use frappe_runtime::{Client, Document, Result};
use serde_json::{Value, json};

use crate::erpnext::selling::{Customer, CustomerType};

/// The path the receiver serves.
pub const PATH: &str = "/frappe/customer";

/// The CRM's record of a customer: what it keeps of the site's document.
#[derive(Debug, Clone, PartialEq)]
pub struct CrmAccount {
    /// The customer's display name.
    pub display_name: String,
    /// Company or individual, when set.
    pub kind: Option<CustomerType>,
    /// Whether the customer is disabled on the site.
    pub disabled: bool,
    /// The site's `modified` of the copy: a request carrying an older one is stale.
    pub modified: Option<NaiveDateTime>,
}

/// What applying an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The account was created or replaced.
    Upserted,
    /// The account was removed (the customer was deleted).
    Removed,
    /// The event was older than the copy: nothing changed.
    Stale,
}

/// The CRM side: accounts by the customer's name (the site's primary key).
#[derive(Debug, Default)]
pub struct CustomerMirror {
    accounts: BTreeMap<String, CrmAccount>,
    /// Deleted customers: the `modified` of the document deleted.
    deleted: BTreeMap<String, Option<NaiveDateTime>>,
}

impl CustomerMirror {
    /// Applies one webhook event.
    pub fn apply(&mut self, event: Event<Customer>) -> Applied {
        let customer = event.doc;
        if event.event == DocEvent::OnTrash {
            self.accounts.remove(&customer.name);
            self.deleted.insert(customer.name, customer.modified);
            return Applied::Removed;
        }
        let stale = match (
            self.accounts.get(&customer.name),
            self.deleted.get(&customer.name),
        ) {
            (Some(current), _) => current.modified > customer.modified,
            // A deletion keeps the last save's `modified`: that save, sent again, is stale too.
            (None, Some(deleted)) => *deleted >= customer.modified,
            (None, None) => false,
        };
        if stale {
            return Applied::Stale;
        }
        self.deleted.remove(&customer.name);
        let account = CrmAccount {
            display_name: customer.customer_name,
            kind: customer.customer_type,
            disabled: customer.disabled,
            modified: customer.modified,
        };
        self.accounts.insert(customer.name, account);
        Applied::Upserted
    }

    /// The account of a customer, by its name on the site.
    pub fn get(&self, name: &str) -> Option<&CrmAccount> {
        self.accounts.get(name)
    }

    /// How many accounts the mirror holds.
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// Whether the mirror holds no account.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }
}

/// The receiver's state: the Webhook secret and the mirror.
#[derive(Clone)]
struct Receiver {
    verifier: Verifier,
    mirror: Arc<Mutex<CustomerMirror>>,
}

impl axum::extract::FromRef<Receiver> for Verifier {
    fn from_ref(receiver: &Receiver) -> Self {
        receiver.verifier.clone()
    }
}

/// Reached only by requests signed with the secret whose body is a Customer event: anything
/// else is answered 401 or 400 by the extractor, and the site logs it and tries again.
async fn customer_changed(
    State(receiver): State<Receiver>,
    Webhook(event): Webhook<Event<Customer>>,
) -> StatusCode {
    let (name, what) = (event.doc.name.clone(), event.event);
    let applied = match receiver.mirror.lock() {
        Ok(mut mirror) => mirror.apply(event),
        // A handler that panicked while holding the lock: answer 500, the site tries again.
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR,
    };
    println!("{} {name}: {applied:?}", what.as_str());
    StatusCode::NO_CONTENT
}

/// The receiver: `POST` [`PATH`], signed with `verifier`'s secret, into `mirror`.
pub fn router(verifier: Verifier, mirror: Arc<Mutex<CustomerMirror>>) -> Router {
    Router::new()
        .route(PATH, post(customer_changed))
        .with_state(Receiver { verifier, mirror })
}

/// The Webhooks that feed the receiver at `url` (its public address, ending in [`PATH`]):
/// `on_update` (inserts and saves) and `on_trash` (deletions), each posting an [`Event`]
/// signed with `secret`. Named `<prefix> <event>`.
pub fn webhooks(prefix: &str, url: &str, secret: &str) -> Vec<Value> {
    [DocEvent::OnUpdate, DocEvent::OnTrash]
        .map(|event| {
            json!({
                "name": format!("{prefix} {}", event.as_str()),
                "webhook_doctype": Customer::DOCTYPE,
                "webhook_docevent": event.as_str(),
                "request_url": url,
                "request_method": "POST",
                "request_structure": "JSON",
                "webhook_json": event_template(event),
                "enable_security": 1,
                "webhook_secret": secret,
                "enabled": 1,
            })
        })
        .into()
}

/// Creates [`webhooks`] on the site; returns their names.
pub async fn register(
    client: &Client,
    prefix: &str,
    url: &str,
    secret: &str,
) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for webhook in webhooks(prefix, url, secret) {
        let created = client.doctype("Webhook").insert(&webhook).await?;
        names.push(created["name"].as_str().unwrap_or_default().to_owned());
    }
    Ok(names)
}
