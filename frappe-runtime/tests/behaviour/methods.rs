//! Whitelisted methods: a method that returns nothing, the server messages it printed, and a
//! success status whose body carries an exception.

use frappe_runtime::{Auth, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::mock::{fast_client, json_response};

#[tokio::test]
async fn method_without_message_is_unit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.client.delete"))
        .respond_with(json_response(200, json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.client.rename_doc"))
        .respond_with(json_response(
            200,
            json!({"message": "B", "_server_messages": "[\"{\\\"message\\\": \\\"Renamed <b>A</b>\\\", \\\"alert\\\": 1}\"]"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "s"));
    c.frappe_client().delete("ToDo", "t1").await.unwrap();
    let renamed = c
        .call("frappe.client.rename_doc")
        .args(json!({"doctype": "Role", "old_name": "A", "new_name": "B"}))
        .post_with_messages::<String>()
        .await
        .unwrap();
    assert_eq!(renamed.value, "B");
    assert_eq!(renamed.server_messages[0].message, "Renamed A");
}

#[tokio::test]
async fn a_200_carrying_an_exception_is_an_error() {
    // What Frappe sends for an exception whose http_status_code is 200 (RequestToken, an app's).
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/app.need_token"))
        .respond_with(json_response(
            200,
            json!({"exc_type": "RequestToken", "exception": "frappe.exceptions.RequestToken: token needed"}),
        ))
        .expect(3)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "api-secret"));
    let call = || c.call("app.need_token");
    let untyped = call().get::<Value>().await.unwrap_err();
    assert!(matches!(untyped, Error::Api(_)), "{untyped:?}");
    assert_eq!(untyped.exc_type(), Some("RequestToken"));
    assert_eq!(
        untyped.to_string(),
        "request failed: HTTP 200 RequestToken: token needed"
    );
    let typed = c
        .call("app.need_token")
        .get::<Option<String>>()
        .await
        .unwrap_err();
    assert!(matches!(typed, Error::Api(_)), "{typed:?}");
    let whole = call().get_body::<Value>().await.unwrap_err();
    assert!(matches!(whole, Error::Api(_)), "{whole:?}");
}
