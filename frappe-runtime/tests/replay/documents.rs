//! Documents by name: get, insert, update (partial PUT, child tables), delete, and their errors
//! (core 018, 041-043, 045-047, 049-069, 119, 122, 124, 126-129; ERPNext 003-006, 024,
//! 026-028).

use chrono::NaiveDate;
use frappe_runtime::{Error, Row};
use serde_json::{Value, json};

use crate::docs::*;
use crate::exchange::{data, fails, insert_recorded, ok, typed_doc};
use crate::support::transcript::Transcript;
use crate::support::{check, clients, core, erpnext};

fn same_row(t: &Transcript, got: &Row) {
    assert_eq!(&Value::from(got.clone()), data(t), "{}", t.file);
}

// --- get -----------------------------------------------------------------------------------

#[tokio::test]
async fn t041_get_typed_todo_with_omitted_nulls() {
    let (_, got): (_, ToDo) = typed_doc(core(41), clients::token, async |c| {
        c.get("ro2rh3r4lm").await
    })
    .await;
    assert_eq!(got.description, "Seed one");
    assert_eq!(got.allocated_to, None, "omitted in a document GET");
}

#[tokio::test]
async fn t062_get_name_with_spaces() {
    let (r, got): (_, Role) = ok(core(62), clients::token, async |c| {
        c.get("Dup Test Role").await
    })
    .await;
    assert_eq!(got.name.as_deref(), Some("Dup Test Role"));
    assert!(got.desk_access);
    let raw = r.server.received_requests().await.unwrap();
    assert_eq!(raw[0].url.path(), "/api/resource/Role/Dup%20Test%20Role");
}

#[tokio::test]
async fn t064_get_contact_with_child_tables() {
    let (r, got): (_, Contact) = ok(core(64), clients::token, async |c| {
        c.get("Ada Lovelace").await
    })
    .await;
    assert_eq!(got.email_ids.len(), 2);
    assert_eq!(got.phone_nos.len(), 1);
    assert!(got.email_ids[0].is_primary && !got.email_ids[1].is_primary);
    assert_eq!(got.email_ids[1].idx, Some(2));
    check::same_fields(
        &r.transcript().file,
        &got.email_ids[0],
        &data(r.transcript())["email_ids"][0],
    );
}

#[tokio::test]
async fn t119_get_contact_after_attach() {
    let (r, got): (_, Contact) = ok(core(119), clients::token, async |c| {
        c.get("Ada Lovelace").await
    })
    .await;
    assert_eq!(got.image.as_deref(), data(r.transcript())["image"].as_str());
}

#[tokio::test]
async fn t068_get_user_untyped() {
    let (r, got) = ok(core(68), clients::token, async |c| {
        c.doctype("User").get("limited@example.com").await
    })
    .await;
    same_row(r.transcript(), &got);
}

#[tokio::test]
async fn t069_get_child_row_directly() {
    typed_doc::<ContactEmailChild>(core(69), clients::token, async |c| {
        c.get("ro3bgf8tnk").await
    })
    .await;
}

#[tokio::test]
async fn t126_limited_user_reads_public_note() {
    typed_doc::<Note>(core(126), clients::limited, async |c| {
        c.get("ro48dk59kh").await
    })
    .await;
}

#[tokio::test]
async fn erp006_get_item() {
    let (r, got) = ok(erpnext(6), clients::token, async |c| {
        c.doctype("Item").get("WIRE-ITEM-2").await
    })
    .await;
    same_row(r.transcript(), &got);
}

async fn get_error(t: Transcript, doctype: &str, name: &str, exc: &str) -> Error {
    let (r, err) = fails(t, clients::token, async |c| {
        c.doctype(doctype).get(name).await
    })
    .await;
    check::api_error(r.transcript(), &err, exc);
    err
}

