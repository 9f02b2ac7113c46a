//! The examples' logic (`frappe_examples::tasks`) run against a local mock Frappe server
//! (wiremock on 127.0.0.1): the requests it sends are checked, and the responses are Frappe's
//! shapes (`{"data": ...}`, error bodies with `exc_type`).

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{NaiveDate, NaiveDateTime};
use frappe_examples::erpnext::selling::CustomerType;
use frappe_examples::tasks::{bulk, customers, errors, invoices, sync, webhooks};
use frappe_runtime::{Auth, Client, DocStatus, Error, RetryPolicy};
use futures_util::TryStreamExt as _;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .auth(Auth::token("example-key", "example-secret"))
        .retry(RetryPolicy::none())
        .max_concurrency(3)
        .build()
        .unwrap()
}

/// Matches a query parameter holding JSON by value (spacing and key order do not matter).
struct JsonParam(&'static str, Value);

impl Match for JsonParam {
    fn matches(&self, req: &Request) -> bool {
        req.url
            .query_pairs()
            .find(|(k, _)| k == self.0)
            .and_then(|(_, v)| serde_json::from_str::<Value>(&v).ok())
            .is_some_and(|v| v == self.1)
    }
}

/// Matches a plain query parameter exactly, or its absence (`None`).
struct Param(&'static str, Option<&'static str>);

impl Match for Param {
    fn matches(&self, req: &Request) -> bool {
        let got = req.url.query_pairs().find(|(k, _)| k == self.0);
        got.map(|(_, v)| v.into_owned()).as_deref() == self.1
    }
}

fn frappe_error(status: u16, exc_type: &str, message: &str) -> ResponseTemplate {
    let messages = json!([json!({"message": message, "title": "Message"}).to_string()]);
    ResponseTemplate::new(status).set_body_json(json!({
        "exc_type": exc_type,
        "_server_messages": messages.to_string(),
    }))
}

fn customer_row(name: &str, modified: &str) -> Value {
    json!({
        "name": name, "customer_name": name, "customer_type": "Company", "territory": null,
        "disabled": 0, "modified": modified, "docstatus": 0, "idx": 0,
    })
}

/// Answers an insert like Frappe: the posted document, named after its customer_name, or a
/// 417 for the names in `reject`.
struct InsertCustomer {
    reject: &'static [&'static str],
}

impl Respond for InsertCustomer {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut doc: Value = serde_json::from_slice(&req.body).unwrap();
        let name = doc["customer_name"].as_str().unwrap().to_owned();
        if self.reject.contains(&name.as_str()) {
            return frappe_error(417, "ValidationError", &format!("{name} is not allowed"));
        }
        doc["name"] = json!(name);
        doc["doctype"] = json!("Customer");
        ResponseTemplate::new(200).set_body_json(json!({ "data": doc }))
    }
}

#[tokio::test]
async fn bulk_create_reports_progress_and_never_retries_a_failed_post() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/resource/Customer"))
        .respond_with(InsertCustomer {
            reject: &["Bulk 007", "Bulk 019"],
        })
        .expect(25)
        .mount(&server)
        .await;
    let docs = (1..=25)
        .map(|i| customers::new_customer(&format!("Bulk {i:03}"), CustomerType::Company))
        .collect();
    let calls = AtomicUsize::new(0);
    let mut last = None;
    let outcome = bulk::create_customers(&client(&server), docs, 4, |p| {
        calls.fetch_add(1, Ordering::Relaxed);
        last = Some(p);
    })
    .await;

    assert_eq!(outcome.created.len(), 23);
    assert!(outcome.created.contains(&"Bulk 025".to_owned()));
    let failed: Vec<usize> = outcome.failed.iter().map(|(i, _)| *i).collect();
    assert_eq!(failed, [6, 18]);
    assert!(matches!(outcome.failed[0].1, Error::Validation(_)));
    assert_eq!(calls.load(Ordering::Relaxed), 25);
    let last = last.unwrap();
    assert_eq!((last.done, last.failed, last.total), (25, 2, 25));
    // Exactly one POST per document (`expect(25)` is verified when the server drops), and
    // each carried only what the user filled in: no zeros overriding the site's defaults.
    let bodies: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let first = bodies
        .iter()
        .find(|b| b["customer_name"] == "Bulk 001")
        .unwrap();
    assert_eq!(
        first,
        &json!({"customer_name": "Bulk 001", "customer_type": "Company"})
    );
}

