//! Every filter operator against the real database: the rows Frappe returns equal the rows the
//! operator selects, computed here from the whole (seeded, deterministic) data set.
//!
//! Frappe compares a NULL column through `ifnull(column, fallback)`: `''` for text, `0001-01-01`
//! for dates. So `date < X` includes rows without a date, `date > X` does not, and `!=` /
//! `not in` / `not like` include rows where the field is NULL. The expectations below say so.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use frappe_runtime::filter::{Period, Timespan};
use frappe_runtime::{Changes, Client, Filter, UploadFile};
use frappe_tests::live_site::core_::File;
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
    let all: Vec<ToDo> = admin
        .list::<ToDo>()
        .filter(seeded())
        .all()
        .send()
        .await
        .unwrap();
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
    let all: Vec<ToDo> = admin
        .list::<ToDo>()
        .filter(seeded())
        .all()
        .send()
        .await
        .unwrap();
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
    let keys: BTreeSet<&str> = rows[0].keys().map(String::as_str).collect();
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

/// The tree operators on File's `folder` (a nested set: `lft`/`rgt`): Home > Home/Attachments.
#[tokio::test]
async fn tree_operators_follow_the_nested_set() {
    let admin = admin();
    let marker = unique("tree");
    let in_home = upload(&admin, &format!("{marker}-home.txt"), "Home").await;
    let in_attachments = upload(&admin, &format!("{marker}-att.txt"), "Home/Attachments").await;

    let files: Vec<File> = admin.list::<File>().all().send().await.unwrap();
    let folder_of = |f: &File| f.folder.as_ref().map(|l| l.as_str().to_owned());
    let below = |root: &str, inclusive: bool| -> BTreeSet<String> {
        // Descendants by walking `folder` upwards: the same tree the nested set encodes.
        files
            .iter()
            .filter(|f| {
                let mut at = Some(f.name.clone());
                let mut first = true;
                while let Some(name) = at {
                    if name == root && (inclusive || !first) {
                        return true;
                    }
                    first = false;
                    at = files.iter().find(|g| g.name == name).and_then(folder_of);
                }
                false
            })
            .map(|f| f.name.clone())
            .collect()
    };
    let with_folder_in = |folders: &BTreeSet<String>| -> BTreeSet<String> {
        files
            .iter()
            .filter(|f| folder_of(f).is_some_and(|p| folders.contains(&p)))
            .map(|f| f.name.clone())
            .collect()
    };
    let list = |filter: Filter<File>| async {
        admin
            .list::<File>()
            .filter(filter)
            .all()
            .send()
            .await
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect::<BTreeSet<String>>()
    };

    let descendants = with_folder_in(&below("Home", false));
    assert!(descendants.contains(&in_attachments.name));
    assert!(!descendants.contains(&in_home.name));
    assert_eq!(list(File::folder.descendants_of("Home")).await, descendants);

    let inclusive = with_folder_in(&below("Home", true));
    assert!(inclusive.contains(&in_home.name) && inclusive.contains(&in_attachments.name));
    assert_eq!(
        list(File::folder.descendants_of_inclusive("Home")).await,
        inclusive
    );

    let ancestors = with_folder_in(&BTreeSet::from(["Home".to_owned()]));
    assert!(ancestors.contains(&in_home.name));
    assert_eq!(
        list(File::folder.ancestors_of("Home/Attachments")).await,
        ancestors
    );

    admin.delete::<File>(&in_home.name).await.unwrap();
    admin.delete::<File>(&in_attachments.name).await.unwrap();
}

async fn upload(admin: &Client, file_name: &str, folder: &str) -> frappe_runtime::FileDoc {
    admin
        .upload_file(
            UploadFile::bytes(file_name, file_name.as_bytes().to_vec())
                .private(true)
                .folder(folder),
        )
        .await
        .unwrap()
}
