//! Token, Basic and password auth; logout; a session ended by the server; the limited user's
//! permissions.

use frappe_runtime::{Auth, Changes, Client, Error};
use frappe_tests::live_site::core_::{Role, SystemSettings, User};
use frappe_tests::live_site::desk::Note;

use crate::support::{self, SESSIONS, admin, limited, unique, url, var};

#[tokio::test]
async fn token_basic_and_password_auth_know_the_user() {
    assert_eq!(admin().logged_user().await.unwrap(), "Administrator");
    let basic = Client::new(
        url(),
        Auth::basic(var("FRAPPE_TEST_API_KEY"), var("FRAPPE_TEST_API_SECRET")),
    )
    .unwrap();
    assert_eq!(basic.logged_user().await.unwrap(), "Administrator");
    assert_eq!(
        limited().logged_user().await.unwrap(),
        var("FRAPPE_TEST_LIMITED_USER")
    );
    let _guard = SESSIONS.lock().await;
    let session = support::password(
        &var("FRAPPE_TEST_LIMITED_USER"),
        &var("FRAPPE_TEST_LIMITED_PASSWORD"),
    );
    let info = session.login().await.unwrap();
    assert_eq!(info.message, "Logged In");
    assert_eq!(
        session.logged_user().await.unwrap(),
        var("FRAPPE_TEST_LIMITED_USER")
    );
    session.logout().await.unwrap();
}

#[tokio::test]
async fn wrong_credentials_are_unauthorized() {
    let wrong = Client::new(
        url(),
        Auth::token(var("FRAPPE_TEST_API_KEY"), "not-the-secret"),
    )
    .unwrap();
    let err = wrong.logged_user().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    let err = support::password(&var("FRAPPE_TEST_LIMITED_USER"), "wrong password")
        .login()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
}

#[tokio::test]
async fn after_logout_calls_fail_until_login() {
    let _guard = SESSIONS.lock().await;
    let user = var("FRAPPE_TEST_LIMITED_USER");
    let session = support::password(&user, &var("FRAPPE_TEST_LIMITED_PASSWORD"));
    assert_eq!(session.logged_user().await.unwrap(), user);
    session.logout().await.unwrap();
    let err = session.logged_user().await.unwrap_err();
    assert!(
        err.to_string().contains("logged out"),
        "a logged-out client must not log in again by itself: {err:?}"
    );
    session.login().await.unwrap();
    assert_eq!(session.logged_user().await.unwrap(), user);
    session.logout().await.unwrap();
}

/// Sets System Settings' `deny_multiple_sessions` (a login then ends the user's other
/// sessions) and the manager's `simultaneous_sessions` to 1, or back to Frappe's defaults.
async fn one_session_per_user(admin: &Client, on: bool) {
    admin
        .update::<SystemSettings>(
            "System Settings",
            &Changes::new().set(SystemSettings::deny_multiple_sessions, on),
        )
        .await
        .unwrap();
    admin
        .update::<User>(
            "manager@example.com",
            &Changes::new().set(User::simultaneous_sessions, if on { 1 } else { 2 }),
        )
        .await
        .unwrap();
}

/// What the session test observed; asserted after the settings are restored.
struct Observed {
    read_after_end: Result<String, Error>,
    post_after_end: Result<u64, Error>,
    post_retried: Result<u64, Error>,
}

#[tokio::test]
async fn a_session_ended_on_the_server_is_renewed_for_reads_only() {
    let _guard = SESSIONS.lock().await;
    let admin = admin();
    one_session_per_user(&admin, true).await;
    let first = support::password("manager@example.com", "Manager#12345");
    let second = support::password("manager@example.com", "Manager#12345");
    let observed = async {
        first.login().await?;
        // The second login ends the first session on the server.
        second.login().await?;
        // A read logs in again and is replayed; that login ends the second session.
        let read_after_end = first.logged_user().await;
        let count = || {
            second
                .call("frappe.client.get_count")
                .arg("doctype", "ToDo")
                .post::<u64>()
        };
        // A POST is not replayed after the renewal ...
        let post_after_end = count().await;
        // ... but the session was renewed, so the caller's own retry runs.
        let post_retried = count().await;
        Ok::<_, Error>(Observed {
            read_after_end,
            post_after_end,
            post_retried,
        })
    }
    .await;
    let _ = first.logout().await;
    let _ = second.logout().await;
    one_session_per_user(&admin, false).await;

    let observed = observed.expect("both logins");
    assert_eq!(observed.read_after_end.unwrap(), "manager@example.com");
    let err = observed.post_after_end.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    assert!(observed.post_retried.unwrap() > 0);
}

#[tokio::test]
async fn the_limited_user_gets_403_where_its_role_ends() {
    let limited = limited();
    let err = limited.list::<Role>().limit(1).send().await.unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    assert!(err.is_permission());

    let err = limited
        .delete::<Note>("seed-note-welcome")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    assert!(admin().get::<Note>("seed-note-welcome").await.is_ok());

    // It may create a Note (and, lacking delete, the Administrator removes it).
    let title = unique("limited-note");
    let note: Note = limited
        .create(&Changes::new().set(Note::title, title.as_str()))
        .await
        .unwrap();
    assert_eq!(
        note.owner.as_deref(),
        Some(var("FRAPPE_TEST_LIMITED_USER").as_str())
    );
    admin().delete::<Note>(&note.name).await.unwrap();
}