#[tokio::test]
async fn sync_streams_changes_after_the_watermark_page_by_page() {
    let server = MockServer::start().await;
    let since = NaiveDateTime::parse_from_str("2026-03-01 08:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    let filter = json!([["modified", ">", "2026-03-01 08:00:00"]]);
    let page = |start: Option<&'static str>, rows: Vec<Value>| {
        Mock::given(method("GET"))
            .and(path("/api/resource/Customer"))
            .and(JsonParam("filters", filter.clone()))
            .and(Param("order_by", Some("modified asc, name asc")))
            .and(Param("limit_page_length", Some("2")))
            .and(Param("limit_start", start))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": rows })))
            .expect(1)
    };
    page(
        None,
        vec![
            customer_row("A", "2026-03-01 09:00:00.000001"),
            customer_row("B", "2026-03-02 10:00:00.5"),
        ],
    )
    .mount(&server)
    .await;
    page(Some("2"), vec![customer_row("C", "2026-03-01 12:00:00")])
        .mount(&server)
        .await;

    let client = client(&server);
    let mut stream = sync::changed_since(&client, since, 2);
    let (mut names, mut watermark) = (Vec::new(), since);
    while let Some(c) = stream.try_next().await.unwrap() {
        watermark = sync::advance(watermark, &c);
        names.push(c.name);
    }
    assert_eq!(names, ["A", "B", "C"]);
    assert_eq!(
        frappe_runtime::wire::format_datetime(&watermark),
        "2026-03-02 10:00:00.500000"
    );
}

#[tokio::test]
async fn list_page_sends_typed_filters_order_and_paging() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/Customer"))
        .and(JsonParam(
            "filters",
            json!([
                ["customer_type", "=", "Company"],
                ["disabled", "=", 0],
                ["customer_name", "like", "Ada%"]
            ]),
        ))
        .and(JsonParam(
            "fields",
            json!([
                "name",
                "naming_series",
                "customer_name",
                "customer_type",
                "customer_group",
                "territory",
                "default_currency",
                "email_id",
                "mobile_no",
                "disabled",
                "owner",
                "creation",
                "modified",
                "modified_by",
                "docstatus",
                "idx"
            ]),
        ))
        .and(Param("order_by", Some("modified desc, name asc")))
        .and(Param("limit_start", Some("40")))
        .and(Param("limit_page_length", Some("20")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [customer_row("Ada Industries", "2026-03-01 09:00:00")]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let rows = customers::company_customers_page(&client(&server), "Ada", 40, 20)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].customer_type, Some(CustomerType::Company));
}

