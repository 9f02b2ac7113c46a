//! Frappe's error answers as typed errors: validation, duplicates, missing documents.

use frappe_runtime::{Changes, Error};
use frappe_tests::live_site::core_::Role;
use frappe_tests::live_site::desk::Note;

use crate::support::{admin, unique};

#[tokio::test]
async fn a_missing_mandatory_field_is_a_validation_error_with_the_servers_text() {
    let err = admin()
        .create(&Changes::<Note>::new().set(Note::content, "no title"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert_eq!(err.exc_type(), Some("MandatoryError"));
    assert_eq!(err.status(), Some(417));
    // Frappe names the missing field by its label.
    assert!(err.to_string().contains("Title"), "{err}");
}

#[tokio::test]
async fn a_duplicate_name_is_a_duplicate_error() {
    let admin = admin();
    let name = unique("role");
    let role = Changes::<Role>::new().set(Role::role_name, name.as_str());
    let created: Role = admin.create(&role).await.unwrap();
    assert_eq!(created.name, name);
    let err = admin.create(&role).await.unwrap_err();
    admin.delete::<Role>(&name).await.unwrap();
    assert!(matches!(err, Error::Duplicate(_)), "{err:?}");
    assert_eq!(err.exc_type(), Some("DuplicateEntryError"));
}

#[tokio::test]
async fn a_missing_document_is_matchable() {
    let name = unique("missing");
    match admin().get::<Note>(&name).await {
        Err(e) if e.is_not_found() => {
            assert_eq!(e.exc_type(), Some("DoesNotExistError"));
            assert!(e.to_string().contains(&name), "{e}");
        }
        other => panic!("expected not found, got {other:?}"),
    }
    let err = admin().delete::<Note>(&name).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}
