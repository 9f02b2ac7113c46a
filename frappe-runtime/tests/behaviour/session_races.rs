//! Logging in and out while other calls are in flight: a logout ends a session a login in flight
//! opens, a failed login leaves the client logged out, a login during a logout keeps its new
//! session; and a login answered without a cookie reports a bounded, masked message.

use frappe_runtime::{Auth, Client, Error};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer};

use crate::mock::{fast_client, json_response};
use crate::session::mount_login;

fn client(server: &MockServer, auth: Auth) -> Client {
    fast_client(server, auth)
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
