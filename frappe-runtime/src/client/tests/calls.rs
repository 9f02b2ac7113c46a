//! Files, sub-path sites, frappe.client helpers, reports, counts, v2.

use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request as WireRequest, ResponseTemplate};

use super::{client, json_response};
use crate::{Auth, Client, Error, Row, UploadFile};

#[tokio::test]
async fn upload_is_multipart_and_413_is_its_own_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/upload_file"))
        .and(body_string_contains("name=\"doctype\""))
        .and(body_string_contains("filename=\"hello.txt\""))
        .and(body_string_contains("hello frappe"))
        .respond_with(json_response(
            200,
            json!({"message": {"name": "f1", "file_name": "hello.txt", "file_url": "/files/hello.txt", "is_private": 0}}),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/upload_file"))
        .respond_with(
            ResponseTemplate::new(413)
                .insert_header("content-type", "text/html")
                .set_body_string("<title>413 Request Entity Too Large</title>"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::token("k", "s"));
    let upload = UploadFile::bytes("hello.txt", &b"hello frappe\n"[..]).attach_to("ToDo", "t1");
    let doc = c.upload(upload.clone()).await.unwrap();
    assert_eq!(doc.file_url.as_deref(), Some("/files/hello.txt"));
    let err = c.upload(upload).await.unwrap_err();
    assert!(matches!(err, Error::PayloadTooLarge(_)), "{err:?}");
}

#[tokio::test]
async fn download_sends_credentials_and_accepts_any_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/private/files/a%20b.png"))
        .and(header("authorization", "token k:s"))
        .and(header("accept", "*/*"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "image/png")
                .set_body_bytes(vec![0x89, b'P', b'N', b'G']),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::token("k", "s"));
    let bytes = c.download("/private/files/a b.png").await.unwrap();
    assert_eq!(&bytes[..], &[0x89, b'P', b'N', b'G']);
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
async fn insert_many_is_chunked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.client.insert_many"))
        .respond_with(|req: &WireRequest| {
            let body: Value = serde_json::from_slice(&req.body).unwrap();
            let n = body["docs"].as_array().unwrap().len();
            json_response(
                200,
                json!({"message": (0..n).map(|i| format!("n{i}")).collect::<Vec<_>>()}),
            )
        })
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server, Auth::token("k", "s"));
    let docs: Vec<Value> = (0..250)
        .map(|i| json!({"description": i.to_string()}))
        .collect();
    let names = c.doctype("ToDo").insert_many(&docs).await.unwrap();
    assert_eq!(names.len(), 250);
    let reqs = server.received_requests().await.unwrap();
    let first: Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(first["docs"].as_array().unwrap().len(), 200);
    assert_eq!(first["docs"][0]["doctype"], "ToDo");
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
    let c = client(&server, Auth::token("k", "s"));
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
    let todo = client(&server, Auth::token("k", "s")).doctype("ToDo");
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
    let c = client(&server, Auth::token("k", "s"));
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
    let c = client(&server, Auth::token("k", "api-secret"));
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
    let v1 = client(&server, Auth::token("k", "api-secret"));
    let c = v1.with_api_version(crate::ApiVersion::V2);
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

/// How a [`gated_server`] saw the requests.
#[derive(Default)]
struct GateState {
    seen: usize,
    in_flight: usize,
    peak: usize,
    /// Set by the test: held requests are answered, later ones at once.
    released: bool,
}

type Gate = std::sync::Arc<(std::sync::Mutex<GateState>, std::sync::Condvar)>;

/// A tiny blocking HTTP/1.1 server (127.0.0.1) that holds every request until the test
/// releases them (or 10 s pass, so a failing test cannot hang), counting them. A request leaves
/// the count before its response is written, so the count never includes one the client has
/// finished. (wiremock cannot hold requests or tell when a response finished.)
fn gated_server() -> (String, Gate) {
    use std::io::{Read, Write};
    use std::sync::{Arc, Condvar, Mutex};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let gate: Gate = Arc::new((Mutex::new(GateState::default()), Condvar::new()));
    let gate_out = gate.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let gate = gate.clone();
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let (lock, changed) = &*gate;
                let mut state = lock.lock().unwrap();
                state.seen += 1;
                state.in_flight += 1;
                state.peak = state.peak.max(state.in_flight);
                changed.notify_all();
                let (mut state, _) = changed
                    .wait_timeout_while(state, std::time::Duration::from_secs(10), |s| !s.released)
                    .unwrap();
                state.in_flight -= 1;
                drop(state);
                let body = br#"{"message":"pong"}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body);
            });
        }
    });
    (format!("http://{addr}"), gate_out)
}

/// Overlap, without timing: the server holds requests until the test has seen `CAP` in flight
/// at once (a client sending fewer at a time never gets there: the wait then fails after 5 s).
/// The cap: the peak the server saw, which never counts a finished request, is `CAP`; a client
/// sending more at once shows a higher peak as soon as its extra requests reach the held ones.
#[tokio::test]
async fn concurrency_cap_is_reached_and_not_exceeded() {
    const CAP: usize = 3;
    const CALLS: usize = 8;
    let (uri, gate) = gated_server();
    let client = Client::builder(uri).max_concurrency(CAP).build().unwrap();
    let calls = tokio::spawn(async move {
        futures_util::future::join_all((0..CALLS).map(|_| client.ping())).await
    });
    let waiter = gate.clone();
    let (seen, in_flight) = tokio::task::spawn_blocking(move || {
        let (lock, changed) = &*waiter;
        let state = lock.lock().unwrap();
        let (state, _) = changed
            .wait_timeout_while(state, std::time::Duration::from_secs(5), |s| {
                s.in_flight < CAP
            })
            .unwrap();
        (state.seen, state.in_flight)
    })
    .await
    .unwrap();
    assert_eq!(in_flight, CAP, "requests in flight at once");
    assert_eq!(seen, CAP, "no request beyond the cap reached the server");
    gate.0.lock().unwrap().released = true;
    gate.1.notify_all();
    let results = calls.await.unwrap();
    assert!(
        results.iter().all(|r| matches!(r.as_deref(), Ok("pong"))),
        "{results:?}"
    );
    let state = gate.0.lock().unwrap();
    assert_eq!((state.seen, state.peak), (CALLS, CAP));
}
