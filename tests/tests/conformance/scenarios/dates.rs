//! The date-range filter operators (`timespan`, `previous`, `next`): for each timespan, Notes
//! dated on the day before its range, its first and last day and the day after, so what matches
//! does not depend on the day the suite runs.

use chrono::{Datelike, Months, NaiveDate, TimeDelta};
use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;

fn month_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("a month's first day")
}

fn month_end(d: NaiveDate) -> NaiveDate {
    month_start(d) + Months::new(1) - TimeDelta::days(1)
}

fn quarter_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).expect("a quarter")
}

fn quarter_end(d: NaiveDate) -> NaiveDate {
    month_end(quarter_start(d) + Months::new(2))
}

fn year_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), 1, 1).expect("a year")
}

fn year_end(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), 12, 31).expect("a year")
}

/// Weeks start on Sunday (System Settings' default).
fn week_start(d: NaiveDate) -> NaiveDate {
    d - TimeDelta::days(i64::from(d.weekday().num_days_from_sunday()))
}

/// Each timespan and its first and last day, as `get_timespan_date_range` documents them.
fn ranges(today: NaiveDate) -> Vec<(&'static str, NaiveDate, NaiveDate)> {
    let week = |d: NaiveDate| (week_start(d), week_start(d) + TimeDelta::days(6));
    let days = |n: i64| today + TimeDelta::days(n);
    let months = |n: i32| {
        if n < 0 {
            today - Months::new(n.unsigned_abs())
        } else {
            today + Months::new(n.unsigned_abs())
        }
    };
    let (lw, nw, tw) = (week(days(-7)), week(days(7)), week(today));
    vec![
        ("last week", lw.0, lw.1),
        ("last month", month_start(months(-1)), month_end(months(-1))),
        (
            "last quarter",
            quarter_start(months(-3)),
            quarter_end(months(-3)),
        ),
        (
            "last 6 months",
            quarter_start(months(-6)),
            quarter_end(months(-3)),
        ),
        ("last year", year_start(months(-12)), year_end(months(-12))),
        ("yesterday", days(-1), days(-1)),
        ("today", today, today),
        ("tomorrow", days(1), days(1)),
        ("this week", tw.0, tw.1),
        ("this month", month_start(today), month_end(today)),
        ("this quarter", quarter_start(today), quarter_end(today)),
        ("this year", year_start(today), year_end(today)),
        ("next week", nw.0, nw.1),
        ("next month", month_start(months(1)), month_end(months(1))),
        (
            "next quarter",
            quarter_start(months(3)),
            quarter_end(months(3)),
        ),
        (
            "next 6 months",
            quarter_start(months(3)),
            quarter_end(months(6)),
        ),
        ("next year", year_start(months(12)), year_end(months(12))),
    ]
}

/// The titles a list answer holds, sorted (or its error).
fn titles(resp: &crate::target::Resp) -> Value {
    match resp.data().as_array() {
        Some(rows) if resp.status == 200 => {
            let mut t: Vec<String> = rows
                .iter()
                .map(|r| r["title"].as_str().unwrap_or_default().to_owned())
                .collect();
            t.sort();
            json!(t)
        }
        _ => json!({"status": resp.status, "exc_type": resp.body.get("exc_type")}),
    }
}

/// Every `timespan` on a Date field, `previous` and `next` with each period, `timespan` on
/// `creation` (a Datetime), an unknown timespan (today).
pub async fn timespans(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    // The site's today: the date part of a new document's `creation`.
    let probe = t.insert(&dt, json!({"title": "probe"})).await;
    let today = NaiveDate::parse_from_str(
        probe.data()["creation"]
            .as_str()
            .unwrap_or_default()
            .get(..10)
            .unwrap_or_default(),
        "%Y-%m-%d",
    )
    .expect("creation is a datetime");
    let ranges = ranges(today);
    for (span, start, end) in &ranges {
        for (what, date) in [
            ("before", *start - TimeDelta::days(1)),
            ("start", *start),
            ("end", *end),
            ("after", *end + TimeDelta::days(1)),
        ] {
            let row = json!({"title": format!("{span}: {what}"), "note_date": date.to_string()});
            let created = t.insert(&dt, row).await;
            assert_eq!(created.status, 200, "seeding {span}: {}", created.body);
        }
    }
    let query = |op: &str, value: &str, span: &str| {
        vec![
            ("fields", json!(["title"])),
            ("limit_page_length", json!(0)),
            (
                "filters",
                json!([
                    ["note_date", op, value],
                    ["title", "like", format!("{span}: %")]
                ]),
            ),
        ]
    };
    for (span, _, _) in &ranges {
        let resp = t.list(&dt, &query("timespan", span, span)).await;
        o.note(&format!("timespan {span}"), titles(&resp));
    }
    for (op, direction) in [("previous", "last"), ("next", "next")] {
        for (period, span) in [
            ("1 week", "week"),
            ("1 month", "month"),
            ("3 months", "quarter"),
            ("6 months", "6 months"),
            ("1 year", "year"),
        ] {
            let span = format!("{direction} {span}");
            let resp = t.list(&dt, &query(op, period, &span)).await;
            o.note(&format!("{op} {period}"), titles(&resp));
        }
    }
    for span in ["today", "yesterday"] {
        let resp = t
            .list(
                &dt,
                &[
                    ("fields", json!(["count(name) as n"])),
                    ("filters", json!([["creation", "timespan", span]])),
                ],
            )
            .await;
        o.step(&format!("creation timespan {span}: count"), &resp);
    }
    let resp = t
        .list(
            &dt,
            &[
                ("fields", json!(["title"])),
                (
                    "filters",
                    json!([
                        ["note_date", "timespan", "someday"],
                        ["title", "like", "today: %"]
                    ]),
                ),
            ],
        )
        .await;
    o.note("an unknown timespan is today", titles(&resp));
    o.finish()
}
