//! Bulk jobs: Frappe's inline answer for a small chunk, an enqueued job followed by polling to
//! the end, a document the job left undone explained by one individual attempt, an update
//! never sent twice, and the timeout.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use frappe_runtime::{Auth, BulkProgress, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::mock::{fast_client, json_ok, json_response, received};

const ENQUEUE: &str =
    "/api/method/frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs";
const LIST: &str = "/api/resource/API%20Test%20Order";

fn names(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("ATO-{i:05}")).collect()
}

fn rows(names: &[String], docstatus: impl Fn(usize) -> i64) -> Value {
    let data: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"name": n, "docstatus": docstatus(i), "modified": "2026-01-01"}))
        .collect();
    json!({ "data": data })
}

async fn mount_list(server: &MockServer, body: Value, times: Option<u64>) {
    let mock = Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(json_ok(body));
    match times {
        Some(n) => mock.up_to_n_times(n).mount(server).await,
        None => mock.mount(server).await,
    }
}

fn fast(job: frappe_runtime::BulkJob) -> frappe_runtime::BulkJob {
    job.poll_interval(Duration::from_millis(5))
        .queue_wait(Duration::from_millis(200))
        .idle(Duration::from_millis(200))
}

#[tokio::test]
async fn a_small_chunk_is_answered_inline_and_its_listed_failure_explained() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ENQUEUE))
        .respond_with(json_ok(json!({"message": ["ATO-00002"]})))
        .expect(1)
        .mount(&server)
        .await;
    // Read once: ATO-00002 is still a draft.
    mount_list(&server, rows(&names(3)[1..2], |_| 0), None).await;
    Mock::given(method("PUT"))
        .and(path("/api/resource/API%20Test%20Order/ATO-00002"))
        .respond_with(json_response(
            417,
            json!({"exc_type": "MandatoryError", "exception": "frappe.exceptions.MandatoryError: customer_name"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = fast_client(&server, Auth::Guest);
    let report = fast(client.doctype("API Test Order").bulk().submit(names(3)))
        .await
        .unwrap();
    assert_eq!(report.succeeded, ["ATO-00001", "ATO-00003"]);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].0, "ATO-00002");
    assert!(
        matches!(report.failed[0].1, Error::Validation(_)),
        "{:?}",
        report.failed[0].1
    );
    let posted: Value = received(&server)
        .await
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .unwrap();
    assert_eq!(posted["action"], "submit");
    assert_eq!(posted["doctype"], "API Test Order");
    assert_eq!(posted["docnames"], json!(names(3)));
}

#[tokio::test]
async fn an_enqueued_job_is_followed_to_the_end_with_progress() {
    let server = MockServer::start().await;
    // Enqueued: Frappe answers only its alert.
    Mock::given(method("POST"))
        .and(path(ENQUEUE))
        .respond_with(json_ok(json!({"_server_messages": "[]"})))
        .expect(1)
        .mount(&server)
        .await;
    let all = names(40);
    mount_list(&server, rows(&all, |i| i64::from(i < 15)), Some(1)).await;
    mount_list(&server, rows(&all, |_| 1), None).await;
    let seen: Arc<Mutex<Vec<BulkProgress>>> = Arc::default();
    let log = seen.clone();
    let client = fast_client(&server, Auth::Guest);
    let report = fast(client.doctype("API Test Order").bulk().submit(&all))
        .on_progress(move |p| log.lock().unwrap().push(p))
        .await
        .unwrap();
    assert_eq!(report.succeeded, all);
    assert!(report.failed.is_empty() && report.individually.is_empty());
    let seen = seen.lock().unwrap().clone();
    let done: Vec<usize> = seen.iter().map(|p| p.done).collect();
    assert_eq!(done.first(), Some(&15), "{done:?}");
    assert_eq!(done.last(), Some(&40), "{done:?}");
    assert!(seen.iter().all(|p| p.total == 40 && p.failed == 0));
    // No document was sent individually.
    assert!(
        received(&server)
            .await
            .iter()
            .all(|r| r.method.as_str() != "PUT")
    );
}

#[tokio::test]
async fn a_document_the_job_left_undone_gets_one_individual_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ENQUEUE))
        .respond_with(json_ok(json!({})))
        .mount(&server)
        .await;
    let all = names(25);
    // Every poll: all submitted but ATO-00007, still a draft.
    mount_list(&server, rows(&all, |i| i64::from(i != 6)), None).await;
    Mock::given(method("PUT"))
        .and(path("/api/resource/API%20Test%20Order/ATO-00007"))
        .respond_with(json_response(
            417,
            json!({"exc_type": "ValidationError", "exception": "frappe.exceptions.ValidationError: Total must be positive"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = fast_client(&server, Auth::Guest);
    let report = fast(client.doctype("API Test Order").bulk().submit(&all))
        .await
        .unwrap();
    assert_eq!(report.succeeded.len(), 24);
    assert_eq!(report.failed.len(), 1);
    let (name, error) = &report.failed[0];
    assert_eq!(name, "ATO-00007");
    assert!(matches!(error, Error::Validation(_)), "{error:?}");
    assert!(
        error.to_string().contains("Total must be positive"),
        "{error}"
    );
}

#[tokio::test]
async fn an_update_not_seen_is_not_confirmed_and_never_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ENQUEUE))
        .respond_with(json_ok(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let all = names(20);
    // Before: modified "2026-01-01" everywhere; after: all but ATO-00003 modified.
    mount_list(&server, rows(&all, |_| 0), Some(1)).await;
    let after: Vec<Value> = all
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let modified = if i == 2 { "2026-01-01" } else { "2026-02-02" };
            json!({"name": n, "docstatus": 0, "modified": modified})
        })
        .collect();
    mount_list(&server, json!({ "data": after }), None).await;
    let client = fast_client(&server, Auth::Guest);
    let report = fast(
        client
            .doctype("API Test Order")
            .bulk()
            .update(&all, &json!({"status": "Confirmed"})),
    )
    .await
    .unwrap();
    assert_eq!(report.succeeded.len(), 19);
    let (name, error) = &report.failed[0];
    assert_eq!(name, "ATO-00003");
    assert!(
        matches!(error, Error::NotConfirmed(n) if n.name == "ATO-00003"),
        "{error:?}"
    );
    let requests = received(&server).await;
    assert!(requests.iter().all(|r| r.method.as_str() != "PUT"));
    let posted: Value = requests
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .unwrap();
    assert_eq!(posted["data"], json!({"status": "Confirmed"}));
}

