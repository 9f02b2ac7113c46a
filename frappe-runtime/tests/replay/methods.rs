//! Whitelisted methods and the `frappe.client.*` helpers (core 086-113, 130, 169, 173;
//! ERPNext 002, 023, 037).

use frappe_runtime::{Error, Lookup, Row};
use serde_json::{Value, json};

use crate::docs::*;
use crate::support::transcript::Transcript;
use crate::support::{Replay, check, clients, core, erpnext};

fn message(t: &Transcript) -> &Value {
    &t.response_json()["message"]
}

#[tokio::test]
async fn t086_get_count_helper() {
    let r = Replay::start(core(86)).await;
    let n = clients::token(&r.uri())
        .frappe_client()
        .get_count("ToDo", Some(json!({"status": "Open"})))
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(json!(n), *message(r.transcript()));
}

#[tokio::test]
async fn t086_typed_list_count() {
    let r = Replay::start(core(86)).await;
    let n = clients::token(&r.uri())
        .list::<ToDoStatus>()
        .filter(ToDoStatus::status.eq("Open"))
        .count()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(n, 6);
}

#[tokio::test]
async fn t130_get_count_for_limited_user() {
    let r = Replay::start(core(130)).await;
    let n = clients::limited(&r.uri())
        .frappe_client()
        .get_count("Role", None)
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(n, 29);
}

#[tokio::test]
async fn t087_get_value_fields_by_filters() {
    let r = Replay::start(core(87)).await;
    let got: Option<Row> = clients::token(&r.uri())
        .frappe_client()
        .get_value(
            "ToDo",
            &["description", "status"],
            Lookup::from(json!({"name": "ro2rh3r4lm"})),
        )
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(Value::Object(got.unwrap()), *message(r.transcript()));
}

#[tokio::test]
async fn t088_get_value_single_field_by_name() {
    // The helper always sends `fieldname` as a list; 088 sent a bare string, so replay it as a
    // plain method call (string arguments go into the query as they are).
    let r = Replay::start(core(88)).await;
    let got: Row = clients::token(&r.uri())
        .call("frappe.client.get_value")
        .arg("doctype", "ToDo")
        .arg("fieldname", "status")
        .arg("filters", "ro2rh3r4lm")
        .get()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(got["status"], "Open");
}

#[tokio::test]
async fn t089_get_value_no_match_is_empty() {
    let r = Replay::start(core(89)).await;
    let got: Row = clients::token(&r.uri())
        .call("frappe.client.get_value")
        .arg("doctype", "ToDo")
        .arg("fieldname", "status")
        .arg("filters", json!({"name": "nope"}))
        .get()
        .await
        .unwrap();
    r.assert_requests().await;
    assert!(got.is_empty(), "no match is an empty object: {got:?}");
}

#[tokio::test]
async fn t090_set_value() {
    let r = Replay::start(core(90)).await;
    let got = clients::token(&r.uri())
        .frappe_client()
        .set_value("ToDo", "ro2sqn4l9i", "priority", "High")
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(Value::Object(got), *message(r.transcript()));
}

#[tokio::test]
async fn t091_set_values_dict() {
    let r = Replay::start(core(91)).await;
    let got = clients::token(&r.uri())
        .frappe_client()
        .set_values(
            "ToDo",
            "ro2sqn4l9i",
            &json!({"priority": "Medium", "status": "Open"}),
        )
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(got["status"], "Open");
}

#[tokio::test]
async fn t092_set_value_by_get_is_forbidden() {
    let r = Replay::start(core(92)).await;
    let err = clients::token(&r.uri())
        .call::<Value>("frappe.client.set_value")
        .args(json!({"doctype": "ToDo", "name": "ro2sqn4l9i", "fieldname": "priority", "value": "High"}))
        .get()
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "PermissionError");
}

#[tokio::test]
async fn t093_get_list_by_post() {
    let t = core(93);
    let args = t.request_value().clone();
    let r = Replay::start(t).await;
    let got: Vec<ToDoStatus> = clients::token(&r.uri())
        .call("frappe.client.get_list")
        .args(args)
        .post()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, message(r.transcript()));
}

#[tokio::test]
async fn t094_get_list_by_get() {
    let r = Replay::start(core(94)).await;
    let got: Vec<ToDoStatus> = clients::token(&r.uri())
        .call("frappe.client.get_list")
        .arg("doctype", "ToDo")
        .arg("fields", ["name", "status"])
        .arg("limit_page_length", 2)
        .get()
        .await
        .unwrap();
    r.assert_requests().await;
    check::same_as_recorded(&r.transcript().file, &got, message(r.transcript()));
}

