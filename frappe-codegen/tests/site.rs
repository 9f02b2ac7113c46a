//! The site source against a local mock server replaying recorded `getdoctype` bodies from
//! `../shared/frappe-v15/meta` (127.0.0.1 only), through the library and through the CLI.
#![cfg(feature = "cli")]

mod support;

use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn recorded(file: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(support::shared().join("meta").join(file)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A server that answers getdoctype for "API Test Order" (bundled with its child table) once
/// and lists the DocTypes of module "Custom"; anything else gets a loud 418.
async fn site() -> MockServer {
    site_expecting(1).await
}

async fn site_expecting(getdoctype_calls: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.desk.form.load.getdoctype"))
        .and(query_param("doctype", "API Test Order"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(recorded("api_test_order.getdoctype.json")),
        )
        .expect(getdoctype_calls)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/resource/DocType"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"data": [{"name": "API Test Order"}]})),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(418).set_body_string("unexpected request"))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

#[test]
fn fetches_a_doctype_and_its_children() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(site());
    let mut log = Vec::new();
    let doctypes = frappe_codegen::site::fetch_blocking(
        &server.uri(),
        frappe_runtime::Auth::token("key", "secret"),
        &frappe_codegen::site::Request {
            doctypes: vec!["API Test Order".into()],
            ..Default::default()
        },
        &mut log,
    )
    .unwrap();
    let names: Vec<_> = doctypes.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["API Test Order", "API Test Order Item"]);
    assert!(
        String::from_utf8(log)
            .unwrap()
            .starts_with("fetched 2 DocType(s) from http://127.0.0.1:")
    );
    rt.block_on(server.verify());
}

#[test]
fn cli_generates_from_a_site_by_module() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(site());
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("bindings");
    // Credentials come from the environment only; the CLI reads them through std::env, so
    // this test passes them the same way a user would (set for the child process).
    let exe = env!("CARGO_BIN_EXE_frappe-codegen");
    let output = std::process::Command::new(exe)
        .args([
            "generate",
            "--site",
            &server.uri(),
            "--module",
            "Custom",
            "--out",
        ])
        .arg(&out_dir)
        .env("FRAPPE_API_KEY", "key")
        .env("FRAPPE_API_SECRET", "secret")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.starts_with("generated 2 DocType(s) into "),
        "{stdout}"
    );
    let code = std::fs::read_to_string(out_dir.join("custom.rs")).unwrap();
    assert!(code.contains("pub struct ApiTestOrder {"));
    assert!(code.contains("pub items: Vec<ApiTestOrderItem>,"));
    rt.block_on(server.verify());
}

/// The message names the cause at the bottom of the chain ("Connection refused"), not only
/// reqwest's "error sending request".
#[test]
fn cli_names_the_cause_when_the_site_is_unreachable() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_frappe-codegen"))
        .args(["snapshot", "--site", &format!("http://127.0.0.1:{port}")])
        .args(["--doctype", "ToDo", "--out"])
        .arg(dir.path().join("s.json"))
        .env("FRAPPE_API_KEY", "key")
        .env("FRAPPE_API_SECRET", "secret")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("DocType \"ToDo\""), "{stderr}");
    assert!(stderr.contains("error sending request"), "{stderr}");
    assert!(stderr.contains("Connection refused"), "{stderr}");
    assert!(!stderr.contains("secret"), "{stderr}");
}

#[test]
fn snapshot_and_check_against_a_site() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(site_expecting(3));
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("frappe.snapshot.json");
    let exe = env!("CARGO_BIN_EXE_frappe-codegen");
    let run = |args: &[&str]| {
        std::process::Command::new(exe)
            .args(args)
            .env("FRAPPE_URL", server.uri())
            .env("FRAPPE_API_KEY", "key")
            .env("FRAPPE_API_SECRET", "secret")
            .output()
            .unwrap()
    };
    let made = run(&[
        "snapshot",
        "--site",
        "--doctype",
        "API Test Order",
        "--out",
        snap.to_str().unwrap(),
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let text = std::fs::read_to_string(&snap).unwrap();
    assert!(text.contains("\"name\": \"API Test Order Item\""), "{text}");
    // Without a selection, check asks the site for the snapshot's DocTypes only.
    let checked = run(&["check", "--snapshot", snap.to_str().unwrap(), "--site"]);
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert_eq!(
        checked.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert_eq!(stdout, "no drift: the metadata matches the snapshot\n");

    // A DocType deleted on the site (getdoctype answers 404) is drift, not an error.
    rt.block_on(
        Mock::given(method("GET"))
            .and(path("/api/method/frappe.desk.form.load.getdoctype"))
            .and(query_param("doctype", "Removed Note"))
            .respond_with(ResponseTemplate::new(404).set_body_json(
                serde_json::json!({"exc_type": "DoesNotExistError", "_server_messages": "[]"}),
            ))
            .expect(1)
            .mount(&server),
    );
    let mut snapshot: serde_json::Value = serde_json::from_str(&text).unwrap();
    snapshot["doctypes"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "Removed Note", "module": "Custom"}));
    std::fs::write(&snap, snapshot.to_string()).unwrap();
    let checked = run(&["check", "--snapshot", snap.to_str().unwrap(), "--site"]);
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert_eq!(
        checked.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert_eq!(
        stdout,
        "1 change(s) since the snapshot:\n  Removed Note\n    DocType removed\n"
    );
    rt.block_on(server.verify());
}
