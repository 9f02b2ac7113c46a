//! Streaming every matching row, page by page (pipelined), agrees with the server's count.

use frappe_runtime::ApiVersion;
use frappe_tests::live_site::desk::{ToDo, ToDoStatus};
use futures_util::TryStreamExt;

use crate::support::admin;

/// How many ToDos `filter` (not Cancelled) selects, by v1's `get_count`.
async fn open_todos(
    admin: &frappe_runtime::Client,
    filter: &frappe_runtime::filter::Filter<ToDo>,
) -> u64 {
    admin
        .list::<ToDo>()
        .filter(filter.clone())
        .count()
        .await
        .unwrap()
}

#[tokio::test]
async fn streaming_all_seeded_todos_matches_get_count() {
    let admin = admin();
    let filter = ToDo::status.ne(ToDoStatus::Cancelled);
    // v1 counts with `frappe.client.get_count`.
    let count = open_todos(&admin, &filter).await;
    // v2 with its own route (the report view's count): the two must agree.
    let via_v2 = admin
        .with_api_version(ApiVersion::V2)
        .list::<ToDo>()
        .filter(filter.clone())
        .count()
        .await
        .unwrap();
    assert_eq!(via_v2, count);

    // Pages of 97 rows: many pages, the last one short.
    let streamed: Vec<ToDo> = admin
        .list::<ToDo>()
        .filter(filter)
        .page_size(97)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len() as u64, count);
    let mut names: Vec<&str> = streamed.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len() as u64, count, "no row twice");
    assert!(
        streamed
            .iter()
            .all(|t| t.status != Some(ToDoStatus::Cancelled))
    );
    assert!(
        count >= 667,
        "the kit seeds 667 ToDos that are not Cancelled: {count}"
    );
}

/// Keyset paging on the real server: `name >` / `name <` with Frappe's collation reads every row
/// once, in name order, both ways, on v1 and v2.
#[tokio::test]
async fn keyset_streams_every_todo_once_in_name_order() {
    let admin = admin();
    let filter = ToDo::status.ne(ToDoStatus::Cancelled);
    let count = open_todos(&admin, &filter).await;
    for api in [ApiVersion::V1, ApiVersion::V2] {
        for order in ["name asc", "name desc"] {
            let streamed: Vec<ToDo> = admin
                .with_api_version(api)
                .list::<ToDo>()
                .filter(filter.clone())
                .order_by(order)
                .page_size(97)
                .keyset()
                .stream()
                .try_collect()
                .await
                .unwrap();
            let names: Vec<&str> = streamed.iter().map(|t| t.name.as_str()).collect();
            assert_eq!(names.len() as u64, count, "{api:?} {order}");
            // Strictly monotonic in the server's own order: no row twice, none skipped between.
            let mut by_server = names.clone();
            by_server.sort_by_key(|n| n.to_lowercase());
            by_server.dedup();
            if order == "name desc" {
                by_server.reverse();
            }
            assert_eq!(names, by_server, "{api:?} {order}");
        }
    }
}
