//! Frappe's background bulk jobs on the kit's worker: 300 ToDos updated and deleted, 300 API
//! Test Orders submitted (one of them deleted first, so the job cannot do it and the individual
//! attempt says why), cancelled and deleted; each followed to the end by polling.
//!
//! ToDos are made Cancelled (out of the paging tests' counts) under [`METADATA`]; API Test
//! Orders are written under [`ORDER_WORKFLOW`] for reading (no workflow active meanwhile).

use std::time::{Duration, Instant};

use frappe_runtime::{BulkJob, BulkReport, Changes, Error};
use frappe_tests::live_site::custom::ApiTestOrder;
use frappe_tests::live_site::desk::{ToDo, ToDoPriority, ToDoStatus};
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{METADATA, ORDER_WORKFLOW, admin, unique};

const COUNT: usize = 300;

/// Runs `job` with a short idle period, printing the time and the last progress.
async fn run(what: &str, job: BulkJob) -> BulkReport {
    let started = Instant::now();
    let report = job
        .poll_interval(Duration::from_millis(500))
        .queue_wait(Duration::from_secs(180))
        .idle(Duration::from_secs(10))
        .timeout(Duration::from_secs(300))
        .on_progress(|p| {
            if p.done == p.total || p.elapsed.as_millis() % 5000 < 500 {
                eprintln!(
                    "  {}/{} done, {} failed, {:?}",
                    p.done, p.total, p.failed, p.elapsed
                );
            }
        })
        .await
        .unwrap();
    eprintln!(
        "bulk {what}: {} succeeded ({} individually), {} failed in {:?}",
        report.succeeded.len(),
        report.individually.len(),
        report.failed.len(),
        started.elapsed()
    );
    report
}

/// Everything done by the worker: no failure, no individual attempt.
fn no_failures(report: &BulkReport) {
    assert!(report.individually.is_empty(), "{:?}", report.individually);
    let failed: Vec<String> = report
        .failed
        .iter()
        .map(|(n, e)| format!("{n}: {e}"))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
}

#[tokio::test]
async fn three_hundred_todos_are_updated_then_deleted_by_the_worker() {
    let _guard = METADATA.lock().await;
    let admin = admin();
    let marker = unique("bulkjob");
    let docs: Vec<Changes<ToDo>> = (0..COUNT)
        .map(|i| {
            Changes::new()
                .set(ToDo::description, format!("{marker} {i:03}"))
                .set(ToDo::status, ToDoStatus::Cancelled)
                .set(ToDo::priority, ToDoPriority::Low)
        })
        .collect();
    let names = admin.insert_many(&docs).await.unwrap();

    let changes = Changes::<ToDo>::new().set(ToDo::priority, ToDoPriority::High);
    let report = run("update", admin.bulk::<ToDo>().update(&names, &changes)).await;
    no_failures(&report);
    assert_eq!(report.succeeded, names);
    let high: Vec<ToDo> = admin
        .list::<ToDo>()
        .filter(ToDo::description.like(format!("{marker}%")))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(high.len(), COUNT);
    assert!(high.iter().all(|t| t.priority == Some(ToDoPriority::High)));

    let report = run("delete", admin.bulk::<ToDo>().delete(&names)).await;
    no_failures(&report);
    assert_eq!(report.succeeded, names);
    let left = admin
        .list::<ToDo>()
        .filter(ToDo::description.like(format!("{marker}%")))
        .count()
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn three_hundred_orders_are_submitted_cancelled_and_deleted_by_the_worker() {
    let _orders = ORDER_WORKFLOW.read().await;
    let admin = admin();
    let marker = unique("bulkjob");
    let docs: Vec<_> = (0..COUNT)
        .map(|i| json!({"customer_name": format!("{marker} {i:03}")}))
        .collect();
    let names = admin
        .doctype("API Test Order")
        .insert_many(&docs)
        .await
        .unwrap();
    // The last one is gone before the job: Frappe's job stops at it (its get_doc is outside
    // the try), and the individual attempt answers why.
    let gone = names.last().unwrap().clone();
    admin.delete::<ApiTestOrder>(&gone).await.unwrap();

    let report = run("submit", admin.bulk::<ApiTestOrder>().submit(&names)).await;
    assert_eq!(report.succeeded, names[..COUNT - 1]);
    assert_eq!(report.failed.len(), 1);
    let (name, error) = &report.failed[0];
    assert_eq!(name, &gone);
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert!(report.individually.is_empty(), "{:?}", report.individually);
    let submitted = &report.succeeded;

    let report = run("cancel", admin.bulk::<ApiTestOrder>().cancel(submitted)).await;
    no_failures(&report);
    assert_eq!(&report.succeeded, submitted);

    let report = run("delete", admin.bulk::<ApiTestOrder>().delete(submitted)).await;
    no_failures(&report);
    assert_eq!(&report.succeeded, submitted);
}
