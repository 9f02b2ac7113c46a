//! Password sessions: the login is lazy; an expired session (403 + `session_expired: 1`)
//! triggers one login and the request is replayed only when idempotent; logout ends the session
//! for good (until `login`); a wrong password is `Unauthorized`; secrets stay out of logs and
//! errors.

use frappe_runtime::{Auth, Client, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::mock::{fast_client, json_ok, json_response, received, routes};

fn login_ok(sid: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .append_header(
            "set-cookie",
            format!("sid={sid}; Max-Age=612000; HttpOnly; Path=/").as_str(),
        )
        .append_header("set-cookie", "system_user=yes; Path=/")
        .set_body_json(
            json!({"message": "Logged In", "home_page": "/app", "full_name": "Administrator"}),
        )
}

fn expired() -> ResponseTemplate {
    ResponseTemplate::new(403)
        .append_header("set-cookie", "sid=Guest; Path=/")
        .set_body_json(json!({"session_expired": 1, "exc_type": "PermissionError"}))
}

async fn server_with_two_sessions() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .and(body_string_contains("usr=Administrator"))
        .respond_with(login_ok("first"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/login"))
        .respond_with(login_ok("second"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header("cookie", "sid=first"))
        .respond_with(expired())
        .mount(&server)
        .await;
    server
}

fn client(uri: &str) -> Client {
    Client::builder(uri)
        .auth(Auth::password("Administrator", "pw-Secret-123"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn expired_session_relogs_in_once_and_replays_a_get() {
    let server = server_with_two_sessions().await;
    Mock::given(method("GET"))
        .and(header("cookie", "sid=second"))
        .respond_with(json_ok(json!({"message": "Administrator"})))
        .expect(1)
        .mount(&server)
        .await;
    let user = client(&server.uri()).logged_user().await.unwrap();
    assert_eq!(user, "Administrator");
    let methods: Vec<String> = routes(&server).await;
    assert_eq!(
        methods,
        [
            "POST /api/method/login",
            "GET /api/method/frappe.auth.get_logged_user",
            "POST /api/method/login",
            "GET /api/method/frappe.auth.get_logged_user",
        ]
    );
}

#[tokio::test]
async fn expired_session_does_not_replay_a_post() {
    let server = server_with_two_sessions().await;
    Mock::given(method("POST"))
        .and(path("/api/resource/ToDo"))
        .and(header("cookie", "sid=second"))
        .respond_with(json_ok(json!({"data": {"name": "dup"}})))
        .expect(0)
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let err = c
        .doctype("ToDo")
        .insert(&json!({"description": "once"}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    let inserts = received(&server)
        .await
        .iter()
        .filter(|r| r.url.path() == "/api/resource/ToDo")
        .count();
    assert_eq!(inserts, 1, "the POST was sent once, not replayed");
}

#[tokio::test]
async fn a_second_expiry_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(path("/api/method/login"))
        .respond_with(login_ok("always-expired"))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(expired())
        .expect(2)
        .mount(&server)
        .await;
    let err = client(&server.uri()).logged_user().await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
}

pub(crate) async fn mount_login(server: &MockServer, sid: &str, times: u64) {
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
    let c = fast_client(&server, Auth::password("admin", "p@ss"));
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
async fn after_an_unreplayed_post_the_callers_retry_uses_the_new_session() {
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
    let c = fast_client(&server, Auth::password("admin", "p@ss"));
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
    let c = fast_client(&server, Auth::password("admin", "p@ss"));
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
    let c = fast_client(&server, Auth::password("admin", "p@ss"));
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
    let c = fast_client(&server, Auth::password("admin", "wrong-pass-123"));
    let err = c.login().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("Invalid login credentials"));
    assert!(!shown.contains("wrong-pass-123"));
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
    let capture = crate::capture::global();

    let password = Client::builder(server.uri())
        .auth(Auth::password("admin", "p@ss"))
        .build()
        .unwrap();
    let err = password.logged_user().await.unwrap_err();
    let token = fast_client(&server, Auth::token("key", "API-SECRET-99"));
    let err2 = token.doctype("ToDo").get("x").await.unwrap_err();

    let logs = capture.text();
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
