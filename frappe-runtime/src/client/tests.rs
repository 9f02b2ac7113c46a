//! Behaviour of the request path against a local wiremock server: retries, session renewal,
//! paging, multipart, redaction. (Transcript replays live in `tests/replay`.)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::TryStreamExt as _;
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request as WireRequest, ResponseTemplate};

use crate::{Auth, Client, Error, RetryPolicy, Row, UploadFile};

fn fast_retry() -> RetryPolicy {
    RetryPolicy::new(3, Duration::from_millis(1), Duration::from_millis(50))
}

fn client(server: &MockServer, auth: Auth) -> Client {
    Client::builder(server.uri())
        .auth(auth)
        .retry(fast_retry())
        .build()
        .unwrap()
}

fn json_response(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

#[tokio::test]
async fn get_is_retried_on_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>busy</html>"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(json_response(200, json!({"message": "pong"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::Guest);
    assert_eq!(c.ping().await.unwrap(), "pong");
}

#[tokio::test]
async fn post_is_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/resource/ToDo"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>busy</html>"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::token("k", "s"));
    let err = c
        .doctype("ToDo")
        .insert(&json!({"description": "x"}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn retries_stop_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(502, json!({"exc_type": "X"})))
        .expect(3)
        .mount(&server)
        .await;
    let err = client(&server, Auth::Guest).ping().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
}

