//! Reports: `frappe.desk.query_report.run` (filters as JSON, columns in both forms) and the
//! report view (`frappe.desk.reportview.get`: the page as `start` / `page_length`, compressed
//! rows expanded). Fixtures are our own, in Frappe's response format.

use frappe_runtime::{Auth, Client};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};

use crate::mock::{fast_client, json_ok, json_response, received};

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
async fn reports_and_report_view() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.desk.query_report.run"))
        .and(query_param("report_name", "General Ledger"))
        .and(query_param("filters", r#"{"company":"Test Co"}"#))
        .respond_with(json_response(
            200,
            json!({"message": {"columns": [{"fieldname": "account", "label": "Account"}], "result": [{"account": "Cash"}]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.desk.reportview.get"))
        .and(query_param("doctype", "ToDo"))
        .and(query_param("fields", r#"["name","status"]"#))
        .and(query_param("start", "20"))
        .and(query_param("page_length", "10"))
        .respond_with(json_response(
            200,
            json!({"message": {"keys": ["name", "status"], "values": [["t1", "Open"]], "user_info": {}}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "s"));
    let report = c
        .query_report("General Ledger")
        .filter("company", "Test Co")
        .run()
        .await
        .unwrap();
    assert_eq!(report.columns[0].fieldname.as_deref(), Some("account"));
    assert_eq!(report.result[0]["account"], "Cash");
    let view = c
        .doctype("ToDo")
        .list()
        .fields(["name", "status"])
        .start(20)
        .limit(10)
        .report_view()
        .await
        .unwrap();
    assert_eq!(view.into_rows()[0]["status"], "Open");
}
