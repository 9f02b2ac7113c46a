//! Secrets (API secret, password, sid, bearer token) never appear in Debug output, Display of
//! errors, or `tracing` output at TRACE level.
//!
//! A test binary of its own: the capturing subscriber is installed with `set_default` (this
//! thread only), and tracing's per-callsite interest cache can drop events when other tests
//! run at the same time in the same process without a subscriber.

use std::io::Write;
use std::sync::{Arc, Mutex};

use frappe_runtime::{Auth, Client, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_SECRET: &str = "S3cr3t-api-Zq9xK2";
const PASSWORD: &str = "Pa55-word-Vw7";
const SID: &str = "sid-4f9a1c77e0d2";
const BEARER: &str = "bearer-tok-77Jk3";
const REFRESH: &str = "refresh-tok-51Lq";

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(what: &str, text: &str) {
    for secret in [API_SECRET, PASSWORD, SID, BEARER, REFRESH] {
        assert!(
            !text.contains(secret),
            "{what} contains {secret:?}:\n{text}"
        );
    }
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/api/method/login"))
        .respond_with(
            ResponseTemplate::new(200)
                .append_header(
                    "set-cookie",
                    format!("sid={SID}; HttpOnly; Path=/").as_str(),
                )
                .set_body_json(json!({"message": "Logged In"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/method/frappe.integrations.oauth2.get_token"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"exc_type": "AuthenticationError"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.auth.get_logged_user"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": "Administrator"})))
        .mount(&server)
        .await;
    Mock::given(path("/api/resource/ToDo"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "exc_type": "AuthenticationError",
            "exception": "frappe.exceptions.AuthenticationError",
            "exc": "[\"Traceback (most recent call last):\\nAuthenticationError\\n\"]"
        })))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn secrets_stay_out_of_logs_debug_and_errors() {
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = server().await;
    let uri = server.uri();
    let build = |auth: Auth| {
        Client::builder(&uri)
            .auth(auth)
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    };
    let auths = [
        Auth::token("key-1", API_SECRET),
        Auth::basic("key-1", API_SECRET),
        Auth::password("Administrator", PASSWORD),
        Auth::bearer_with_refresh(BEARER, REFRESH, "client-1"),
    ];
    let mut shown = String::new();
    for auth in auths {
        shown += &format!("{auth:?} {auth:#?}\n");
        let client = build(auth);
        // A success, then a 401 (which makes the bearer client try its refresh, which fails).
        let ok = client.logged_user().await;
        shown += &format!("{ok:?}\n");
        let err = client.doctype("ToDo").list().send().await.unwrap_err();
        shown += &format!("{client:?} {client:#?} {err:?} {err:#?} {err}\n");
        if let Some(api) = err.api_error() {
            shown += &format!("{api:?} {api}\n");
        }
    }
    // A transport error carries the URL path, never credentials.
    let dead = Client::builder("http://127.0.0.1:9")
        .auth(Auth::token("key-1", API_SECRET))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = dead.ping().await.unwrap_err();
    shown += &format!("{err:?} {err}\n");

    assert_clean("Debug/Display output", &shown);
    let logs = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("frappe_request") && logs.contains("/api/resource/ToDo"),
        "the tracing capture saw no request spans:\n{logs}"
    );
    assert!(
        logs.contains("status=401"),
        "span records the status:\n{logs}"
    );
    assert_clean("tracing output", &logs);
}
