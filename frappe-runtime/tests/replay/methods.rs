//! Whitelisted methods called directly with `Client::call`, including `frappe.client.*`
//! functions the helpers do not wrap (core 088, 089, 092-098, 101, 105-107, 109-113, 173;
//! ERPNext 002, 023).

use frappe_runtime::{Error, Row};
use serde_json::{Value, json};

use crate::docs::*;
use crate::exchange::{fails, ok, run};
use crate::support::transcript::Transcript;
use crate::support::{Replay, check, clients, core, erpnext};

fn message(t: &Transcript) -> &Value {
    &t.response_json()["message"]
}

#[tokio::test]
async fn t088_get_value_single_field_by_name() {
    // The helper always sends `fieldname` as a list; 088 sent a bare string, so replay it as a
    // plain method call (string arguments go into the query as they are).
    let (_, got): (_, Row) = ok(core(88), clients::token, async |c| {
        c.call("frappe.client.get_value")
            .arg("doctype", "ToDo")
            .arg("fieldname", "status")
            .arg("filters", "ro2rh3r4lm")
            .get()
            .await
    })
    .await;
    assert_eq!(got["status"], "Open");
}

#[tokio::test]
async fn t089_get_value_no_match_is_empty() {
    let (_, got): (_, Row) = ok(core(89), clients::token, async |c| {
        c.call("frappe.client.get_value")
            .arg("doctype", "ToDo")
            .arg("fieldname", "status")
            .arg("filters", json!({"name": "nope"}))
            .get()
            .await
    })
    .await;
    assert!(got.is_empty(), "no match is an empty object: {got:?}");
}

#[tokio::test]
async fn t092_set_value_by_get_is_forbidden() {
    let (r, err) = fails(core(92), clients::token, async |c| c.call("frappe.client.set_value").args(json!({"doctype": "ToDo", "name": "ro2sqn4l9i", "fieldname": "priority", "value": "High"})).get::<Value>().await).await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "PermissionError");
}

#[tokio::test]
async fn t093_get_list_by_post() {
    let t = core(93);
    let args = t.request_value().clone();
    let (r, got): (_, Vec<ToDoStatus>) = ok(t, clients::token, async |c| {
        c.call("frappe.client.get_list").args(args).post().await
    })
    .await;
    check::same_as_recorded(&r.transcript().file, &got, message(r.transcript()));
}

#[tokio::test]
async fn t094_get_list_by_get() {
    let (r, got): (_, Vec<ToDoStatus>) = ok(core(94), clients::token, async |c| {
        c.call("frappe.client.get_list")
            .arg("doctype", "ToDo")
            .arg("fields", ["name", "status"])
            .arg("limit_page_length", 2)
            .get()
            .await
    })
    .await;
    check::same_as_recorded(&r.transcript().file, &got, message(r.transcript()));
}

async fn get_list_default(t: Transcript) {
    let (r, got): (_, Vec<Row>) = ok(t, clients::token, async |c| {
        c.call("frappe.client.get_list")
            .arg("doctype", "ToDo")
            .get()
            .await
    })
    .await;
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
    let (r, err) = fails(core(112), clients::guest, async |c| {
        c.call("frappe.client.get_list")
            .arg("doctype", "ToDo")
            .get::<Vec<Row>>()
            .await
    })
    .await;
    check::api_error(r.transcript(), &err, "PermissionError");
}

async fn client_get(
    t: Transcript,
    doctype: &str,
    name: &str,
) -> (Replay, frappe_runtime::Result<Row>) {
    run(t, clients::token, async |c| {
        c.call("frappe.client.get")
            .arg("doctype", doctype)
            .arg("name", name)
            .get()
            .await
    })
    .await
}

#[tokio::test]
async fn t096_client_get() {
    let (r, got) = client_get(core(96), "ToDo", "ro2rh3r4lm").await;
    let got: ToDo = serde_json::from_value(Value::from(got.unwrap())).unwrap();
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
async fn t101_client_save() {
    let t = core(101);
    let doc = t.request_value()["doc"].clone();
    let (r, got): (_, Row) = ok(t, clients::token, async |c| {
        c.call("frappe.client.save").arg("doc", doc).post().await
    })
    .await;
    assert_eq!(Value::from(got), *message(r.transcript()));
}

async fn method_error(t: Transcript, method: &str, exc: &str) -> Error {
    let (r, err) = fails(t, clients::token, async |c| {
        c.call(method).get::<Value>().await
    })
    .await;
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
    let (_, user): (_, String) = ok(core(110), clients::token, async |c| {
        c.call("frappe.auth.get_logged_user").post().await
    })
    .await;
    assert_eq!(user, "Administrator");
}

#[tokio::test]
async fn t111_typed_method_result() {
    #[derive(serde::Deserialize)]
    struct TimeZone {
        time_zone: String,
    }
    let (_, tz): (_, TimeZone) = ok(core(111), clients::token, async |c| {
        c.call("frappe.client.get_time_zone").get().await
    })
    .await;
    assert_eq!(tz.time_zone, "Asia/Kolkata");
}

async fn versions(t: Transcript) {
    let (r, got): (_, Value) = ok(t, clients::token, async |c| {
        c.call("frappe.utils.change_log.get_versions").get().await
    })
    .await;
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
    let (r, got): (_, Row) = ok(t, clients::token, async |c| {
        c.call("erpnext.stock.get_item_details.get_item_details")
            .arg("args", args)
            .get()
            .await
    })
    .await;
    assert_eq!(Value::from(got.clone()), *message(r.transcript()));
    assert_eq!(got["price_list_rate"], 25.0);
}
