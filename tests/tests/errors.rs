//! Errors through the generated types: the recorded error responses map to the runtime's error
//! variants, keeping Frappe's `exc_type` and messages, and the requests that provoked them are
//! the recorded ones.

use frappe_runtime::{Document, Error};
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
    // The recording sent only {"status": "Open"}. A generated ToDo always has `description`
    // (mandatory, so a String, here left empty: Frappe treats "" as missing) and its
    // never-null docstatus/idx; the expectation adds exactly those keys.
    let mut t = core(45);
    let body = t.request.body.as_mut().unwrap()["value"]
        .as_object_mut()
        .unwrap();
    body.insert("description".into(), json!(""));
    body.insert("docstatus".into(), json!(0));
    body.insert("idx".into(), json!(0));
    let r = Replay::start(t).await;
    let mut todo: ToDo = serde_json::from_value(json!({"description": ""})).unwrap();
    todo.status = Some(ToDoStatus::Open);
    let err = clients::token(&r.uri()).insert(&todo).await.unwrap_err();
    r.assert_requests().await;
    let Error::Validation(api) = &err else {
        panic!("expected Error::Validation, got {err:?}");
    };
    assert_eq!(api.exc_type.as_deref(), Some("MandatoryError"));
    check::api_error(r.transcript(), &err, "MandatoryError");
}

/// A new Role as the recording created it: a projection with the two fields sent.
#[derive(Debug, serde::Serialize, serde::Deserialize, Document)]
#[frappe(doctype = "Role")]
struct NewRole {
    role_name: String,
    #[serde(with = "frappe_runtime::wire::check")]
    desk_access: bool,
}

#[tokio::test]
async fn t051_duplicate_name_is_a_conflict() {
    let r = Replay::start(core(51)).await;
    let role = NewRole {
        role_name: "Dup Test Role".into(),
        desk_access: true,
    };
    let err = clients::token(&r.uri()).insert(&role).await.unwrap_err();
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
