//! Request building beyond the transcripts: sites in a sub-path, extra headers, percent-encoded
//! names, OAuth bearer refresh, and the report endpoints (fixtures are our own, in Frappe's
//! response format as described in WIRE.md).

use frappe_runtime::{Auth, Client, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::mock::{json_ok, received, routes};

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
async fn query_report_sends_filters_as_json_and_decodes_columns_and_rows() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.desk.query_report.run"))
        .and(query_param("report_name", "General Ledger"))
        .respond_with(json_ok(json!({"message": {
            "columns": [
                {"fieldname": "account", "label": "Account", "fieldtype": "Link", "options": "Account", "width": 180},
                "Debit:Currency/currency:120"
            ],
            "result": [{"account": "Debtors - TC", "debit": 61.0}],
            "add_total_row": 0
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    let report = client
        .query_report("General Ledger")
        .filter("company", "Test Co")
        .filter("voucher_no", "ACC-SINV-2026-00001")
        .run()
        .await
        .unwrap();
    assert_eq!(report.columns.len(), 2);
    assert_eq!(report.columns[0].fieldname.as_deref(), Some("account"));
    assert_eq!(report.columns[1].label.as_deref(), Some("Debit"));
    assert_eq!(report.columns[1].fieldtype.as_deref(), Some("Currency"));
    assert_eq!(report.result[0]["debit"], 61.0);
    let req = &received(&server).await[0];
    let filters = req
        .url
        .query_pairs()
        .find(|(k, _)| k == "filters")
        .map(|(_, v)| serde_json::from_str::<Value>(&v).unwrap());
    assert_eq!(
        filters,
        Some(json!({"company": "Test Co", "voucher_no": "ACC-SINV-2026-00001"}))
    );
}

#[tokio::test]
async fn report_view_rows_are_expanded_from_keys_and_values() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.desk.reportview.get"))
        .and(query_param("doctype", "ToDo"))
        .and(query_param("fields", r#"["name","status"]"#))
        .and(query_param("page_length", "2"))
        .respond_with(json_ok(json!({"message": {
            "keys": ["name", "status"],
            "values": [["ro2rh3r4lm", "Open"], ["ro2s4i0qpu", "Cancelled"]]
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    let view = client
        .doctype("ToDo")
        .list()
        .fields(["name", "status"])
        .limit(2)
        .report_view()
        .await
        .unwrap();
    let rows = view.into_rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["status"], "Cancelled");
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    // URL parsing would resolve "." / ".." (even percent-encoded) and address another route.
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).build().unwrap();
    for name in [".", ".."] {
        let err = client.doctype("ToDo").delete(name).await.unwrap_err();
        assert!(
            matches!(err, frappe_runtime::Error::InvalidInput(_)),
            "{name}: {err:?}"
        );
    }
    assert!(received(&server).await.is_empty());
}
