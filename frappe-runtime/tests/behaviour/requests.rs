//! Request building beyond the transcripts: sites in a sub-path, extra headers, percent-encoded
//! names, OAuth bearer refresh, the count routes, and the v2 API's paths, page parameters and
//! envelopes (fixtures are our own, in Frappe's response format as described in WIRE.md).

use frappe_runtime::{Auth, Client, Error, RetryPolicy, Row};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::mock::{fast_client, json_ok, json_response, received, routes};

#[tokio::test]
async fn site_in_a_sub_path_with_site_name_and_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/erp/api/method/ping"))
        .and(header("accept", "application/json"))
        .and(header("x-frappe-site-name", "erp.localhost"))
        .and(header("user-agent", "wire-tests/1"))
        .respond_with(json_ok(json!({"message": "pong"})))
        .expect(2)
        .mount(&server)
        .await;
    for base in [
        format!("{}/erp", server.uri()),
        format!("{}/erp/", server.uri()),
    ] {
        let client = Client::builder(base)
            .site_name("erp.localhost")
            .user_agent("wire-tests/1")
            .build()
            .unwrap();
        assert_eq!(client.ping().await.unwrap(), "pong");
    }
}

#[tokio::test]
async fn names_are_percent_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(json_ok(json!({"data": {"name": "x"}})))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    client
        .doctype("Sales Invoice")
        .get("ACC/2026 50% ü#1?")
        .await
        .unwrap();
    let req = &received(&server).await[0];
    assert_eq!(
        req.url.path(),
        "/api/resource/Sales%20Invoice/ACC%2F2026%2050%25%20%C3%BC%231%3F"
    );
    assert_eq!(req.url.query(), None);
}

#[tokio::test]
async fn bearer_token_is_refreshed_once_on_401() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer old-access"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"exc_type": "AuthenticationError"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.integrations.oauth2.get_token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=refresh-1"))
        .and(body_string_contains("client_id=client-1"))
        .respond_with(json_ok(json!({
            "access_token": "new-access",
            "refresh_token": "refresh-2",
            "token_type": "Bearer",
            "expires_in": 3600
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer new-access"))
        .respond_with(json_ok(json!({"message": "api@example.com"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .auth(Auth::bearer_with_refresh(
            "old-access",
            "refresh-1",
            "client-1",
        ))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(client.logged_user().await.unwrap(), "api@example.com");
    let order: Vec<String> = routes(&server).await;
    assert_eq!(
        order,
        [
            "GET /api/method/frappe.auth.get_logged_user",
            "POST /api/method/frappe.integrations.oauth2.get_token",
            "GET /api/method/frappe.auth.get_logged_user",
        ]
    );
}

#[tokio::test]
async fn sub_path_site_and_extra_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/erp/api/resource/Sales%20Invoice/SINV%2F001"))
        .and(header("x-frappe-site-name", "erp.localhost"))
        .and(header("accept", "application/json"))
        .respond_with(json_response(200, json!({"data": {"name": "SINV/001"}})))
        .expect(1)
        .mount(&server)
        .await;
    let c = Client::builder(format!("{}/erp/", server.uri()))
        .site_name("erp.localhost")
        .build()
        .unwrap();
    let doc = c.doctype("Sales Invoice").get("SINV/001").await.unwrap();
    assert_eq!(doc["name"], "SINV/001");
}

#[tokio::test]
async fn count_uses_get_count_or_an_aggregate() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.client.get_count"))
        .and(query_param("doctype", "ToDo"))
        .and(query_param("filters", r#"[["status","=","Open"]]"#))
        .respond_with(json_response(200, json!({"message": 6})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/resource/ToDo"))
        .and(query_param("fields", r#"["count(name) as count"]"#))
        .and(query_param(
            "or_filters",
            r#"[["priority","=","High"],["priority","=","Low"]]"#,
        ))
        .respond_with(json_response(200, json!({"data": [{"count": 4}]})))
        .expect(1)
        .mount(&server)
        .await;
    let todo = fast_client(&server, Auth::token("k", "s")).doctype("ToDo");
    let n = todo
        .list()
        .filter(json!({"status": "Open"}))
        .count()
        .await
        .unwrap();
    assert_eq!(n, 6);
    let n = todo
        .list()
        .or_filter(json!([["priority", "=", "High"], ["priority", "=", "Low"]]))
        .count()
        .await
        .unwrap();
    assert_eq!(n, 4);
}

#[tokio::test]
async fn v2_paths_params_and_envelopes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/document/ToDo"))
        .and(query_param("limit", "2"))
        .and(query_param("start", "2"))
        .and(query_param("limit_start", "2"))
        .respond_with(json_response(200, json!({"data": [{"name": "a"}]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/method/frappe.auth.get_logged_user"))
        .respond_with(json_response(200, json!({"data": "Administrator"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/doctype/ToDo/count"))
        .and(query_param("filters", r#"[["status","=","Open"]]"#))
        .respond_with(json_response(200, json!({"data": 9})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v2/document/API%20Test%20Order/ATO-1/method/submit",
        ))
        .respond_with(json_response(
            200,
            json!({"data": {"name": "ATO-1", "docstatus": 1}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/document/ToDo/missing"))
        .respond_with(json_response(
            404,
            json!({"errors": [{"type": "DoesNotExistError", "message": "ToDo missing not found"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/doctype/ToDo/meta"))
        .respond_with(json_response(
            200,
            json!({"data": {"name": "ToDo", "fields": []}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    // (A one-letter secret would be masked in the error text below, every "s" of it.)
    let v1 = fast_client(&server, Auth::token("k", "api-secret"));
    let c = v1.with_api_version(frappe_runtime::ApiVersion::V2);
    let rows = c
        .doctype("ToDo")
        .list()
        .start(2)
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(c.logged_user().await.unwrap(), "Administrator");
    assert_eq!(
        c.doctype("ToDo")
            .list()
            .filter(json!({"status": "Open"}))
            .count()
            .await
            .unwrap(),
        9
    );
    let submitted: Row = c
        .doctype("API Test Order")
        .run_doc_method("ATO-1", "submit", &())
        .await
        .unwrap();
    assert_eq!(submitted["docstatus"], 1);
    let err = c.doctype("ToDo").get("missing").await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(err.api_error().unwrap().message, "ToDo missing not found");
    // Metadata comes from the v2 route whichever version the handle uses.
    assert_eq!(v1.doctype_meta("ToDo").await.unwrap()["name"], "ToDo");
}