#[tokio::test]
async fn at_the_timeout_the_rest_is_not_confirmed_without_individual_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ENQUEUE))
        .respond_with(json_ok(json!({})))
        .mount(&server)
        .await;
    let all = names(30);
    mount_list(&server, rows(&all, |i| i64::from(i < 10)), None).await;
    let client = fast_client(&server, Auth::Guest);
    let report = client
        .doctype("API Test Order")
        .bulk()
        .submit(&all)
        .poll_interval(Duration::from_millis(5))
        .queue_wait(Duration::from_secs(3600))
        .idle(Duration::from_secs(3600))
        .timeout(Duration::from_millis(100))
        .await
        .unwrap();
    assert_eq!(report.succeeded, all[..10]);
    assert_eq!(report.failed.len(), 20);
    assert!(
        report
            .failed
            .iter()
            .all(|(_, e)| matches!(e, Error::NotConfirmed(n) if n.reason.contains("timed out")))
    );
    assert!(
        received(&server)
            .await
            .iter()
            .all(|r| r.method.as_str() != "PUT")
    );
}

#[tokio::test]
async fn names_are_checked_before_anything_is_sent() {
    let server = MockServer::start().await;
    let client = fast_client(&server, Auth::Guest);
    let twice = client
        .doctype("API Test Order")
        .bulk()
        .delete(["ATO-00001", "ATO-00001"])
        .await
        .unwrap_err();
    assert!(
        matches!(twice, Error::InvalidInput(ref m) if m.contains("twice")),
        "{twice}"
    );
    assert!(received(&server).await.is_empty());
}
