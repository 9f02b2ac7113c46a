//! A report view with group-by and a query report that ships with Frappe.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use frappe_tests::live_site::desk::ToDo;

use crate::support::admin;

#[tokio::test]
async fn a_report_view_groups_the_seeded_todos_by_status() {
    let seeded = ToDo::creation.lt(NaiveDate::from_ymd_opt(2025, 6, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap());
    let view = admin()
        .list::<ToDo>()
        .filter(seeded)
        .fields(["status", "count(name) as n"])
        .group_by("status")
        .report_view()
        .await
        .unwrap();
    assert_eq!(view.keys, ["status", "n"]);
    let counts: BTreeMap<String, u64> = view
        .values
        .iter()
        .map(|row| {
            (
                row[0].as_str().unwrap_or_default().to_owned(),
                row[1].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        BTreeMap::from([
            ("Cancelled".to_owned(), 333),
            ("Closed".to_owned(), 333),
            ("Open".to_owned(), 334),
        ])
    );
}

#[tokio::test]
async fn a_query_report_shipped_with_frappe_runs() {
    let report = admin()
        .query_report("Database Storage Usage By Tables")
        .run()
        .await
        .unwrap();
    let columns: Vec<&str> = report
        .columns
        .iter()
        .filter_map(|c| c.fieldname.as_deref())
        .collect();
    assert!(columns.contains(&"table"), "{columns:?}");
    let tables: Vec<&str> = report
        .result
        .iter()
        .filter_map(|row| row.get("table").and_then(|t| t.as_str()))
        .collect();
    assert!(tables.contains(&"tabToDo"), "{tables:?}");
}
