//! Redirects: only GET and HEAD follow them, only within the site's origin (scheme, host, port),
//! at most a few hops; anything else is `Error::Redirect`, and no credential, cookie or body
//! reaches the other location.

use frappe_runtime::{Auth, Client, Error, RedirectReason, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{bounded, json_ok, received};

fn redirect(status: u16, location: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("Location", location)
}

fn client(site: &MockServer, auth: Auth) -> Client {
    Client::builder(site.uri())
        .auth(auth)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The other origin answers everything as if it were the site, so a followed redirect would
/// succeed there.
async fn impostor() -> MockServer {
    let other = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            json_ok(json!({
                "message": "Logged In",
                "data": {"name": "x"},
                "access_token": "stolen-access",
                "refresh_token": "stolen-refresh",
            }))
            .insert_header("Set-Cookie", "sid=impostor; Path=/"),
        )
        .mount(&other)
        .await;
    other
}

/// Asserts `other` received nothing, showing what it got otherwise.
async fn assert_untouched(other: &MockServer) {
    let got: Vec<String> = received(other)
        .await
        .iter()
        .map(|r| {
            format!(
                "{} {} {:?} {}",
                r.method,
                r.url,
                r.headers.get("authorization"),
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect();
    assert!(got.is_empty(), "the other origin received: {got:#?}");
}

/// `err` is `Error::Redirect` for `status` and `reason`, naming `location`; the error shows no
/// secret.
fn assert_redirect(err: &Error, status: u16, location: &str, reason: RedirectReason) {
    let Error::Redirect(r) = err else {
        panic!("expected Error::Redirect, got {err:?}")
    };
    assert_eq!(r.status, Some(status), "{err}");
    assert_eq!(r.reason, reason, "{err}");
    let shown = err.to_string();
    assert!(shown.contains(location), "{shown}");
    for secret in ["PW-SECRET", "REFRESH-SECRET", "QUERY-SECRET", "userinfo"] {
        assert!(!format!("{shown} {err:?}").contains(secret), "{err:?}");
    }
}

#[tokio::test]
async fn login_redirected_to_another_origin_sends_no_password() {
    bounded(async {
        let (site, other) = (MockServer::start().await, impostor().await);
        for status in [307, 308] {
            site.reset().await;
            Mock::given(method("POST"))
                .and(path("/api/method/login"))
                .respond_with(redirect(
                    status,
                    &format!("{}/api/method/login?QUERY-SECRET=1", other.uri()),
                ))
                .mount(&site)
                .await;
            let c = client(&site, Auth::password("u", "PW-SECRET"));
            let err = c.login().await.unwrap_err();
            assert_untouched(&other).await;
            assert_redirect(
                &err,
                status,
                &format!("{}/api/method/login", other.uri()),
                RedirectReason::OtherOrigin,
            );
            // A write that may have been refused by a redirect is not known to be unsent.
            assert!(err.maybe_committed(), "{err:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn token_refresh_redirected_to_another_origin_sends_no_refresh_token() {
    bounded(async {
        let (site, other) = (MockServer::start().await, impostor().await);
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(401)
                    .set_body_json(json!({"exc_type": "AuthenticationError"})),
            )
            .mount(&site)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/method/frappe.integrations.oauth2.get_token"))
            .respond_with(redirect(
                308,
                &format!(
                    "{}/api/method/frappe.integrations.oauth2.get_token",
                    other.uri()
                ),
            ))
            .mount(&site)
            .await;
        let c = client(
            &site,
            Auth::bearer_with_refresh("old-access", "REFRESH-SECRET", "client-1"),
        );
        let err = c.logged_user().await.unwrap_err();
        assert_untouched(&other).await;
        assert_redirect(&err, 308, &other.uri(), RedirectReason::OtherOrigin);
    })
    .await;
}

#[tokio::test]
async fn get_redirected_to_another_origin_is_refused() {
    bounded(async {
        let (site, other) = (MockServer::start().await, impostor().await);
        // Credentials in the Location must not be echoed either.
        let location = other.uri().replace("http://", "http://userinfo:PW-SECRET@");
        Mock::given(method("GET"))
            .respond_with(redirect(
                302,
                &format!("{location}/api/resource/ToDo/x?QUERY-SECRET=1"),
            ))
            .mount(&site)
            .await;
        let c = client(&site, Auth::token("k", "PW-SECRET"));
        let err = c.doctype("ToDo").get("x").await.unwrap_err();
        assert_untouched(&other).await;
        assert_redirect(
            &err,
            302,
            &format!("{}/api/resource/ToDo/x", other.uri()),
            RedirectReason::OtherOrigin,
        );
        // The request reached the site, which answered: "may have taken effect" is only ever
        // denied for requests that certainly did not.
        assert!(err.maybe_committed());
    })
    .await;
}

#[tokio::test]
async fn same_origin_get_redirect_is_followed_with_credentials() {
    bounded(async {
        let site = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/resource/ToDo/old"))
            .respond_with(redirect(301, "/api/resource/ToDo/new"))
            .expect(1)
            .mount(&site)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/resource/ToDo/new"))
            .and(header("authorization", "token k:s"))
            .respond_with(json_ok(json!({"data": {"name": "new"}})))
            .expect(1)
            .mount(&site)
            .await;
        let c = client(&site, Auth::token("k", "s"));
        let doc = c.doctype("ToDo").get("old").await.unwrap();
        assert_eq!(doc["name"], "new");
    })
    .await;
}

#[tokio::test]
async fn redirect_loops_are_cut_after_a_few_hops() {
    bounded(async {
        let site = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(redirect(302, "/api/method/ping"))
            .mount(&site)
            .await;
        let err = client(&site, Auth::Guest).ping().await.unwrap_err();
        let hops = received(&site).await.len();
        assert!(hops <= 6, "{hops} requests for one call");
        assert_redirect(&err, 302, "/api/method/ping", RedirectReason::TooManyHops);
    })
    .await;
}

#[tokio::test]
async fn a_user_supplied_client_that_follows_redirects_gets_no_answer_from_elsewhere() {
    bounded(async {
        let (site, other) = (MockServer::start().await, impostor().await);
        Mock::given(method("GET"))
            .respond_with(redirect(
                302,
                &format!("{}/api/resource/ToDo/x", other.uri()),
            ))
            .mount(&site)
            .await;
        // reqwest's default policy follows up to 10 redirects: the client cannot stop that
        // request (the docs say so), but it must not hand back the other origin's answer.
        let c = Client::builder(site.uri())
            .http_client(reqwest::Client::new())
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let err = c.doctype("ToDo").get("x").await.unwrap_err();
        let Error::Redirect(r) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            r.status, None,
            "reqwest does not say which status it followed"
        );
        assert!(err.to_string().contains(&other.uri()), "{err}");
    })
    .await;
}

#[tokio::test]
async fn downloads_follow_same_origin_redirects_only() {
    bounded(async {
        let (site, other) = (MockServer::start().await, impostor().await);
        Mock::given(method("GET"))
            .and(path("/files/moved.txt"))
            .respond_with(redirect(302, "/files/here.txt"))
            .mount(&site)
            .await;
        Mock::given(method("GET"))
            .and(path("/files/here.txt"))
            .and(header("authorization", "token k:s"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(&b"hello"[..]))
            .mount(&site)
            .await;
        Mock::given(method("GET"))
            .and(path("/private/files/away.txt"))
            .respond_with(redirect(
                302,
                &format!("{}/private/files/away.txt", other.uri()),
            ))
            .mount(&site)
            .await;
        let c = client(&site, Auth::token("k", "s"));
        assert_eq!(&c.download("/files/moved.txt").await.unwrap()[..], b"hello");
        let err = c.download("/private/files/away.txt").await.unwrap_err();
        assert_untouched(&other).await;
        assert_redirect(&err, 302, &other.uri(), RedirectReason::OtherOrigin);
    })
    .await;
}

/// Item 2 of issue 8: a write either reaches the site's own endpoint or fails.
mod writes {
    use super::*;

    #[tokio::test]
    async fn insert_answered_302_is_an_error_not_a_get() {
        bounded(async {
            let site = MockServer::start().await;
            Mock::given(method("POST"))
                .respond_with(redirect(302, "/app/todo/x"))
                .expect(1)
                .mount(&site)
                .await;
            // What a followed redirect would find: a success that is not the insert's.
            Mock::given(method("GET"))
                .respond_with(json_ok(json!({"data": {"name": "x"}})))
                .expect(0)
                .mount(&site)
                .await;
            let c = client(&site, Auth::token("k", "s"));
            let err = c
                .doctype("ToDo")
                .insert(&json!({"description": "once"}))
                .await
                .unwrap_err();
            assert_redirect(&err, 302, "/app/todo/x", RedirectReason::NotGetOrHead);
            assert!(err.maybe_committed(), "{err:?}");
        })
        .await;
    }

    #[tokio::test]
    async fn writes_redirected_to_another_origin_send_nothing_there() {
        bounded(async {
            let (site, other) = (MockServer::start().await, impostor().await);
            for status in [301, 302, 303, 307, 308] {
                site.reset().await;
                Mock::given(any())
                    .respond_with(redirect(
                        status,
                        &format!("{}/api/resource/ToDo", other.uri()),
                    ))
                    .mount(&site)
                    .await;
                let c = client(&site, Auth::token("k", "PW-SECRET"));
                let todos = c.doctype("ToDo");
                let insert = todos
                    .insert(&json!({"description": "doc"}))
                    .await
                    .unwrap_err();
                assert_redirect(&insert, status, &other.uri(), RedirectReason::OtherOrigin);
                let update = todos
                    .update("x", &json!({"status": "Closed"}))
                    .await
                    .unwrap_err();
                assert_redirect(&update, status, &other.uri(), RedirectReason::OtherOrigin);
                let delete = todos.delete("x").await.unwrap_err();
                assert_redirect(&delete, status, &other.uri(), RedirectReason::OtherOrigin);
                let call = c
                    .call("frappe.client.set_value")
                    .arg("doctype", "ToDo")
                    .post::<Value>()
                    .await
                    .unwrap_err();
                assert_redirect(&call, status, &other.uri(), RedirectReason::OtherOrigin);
                assert_untouched(&other).await;
            }
        })
        .await;
    }

    use serde_json::Value;
}

/// Two sites on one host, under `/a/` and `/b/`: a redirect of the first to the second stays
/// on the origin but leaves the site, so its credentials do not follow (as `download()` refuses
/// a `file_url` there).
#[tokio::test]
async fn a_redirect_to_another_site_on_the_same_host_is_not_followed() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/a/api/method/ping"))
            .respond_with(redirect(302, "/b/api/method/ping?token=QUERY-SECRET"))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/a/files/x.txt"))
            .respond_with(redirect(302, "/b/files/x.txt"))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(json_ok(json!({"message": "pong"})))
            .mount(&server)
            .await;
        let c = Client::builder(format!("{}/a/", server.uri()))
            .auth(Auth::token("k", "PW-SECRET"))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let err = c.ping().await.unwrap_err();
        let location = format!("{}/b/api/method/ping?…", server.uri());
        assert_redirect(&err, 302, &location, RedirectReason::OutsideBasePath);
        let err = c.download("/files/x.txt").await.unwrap_err();
        let location = format!("{}/b/files/x.txt", server.uri());
        assert_redirect(&err, 302, &location, RedirectReason::OutsideBasePath);
        let to_b: Vec<String> = received(&server)
            .await
            .iter()
            .map(|r| r.url.path().to_owned())
            .filter(|p| p.starts_with("/b/"))
            .collect();
        assert!(to_b.is_empty(), "sent to the other site: {to_b:?}");
    })
    .await;
}