#[tokio::test]
async fn t042_get_missing_is_not_found() {
    let err = get_error(core(42), "ToDo", "doesnotexist123", "DoesNotExistError").await;
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn t057_get_after_delete_is_not_found() {
    let err = get_error(core(57), "ToDo", "ro318adepd", "DoesNotExistError").await;
    assert!(err.is_not_found());
}

#[tokio::test]
async fn erp024_get_missing_on_15_105() {
    let err = get_error(erpnext(24), "ToDo", "nope", "DoesNotExistError").await;
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn t124_limited_get_forbidden() {
    let (r, err) = fails(core(124), clients::limited, async |c| {
        c.doctype("Contact").get("Ada Lovelace").await
    })
    .await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "PermissionError");
}

// --- insert --------------------------------------------------------------------------------

fn new_todo(description: &str) -> NewToDo {
    NewToDo {
        description: Some(description.into()),
        ..NewToDo::empty()
    }
}

#[tokio::test]
async fn t018_insert_typed_todo() {
    let doc = NewToDo {
        status: Some("Open".into()),
        priority: Some("High".into()),
        date: NaiveDate::from_ymd_opt(2024, 1, 15),
        ..new_todo("Seed one")
    };
    let (r, saved) = ok(core(18), clients::token, async |c| c.insert(&doc).await).await;
    assert_eq!(saved.name.as_deref(), data(r.transcript())["name"].as_str());
    assert_eq!(saved.date, doc.date);
}

#[tokio::test]
async fn t043_insert_returns_full_document() {
    let doc = NewToDo {
        status: Some("Open".into()),
        priority: Some("Medium".into()),
        date: NaiveDate::from_ymd_opt(2025, 3, 1),
        allocated_to: Some("Administrator".into()),
        ..new_todo("Created via API")
    };
    let (_, saved) = ok(core(43), clients::token, async |c| c.insert(&doc).await).await;
    assert_eq!(saved.name.as_deref(), Some("ro318adepd"));
}

#[tokio::test]
async fn t049_client_name_ignored_for_hash_doctypes() {
    let doc = NewToDo {
        name: Some("my-fixed-name-1".into()),
        ..new_todo("explicit name")
    };
    let (r, saved) = ok(core(49), clients::token, async |c| c.insert(&doc).await).await;
    let name = saved.name.unwrap();
    assert_ne!(name, "my-fixed-name-1");
    assert_eq!(Some(name.as_str()), data(r.transcript())["name"].as_str());
}

#[tokio::test]
async fn t060_insert_with_link() {
    let doc = NewToDo {
        role: Some("Link Test Role".into()),
        ..new_todo("links to role")
    };
    let (_, saved) = ok(core(60), clients::token, async |c| c.insert(&doc).await).await;
    assert_eq!(saved.role.as_deref(), Some("Link Test Role"));
}

#[tokio::test]
async fn t050_insert_role_check_as_one() {
    let role = Role {
        name: None,
        role_name: "Dup Test Role".into(),
        desk_access: true,
    };
    let (_, saved) = ok(core(50), clients::token, async |c| c.insert(&role).await).await;
    assert_eq!(saved.name.as_deref(), Some("Dup Test Role"));
}

#[tokio::test]
async fn t059_insert_role_minimal() {
    let role = Role {
        name: None,
        role_name: "Link Test Role".into(),
        desk_access: false,
    };
    let (_, saved) = ok(core(59), clients::token, async |c| c.insert(&role).await).await;
    assert_eq!(saved.name.as_deref(), Some("Link Test Role"));
}

#[tokio::test]
async fn t051_duplicate_role_is_duplicate() {
    let role = Role {
        name: None,
        role_name: "Dup Test Role".into(),
        desk_access: true,
    };
    let (r, err) = fails(core(51), clients::token, async |c| c.insert(&role).await).await;
    assert!(matches!(err, Error::Duplicate(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DuplicateEntryError");
}

#[tokio::test]
async fn t063_insert_contact_with_child_rows() {
    let (r, got) = insert_recorded(core(63), clients::token, "Contact").await;
    let got = got.unwrap();
    same_row(r.transcript(), &got);
    let typed: Contact = serde_json::from_value(Value::from(got)).unwrap();
    assert_eq!(typed.email_ids.len(), 2);
}

#[tokio::test]
async fn t070_insert_custom_child_doctype() {
    let (r, got) = insert_recorded(core(70), clients::token, "DocType").await;
    same_row(r.transcript(), &got.unwrap());
}

#[tokio::test]
async fn t071_insert_custom_submittable_doctype() {
    let (r, got) = insert_recorded(core(71), clients::token, "DocType").await;
    same_row(r.transcript(), &got.unwrap());
}

#[tokio::test]
async fn t072_insert_every_common_fieldtype() {
    let (r, got) = insert_recorded(core(72), clients::token, "API Test Order").await;
    let got = got.unwrap();
    same_row(r.transcript(), &got);
    let typed: ApiTestOrder = serde_json::from_value(Value::from(got)).unwrap();
    assert_eq!(
        typed.meta_json,
        Some(json!("{\"a\":1,\"b\":[1,2]}")),
        "JSON field comes back as a string"
    );
    assert_eq!(typed.start_time, chrono::NaiveTime::from_hms_opt(9, 30, 0));
    assert!(typed.is_urgent);
    assert_eq!(typed.items.len(), 2);
}

#[tokio::test]
async fn t073_insert_numbers_as_strings() {
    let (r, got) = insert_recorded(core(73), clients::token, "API Test Order").await;
    let got = got.unwrap();
    same_row(r.transcript(), &got);
    assert_eq!(got["qty"], 7);
}

#[tokio::test]
async fn t074_insert_bool_for_check() {
    let (r, got) = insert_recorded(core(74), clients::token, "API Test Order").await;
    let got = got.unwrap();
    same_row(r.transcript(), &got);
    assert_eq!(got["is_urgent"], 1);
}

#[tokio::test]
async fn t122_insert_note() {
    let (r, got) = insert_recorded(core(122), clients::token, "Note").await;
    let got: Note = serde_json::from_value(Value::from(got.unwrap())).unwrap();
    assert_eq!(
        Some(got.name.as_str()),
        data(r.transcript())["name"].as_str()
    );
}

#[tokio::test]
async fn t082_insert_typed_submittable() {
    let (r, saved) = ok(core(82), clients::token, async |c| {
        c.insert(&ApiTestOrder::named("Submit2")).await
    })
    .await;
    assert_eq!(saved.name.as_deref(), data(r.transcript())["name"].as_str());
    assert_eq!(saved.docstatus, Some(frappe_runtime::DocStatus::Draft));
}

#[tokio::test]
async fn erp003_insert_customer() {
    let (r, got) = insert_recorded(erpnext(3), clients::token, "Customer").await;
    same_row(r.transcript(), &got.unwrap());
}

#[tokio::test]
async fn erp004_duplicate_customer_is_renamed() {
    let (r, got) = insert_recorded(erpnext(4), clients::token, "Customer").await;
    let got = got.unwrap();
    same_row(r.transcript(), &got);
    assert_eq!(got["name"], "Wire Customer - 1");
}

#[tokio::test]
async fn erp005_insert_item() {
    let (r, got) = insert_recorded(erpnext(5), clients::token, "Item").await;
    same_row(r.transcript(), &got.unwrap());
}

#[tokio::test]
async fn erp027_insert_todo_on_15_105() {
    let (r, saved) = ok(erpnext(27), clients::token, async |c| {
        c.insert(&new_todo("on 15.105")).await
    })
    .await;
    assert_eq!(saved.name.as_deref(), data(r.transcript())["name"].as_str());
}

async fn insert_error(t: Transcript, doctype: &str, exc: &str) -> Error {
    let (r, got) = insert_recorded(t, clients::token, doctype).await;
    let err = got.unwrap_err();
    check::api_error(r.transcript(), &err, exc);
    err
}

#[tokio::test]
async fn t045_missing_mandatory() {
    let err = insert_error(core(45), "ToDo", "MandatoryError").await;
    assert!(
        matches!(err, Error::Validation(_)) && err.is_validation(),
        "{err:?}"
    );
}

#[tokio::test]
async fn t046_invalid_select() {
    let err = insert_error(core(46), "ToDo", "ValidationError").await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}

#[tokio::test]
async fn t047_invalid_link() {
    let err = insert_error(core(47), "ToDo", "LinkValidationError").await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}

#[tokio::test]
async fn t075_bad_date_is_server_error() {
    let err = insert_error(core(75), "API Test Order", "OperationalError").await;
    assert!(matches!(err, Error::Server(_)), "{err:?}");
}

#[tokio::test]
async fn t076_child_row_missing_mandatory() {
    let err = insert_error(core(76), "API Test Order", "MandatoryError").await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}

#[tokio::test]
async fn t128_limited_create_forbidden() {
    let (r, got) = insert_recorded(core(128), clients::limited, "Role").await;
    let err = got.unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "PermissionError");
}

#[tokio::test]
async fn erp026_missing_mandatory_on_15_105() {
    let err = insert_error(erpnext(26), "ToDo", "MandatoryError").await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}
