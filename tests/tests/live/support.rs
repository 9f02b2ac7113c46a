//! Connections to the live site and naming of what tests create.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use frappe_runtime::{Auth, Client};

/// An environment variable `.ci/live` exports; a clear failure (not a skip) without it.
pub fn var(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| {
        panic!(
            "{key} is not set: the live tests need a running Frappe site; run `.ci/live` (it \
             starts the kit in ../shared/frappe-server and exports FRAPPE_TEST_*)"
        )
    })
}

/// The site's base URL.
pub fn url() -> String {
    var("FRAPPE_TEST_URL")
}

/// Administrator, by API key.
pub fn admin() -> Client {
    Client::new(
        url(),
        Auth::token(var("FRAPPE_TEST_API_KEY"), var("FRAPPE_TEST_API_SECRET")),
    )
    .expect("admin client")
}

/// `limited@example.com` (role "API Limited" only), by API key.
pub fn limited() -> Client {
    Client::new(
        url(),
        Auth::token(
            var("FRAPPE_TEST_LIMITED_API_KEY"),
            var("FRAPPE_TEST_LIMITED_API_SECRET"),
        ),
    )
    .expect("limited client")
}

/// A client logging in with a password.
pub fn password(user: &str, password: &str) -> Client {
    Client::new(url(), Auth::password(user, password)).expect("password client")
}

/// A name no other test or run uses: `frs-live-<what>-<time>-<n>`.
pub fn unique(what: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "frs-live-{what}-{nanos:x}-{}",
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Serializes tests that change a DocType's metadata (Custom Fields, Property Setters) with the
/// tests that send many requests loading that DocType's metadata: Frappe clears its metadata
/// cache when the change is saved, and a request that loaded the metadata just before can put
/// the old one back.
pub static METADATA: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Serializes tests that change site-wide session settings or log a user in and out.
pub static SESSIONS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// API Test Order's workflow: the workflow test holds it for writing while a Workflow is
/// active on API Test Order (every insert then gets a workflow state, and saves, submits and
/// amendments must follow the workflow's transitions); tests that write API Test Orders hold
/// it for reading.
pub static ORDER_WORKFLOW: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());
