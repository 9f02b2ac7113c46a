//! `frappe_runtime::testing` used as a user would: a typed document registered from its
//! struct, methods registered as closures, the request log, injected faults against the
//! client's retry rules, users and their permissions. (That it answers as Frappe does is the
//! conformance suite's job: `tests/tests/conformance` in the workspace.)

use std::time::Duration;

use frappe_runtime::retry::RetryPolicy;
use frappe_runtime::testing::{Fault, SiteError, TestSite, TestSiteError, User};
use frappe_runtime::{Auth, Client, Document};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

mod doc_methods;
mod not_implemented;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Document)]
#[frappe(doctype = "Task")]
struct Task {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name: String,
    #[frappe(mandatory)]
    #[serde(default)]
    subject: String,
    #[serde(default)]
    priority: Option<String>,
}

fn note_json() -> Value {
    json!({"name": "Note", "autoname": "NOTE-.####", "fields": [
        {"fieldname": "title", "fieldtype": "Data", "label": "Title", "reqd": 1},
        {"fieldname": "done", "fieldtype": "Check", "label": "Done"}],
        "permissions": [{"role": "Notes User", "read": 1, "write": 0, "create": 1, "delete": 0},
                        {"role": "System Manager"}]})
}

/// A site with the Note DocType and nothing else.
async fn note_site() -> TestSite {
    TestSite::builder()
        .doctype_json(note_json())
        .start()
        .await
        .expect("site")
}

/// A client that retries quickly, so fault tests take milliseconds.
fn retrying(site: &TestSite, attempts: u32) -> Client {
    let (key, secret) = site.admin_api_key();
    Client::builder(site.url())
        .auth(Auth::token(key, secret))
        .retry(RetryPolicy::new(
            attempts,
            Duration::from_millis(1),
            Duration::from_millis(5),
        ))
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_typed_document_round_trips_through_its_own_doctype() {
    let site = TestSite::builder()
        .doctype::<Task>()
        .start()
        .await
        .expect("site");
    let client = site.client();
    let task = Task {
        name: String::new(),
        subject: "Write tests".into(),
        priority: Some("High".into()),
    };
    let saved: Task = client.insert(&task).await.expect("insert");
    assert_eq!(saved.name.len(), 10, "a hash name: {}", saved.name);
    let read: Task = client.get(&saved.name).await.expect("get");
    assert_eq!(read, saved);
    let listed: Vec<Task> = client.list::<Task>().all().send().await.expect("list");
    assert_eq!(listed, vec![saved.clone()]);
    assert_eq!(site.documents("Task")[0]["subject"], "Write tests");
    let err = client
        .doctype("Task")
        .insert(&json!({}))
        .await
        .expect_err("mandatory");
    assert_eq!(err.exc_type(), Some("MandatoryError"));
}

#[tokio::test]
async fn seed_documents_and_metadata_errors_are_reported_by_name() {
    let site = TestSite::builder()
        .doctype_json(note_json())
        .document("Note", json!({"title": "seeded"}))
        .start()
        .await
        .expect("site");
    assert_eq!(site.documents("Note")[0]["name"], "NOTE-0001");

    let err = TestSite::builder()
        .doctype_json(note_json())
        .document("Note", json!({"done": 1}))
        .start()
        .await
        .expect_err("a seed without its mandatory title");
    assert!(matches!(err, TestSiteError::Seed { .. }));
    assert!(err.to_string().contains("MandatoryError"), "{err}");

    let err = TestSite::builder()
        .doctype_json(json!({"name": "Order", "fields": [
            {"fieldname": "items", "fieldtype": "Table", "options": "Order Item"}]}))
        .start()
        .await
        .expect_err("a Table of a DocType not given");
    assert!(err.to_string().contains("Order.items"), "{err}");
}

#[tokio::test]
async fn registered_methods_answer_in_the_message_envelope_and_errors_as_frappe_does() {
    let site = TestSite::builder()
        .method("myapp.api.greet", |call| {
            let who = call
                .args
                .get("who")
                .and_then(Value::as_str)
                .unwrap_or("nobody");
            Ok(json!(format!("hello {who}, from {}", call.user)))
        })
        .method("myapp.api.fail", |_| {
            Err(SiteError::validation("ValidationError", "no such order"))
        })
        .start()
        .await
        .expect("site");
    let client = site.client();
    let greeting: String = client
        .call("myapp.api.greet")
        .arg("who", "Ada")
        .post()
        .await
        .expect("call");
    assert_eq!(greeting, "hello Ada, from Administrator");
    let err = client
        .call("myapp.api.fail")
        .post::<Value>()
        .await
        .expect_err("thrown");
    assert_eq!(
        (err.status(), err.exc_type()),
        (Some(417), Some("ValidationError"))
    );
    let err = client
        .call("myapp.api.missing")
        .post::<Value>()
        .await
        .expect_err("unregistered");
    assert_eq!(err.status(), Some(501), "{err}");
}

#[tokio::test]
async fn the_request_log_shows_what_the_client_sent_without_credentials() {
    let site = note_site().await;
    site.client()
        .doctype("Note")
        .insert(&json!({"title": "x"}))
        .await
        .expect("insert");
    let requests = site.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/api/resource/Note")
    );
    assert_eq!(r.body, json!({"title": "x"}));
    assert_eq!((r.user.as_str(), r.status), ("Administrator", Some(200)));
    assert!(!format!("{requests:?}").contains(site.admin_api_key().1));
    site.clear_requests();
    assert!(site.requests().is_empty());
}