#[tokio::test]
async fn submit_then_cancel_puts_docstatus_1_then_2() {
    let server = MockServer::start().await;
    let invoice = |docstatus: u8, status: &str| {
        json!({"data": {
            "name": "ACC-SINV-2026-00001", "naming_series": "ACC-SINV-.YYYY.-",
            "customer": "Wire Customer", "company": "Test Co", "posting_date": "2026-06-15",
            "currency": "USD", "grand_total": 61.0, "status": status, "docstatus": docstatus,
            "items": [{"name": "r1", "item_code": "WIRE-ITEM-2", "item_name": "Wire Item",
                       "qty": 2.0, "uom": "Nos", "rate": 25.5, "amount": 51.0,
                       "income_account": "Sales - TC", "docstatus": docstatus, "idx": 1}]
        }})
    };
    for (docstatus, status) in [(1, "Unpaid"), (2, "Cancelled")] {
        Mock::given(method("PUT"))
            .and(path("/api/resource/Sales%20Invoice/ACC-SINV-2026-00001"))
            .and(body_json(json!({ "docstatus": docstatus })))
            .respond_with(ResponseTemplate::new(200).set_body_json(invoice(docstatus, status)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let (submitted, cancelled) =
        invoices::submit_then_cancel(&client(&server), "ACC-SINV-2026-00001")
            .await
            .unwrap();
    assert_eq!(submitted.docstatus, DocStatus::Submitted);
    assert_eq!(submitted.items[0].amount, 51.0);
    assert_eq!(cancelled.docstatus, DocStatus::Cancelled);
}

#[tokio::test]
async fn errors_are_explained_by_status_and_exc_type() {
    let server = MockServer::start().await;
    let cases = [
        (
            "/api/resource/Customer/a",
            401,
            "AuthenticationError",
            "401 AuthenticationError",
        ),
        (
            "/api/resource/Customer/b",
            403,
            "PermissionError",
            "403: this user may not",
        ),
        (
            "/api/resource/Customer/c",
            404,
            "DoesNotExistError",
            "404: no such document",
        ),
        (
            "/api/resource/Customer/d",
            417,
            "MandatoryError",
            "417: a required field",
        ),
    ];
    for (p, status, exc, _) in cases {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(frappe_error(status, exc, &format!("{exc} for {p}")))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    for (p, _, exc, want) in cases {
        let name = p.rsplit('/').next().unwrap();
        let err = client
            .get::<frappe_examples::erpnext::selling::Customer>(name)
            .await
            .unwrap_err();
        let text = errors::explain(&err);
        assert!(text.starts_with(want), "{p}: {text}");
        assert!(text.contains(&format!("{exc} for {p}")), "{p}: {text}");
    }
}

#[tokio::test]
async fn change_type_sends_only_the_type_and_the_modified_guard() {
    let server = MockServer::start().await;
    let row = customer_row("Ada Industries", "2026-03-01 09:00:00.250000");
    Mock::given(method("GET"))
        .and(path("/api/resource/Customer/Ada%20Industries"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": row })))
        .expect(1)
        .mount(&server)
        .await;
    let mut saved = row.clone();
    saved["customer_type"] = json!("Individual");
    Mock::given(method("PUT"))
        .and(path("/api/resource/Customer/Ada%20Industries"))
        .and(body_json(json!({
            "customer_type": "Individual",
            "modified": "2026-03-01 09:00:00.250000"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": saved })))
        .expect(1)
        .mount(&server)
        .await;
    let (before, after) =
        customers::change_type(&client(&server), "Ada Industries", CustomerType::Individual)
            .await
            .unwrap();
    assert_eq!(before.customer_type, Some(CustomerType::Company));
    assert_eq!(after.customer_type, Some(CustomerType::Individual));
}

#[test]
fn a_new_invoice_holds_only_what_the_user_picked() {
    let day = |d| NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
    let line = |item_code, qty, rate| invoices::Line {
        item_code,
        qty,
        rate,
    };
    let draft = invoices::new_invoice(
        "Ada Industries",
        "Test Co",
        day(15),
        day(30),
        &[line("A", 2.0, 25.5), line("B", 0.5, 10.0)],
    );
    assert_eq!(
        serde_json::to_value(&draft).unwrap(),
        json!({
            "customer": "Ada Industries", "company": "Test Co", "posting_date": "2026-06-15",
            "due_date": "2026-06-30", "set_posting_time": 1,
            "items": [
                {"item_code": "A", "qty": 2, "rate": 25.5},
                {"item_code": "B", "qty": 0.5, "rate": 10}
            ]
        })
    );
}

#[tokio::test]
async fn insert_many_takes_typed_changes() {
    // `frappe.client.insert_many` (200 documents per request) accepts the same `Changes` as
    // `create`; the runtime adds each document's `doctype`.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.client.insert_many"))
        .and(body_json(json!({"docs": [
            {"doctype": "Customer", "customer_name": "Bulk 1", "customer_type": "Company"},
            {"doctype": "Customer", "customer_name": "Bulk 2", "customer_type": "Individual"}
        ]})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"message": ["Bulk 1", "Bulk 2"]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let docs = [
        customers::new_customer("Bulk 1", CustomerType::Company),
        customers::new_customer("Bulk 2", CustomerType::Individual),
    ];
    let names = client(&server).insert_many(&docs).await.unwrap();
    assert_eq!(names, ["Bulk 1", "Bulk 2"]);
}

// --- webhook_receiver ----------------------------------------------------------------------

/// A Customer event as Frappe posts it for `webhooks::webhooks` (`json.dumps` of the rendered
/// template: `", "` and `": "` separators).
fn customer_event(event: &str, name: &str, customer_name: &str, modified: &str) -> String {
    format!(
        r#"{{"event": "{event}", "doc": {{"customer_name": "{customer_name}", "customer_type": "Company", "disabled": 0, "docstatus": 0, "doctype": "Customer", "idx": 0, "modified": "{modified}", "name": "{name}"}}}}"#
    )
}

fn decode_event(
    body: &str,
) -> frappe_runtime::webhook::Event<frappe_examples::erpnext::selling::Customer> {
    frappe_runtime::webhook::decode(body.as_bytes()).unwrap()
}

#[test]
fn the_mirror_keeps_the_latest_copy_and_drops_deleted_customers() {
    use webhooks::{Applied, CustomerMirror};
    let mut mirror = CustomerMirror::default();
    let newer = customer_event("on_update", "C-1", "Acme Ltd", "2026-02-01 10:00:00.000000");
    let older = customer_event("on_update", "C-1", "Acme", "2026-01-01 10:00:00.000000");
    assert_eq!(mirror.apply(decode_event(&newer)), Applied::Upserted);
    // A retried request of an earlier save arrives late.
    assert_eq!(mirror.apply(decode_event(&older)), Applied::Stale);
    let account = mirror.get("C-1").unwrap();
    assert_eq!(account.display_name, "Acme Ltd");
    assert_eq!(account.kind, Some(CustomerType::Company));
    let deleted = customer_event("on_trash", "C-1", "Acme Ltd", "2026-02-01 10:00:00.000000");
    assert_eq!(mirror.apply(decode_event(&deleted)), Applied::Removed);
    assert!(mirror.is_empty());
    // The earlier save, retried after the deletion, does not bring the customer back...
    assert_eq!(mirror.apply(decode_event(&older)), Applied::Stale);
    assert_eq!(mirror.apply(decode_event(&newer)), Applied::Stale);
    assert!(mirror.is_empty());
    // ...a customer created again under the name (newer) does.
    let again = customer_event("on_update", "C-1", "Acme 2", "2026-03-01 10:00:00.000000");
    assert_eq!(mirror.apply(decode_event(&again)), Applied::Upserted);
    assert_eq!(mirror.get("C-1").unwrap().display_name, "Acme 2");
}

#[tokio::test]
async fn the_receiver_applies_signed_events_and_refuses_the_rest() {
    use std::sync::{Arc, Mutex};

    use frappe_runtime::webhook::{SIGNATURE_HEADER, Verifier};
    use webhooks::{CustomerMirror, PATH, router};

    let verifier = Verifier::new("crm-secret").unwrap();
    let mirror = Arc::new(Mutex::new(CustomerMirror::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{PATH}", listener.local_addr().unwrap());
    let app = router(verifier.clone(), mirror.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = reqwest::Client::new();
    let post = |body: String, signature: Option<String>| {
        let mut request = http.post(&url).body(body);
        if let Some(signature) = signature {
            request = request.header(SIGNATURE_HEADER, signature);
        }
        request.send()
    };

    let body = customer_event(
        "on_update",
        "C-7",
        "Grant Plastics",
        "2026-03-01 09:00:00.000000",
    );
    let signed = verifier.sign(body.as_bytes());
    let forged = Verifier::new("guess").unwrap().sign(body.as_bytes());
    assert_eq!(post(body.clone(), None).await.unwrap().status(), 401);
    assert_eq!(
        post(body.clone(), Some(forged)).await.unwrap().status(),
        401
    );
    assert!(
        mirror.lock().unwrap().is_empty(),
        "nothing unsigned applied"
    );

    assert_eq!(
        post(body.clone(), Some(signed)).await.unwrap().status(),
        204
    );
    assert_eq!(
        mirror.lock().unwrap().get("C-7").unwrap().display_name,
        "Grant Plastics"
    );

    // Signed, but a Note: refused with 400, naming what was expected.
    let note = body.replace(r#""doctype": "Customer""#, r#""doctype": "Note""#);
    let response = post(note.clone(), Some(verifier.sign(note.as_bytes())))
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.text().await.unwrap(),
        "the webhook body is a Note document, not Customer"
    );
    assert_eq!(mirror.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn register_creates_one_signed_webhook_per_event() {
    let server = MockServer::start().await;
    for event in ["on_update", "on_trash"] {
        let expected = webhooks::webhooks("CRM", "https://crm.example.com/frappe/customer", "s")
            .into_iter()
            .find(|w| w["webhook_docevent"] == event)
            .unwrap();
        assert_eq!(expected["enable_security"], 1);
        assert_eq!(expected["webhook_doctype"], "Customer");
        Mock::given(method("POST"))
            .and(path("/api/resource/Webhook"))
            .and(body_json(&expected))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"data": {"name": format!("CRM {event}"), "webhook_docevent": event}}),
            ))
            .expect(1)
            .mount(&server)
            .await;
    }
    let names = webhooks::register(
        &client(&server),
        "CRM",
        "https://crm.example.com/frappe/customer",
        "s",
    )
    .await
    .unwrap();
    assert_eq!(names, ["CRM on_update", "CRM on_trash"]);
}
