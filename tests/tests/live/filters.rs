//! Every filter operator against the real database: the rows Frappe returns equal the rows the
//! operator selects, computed here from the whole (seeded, deterministic) data set.
//!
//! Frappe compares a NULL column through `ifnull(column, fallback)`: `''` for text, `0001-01-01`
//! for dates. So `date < X` includes rows without a date, `date > X` does not, and `!=` /
//! `not in` / `not like` include rows where the field is NULL. The expectations below say so.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use frappe_runtime::filter::{Period, Timespan};
use frappe_runtime::{Changes, Filter};
use frappe_tests::live_site::custom::FrsTreeNode;
use frappe_tests::live_site::desk::{ToDo, ToDoPriority, ToDoStatus};

use crate::support::{admin, unique};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, 0, 0).unwrap()
}

/// The seeded ToDos only (created hourly from 2025-01-01), not what other tests create.
fn seeded() -> Filter<ToDo> {
    ToDo::creation.lt(at(2025, 6, 1, 0))
}

/// Every seeded ToDo, typed.
async fn all_seeded(admin: &frappe_runtime::Client) -> Vec<ToDo> {
    admin
        .list::<ToDo>()
        .filter(seeded())
        .all()
        .send()
        .await
        .unwrap()
}

async fn names(request: frappe_runtime::ListRequest<ToDo>) -> BTreeSet<String> {
    let rows = request.all().send().await.unwrap();
    rows.into_iter().map(|t| t.name).collect()
}

/// A date as Frappe compares it: NULL reads as 0001-01-01.
fn date_or_min(t: &ToDo) -> NaiveDate {
    t.date.unwrap_or(day(1, 1, 1))
}