async fn get_list_default(t: Transcript) {
    let r = Replay::start(t).await;
    let got: Vec<Row> = clients::token(&r.uri())
        .call("frappe.client.get_list")
        .arg("doctype", "ToDo")
        .get()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(json!(got), *message(r.transcript()));
}

#[tokio::test]
async fn t095_get_list_default() {
    get_list_default(core(95)).await;
}

#[tokio::test]
async fn t173_get_list_default_page_of_twenty() {
    get_list_default(core(173)).await;
}

#[tokio::test]
async fn t112_get_list_as_guest_is_forbidden() {
    let r = Replay::start(core(112)).await;
    let err = clients::guest(&r.uri())
        .call::<Vec<Row>>("frappe.client.get_list")
        .arg("doctype", "ToDo")
        .get()
        .await
        .unwrap_err();
    r.assert_requests().await;
    check::api_error(r.transcript(), &err, "PermissionError");
}

async fn client_get(
    t: Transcript,
    doctype: &str,
    name: &str,
) -> (Replay, frappe_runtime::Result<Row>) {
    let r = Replay::start(t).await;
    let got = clients::token(&r.uri())
        .call("frappe.client.get")
        .arg("doctype", doctype)
        .arg("name", name)
        .get()
        .await;
    r.assert_requests().await;
    (r, got)
}

#[tokio::test]
async fn t096_client_get() {
    let (r, got) = client_get(core(96), "ToDo", "ro2rh3r4lm").await;
    let got: ToDo = serde_json::from_value(Value::Object(got.unwrap())).unwrap();
    check::same_fields(&r.transcript().file, &got, message(r.transcript()));
}

#[tokio::test]
async fn t097_client_get_unknown_doctype() {
    let (r, got) = client_get(core(97), "No Such DocType", "x").await;
    let err = got.unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "ImportError");
}

#[tokio::test]
async fn t098_client_get_missing_doc() {
    let (r, got) = client_get(core(98), "ToDo", "nope").await;
    let err = got.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t099_client_insert() {
    let r = Replay::start(core(99)).await;
    let got = clients::token(&r.uri())
        .frappe_client()
        .insert(&json!({"doctype": "ToDo", "description": "via frappe.client.insert"}))
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(Value::Object(got), *message(r.transcript()));
}

#[tokio::test]
async fn t108_client_insert_missing_mandatory() {
    let r = Replay::start(core(108)).await;
    let err = clients::token(&r.uri())
        .frappe_client()
        .insert(&json!({"doctype": "ToDo"}))
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "MandatoryError");
}

#[tokio::test]
async fn t100_insert_many() {
    let r = Replay::start(core(100)).await;
    // Without `doctype` in the docs: the helper fills it in.
    let docs = [
        json!({"description": "many 1"}),
        json!({"description": "many 2"}),
    ];
    let names = clients::token(&r.uri())
        .frappe_client()
        .insert_many("ToDo", &docs)
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(json!(names), *message(r.transcript()));
}

#[tokio::test]
async fn t169_insert_many_over_200_refused_by_server() {
    // The helper never sends more than 200 (see the behaviour tests); a raw call can, and the
    // server's refusal must come through as a validation error.
    let t = core(169);
    let docs = t.request_value()["docs"].clone();
    assert_eq!(docs.as_array().unwrap().len(), 201);
    let r = Replay::start(t).await;
    let err = clients::token(&r.uri())
        .call::<Vec<String>>("frappe.client.insert_many")
        .arg("docs", docs)
        .post()
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "ValidationError");
    assert!(
        err.to_string().contains("Only 200 inserts allowed"),
        "{err}"
    );
}

#[tokio::test]
async fn t101_client_save() {
    let t = core(101);
    let doc = t.request_value()["doc"].clone();
    let r = Replay::start(t).await;
    let got: Row = clients::token(&r.uri())
        .call("frappe.client.save")
        .arg("doc", doc)
        .post()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(Value::Object(got), *message(r.transcript()));
}

#[tokio::test]
async fn t102_rename_doc() {
    let r = Replay::start(core(102)).await;
    let new_name = clients::token(&r.uri())
        .frappe_client()
        .rename_doc("Role", "Dup Test Role", "Dup Test Role Renamed", false)
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(new_name, "Dup Test Role Renamed");
}

