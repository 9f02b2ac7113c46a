//! Every recorded v2 `{"errors": [...]}` body and werkzeug's HTML 404, decoded directly through
//! the public [`ApiError::from_body`] (most are also replayed through the v2 client in `v2.rs`;
//! 158 is a route the client never builds). Also the HTML error pages Frappe sends when the
//! Accept header starts with `text` (161, 168) and a missing Accept (162), replayed with the
//! client's own Accept.

use frappe_runtime::{ApiError, Error};

use crate::exchange::fails;
use crate::support::replay::ReplayBuilder;
use crate::support::transcript::Transcript;
use crate::support::{Replay, check, clients, core, erpnext};

/// Decodes the recorded error body as the client would.
fn decode(t: &Transcript) -> ApiError {
    ApiError::from_body(
        t.response.status,
        t.response.headers.content_type.as_deref(),
        &t.response_bytes(),
    )
}

fn v2(t: Transcript, exc: &str) {
    let e = decode(&t);
    assert_eq!(e.status, t.response.status);
    assert_eq!(e.exc_type.as_deref(), Some(exc), "{}", t.file);
    let first = &t.response_json()["errors"][0];
    if let Some(m) = first["message"].as_str() {
        assert_eq!(e.message, check::words(m), "{}", t.file);
    }
    if first["exception"].as_str().is_some_and(|x| !x.is_empty()) {
        assert!(e.traceback.is_some(), "{}: traceback dropped", t.file);
        assert!(!e.to_string().contains("Traceback"), "{}", t.file);
    }
}

#[test]
fn v2_error_bodies_decode() {
    for (n, exc) in [
        (131, "PermissionError"),
        (132, "PermissionError"),
        (139, "DoesNotExistError"),
        (141, "MandatoryError"),
        (145, "DoesNotExistError"),
        (152, "PermissionError"),
        (153, "ValidationError"),
        (156, "PermissionError"),
        (157, "AuthenticationError"),
        (158, "DoesNotExistError"),
        (159, "DataError"),
        (174, "TimestampMismatchError"),
    ] {
        v2(core(n), exc);
    }
    v2(erpnext(33), "DoesNotExistError");
}

#[test]
fn t139_v2_not_found_message() {
    let e = decode(&core(139));
    assert_eq!(e.message, "ToDo doesnotexist123 not found");
    assert_eq!(e.server_messages[0].indicator.as_deref(), Some("red"));
}

#[test]
fn t151_werkzeug_html_404_decodes_to_text() {
    let t = core(151);
    let e = decode(&t);
    assert_eq!(e.exc_type, None);
    assert!(!e.is_json());
    assert_eq!(
        e.message,
        "404 Not Found Not Found Method on_submit not found"
    );
}

/// The recording as sent, but the client's `Accept: application/json` is not compared: these
/// transcripts show what Frappe answers a request without it.
fn without_accept(n: u32) -> ReplayBuilder {
    Replay::builder([core(n)]).ignore_header("Accept")
}

#[tokio::test]
async fn t161_html_404_page() {
    let (_, err) = fails(without_accept(161), clients::token, async |c| {
        c.doctype("ToDo").get("doesnotexist123").await
    })
    .await;
    assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
    assert!(err.is_not_found());
    let shown = err.to_string();
    assert!(shown.contains("Not Found"), "{shown}");
    assert!(!shown.contains("<"), "HTML in Display: {shown}");
    assert!(shown.len() < 400, "the page is summarised: {shown}");
}

#[tokio::test]
async fn t162_json_404_without_accept() {
    let (r, err) = fails(without_accept(162), clients::token, async |c| {
        c.doctype("ToDo").get("doesnotexist123").await
    })
    .await;
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t168_html_403_page() {
    let (_, err) = fails(without_accept(168), clients::guest, async |c| {
        c.doctype("ToDo").list().send().await
    })
    .await;
    assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
    assert!(err.is_permission());
    assert!(!err.to_string().contains("<"), "{err}");
}