#[tokio::test]
async fn reads_are_retried_through_injected_5xx() {
    let site = note_site().await;
    let client = retrying(&site, 3);
    let note = client
        .doctype("Note")
        .insert(&json!({"title": "x"}))
        .await
        .expect("insert");
    let name = note
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    site.clear_requests();
    site.inject(Fault::status(503).retry_after(0).times(1));
    site.inject(Fault::status(502).times(1));
    client
        .doctype("Note")
        .get(&name)
        .await
        .expect("third attempt succeeds");
    let statuses: Vec<Option<u16>> = site.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![Some(503), Some(502), Some(200)]);
}

/// The client's policy today: a connection closed after the request went out (hyper's
/// `IncompleteMessage`) is not retried, even for a read.
#[tokio::test]
async fn a_dropped_connection_surfaces_as_a_transport_error() {
    let site = note_site().await;
    let client = retrying(&site, 3);
    site.inject(
        Fault::drop_connection()
            .on_path("/api/resource/Note")
            .times(1),
    );
    let err = client
        .doctype("Note")
        .list()
        .send()
        .await
        .expect_err("dropped");
    assert!(
        matches!(err, frappe_runtime::Error::Transport { .. }),
        "{err:?}"
    );
    let statuses: Vec<Option<u16>> = site.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![None]);
    assert!(
        client.doctype("Note").list().send().await.is_ok(),
        "the fault was used up"
    );
}

#[tokio::test]
async fn a_write_whose_answer_was_lost_is_not_repeated() {
    let site = note_site().await;
    let client = retrying(&site, 3);
    site.inject(Fault::drop_after_processing().on_method("POST").times(1));
    let err = client
        .doctype("Note")
        .insert(&json!({"title": "once"}))
        .await
        .expect_err("lost answer");
    assert!(err.maybe_committed(), "{err}");
    assert_eq!(site.documents("Note").len(), 1, "processed exactly once");
    assert_eq!(site.requests().len(), 1, "not retried");
}

