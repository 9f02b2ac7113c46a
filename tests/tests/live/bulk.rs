//! Bulk writes on the real server: `insert_many` in concurrent chunks gives the names in the
//! order of the documents, `update_many` and `get_many` one result per document, and a failing
//! chunk is rolled back as a whole.
//!
//! They write ToDos: named by hash, so concurrent chunks do not contend for a naming series
//! (with `EV.#####`, Event inserts in parallel chunks meet MariaDB deadlocks, answered as
//! `QueryDeadlockError`), made Cancelled, which keeps them out of the paging tests' counts, and
//! under [`METADATA`](crate::support::METADATA), so that no test changes ToDo's metadata
//! meanwhile.

use frappe_runtime::{Changes, Error};
use frappe_tests::live_site::desk::{ToDo, ToDoPriority, ToDoStatus};
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{METADATA, admin, unique};

#[tokio::test]
async fn insert_many_in_concurrent_chunks_then_update_many() {
    let _guard = METADATA.lock().await;
    let admin = admin();
    let marker = unique("bulk");
    let docs: Vec<Changes<ToDo>> = (0..450)
        .map(|i| {
            Changes::new()
                .set(ToDo::description, format!("{marker} {i:03}"))
                .set(ToDo::status, ToDoStatus::Cancelled)
        })
        .collect();
    let names = admin.insert_many(&docs).concurrency(2).await.unwrap();
    assert_eq!(names.len(), 450);
    // Names line up with documents: each one's description is its own.
    let saved: Vec<ToDo> = admin
        .list::<ToDo>()
        .filter(ToDo::description.like(format!("{marker}%")))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(saved.len(), 450);
    for todo in &saved {
        let i: usize = todo
            .description
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(names[i], todo.name, "document {i}");
    }

    let results = admin
        .update_many(names.iter().map(|n| {
            (
                n.as_str(),
                Changes::<ToDo>::new().set(ToDo::priority, ToDoPriority::High),
            )
        }))
        .concurrency(4)
        .await
        .unwrap();
    assert_eq!(results.len(), 450);
    for (name, result) in names.iter().zip(&results) {
        let todo = result.as_ref().unwrap();
        assert_eq!(&todo.name, name);
        assert_eq!(todo.priority, Some(ToDoPriority::High));
        assert_eq!(todo.status, Some(ToDoStatus::Cancelled));
    }

    // Whole documents back with get_many, in the order of the names; one deleted meanwhile is
    // its own NotFound.
    admin.delete::<ToDo>(&names[7]).await.unwrap();
    let read = admin.get_many::<ToDo>(&names).concurrency(4).await.unwrap();
    assert_eq!(read.len(), 450);
    for (i, (name, result)) in names.iter().zip(&read).enumerate() {
        if i == 7 {
            assert!(matches!(result, Err(e) if e.is_not_found()), "{result:?}");
            continue;
        }
        let todo = result.as_ref().unwrap();
        assert_eq!(&todo.name, name);
        assert_eq!(todo.description, format!("{marker} {i:03}"));
        assert_eq!(todo.priority, Some(ToDoPriority::High));
    }

    for (i, name) in names.iter().enumerate() {
        if i != 7 {
            admin.delete::<ToDo>(name).await.unwrap();
        }
    }
}

/// A chunk with one bad document is rolled back whole by Frappe (one transaction per call): the
/// report lists the chunks before it as inserted and none of the failed chunk's documents.
#[tokio::test]
async fn a_failing_chunk_inserts_none_of_its_documents() {
    let _guard = METADATA.lock().await;
    let admin = admin();
    let marker = unique("bulk-fail");
    let mut docs: Vec<serde_json::Value> = (0..12)
        .map(|i| json!({"description": format!("{marker} {i:02}"), "status": "Cancelled"}))
        .collect();
    // A ToDo needs a description: document 7 (in the second chunk of 5) has none.
    docs[7] = json!({"status": "Cancelled"});
    let err = admin
        .doctype("ToDo")
        .insert_many(&docs)
        .chunk_size(5)
        .await
        .unwrap_err();
    let Error::PartialInsert(report) = &err else {
        panic!("expected PartialInsert, got {err:?}")
    };
    assert_eq!(report.inserted(), 5, "{err}");
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].documents, 5..10);
    assert_eq!(report.not_sent(), vec![10, 11]);
    let on_site: Vec<ToDo> = admin
        .list::<ToDo>()
        .filter(ToDo::description.like(format!("{marker}%")))
        .all()
        .send()
        .await
        .unwrap();
    assert_eq!(on_site.len(), 5, "the failed chunk left nothing behind");
    for name in report.names.iter().flatten() {
        admin.delete::<ToDo>(name).await.unwrap();
    }
}
