//! Authentication: guest, token, Basic, password login/logout, re-login on an expired session
//! (core 001-004, 006-009, 011, 012, 014, 016, 017; ERPNext 001, 029, 030, 035, 036).

use frappe_runtime::{Client, Error};

use crate::exchange::{fails, ok};
use crate::support::transcript::Transcript;
use crate::support::{Replay, check, clients, core, erpnext};

fn message(t: &Transcript) -> &str {
    t.response_json()["message"].as_str().unwrap()
}

/// Administrator's password login, as the session transcripts recorded it.
fn admin(uri: &str) -> Client {
    clients::password(uri, "Administrator", "admin")
}

async fn ping_as_guest(t: Transcript) {
    let (_, pong) = ok(t, clients::guest, async |c| c.ping().await).await;
    assert_eq!(pong, "pong");
}

#[tokio::test]
async fn t001_ping_as_guest() {
    ping_as_guest(core(1)).await;
}

#[tokio::test]
async fn erp001_ping_on_15_105() {
    ping_as_guest(erpnext(1)).await;
}

#[tokio::test]
async fn t002_password_login() {
    let (_, info) = ok(core(2), admin, async |c| c.login().await).await;
    assert_eq!(info.message, "Logged In");
    assert_eq!(info.home_page.as_deref(), Some("/app"));
    assert_eq!(info.full_name.as_deref(), Some("Administrator"));
}

#[tokio::test]
async fn erp035_password_login_on_15_105() {
    let (_, info) = ok(erpnext(35), admin, async |c| c.login().await).await;
    assert_eq!(info.message, "Logged In");
}

async fn failed_login(t: Transcript, user: &str, pwd: &str) {
    let login_as = |uri: &str| clients::password(uri, user, pwd);
    let (r, err) = fails(t, login_as, async |c| c.login().await).await;
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "AuthenticationError");
    let body = r.transcript().response_json();
    if let Some(m) = body["message"].as_str() {
        assert_eq!(err.api_error().unwrap().message, m);
    }
    if pwd.len() >= 4 {
        // ("x" of 004 is too short to search for.)
        assert!(
            !format!("{err:?}{err}").contains(pwd),
            "password in the error"
        );
    }
}

#[tokio::test]
async fn t003_wrong_password() {
    failed_login(core(3), "Administrator", "wrong").await;
}

#[tokio::test]
async fn t004_unknown_user() {
    failed_login(core(4), "nobody@example.com", "x").await;
}

#[tokio::test]
async fn erp036_wrong_password_on_15_105() {
    failed_login(erpnext(36), "Administrator", "bad").await;
}

#[tokio::test]
async fn t006_session_cookie_after_login() {
    let session = Replay::builder([core(2), core(6)]);
    let (_, user) = ok(session, admin, async |c| c.logged_user().await).await;
    assert_eq!(user, message(&core(6)));
}

#[tokio::test]
async fn t012_expired_session_logs_in_again_and_replays_get() {
    // login (sid A) -> GET with A -> 403 session_expired -> login (sid B) -> GET with B.
    let session = Replay::builder([core(2), core(12), core(2), core(6)])
        .sid(0, "sid-first")
        .sid(1, "sid-first")
        .sid(2, "sid-second")
        .sid(3, "sid-second");
    let (_, user) = ok(session, admin, async |c| c.logged_user().await).await;
    assert_eq!(user, "Administrator");
}

#[tokio::test]
async fn t014_logout_session() {
    let session = Replay::builder([core(2), core(14)]);
    ok(session, admin, async |c| {
        c.login().await?;
        c.logout().await
    })
    .await;
}

#[tokio::test]
async fn t007_token_auth() {
    let (_, user) = ok(core(7), clients::token, async |c| c.logged_user().await).await;
    assert_eq!(user, "Administrator");
}

#[tokio::test]
async fn t017_token_still_valid_after_logout() {
    let (r, user) = ok(core(17), clients::token, async |c| c.logged_user().await).await;
    assert_eq!(user, message(r.transcript()));
}

#[tokio::test]
async fn t016_logout_by_get_with_token() {
    // Token clients have no session; the recorded GET logout is an ordinary method call.
    let (_, msg): (_, String) = ok(core(16), clients::token, async |c| {
        c.call("logout").get().await
    })
    .await;
    assert_eq!(msg, "No App");
}

#[tokio::test]
async fn t008_basic_auth() {
    let (_, user) = ok(core(8), clients::basic, async |c| c.logged_user().await).await;
    assert_eq!(user, "Administrator");
}

async fn wrong_token(t: Transcript) {
    let (r, err) = fails(t, clients::wrong_secret, async |c| c.logged_user().await).await;
    assert!(
        matches!(err, Error::Unauthorized(_)) && err.is_permission(),
        "{err:?}"
    );
    check::api_error(r.transcript(), &err, "AuthenticationError");
}

#[tokio::test]
async fn t009_wrong_token_is_unauthorized() {
    wrong_token(core(9)).await;
}

#[tokio::test]
async fn erp029_wrong_token_on_15_105() {
    wrong_token(erpnext(29)).await;
}

async fn no_auth(t: Transcript) {
    let (r, err) = fails(t, clients::guest, async |c| c.logged_user().await).await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    check::api_error(r.transcript(), &err, "PermissionError");
}

#[tokio::test]
async fn t011_no_auth_is_forbidden_not_unauthorized() {
    no_auth(core(11)).await;
}

#[tokio::test]
async fn erp030_no_auth_on_15_105() {
    no_auth(erpnext(30)).await;
}