#[tokio::test]
async fn t102_rename_doc_server_messages() {
    let r = Replay::start(core(102)).await;
    let got = clients::token(&r.uri())
        .call::<String>("frappe.client.rename_doc")
        .args(json!({"doctype": "Role", "old_name": "Dup Test Role", "new_name": "Dup Test Role Renamed"}))
        .post_with_messages()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(got.value, "Dup Test Role Renamed");
    assert_eq!(got.server_messages.len(), 1);
    let m = &got.server_messages[0];
    assert_eq!(
        m.message,
        "Document renamed from Dup Test Role to Dup Test Role Renamed"
    );
    assert!(m.alert);
    assert_eq!(m.indicator.as_deref(), Some("green"));
}

#[tokio::test]
async fn t103_client_delete_returns_empty_object() {
    let r = Replay::start(core(103)).await;
    clients::token(&r.uri())
        .frappe_client()
        .delete("ToDo", "ro3mkdgb6r")
        .await
        .unwrap();
    r.assert_requests().await;
}

async fn delete_missing(t: Transcript, doctype: &str, name: &str) {
    let r = Replay::start(t).await;
    let err = clients::token(&r.uri())
        .frappe_client()
        .delete(doctype, name)
        .await
        .unwrap_err();
    r.assert_requests().await;
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "DoesNotExistError");
}

#[tokio::test]
async fn t104_client_delete_missing() {
    delete_missing(core(104), "ToDo", "ro3mkdgb6r").await;
}

#[tokio::test]
async fn erp037_client_delete_missing_customer() {
    delete_missing(erpnext(37), "Customer", "does not exist").await;
}

async fn method_error(t: Transcript, method: &str, exc: &str) -> Error {
    let r = Replay::start(t).await;
    let err = clients::token(&r.uri())
        .call::<Value>(method)
        .get()
        .await
        .unwrap_err();
    r.assert_requests().await;
    check::api_error(r.transcript(), &err, exc);
    err
}

#[tokio::test]
async fn t105_not_whitelisted_is_forbidden() {
    let err = method_error(core(105), "frappe.utils.now", "PermissionError").await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
}

#[tokio::test]
async fn t106_unknown_module_is_validation() {
    let err = method_error(core(106), "frappe.no_such_module.fn", "ValidationError").await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}

#[tokio::test]
async fn t107_unknown_function_is_validation() {
    let err = method_error(core(107), "frappe.client.no_such_fn", "ValidationError").await;
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}

#[tokio::test]
async fn t109_missing_argument_is_server_error() {
    let err = method_error(core(109), "frappe.client.get_count", "TypeError").await;
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    let api = err.api_error().unwrap();
    assert!(api.traceback.as_deref().unwrap().contains("Traceback"));
    assert!(!err.to_string().contains("Traceback"));
}

#[tokio::test]
async fn t110_method_by_post_without_args() {
    let r = Replay::start(core(110)).await;
    let user: String = clients::token(&r.uri())
        .call("frappe.auth.get_logged_user")
        .post()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(user, "Administrator");
}

#[tokio::test]
async fn t111_typed_method_result() {
    #[derive(serde::Deserialize)]
    struct TimeZone {
        time_zone: String,
    }
    let r = Replay::start(core(111)).await;
    let tz: TimeZone = clients::token(&r.uri())
        .call("frappe.client.get_time_zone")
        .get()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(tz.time_zone, "Asia/Kolkata");
}

async fn versions(t: Transcript) {
    let r = Replay::start(t).await;
    let got: Value = clients::token(&r.uri())
        .call("frappe.utils.change_log.get_versions")
        .get()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(got, *message(r.transcript()));
    assert!(
        got["frappe"]["version"]
            .as_str()
            .unwrap()
            .starts_with("15.")
    );
}

#[tokio::test]
async fn t113_get_versions() {
    versions(core(113)).await;
}

#[tokio::test]
async fn erp002_get_versions_with_erpnext() {
    versions(erpnext(2)).await;
}

#[tokio::test]
async fn erp023_erpnext_method_with_json_arg() {
    let t = erpnext(23);
    let args: Value =
        serde_json::from_str(t.request.query.as_ref().unwrap()["args"].as_str().unwrap()).unwrap();
    let r = Replay::start(t).await;
    let got: Row = clients::token(&r.uri())
        .call("erpnext.stock.get_item_details.get_item_details")
        .arg("args", args)
        .get()
        .await
        .unwrap();
    r.assert_requests().await;
    assert_eq!(Value::Object(got.clone()), *message(r.transcript()));
    assert_eq!(got["price_list_rate"], 25.0);
}
