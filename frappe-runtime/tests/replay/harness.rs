//! The replay harness itself: a recorded request replays, anything else is refused loudly.

use crate::support::{Replay, core, transcript};

#[tokio::test]
async fn shared_data_resolves_from_the_crate() {
    let root = transcript::shared_root();
    assert!(
        root.join("transcripts/021-list-todo-fields-star.json")
            .is_file(),
        "{} must hold the Frappe v15 transcripts",
        root.display()
    );
    assert!(root.join("erpnext/transcripts").is_dir());
}

#[tokio::test]
async fn recorded_request_gets_recorded_response() {
    let r = Replay::start(core(21)).await;
    let auth = transcript::substitute("token <API_KEY>:<API_SECRET>");
    // Same parameters, other order and JSON spacing: still the recorded exchange.
    let resp = reqwest::Client::new()
        .get(format!("{}/api/resource/ToDo", r.uri()))
        .query(&[("limit_page_length", "2"), ("fields", r#"["*"]"#)])
        .header("Accept", "application/json")
        .header("Authorization", auth)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cookies: Vec<_> = resp.headers().get_all("set-cookie").iter().collect();
    assert_eq!(cookies.len(), 5);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["data"][0]["name"], "ro2rh3r4lm");
    r.assert_requests().await;
}

#[tokio::test]
async fn dict_and_list_filters_are_the_same_request() {
    // 024 recorded `{"status": "Open"}`; Frappe reads `[["status","=","Open"]]` identically.
    let r = Replay::start(core(24)).await;
    let resp = reqwest::Client::new()
        .get(format!("{}/api/resource/ToDo", r.uri()))
        .query(&[
            ("fields", r#"["name","status"]"#),
            ("filters", r#"[["status","=","Open"]]"#),
        ])
        .header("Accept", "application/json")
        .header(
            "Authorization",
            transcript::substitute("token <API_KEY>:<API_SECRET>"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    r.assert_requests().await;
}

#[tokio::test]
async fn unexpected_request_is_refused_loudly() {
    let r = Replay::start(core(1)).await;
    let resp = reqwest::Client::new()
        .get(format!("{}/api/method/pong", r.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 500);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["exc_type"], "ReplayMismatch");
    assert!(
        body["exception"]
            .as_str()
            .unwrap()
            .contains("GET /api/method/pong"),
        "{body}"
    );
    // The server's drop-time verification would fail this test (catch-all expected 0 times,
    // the recorded mock once); reset it so this negative test can end cleanly.
    r.server.reset().await;
}
