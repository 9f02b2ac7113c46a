//! Partial updates (PUT), child-table replacement, delete, and submit/cancel of submittable
//! documents (core 052-056, 058, 061, 065-067, 077-085, 127, 129; ERPNext 009-014, 016, 017,
//! 020-022, 028).

use frappe_runtime::{DocStatus, Error};
use serde_json::{Value, json};

use crate::docs::*;
use crate::exchange::{data, fails, insert_recorded, ok, typed_doc, update_recorded};
use crate::support::{check, clients, core, erpnext};

#[tokio::test]
async fn t052_partial_update_typed() {
    let (_, got): (_, ToDo) = typed_doc(core(52), clients::token, async |c| {
        c.update(
            "ro318adepd",
            &json!({"status": "Closed", "description": "Updated via PUT"}),
        )
        .await
    })
    .await;
    assert_eq!(got.status.as_deref(), Some("Closed"));
}

#[tokio::test]
async fn t053_stale_modified_is_timestamp_mismatch() {
    let (r, got) = update_recorded(core(53), clients::token, "ToDo", "ro318adepd").await;
    let err = got.unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "TimestampMismatchError");
}

#[tokio::test]
async fn t054_update_missing_is_not_found() {
    let (r, got) = update_recorded(core(54), clients::token, "ToDo", "doesnotexist123").await;
    let err = got.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t055_update_invalid_select() {
    let (r, got) = update_recorded(core(55), clients::token, "ToDo", "ro318adepd").await;
    check::api_error(r.transcript(), &got.unwrap_err(), "ValidationError");
}

#[tokio::test]
async fn t065_update_replaces_child_rows() {
    let (r, got) = update_recorded(core(65), clients::token, "Contact", "Ada Lovelace").await;
    let got = got.unwrap();
    assert_eq!(&Value::from(got.clone()), data(r.transcript()));
    let typed: Contact = serde_json::from_value(Value::from(got)).unwrap();
    assert_eq!(typed.email_ids.len(), 3);
    assert_eq!(typed.email_ids[1].email_id, "ada.changed@example.com");
}

#[tokio::test]
async fn t066_update_without_table_keeps_rows() {
    let (r, got): (_, Contact) = ok(core(66), clients::token, async |c| {
        c.update("Ada Lovelace", &json!({"designation": "Countess"}))
            .await
    })
    .await;
    assert_eq!(got.designation.as_deref(), Some("Countess"));
    assert_eq!(
        got.email_ids.len(),
        data(r.transcript())["email_ids"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn t067_update_empty_table_removes_rows() {
    let (_, got): (_, Contact) = ok(core(67), clients::token, async |c| {
        c.update("Ada Lovelace", &json!({"phone_nos": []})).await
    })
    .await;
    assert!(got.phone_nos.is_empty());
}

#[tokio::test]
async fn t129_limited_update_forbidden() {
    let (r, err) = fails(core(129), clients::limited, async |c| {
        c.doctype("ToDo")
            .update("ro2rh3r4lm", &json!({"status": "Closed"}))
            .await
    })
    .await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "PermissionError");
}

// --- delete --------------------------------------------------------------------------------

#[tokio::test]
async fn t056_delete_accepted() {
    ok(core(56), clients::token, async |c| {
        c.delete::<ToDoName>("ro318adepd").await
    })
    .await;
}

#[tokio::test]
async fn t061_delete_name_with_spaces() {
    ok(core(61), clients::token, async |c| {
        c.doctype("Role").delete("Link Test Role").await
    })
    .await;
}

#[tokio::test]
async fn erp028_delete_on_15_105() {
    ok(erpnext(28), clients::token, async |c| {
        c.delete::<ToDoName>("qjuebn27ke").await
    })
    .await;
}

#[tokio::test]
async fn t058_delete_missing_is_not_found() {
    let (r, err) = fails(core(58), clients::token, async |c| {
        c.delete::<ToDoName>("doesnotexist123").await
    })
    .await;
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t080_delete_submitted_is_validation() {
    let (r, err) = fails(core(80), clients::token, async |c| {
        c.delete::<ApiTestOrder>("ATO-00001").await
    })
    .await;
    check::api_error(r.transcript(), &err, "ValidationError");
}

#[tokio::test]
async fn t127_limited_delete_forbidden() {
    let (r, err) = fails(core(127), clients::limited, async |c| {
        c.doctype("Note").delete("ro48dk59kh").await
    })
    .await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "PermissionError");
}

// --- submit / cancel -----------------------------------------------------------------------

#[tokio::test]
async fn t077_submit_is_put_docstatus_one() {
    let (_, got): (_, ApiTestOrder) = ok(core(77), clients::token, async |c| {
        c.submit("ATO-00001").await
    })
    .await;
    assert_eq!(got.docstatus, Some(DocStatus::Submitted));
    assert_eq!(
        got.start_time,
        chrono::NaiveTime::from_hms_opt(9, 30, 0),
        "read back as 9:30:00"
    );
    assert_eq!(got.duration, Some(3725.0));
    assert_eq!(got.items.len(), 2);
}

#[tokio::test]
async fn t078_update_after_submit_refused() {
    let (r, got) = update_recorded(core(78), clients::token, "API Test Order", "ATO-00001").await;
    let err = got.unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "UpdateAfterSubmitError");
}

#[tokio::test]
async fn t079_update_allowed_on_submit() {
    let (_, got): (_, ApiTestOrder) = ok(core(79), clients::token, async |c| {
        c.update("ATO-00001", &json!({"notes": "allowed on submit"}))
            .await
    })
    .await;
    assert_eq!(got.notes.as_deref(), Some("allowed on submit"));
}

#[tokio::test]
async fn t081_frappe_client_cancel() {
    let (r, got) = ok(core(81), clients::token, async |c| {
        c.frappe_client()
            .cancel("API Test Order", "ATO-00001")
            .await
    })
    .await;
    assert_eq!(
        &Value::from(got.clone()),
        &r.transcript().response_json()["message"]
    );
    let typed: ApiTestOrder = serde_json::from_value(Value::from(got)).unwrap();
    assert_eq!(typed.docstatus, Some(DocStatus::Cancelled));
}

#[tokio::test]
async fn t083_frappe_client_submit_whole_doc() {
    let t = core(83);
    let doc = t.request_value()["doc"].clone();
    let (r, got) = ok(t, clients::token, async |c| {
        c.frappe_client().submit(&doc).await
    })
    .await;
    assert_eq!(
        &Value::from(got),
        &r.transcript().response_json()["message"]
    );
}

#[tokio::test]
async fn t084_get_submitted_doc() {
    let (_, got): (_, ApiTestOrder) =
        ok(core(84), clients::token, async |c| c.get("ATO-00004").await).await;
    assert_eq!(got.docstatus, Some(DocStatus::Submitted));
}

#[tokio::test]
async fn t085_run_doc_method_v1() {
    let (_, got): (_, ApiTestOrder) = ok(core(85), clients::token, async |c| {
        c.run_doc_method::<ApiTestOrder, _>("ATO-00005", "submit", &())
            .await
    })
    .await;
    assert_eq!(got.docstatus, Some(DocStatus::Submitted));
    assert_eq!(
        got.start_time,
        chrono::NaiveTime::from_hms_micro_opt(16, 32, 22, 870_060)
    );
}

// --- ERPNext: Sales Invoice lifecycle ------------------------------------------------------

#[tokio::test]
async fn erp009_insert_sales_invoice_draft() {
    let (r, got) = insert_recorded(erpnext(9), clients::token, "Sales Invoice").await;
    assert_eq!(&Value::from(got.unwrap()), data(r.transcript()));
}

#[tokio::test]
async fn erp010_get_sales_invoice_typed() {
    let (r, got): (_, SalesInvoice) = typed_doc(erpnext(10), clients::token, async |c| {
        c.get("ACC-SINV-2026-00001").await
    })
    .await;
    assert_eq!(got.docstatus, DocStatus::Draft);
    assert_eq!(
        got.items.len(),
        data(r.transcript())["items"].as_array().unwrap().len()
    );
    assert_eq!(got.items[0].item_code, "WIRE-ITEM-2");
}

#[tokio::test]
async fn erp011_submit_sales_invoice() {
    let (_, got): (_, SalesInvoice) = ok(erpnext(11), clients::token, async |c| {
        c.submit("ACC-SINV-2026-00001").await
    })
    .await;
    assert_eq!(got.docstatus, DocStatus::Submitted);
    assert_eq!(
        got.posting_time,
        chrono::NaiveTime::from_hms_micro_opt(6, 6, 36, 642_034).unwrap(),
        "unpadded H:MM:SS.ffffff"
    );
}

#[tokio::test]
async fn erp012_get_submitted_sales_invoice() {
    typed_doc::<SalesInvoice>(erpnext(12), clients::token, async |c| {
        c.get("ACC-SINV-2026-00001").await
    })
    .await;
}

#[tokio::test]
async fn erp013_update_submitted_invoice_refused() {
    let (r, got) = update_recorded(
        erpnext(13),
        clients::token,
        "Sales Invoice",
        "ACC-SINV-2026-00001",
    )
    .await;
    let exc = r.transcript().response_json()["exc_type"]
        .as_str()
        .unwrap()
        .to_owned();
    check::api_error(r.transcript(), &got.unwrap_err(), &exc);
}

#[tokio::test]
async fn erp014_delete_submitted_invoice_refused() {
    let (r, err) = fails(erpnext(14), clients::token, async |c| {
        c.delete::<SalesInvoice>("ACC-SINV-2026-00001").await
    })
    .await;
    let exc = r.transcript().response_json()["exc_type"]
        .as_str()
        .unwrap()
        .to_owned();
    check::api_error(r.transcript(), &err, &exc);
}

#[tokio::test]
async fn erp016_cancel_sales_invoice() {
    let (_, got) = ok(erpnext(16), clients::token, async |c| {
        c.frappe_client()
            .cancel("Sales Invoice", "ACC-SINV-2026-00001")
            .await
    })
    .await;
    assert_eq!(got["docstatus"], 2);
}

#[tokio::test]
async fn erp017_insert_sales_invoice_defaults() {
    let (r, got) = insert_recorded(erpnext(17), clients::token, "Sales Invoice").await;
    assert_eq!(&Value::from(got.unwrap()), data(r.transcript()));
}

#[tokio::test]
async fn erp022_insert_sales_order() {
    let (r, got) = insert_recorded(erpnext(22), clients::token, "Sales Order").await;
    assert_eq!(&Value::from(got.unwrap()), data(r.transcript()));
}

#[tokio::test]
async fn erp008_fractional_qty_refused() {
    let (r, got) = insert_recorded(erpnext(8), clients::token, "Sales Invoice").await;
    let err = got.unwrap_err();
    let exc = r.transcript().response_json()["exc_type"]
        .as_str()
        .unwrap()
        .to_owned();
    check::api_error(r.transcript(), &err, &exc);
    assert_eq!(
        err.api_error().unwrap().exc_source.as_deref(),
        r.transcript().response_json()["_exc_source"].as_str()
    );
}

#[tokio::test]
async fn erp020_missing_customer() {
    let (r, got) = insert_recorded(erpnext(20), clients::token, "Sales Invoice").await;
    let err = got.unwrap_err();
    check::api_error(r.transcript(), &err, "ValidationError");
    assert_eq!(
        err.api_error().unwrap().exc_source.as_deref(),
        Some("erpnext (app)")
    );
}

#[tokio::test]
async fn erp021_unknown_item_is_not_found() {
    let (r, got) = insert_recorded(erpnext(21), clients::token, "Sales Invoice").await;
    let err = got.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DoesNotExistError");
    assert_eq!(err.api_error().unwrap().message, "Item NOPE-ITEM not found");
}