type Case = (&'static str, Filter<ToDo>, fn(&ToDo) -> bool);

#[tokio::test]
async fn every_operator_selects_what_it_promises() {
    let admin = admin();
    let all = all_seeded(&admin).await;
    assert_eq!(all.len(), 1000, "the kit seeds 1,000 ToDos");

    let cases: Vec<Case> = vec![
        ("=", ToDo::status.eq(ToDoStatus::Open), |t| {
            t.status == Some(ToDoStatus::Open)
        }),
        ("!=", ToDo::status.ne(ToDoStatus::Open), |t| {
            t.status != Some(ToDoStatus::Open)
        }),
        (
            "in",
            ToDo::priority.is_in([ToDoPriority::Low, ToDoPriority::High]),
            |t| matches!(t.priority, Some(ToDoPriority::Low | ToDoPriority::High)),
        ),
        (
            "not in",
            ToDo::priority.is_not_in([ToDoPriority::Low, ToDoPriority::High]),
            |t| !matches!(t.priority, Some(ToDoPriority::Low | ToDoPriority::High)),
        ),
        (">", ToDo::date.gt(day(2025, 6, 1)), |t| {
            date_or_min(t) > day(2025, 6, 1)
        }),
        ("<", ToDo::date.lt(day(2025, 6, 1)), |t| {
            date_or_min(t) < day(2025, 6, 1)
        }),
        (">=", ToDo::date.gte(day(2025, 6, 1)), |t| {
            date_or_min(t) >= day(2025, 6, 1)
        }),
        ("<=", ToDo::date.lte(day(2025, 6, 1)), |t| {
            date_or_min(t) <= day(2025, 6, 1)
        }),
        (
            "between dates",
            ToDo::date.between(day(2025, 3, 1), day(2025, 4, 30)),
            |t| {
                t.date
                    .is_some_and(|d| d >= day(2025, 3, 1) && d <= day(2025, 4, 30))
            },
        ),
        (
            "between datetimes",
            ToDo::creation.between(at(2025, 1, 10, 0), at(2025, 1, 20, 12)),
            |t| {
                t.creation
                    .is_some_and(|c| c >= at(2025, 1, 10, 0) && c <= at(2025, 1, 20, 12))
            },
        ),
        ("like", ToDo::description.like("Call%"), |t| {
            description(t).starts_with("Call")
        }),
        ("not like", ToDo::description.not_like("%invoice%"), |t| {
            !description(t).contains("invoice")
        }),
        ("is set", ToDo::date.is_set(), |t| t.date.is_some()),
        ("is not set", ToDo::date.is_not_set(), |t| t.date.is_none()),
        ("is set (link)", ToDo::allocated_to.is_set(), |t| {
            t.allocated_to.is_some()
        }),
        (
            "> on a datetime",
            ToDo::creation.gt(at(2025, 2, 1, 0)),
            |t| t.creation.is_some_and(|c| c > at(2025, 2, 1, 0)),
        ),
    ];
    for (op, filter, selects) in cases {
        let got = names(admin.list::<ToDo>().filter(seeded()).filter(filter)).await;
        let expected: BTreeSet<String> = all
            .iter()
            .filter(|t| selects(t))
            .map(|t| t.name.clone())
            .collect();
        assert!(
            !expected.is_empty() && expected.len() < all.len(),
            "{op}: the case must select some rows but not all"
        );
        assert_eq!(got, expected, "{op}");
    }
}

/// The seeded description, which is mandatory and always set.
fn description(t: &ToDo) -> &str {
    t.description.as_str()
}

#[tokio::test]
async fn or_filters_and_order_by() {
    let admin = admin();
    let all = all_seeded(&admin).await;
    let got = names(
        admin
            .list::<ToDo>()
            .filter(seeded())
            .or_filter(ToDo::status.eq(ToDoStatus::Closed))
            .or_filter(ToDo::priority.eq(ToDoPriority::High)),
    )
    .await;
    let expected: BTreeSet<String> = all
        .iter()
        .filter(|t| t.status == Some(ToDoStatus::Closed) || t.priority == Some(ToDoPriority::High))
        .map(|t| t.name.clone())
        .collect();
    assert_eq!(got, expected);

    let ordered: Vec<ToDo> = admin
        .list::<ToDo>()
        .filter(seeded())
        .filter(ToDo::date.is_set())
        .order_by(ToDo::date.desc())
        .order_by(ToDo::name.asc())
        .limit(200)
        .send()
        .await
        .unwrap();
    let mut expected: Vec<&ToDo> = all.iter().filter(|t| t.date.is_some()).collect();
    expected.sort_by(|a, b| b.date.cmp(&a.date).then(a.name.cmp(&b.name)));
    let got: Vec<&str> = ordered.iter().map(|t| t.name.as_str()).collect();
    let expected: Vec<&str> = expected.iter().take(200).map(|t| t.name.as_str()).collect();
    assert_eq!(got, expected);

    // A projection: only the fields asked for come back.
    let rows: Vec<frappe_runtime::Row> = admin
        .doctype("ToDo")
        .list()
        .fields(["name", "status"])
        .filter(serde_json::json!(["name", "=", all[0].name]))
        .send()
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let keys: BTreeSet<&str> = rows[0].keys().collect();
    assert_eq!(keys, BTreeSet::from(["name", "status"]));
}

#[tokio::test]
async fn timespan_previous_and_next_follow_the_calendar() {
    let admin = admin();
    let marker = unique("timespan");
    // The site runs in UTC.
    let today = Utc::now().date_naive();
    let offsets = [-400i64, -30, -7, 0, 7, 30];
    let mut created = Vec::new();
    for offset in offsets {
        let todo: ToDo = admin
            .create(
                &Changes::new()
                    .set(ToDo::description, format!("{marker} {offset}"))
                    .set(ToDo::date, today + Duration::days(offset)),
            )
            .await
            .unwrap();
        created.push((offset, todo.name));
    }
    let mine = || {
        admin
            .list::<ToDo>()
            .filter(ToDo::description.like(format!("{marker} %")))
    };
    let pick = |keep: &dyn Fn(NaiveDate) -> bool| -> BTreeSet<String> {
        created
            .iter()
            .filter(|(o, _)| keep(today + Duration::days(*o)))
            .map(|(_, n)| n.clone())
            .collect()
    };
    let cases: Vec<(&str, Filter<ToDo>, BTreeSet<String>)> = vec![
        (
            "today",
            ToDo::date.timespan(Timespan::Today),
            pick(&|d| d == today),
        ),
        (
            "this year",
            ToDo::date.timespan(Timespan::ThisYear),
            pick(&|d| d.year() == today.year()),
        ),
        (
            "last year",
            ToDo::date.timespan(Timespan::LastYear),
            pick(&|d| d.year() == today.year() - 1),
        ),
        // "previous 1 week" is the calendar week before this one: it holds today - 7, never
        // today or a date 30 days away; "next 1 week" likewise.
        (
            "previous 1 week",
            ToDo::date.previous(Period::OneWeek),
            pick(&|d| d == today - Duration::days(7)),
        ),
        (
            "next 1 week",
            ToDo::date.next(Period::OneWeek),
            pick(&|d| d == today + Duration::days(7)),
        ),
    ];
    let mut failures = Vec::new();
    for (what, filter, expected) in cases {
        let got: BTreeSet<String> = mine()
            .filter(filter)
            .send()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        if got != expected {
            failures.push(format!("{what}: got {got:?}, expected {expected:?}"));
        }
    }
    for (_, name) in &created {
        admin.delete::<ToDo>(name).await.unwrap();
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The tree operators on a nested-set DocType (`.ci/live` creates "FRS Tree Node"):
/// R > {A > {A1, A2}, B}. A filter `parent descendants of X` selects the nodes whose parent is
/// a descendant of X; Frappe compares a NULL parent as `''`.
#[tokio::test]
async fn tree_operators_follow_the_nested_set() {
    let admin = admin();
    let marker = unique("tree");
    let node = |n: &str| format!("{marker}-{n}");
    let shape: [(&str, Option<&str>, bool); 5] = [
        ("R", None, true),
        ("A", Some("R"), true),
        ("A1", Some("A"), false),
        ("A2", Some("A"), false),
        ("B", Some("R"), false),
    ];
    for (name, parent, group) in shape {
        let mut changes = Changes::new()
            .set(FrsTreeNode::title, node(name))
            .set(FrsTreeNode::is_group, group);
        if let Some(parent) = parent {
            changes = changes.set(FrsTreeNode::parent_frs_tree_node, node(parent));
        }
        admin.create(&changes).await.unwrap();
    }
    let parent_of = |n: &str| shape.iter().find(|s| s.0 == n).and_then(|s| s.1);
    let ancestors = |n: &str| {
        let mut out = BTreeSet::new();
        let mut at = parent_of(n);
        while let Some(p) = at {
            out.insert(p);
            at = parent_of(p);
        }
        out
    };
    let descendants = |n: &str| -> BTreeSet<&str> {
        shape
            .iter()
            .map(|s| s.0)
            .filter(|s| ancestors(s).contains(n))
            .collect()
    };
    // The nodes whose parent is (or is not) in `set`.
    let parent_in = |set: &BTreeSet<&str>, inside: bool| -> BTreeSet<String> {
        shape
            .iter()
            .filter(|s| s.1.is_some_and(|p| set.contains(p)) == inside)
            .map(|s| node(s.0))
            .collect()
    };
    let mut with_root = descendants("R");
    with_root.insert("R");
    let field = FrsTreeNode::parent_frs_tree_node;
    let cases: Vec<(&str, Filter<FrsTreeNode>, BTreeSet<String>)> = vec![
        (
            "descendants of",
            field.descendants_of(node("R")),
            parent_in(&descendants("R"), true),
        ),
        (
            "descendants of (inclusive)",
            field.descendants_of_inclusive(node("R")),
            parent_in(&with_root, true),
        ),
        (
            "ancestors of",
            field.ancestors_of(node("A")),
            parent_in(&ancestors("A"), true),
        ),
        (
            "not descendants of",
            field.not_descendants_of(node("R")),
            parent_in(&descendants("R"), false),
        ),
        (
            "not ancestors of",
            field.not_ancestors_of(node("A")),
            parent_in(&ancestors("A"), false),
        ),
    ];
    let mut failures = Vec::new();
    for (op, filter, expected) in cases {
        assert!(!expected.is_empty(), "{op}");
        let got: BTreeSet<String> = admin
            .list::<FrsTreeNode>()
            .filter(FrsTreeNode::title.like(format!("{marker}-%")))
            .filter(filter)
            .send()
            .await
            .unwrap()
            .into_iter()
            .map(|n| n.name)
            .collect();
        if got != expected {
            failures.push(format!("{op}: got {got:?}, expected {expected:?}"));
        }
    }
    // Leaves first: Frappe refuses to delete a node that has children.
    for name in ["A1", "A2", "B", "A", "R"] {
        admin.delete::<FrsTreeNode>(&node(name)).await.unwrap();
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
