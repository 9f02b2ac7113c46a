//! The v2 API (`ApiVersion::V2`): documents under `/api/v2/document`, methods under
//! `/api/v2/method` answering `{"data": ..}`, the count and meta routes, and v2 error bodies
//! (core 131-136, 138-141, 143-156, 159, 171, 174; ERPNext 018, 019, 033, 034).

use frappe_runtime::{ApiVersion, DocStatus, Error, Row};
use serde_json::{Value, json};

use crate::docs::*;
use crate::exchange::{data, fails, insert_recorded, ok, typed_doc};
use crate::support::transcript::Transcript;
use crate::support::{check, clients, core, erpnext};

/// A v2 error: status, `errors[0].type`, its message as plain text.
fn v2_error(t: &Transcript, err: &Error, exc: &str) {
    let f = &t.file;
    assert_eq!(err.status(), Some(t.response.status), "{f}: {err:?}");
    assert_eq!(err.exc_type(), Some(exc), "{f}: {err:?}");
    let first = &t.response_json()["errors"][0];
    if let Some(m) = first["message"].as_str() {
        assert_eq!(err.api_error().unwrap().message, check::words(m), "{f}");
    }
    assert!(!err.to_string().contains("Traceback"), "{f}: {err}");
}

#[tokio::test]
async fn t133_ping() {
    let (_, pong) = ok(core(133), clients::token_v2, async |c| c.ping().await).await;
    assert_eq!(pong, "pong");
}

#[tokio::test]
async fn t134_logged_user() {
    let (_, user) = ok(core(134), clients::token_v2, async |c| {
        c.logged_user().await
    })
    .await;
    assert_eq!(user, "Administrator");
}

async fn list_default(t: Transcript) {
    let (r, got) = ok(t, clients::token_v2, async |c| {
        c.doctype("ToDo").list().send().await
    })
    .await;
    assert_eq!(&json!(got), data(r.transcript()));
}

#[tokio::test]
async fn t135_list_default() {
    list_default(core(135)).await;
}

#[tokio::test]
async fn t171_list_default_page() {
    list_default(core(171)).await;
}

#[tokio::test]
async fn erp034_list_default_on_15_105() {
    list_default(erpnext(34)).await;
}

#[tokio::test]
async fn t136_list_fields_filters_limit_order() {
    let (r, got) = ok(core(136), clients::token_v2, async |c| {
        c.list::<ToDoStatusPriority>()
            .filter(ToDoStatusPriority::status.eq("Open"))
            .limit(2)
            .order_by("creation asc")
            .send()
            .await
    })
    .await;
    check::same_as_recorded(&r.transcript().file, &got, data(r.transcript()));
}

#[tokio::test]
async fn t159_list_invalid_field() {
    let (r, err) = fails(core(159), clients::token_v2, async |c| {
        c.doctype("ToDo").list().fields(["nope_field"]).send().await
    })
    .await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    v2_error(r.transcript(), &err, "DataError");
}

#[tokio::test]
async fn t138_get_doc() {
    typed_doc::<ToDo>(core(138), clients::token_v2, async |c| {
        c.get("ro2rh3r4lm").await
    })
    .await;
}

#[tokio::test]
async fn erp019_get_sales_invoice() {
    let (_, got): (_, SalesInvoice) = typed_doc(erpnext(19), clients::token_v2, async |c| {
        c.get("ACC-SINV-2026-00002").await
    })
    .await;
    assert_eq!(got.docstatus, DocStatus::Submitted);
}