#[tokio::test]
async fn retry_after_is_honoured_or_handed_to_the_caller() {
    let server = MockServer::start().await;
    // Retry-After: 0 -> retried at once.
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(
            json_response(429, json!({"exc_type": "TooManyRequestsError"}))
                .insert_header("Retry-After", "0"),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(json_response(200, json!({"message": "pong"})))
        .expect(1)
        .mount(&server)
        .await;
    // Retry-After longer than max_delay -> not waited out.
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.auth.get_logged_user"))
        .respond_with(
            json_response(429, json!({"exc_type": "TooManyRequestsError"}))
                .insert_header("Retry-After", "3600"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::Guest);
    assert_eq!(c.ping().await.unwrap(), "pong");
    let err = c.logged_user().await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
}

async fn mount_login(server: &MockServer, sid: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .and(body_string_contains("usr=admin"))
        .and(body_string_contains("pwd=p%40ss"))
        .respond_with(
            json_response(
                200,
                json!({"message": "Logged In", "home_page": "/app", "full_name": "Admin"}),
            )
            .append_header(
                "Set-Cookie",
                format!("sid={sid}; Max-Age=612000; HttpOnly; Path=/"),
            )
            .append_header("Set-Cookie", "system_user=yes; Path=/"),
        )
        .up_to_n_times(1)
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn password_login_is_lazy_and_renewed_once_on_expiry() {
    let server = MockServer::start().await;
    mount_login(&server, "sid-one", 1).await;
    mount_login(&server, "sid-two", 1).await;
    let expired = json_response(
        403,
        json!({"session_expired": 1, "exc_type": "PermissionError"}),
    );
    // First session works once, then "expires".
    Mock::given(method("GET"))
        .and(header("cookie", "sid=sid-one"))
        .respond_with(json_response(200, json!({"message": "admin"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("cookie", "sid=sid-one"))
        .respond_with(expired.clone())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("cookie", "sid=sid-two"))
        .respond_with(json_response(200, json!({"message": "admin"})))
        .mount(&server)
        .await;
    let c = client(&server, Auth::password("admin", "p@ss"));
    assert_eq!(c.logged_user().await.unwrap(), "admin"); // logs in lazily
    assert_eq!(c.logged_user().await.unwrap(), "admin"); // expired -> login -> replay
    let logins = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/api/method/login")
        .count();
    assert_eq!(logins, 2);
}

#[tokio::test]
async fn expired_session_does_not_replay_a_post() {
    let server = MockServer::start().await;
    mount_login(&server, "sid-one", 1).await;
    mount_login(&server, "sid-two", 1).await;
    Mock::given(method("POST"))
        .and(path("/api/resource/ToDo"))
        .and(header("cookie", "sid=sid-one"))
        .respond_with(json_response(
            403,
            json!({"session_expired": 1, "exc_type": "PermissionError"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/resource/ToDo"))
        .and(header("cookie", "sid=sid-two"))
        .respond_with(json_response(200, json!({"data": {"name": "t1"}})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::password("admin", "p@ss"));
    let todo = c.doctype("ToDo");
    let err = todo.insert(&json!({"description": "x"})).await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    // The session was renewed, so the caller's own retry goes through.
    let saved = todo.insert(&json!({"description": "x"})).await.unwrap();
    assert_eq!(saved["name"], "t1");
}

#[tokio::test]
async fn wrong_password_is_unauthorized() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .respond_with(json_response(
            401,
            json!({"message": "Invalid login credentials", "exc_type": "AuthenticationError"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::password("admin", "wrong-pass-123"));
    let err = c.login().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("Invalid login credentials"));
    assert!(!shown.contains("wrong-pass-123"));
}

#[tokio::test]
async fn bearer_token_is_refreshed_on_401() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer old"))
        .respond_with(json_response(
            401,
            json!({"exc_type": "AuthenticationError"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.integrations.oauth2.get_token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=r1"))
        .and(body_string_contains("client_id=cid"))
        .respond_with(json_response(
            200,
            json!({"access_token": "new", "refresh_token": "r2", "token_type": "Bearer", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer new"))
        .respond_with(json_response(200, json!({"message": "me@example.com"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::bearer_with_refresh("old", "r1", "cid"));
    assert_eq!(c.logged_user().await.unwrap(), "me@example.com");
}

/// Serves `total` rows of ToDo, paged by limit_start / limit_page_length.
struct Pages {
    total: usize,
}

impl wiremock::Respond for Pages {
    fn respond(&self, req: &WireRequest) -> ResponseTemplate {
        let param = |k: &str| {
            req.url
                .query_pairs()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.into_owned())
        };
        let start: usize = param("limit_start").map_or(0, |v| v.parse().unwrap());
        let len: usize = param("limit_page_length").unwrap().parse().unwrap();
        let rows: Vec<Value> = (start..(start + len).min(self.total))
            .map(|i| json!({"name": format!("T{i:04}")}))
            .collect();
        json_response(200, json!({ "data": rows }))
    }
}

#[tokio::test]
async fn stream_pages_until_a_short_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/ToDo"))
        .and(query_param("order_by", "creation asc, name asc"))
        .respond_with(Pages { total: 5 })
        .expect(3)
        .mount(&server)
        .await;
    let c = client(&server, Auth::Guest);
    let rows: Vec<Row> = c
        .doctype("ToDo")
        .list()
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["T0000", "T0001", "T0002", "T0003", "T0004"]);
    let starts: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert!(starts[0].contains("limit_page_length=2") && !starts[0].contains("limit_start"));
    assert!(starts[1].contains("limit_start=2"));
    assert!(starts[2].contains("limit_start=4"));
}

#[tokio::test]
async fn stream_respects_limit_and_custom_order() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("order_by", "modified desc, name desc"))
        .respond_with(Pages { total: 100 })
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server, Auth::Guest);
    let rows: Vec<Row> = c
        .doctype("ToDo")
        .list()
        .order_by("modified desc")
        .page_size(4)
        .limit(6)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows.len(), 6);
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert!(last.url.query().unwrap().contains("limit_page_length=2"));
}

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
    let doc = c.upload_file(upload.clone()).await.unwrap();
    assert_eq!(doc.file_url.as_deref(), Some("/files/hello.txt"));
    let err = c.upload_file(upload).await.unwrap_err();
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

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One process-wide TRACE subscriber writing into a buffer. Global rather than thread-scoped:
/// tracing caches per-callsite interest across threads, which makes scoped subscribers miss
/// events when tests run in parallel. Every test's logs land here, so the secret check below
/// also covers the other tests' traffic.
fn global_capture() -> Capture {
    static CAPTURE: std::sync::OnceLock<Capture> = std::sync::OnceLock::new();
    CAPTURE
        .get_or_init(|| {
            let capture = Capture::default();
            let writer = capture.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in unit tests");
            capture
        })
        .clone()
}

#[tokio::test]
async fn secrets_stay_out_of_logs_and_errors() {
    let server = MockServer::start().await;
    mount_login(&server, "SID-SECRET-42", 1).await;
    Mock::given(method("GET"))
        .respond_with(json_response(
            403,
            json!({"exc_type": "PermissionError", "_error_message": "No permission"}),
        ))
        .mount(&server)
        .await;
    let capture = global_capture();

    let password = Client::builder(server.uri())
        .auth(Auth::password("admin", "p@ss"))
        .build()
        .unwrap();
    let err = password.logged_user().await.unwrap_err();
    let token = client(&server, Auth::token("key", "API-SECRET-99"));
    let err2 = token.doctype("ToDo").get("x").await.unwrap_err();

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("frappe_request"), "{logs}");
    assert!(logs.contains("status=403"), "{logs}");
    for text in [
        logs,
        format!("{err} {err:?} {err2} {err2:?} {password:?} {token:?}"),
    ] {
        for secret in ["p@ss", "p%40ss", "SID-SECRET-42", "API-SECRET-99"] {
            assert!(!text.contains(secret), "{secret} leaked in: {text}");
        }
    }
    // The credentials did go on the wire.
    let reqs = server.received_requests().await.unwrap();
    assert!(reqs.iter().any(|r| {
        r.headers
            .get("cookie")
            .is_some_and(|v| v == "sid=SID-SECRET-42")
    }));
    assert!(reqs.iter().any(|r| {
        r.headers
            .get("authorization")
            .is_some_and(|v| v == "token key:API-SECRET-99")
    }));
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
    let names = c.frappe_client().insert_many("ToDo", &docs).await.unwrap();
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
    assert_eq!(todo.count(json!({"status": "Open"})).await.unwrap(), 6);
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
        .call::<String>("frappe.client.rename_doc")
        .args(json!({"doctype": "Role", "old_name": "A", "new_name": "B"}))
        .post_with_messages()
        .await
        .unwrap();
    assert_eq!(renamed.value, "B");
    assert_eq!(renamed.server_messages[0].message, "Renamed A");
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
    let v1 = client(&server, Auth::token("k", "s"));
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
            .count(json!({"status": "Open"}))
            .await
            .unwrap(),
        9
    );
    let submitted: Row = c
        .doctype("API Test Order")
        .run_method("ATO-1", "submit", &())
        .await
        .unwrap();
    assert_eq!(submitted["docstatus"], 1);
    let err = c.doctype("ToDo").get("missing").await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(err.api_error().unwrap().message, "ToDo missing not found");
    // Metadata comes from the v2 route whichever version the handle uses.
    assert_eq!(v1.doctype_meta("ToDo").await.unwrap()["name"], "ToDo");
}

#[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq)]
struct Note {
    #[serde(default)]
    name: String,
    title: String,
    #[serde(default)]
    public: u8,
}

impl crate::Document for Note {
    const DOCTYPE: &'static str = "Note";
    const FIELDS: &'static [crate::FieldInfo] = &[
        crate::FieldInfo {
            name: "name",
            column: true,
        },
        crate::FieldInfo {
            name: "title",
            column: true,
        },
        crate::FieldInfo {
            name: "public",
            column: true,
        },
    ];
}

impl crate::Submittable for Note {}

#[tokio::test]
async fn typed_documents_and_links() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/Note"))
        .and(query_param("fields", r#"["name","title","public"]"#))
        .and(query_param("filters", r#"[["title","like","%a%"]]"#))
        .respond_with(json_response(
            200,
            json!({"data": [{"name": "n1", "title": "abc", "public": 0}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/resource/Note/n1"))
        .respond_with(json_response(
            200,
            json!({"data": {"name": "n1", "title": "abc", "public": 1, "doctype": "Note"}}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/resource/Note"))
        .respond_with(|req: &WireRequest| {
            let mut body: Value = serde_json::from_slice(&req.body).unwrap();
            body["name"] = json!("n2");
            json_response(200, json!({ "data": body }))
        })
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/resource/Note/n1"))
        .and(wiremock::matchers::body_json(json!({"docstatus": 1})))
        .respond_with(json_response(
            200,
            json!({"data": {"name": "n1", "title": "abc", "public": 1}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/resource/Note/n1"))
        .respond_with(json_response(202, json!({"data": "ok"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::token("k", "s"));
    let listed = c
        .list::<Note>()
        .filter(json!(["title", "like", "%a%"]))
        .send()
        .await
        .unwrap();
    assert_eq!(listed[0].title, "abc");
    let note: Note = c.get("n1").await.unwrap();
    assert_eq!(note.public, 1);
    let link: crate::Link<Note> = crate::Link::new("n1");
    assert_eq!(link.fetch(&c).await.unwrap(), note);
    let new = Note {
        name: String::new(),
        title: "new".into(),
        public: 0,
    };
    assert_eq!(c.insert(&new).await.unwrap().name, "n2");
    let submitted: Note = c.submit("n1").await.unwrap();
    assert_eq!(submitted.name, "n1");
    c.delete::<Note>("n1").await.unwrap();
}

#[cfg(feature = "blocking")]
#[test]
fn blocking_facade_round_trip() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/method/frappe.desk.form.load.getdoctype"))
            .and(query_param("doctype", "ToDo"))
            .respond_with(json_response(
                200,
                json!({"docs": [{"name": "ToDo"}], "user_settings": "{}"}),
            ))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/resource/ToDo"))
            .respond_with(json_response(200, json!({"data": [{"name": "t1"}]})))
            .mount(&server)
            .await;
        server
    });
    let c = crate::blocking::Client::new(server.uri(), Auth::token("k", "s")).unwrap();
    let body: Row = c
        .call_body("frappe.desk.form.load.getdoctype", [("doctype", "ToDo")])
        .unwrap();
    assert_eq!(body["docs"][0]["name"], "ToDo");
    let rows = c.send(c.doctype("ToDo").list().limit(1)).unwrap();
    assert_eq!(rows[0]["name"], "t1");
    drop(server);
}
