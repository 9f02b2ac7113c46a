//! Errors through the generated types: the recorded error responses map to the runtime's error
//! variants, keeping Frappe's `exc_type` and messages, and the requests that provoked them are
//! the recorded ones.

use frappe_runtime::{Changes, Document, Error};
use frappe_tests::bindings::core_::Role;
use frappe_tests::bindings::desk::{ToDo, ToDoStatus};
use frappe_tests::support::{Replay, check, clients, core};
use serde_json::json;

#[tokio::test]
async fn t042_get_missing_document_is_not_found() {
    let r = Replay::start(core(42)).await;
    let err = clients::token(&r.uri())
        .get::<ToDo>("doesnotexist123")
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert!(err.is_not_found());
    check::api_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t045_missing_mandatory_field_is_a_validation_error() {
    // The recording sent only {"status": "Open"}, leaving out the mandatory `description`;
    // typed `Changes` send exactly that (a whole ToDo struct could not leave it out).
    let r = Replay::start(core(45)).await;
    let todo = Changes::new().set(ToDo::status, ToDoStatus::Open);
    let err = clients::token(&r.uri())
        .create::<ToDo>(&todo)
        .await
        .unwrap_err();
    r.assert_requests().await;
    let Error::Validation(api) = &err else {
        panic!("expected Error::Validation, got {err:?}");
    };
    assert_eq!(api.exc_type.as_deref(), Some("MandatoryError"));
    check::api_error(r.transcript(), &err, "MandatoryError");
}

#[tokio::test]
async fn t051_duplicate_name_is_a_conflict() {
    let r = Replay::start(core(51)).await;
    let role = Changes::new()
        .set(Role::role_name, "Dup Test Role")
        .set(Role::desk_access, true);
    let err = clients::token(&r.uri()).create(&role).await.unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::Duplicate(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DuplicateEntryError");
}

#[tokio::test]
async fn t123_list_without_permission_is_forbidden() {
    // The recording listed with Frappe's default fields; a list of the generated Role asks for
    // its columns. The permission check comes first either way, so the expectation adds the
    // `fields` parameter the generated code sends (Role's column list).
    let mut t = core(123);
    let fields = serde_json::to_string(&Role::list_fields()).unwrap();
    t.request
        .query
        .get_or_insert_with(Default::default)
        .insert("fields".into(), json!(fields));
    let r = Replay::start(t).await;
    let err = clients::limited(&r.uri())
        .list::<Role>()
        .send()
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    assert!(err.is_permission());
    check::api_error(r.transcript(), &err, "PermissionError");
}