#[tokio::test]
async fn an_injected_delay_runs_into_the_clients_timeout() {
    let site = note_site().await;
    let (key, secret) = site.admin_api_key();
    let client = Client::builder(site.url())
        .auth(Auth::token(key, secret))
        .timeout(Duration::from_millis(50))
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    site.inject(Fault::delay(Duration::from_secs(5)).on_path("/api/method/ping"));
    client.ping().await.expect_err("timed out");
    site.clear_faults();
    assert_eq!(client.ping().await.expect("no fault"), "pong");
}

#[tokio::test]
async fn users_get_what_their_roles_allow() {
    let site = TestSite::builder()
        .doctype_json(note_json())
        .user(
            User::new("ann@example.com")
                .role("Notes User")
                .api_key("ann-key", "ann-secret"),
        )
        .start()
        .await
        .expect("site");
    let ann = site.client_as("ann@example.com").expect("ann has a key");
    let note = ann
        .doctype("Note")
        .insert(&json!({"title": "mine"}))
        .await
        .expect("create");
    assert_eq!(
        note.get("owner").and_then(Value::as_str),
        Some("ann@example.com")
    );
    let name = note
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let err = ann
        .doctype("Note")
        .delete(&name)
        .await
        .expect_err("no delete right");
    assert!(err.is_permission(), "{err}");
    assert!(matches!(
        site.client_as("nobody"),
        Err(TestSiteError::User(_))
    ));
}

#[tokio::test]
async fn uploaded_files_are_served_public_to_anyone_and_private_to_users() {
    use frappe_runtime::file::UploadFile;
    let site = note_site().await;
    let client = site.client();
    let public = client
        .upload(UploadFile::bytes("hello.txt", &b"hello"[..]))
        .await
        .expect("upload");
    assert_eq!(public.file_url.as_deref(), Some("/files/hello.txt"));
    assert_eq!(
        &client.download("/files/hello.txt").await.expect("download")[..],
        b"hello"
    );
    let anonymous = raw_get(&format!("{}/files/hello.txt", site.url())).await;
    assert_eq!(anonymous, (200, b"hello".to_vec()));

    client
        .upload(UploadFile::bytes("secret.txt", &b"psst"[..]).private(true))
        .await
        .expect("upload");
    assert_eq!(
        &client
            .download("/private/files/secret.txt")
            .await
            .expect("download")[..],
        b"psst"
    );
    let anonymous = raw_get(&format!("{}/private/files/secret.txt", site.url())).await;
    assert_eq!(anonymous.0, 403);
    assert_eq!(site.documents("File").len(), 2);
}

async fn raw_get(url: &str) -> (u16, Vec<u8>) {
    // A bare HTTP GET without credentials, on a fresh connection.
    let url = url.strip_prefix("http://").unwrap_or(url);
    let (host, path) = url.split_once('/').unwrap_or((url, ""));
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.as_bytes().to_vec())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn a_password_client_logs_in_and_works_in_its_session() {
    let site = TestSite::builder()
        .doctype_json(note_json())
        .user(
            User::new("ann@example.com")
                .role("Notes User")
                .password("ann-pw"),
        )
        .start()
        .await
        .expect("site");
    let ann = Client::new(site.url(), Auth::password("ann@example.com", "ann-pw")).expect("client");
    ann.doctype("Note")
        .insert(&json!({"title": "by session"}))
        .await
        .expect("insert");
    assert_eq!(ann.logged_user().await.expect("whoami"), "ann@example.com");
    ann.logout().await.expect("logout");
    let wrong = Client::new(site.url(), Auth::password("ann@example.com", "nope")).expect("client");
    let err = wrong
        .doctype("Note")
        .list()
        .send()
        .await
        .expect_err("bad password");
    assert_eq!(err.status(), Some(401), "{err}");
    // The logins are in the request log, their passwords are not.
    let log = format!("{:?}", site.requests());
    assert!(
        log.contains("/api/method/login") && log.contains("usr=ann"),
        "{log}"
    );
    assert!(!log.contains("ann-pw") && !log.contains("nope"), "{log}");
}