async fn get_missing(t: Transcript, name: &str) {
    let (r, err) = fails(t, clients::token_v2, async |c| {
        c.doctype("ToDo").get(name).await
    })
    .await;
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    v2_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t139_get_missing() {
    get_missing(core(139), "doesnotexist123").await;
}

#[tokio::test]
async fn erp033_get_missing_on_15_105() {
    get_missing(erpnext(33), "nope").await;
}

#[tokio::test]
async fn t131_limited_get_forbidden() {
    let (r, err) = fails(core(131), clients::limited_v2, async |c| {
        c.doctype("Contact").get("Ada Lovelace").await
    })
    .await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    v2_error(r.transcript(), &err, "PermissionError");
}

#[tokio::test]
async fn t140_insert() {
    let doc = NewToDo {
        description: Some("v2 created".into()),
        priority: Some("High".into()),
        ..NewToDo::empty()
    };
    let (_, saved) = ok(core(140), clients::token_v2, async |c| c.insert(&doc).await).await;
    assert_eq!(saved.name.as_deref(), Some("ro4b7dhbef"));
}

#[tokio::test]
async fn t141_insert_missing_mandatory() {
    let doc = NewToDo {
        priority: Some("High".into()),
        ..NewToDo::empty()
    };
    let (r, err) = fails(core(141), clients::token_v2, async |c| c.insert(&doc).await).await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    v2_error(r.transcript(), &err, "MandatoryError");
}

#[tokio::test]
async fn t149_insert_submittable_with_child() {
    let (r, got) = insert_recorded(core(149), clients::token_v2, "API Test Order").await;
    assert_eq!(&Value::from(got.unwrap()), data(r.transcript()));
}

#[tokio::test]
async fn t143_update_put() {
    let (_, got): (_, ToDo) = ok(core(143), clients::token_v2, async |c| {
        c.update("ro4b7dhbef", &json!({"description": "v2 put"}))
            .await
    })
    .await;
    assert_eq!(got.description, "v2 put");
}

#[tokio::test]
async fn t144_delete() {
    ok(core(144), clients::token_v2, async |c| {
        c.delete::<ToDoName>("ro4b7dhbef").await
    })
    .await;
}

#[tokio::test]
async fn t145_delete_missing() {
    let (r, err) = fails(core(145), clients::token_v2, async |c| {
        c.delete::<ToDoName>("ro4b7dhbef").await
    })
    .await;
    v2_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t132_limited_delete_forbidden() {
    let (r, err) = fails(core(132), clients::limited_v2, async |c| {
        c.doctype("Note").delete("ro48dk59kh").await
    })
    .await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    v2_error(r.transcript(), &err, "PermissionError");
}

#[tokio::test]
async fn t146_count() {
    let (_, n) = ok(core(146), clients::token_v2, async |c| {
        c.list::<ToDoName>().count().await
    })
    .await;
    assert_eq!(n, 10);
}

#[tokio::test]
async fn t147_count_filtered() {
    let (r, n) = ok(core(147), clients::token_v2, async |c| {
        c.list::<ToDoStatus>()
            .filter(ToDoStatus::status.eq("Open"))
            .count()
            .await
    })
    .await;
    assert_eq!(json!(n), *data(r.transcript()));
}

#[tokio::test]
async fn t148_doctype_meta() {
    let (r, meta) = ok(core(148), clients::token, async |c| {
        c.doctype_meta("ToDo").await
    })
    .await;
    assert_eq!(&Value::from(meta.clone()), data(r.transcript()));
    assert_eq!(meta["name"], "ToDo");
}

#[tokio::test]
async fn t150_document_method_submit() {
    let (_, got): (_, ApiTestOrder) = ok(core(150), clients::token_v2, async |c| {
        c.run_doc_method::<ApiTestOrder, _>("ATO-00006", "submit", &())
            .await
    })
    .await;
    assert_eq!(got.docstatus, Some(DocStatus::Submitted));
}

#[tokio::test]
async fn erp018_submit_sales_invoice_by_method() {
    let (_, got): (_, SalesInvoice) = ok(erpnext(18), clients::token_v2, async |c| {
        c.run_doc_method::<SalesInvoice, _>("ACC-SINV-2026-00002", "submit", &())
            .await
    })
    .await;
    assert_eq!(got.docstatus, DocStatus::Submitted);
}

#[tokio::test]
async fn t151_document_method_not_whitelisted_is_html_404() {
    let (_, err) = fails(core(151), clients::token_v2, async |c| {
        c.run_doc_method::<ApiTestOrder, Value>("ATO-00006", "on_submit", &())
            .await
    })
    .await;
    assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
    assert!(err.is_not_found());
    assert!(
        err.to_string().contains("Method on_submit not found"),
        "{err}"
    );
}

async fn method_error(t: Transcript, method: &str, exc: &str) -> Error {
    let (r, err) = fails(t, clients::token_v2, async |c| {
        c.call(method).get::<Value>().await
    })
    .await;
    v2_error(r.transcript(), &err, exc);
    err
}

#[tokio::test]
async fn t152_method_not_whitelisted() {
    let err = method_error(core(152), "frappe.utils.now", "PermissionError").await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
}

#[tokio::test]
async fn t153_method_unknown() {
    let err = method_error(core(153), "frappe.no_such_module.fn", "ValidationError").await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}

#[tokio::test]
async fn t154_doctype_controller_method() {
    #[derive(serde::Deserialize)]
    struct Zones {
        timezones: Vec<String>,
    }
    let (_, got): (_, Zones) = ok(core(154), clients::token_v2, async |c| {
        c.call("User/get_timezones").get().await
    })
    .await;
    assert!(got.timezones.iter().any(|z| z == "Asia/Kolkata"));
}

#[tokio::test]
async fn t155_get_value_data_envelope() {
    let (_, got): (_, Row) = ok(core(155), clients::token_v2, async |c| {
        c.call("frappe.client.get_value")
            .arg("doctype", "ToDo")
            .arg("fieldname", "status")
            .arg("filters", json!({"name": "ro2rh3r4lm"}))
            .get()
            .await
    })
    .await;
    assert_eq!(got["status"], "Open");
}

#[tokio::test]
async fn t156_no_auth_forbidden() {
    let (r, err) = fails(core(156), clients::guest, async |c| {
        c.with_api_version(frappe_runtime::ApiVersion::V2)
            .doctype("ToDo")
            .list()
            .send()
            .await
    })
    .await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    v2_error(r.transcript(), &err, "PermissionError");
}

#[tokio::test]
async fn t157_wrong_token_unauthorized() {
    let wrong_v2 = |uri: &str| clients::wrong_secret(uri).with_api_version(ApiVersion::V2);
    let (r, err) = fails(core(157), wrong_v2, async |c| {
        c.doctype("ToDo").list().send().await
    })
    .await;
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    v2_error(r.transcript(), &err, "AuthenticationError");
}

#[tokio::test]
async fn t174_run_doc_method_needs_modified() {
    let t = core(174);
    let args = t.request_value().clone();
    let (r, err) = fails(t, clients::token_v2, async |c| {
        c.call("run_doc_method").args(args).post::<Value>().await
    })
    .await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    v2_error(r.transcript(), &err, "TimestampMismatchError");
}
