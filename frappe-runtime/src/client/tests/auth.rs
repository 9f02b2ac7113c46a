//! Password sessions, bearer refresh, and secrets kept out of logs and errors.

use std::sync::{Arc, Mutex};

use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer};

use super::{client, json_response};
use crate::{Auth, Client, Error};

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
async fn logout_of_an_expired_session_does_not_log_in_again() {
    let server = MockServer::start().await;
    // One login for the first request; logout must not trigger a second.
    mount_login(&server, "sid-one", 1).await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(json_response(200, json!({"message": "pong"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/logout"))
        .respond_with(json_response(
            403,
            json!({"session_expired": 1, "exc_type": "PermissionError"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::password("admin", "p@ss"));
    assert_eq!(c.ping().await.unwrap(), "pong");
    c.logout().await.unwrap();
    let logins = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/api/method/login")
        .count();
    assert_eq!(logins, 1);
}

#[tokio::test]
async fn after_logout_calls_fail_until_login() {
    let server = MockServer::start().await;
    mount_login(&server, "sid-one", 1).await;
    mount_login(&server, "sid-two", 1).await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(json_response(200, json!({"message": "pong"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/logout"))
        .and(header("cookie", "sid=sid-one"))
        .respond_with(json_response(200, json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::password("admin", "p@ss"));
    let clone = c.clone();
    assert_eq!(c.ping().await.unwrap(), "pong");
    c.logout().await.unwrap();
    async fn routes(server: &MockServer) -> Vec<String> {
        let received = server.received_requests().await.unwrap();
        received
            .iter()
            .map(|r| format!("{} {}", r.method, r.url.path()))
            .collect()
    }
    let before = routes(&server).await;
    // Neither the client nor a clone logs in again with the stored password.
    for client in [&c, &clone] {
        let err = client.ping().await.unwrap_err();
        assert!(matches!(err, Error::LoggedOut), "{err:?}");
        assert!(err.to_string().contains("login()"), "{err}");
    }
    assert_eq!(routes(&server).await, before, "nothing sent after logout");
    assert_eq!(
        before,
        [
            "POST /api/method/login",
            "GET /api/method/ping",
            "POST /api/method/logout"
        ]
    );
    // An explicit login starts a new session.
    c.login().await.unwrap();
    assert_eq!(clone.ping().await.unwrap(), "pong");
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

#[derive(Clone, Default)]
pub(super) struct Capture(pub(super) Arc<Mutex<Vec<u8>>>);

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
pub(super) fn global_capture() -> Capture {
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

/// The login answer with session `sid`, after `delay`.
fn login_answer(sid: &str, delay: std::time::Duration) -> wiremock::ResponseTemplate {
    json_response(200, json!({"message": "Logged In", "full_name": "Admin"}))
        .append_header("Set-Cookie", format!("sid={sid}; HttpOnly; Path=/"))
        .set_delay(delay)
}

/// Waits (at most 10 s) until the server has received a request to `route`.
async fn received_at(server: &MockServer, route: &str) {
    let seen = async {
        loop {
            let received = server.received_requests().await.unwrap();
            if received.iter().any(|r| r.url.path() == route) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), seen)
        .await
        .expect("the request did not arrive");
}

async fn mount_ping(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(json_response(200, json!({"message": "pong"})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_logout_during_a_login_in_flight_ends_that_session_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .respond_with(login_answer(
            "sid-late",
            std::time::Duration::from_millis(300),
        ))
        .expect(1)
        .mount(&server)
        .await;
    mount_ping(&server).await;
    Mock::given(method("POST"))
        .and(path("/api/method/logout"))
        .and(header("cookie", "sid=sid-late"))
        .respond_with(json_response(200, json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::password("admin", "p@ss"));
    // The first call logs in; the logout comes while the site has not answered yet.
    let first = tokio::spawn({
        let c = c.clone();
        async move { c.ping().await }
    });
    received_at(&server, "/api/method/login").await;
    c.logout().await.unwrap();
    // The call that started before the logout may finish; the session it opened is over.
    let _ = first.await.unwrap();
    let err = c.ping().await.unwrap_err();
    assert!(matches!(err, Error::LoggedOut), "{err:?}");
}

#[tokio::test]
async fn a_failed_login_leaves_the_client_logged_out() {
    let server = MockServer::start().await;
    mount_login(&server, "sid-one", 1).await;
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .respond_with(json_response(
            401,
            json!({"message": "Invalid login credentials", "exc_type": "AuthenticationError"}),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    // Any later login would succeed: the client must not try one by itself.
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .respond_with(login_answer("sid-three", std::time::Duration::ZERO))
        .expect(0)
        .mount(&server)
        .await;
    mount_ping(&server).await;
    Mock::given(method("POST"))
        .and(path("/api/method/logout"))
        .respond_with(json_response(200, json!({})))
        .mount(&server)
        .await;
    let c = client(&server, Auth::password("admin", "p@ss"));
    c.login().await.unwrap();
    c.logout().await.unwrap();
    let err = c.login().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    let err = c.ping().await.unwrap_err();
    assert!(matches!(err, Error::LoggedOut), "{err:?}");
}

#[tokio::test]
async fn a_login_during_a_logout_in_flight_keeps_its_session() {
    let server = MockServer::start().await;
    mount_login(&server, "sid-one", 1).await;
    mount_login(&server, "sid-two", 1).await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .and(header("cookie", "sid=sid-two"))
        .respond_with(json_response(200, json!({"message": "pong"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/logout"))
        .and(header("cookie", "sid=sid-one"))
        .respond_with(
            json_response(200, json!({})).set_delay(std::time::Duration::from_millis(300)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::password("admin", "p@ss"));
    c.login().await.unwrap();
    let logout = tokio::spawn({
        let c = c.clone();
        async move { c.logout().await }
    });
    received_at(&server, "/api/method/logout").await;
    c.login().await.unwrap();
    logout.await.unwrap().unwrap();
    // The new session survives the logout of the old one: no third login.
    assert_eq!(c.ping().await.unwrap(), "pong");
}

#[tokio::test]
async fn a_followed_redirect_is_logged_with_the_secrets_masked() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/ping"))
        .respond_with(
            wiremock::ResponseTemplate::new(302)
                .insert_header("Location", "/api/method/pong/LOC-SECRET-77"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/method/pong/LOC-SECRET-77"))
        .respond_with(json_response(200, json!({"message": "pong"})))
        .expect(1)
        .mount(&server)
        .await;
    let capture = global_capture();
    let c = client(&server, Auth::token("key", "LOC-SECRET-77"));
    assert_eq!(c.ping().await.unwrap(), "pong");
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("to=/api/method/pong/***"), "{logs}");
    assert!(!logs.contains("LOC-SECRET-77"), "{logs}");
}

#[tokio::test]
async fn a_login_without_a_cookie_reports_a_bounded_message() {
    let server = MockServer::start().await;
    let huge = format!("p@ss {}", "m".repeat(1_000_000));
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .respond_with(json_response(200, json!({"message": huge})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Auth::password("admin", "p@ss"));
    let err = c.login().await.unwrap_err();
    let Error::InvalidInput(message) = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("no session cookie"), "{message:.300}");
    assert!(message.contains("*** mmm"), "{message:.300}");
    assert!(!message.contains("p@ss"), "{message:.300}");
    assert!(message.len() < 400, "{} bytes", message.len());
}
