//! The date-range filter operators (`timespan`, `previous`, `next`) as `db_query.py`'s
//! `get_date_range` and `frappe.utils.get_timespan_date_range` turn them into a `between` of two
//! dates. "Today" is the machine's local date (Frappe takes it in the site's time zone) and weeks
//! start on Sunday (System Settings' default `first_day_of_the_week`).

use chrono::{Datelike, Months, NaiveDate, TimeDelta};

use super::error::{SiteError, SiteResult};

/// `frappe.utils.get_first_day`: the month's first day.
fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// `get_last_day`: the month's last day.
fn month_end(d: NaiveDate) -> NaiveDate {
    month_start(d)
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// `get_quarter_start`.
fn quarter_start(d: NaiveDate) -> NaiveDate {
    let month = (d.month() - 1) / 3 * 3 + 1;
    NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d)
}

/// `get_quarter_ending`.
fn quarter_end(d: NaiveDate) -> NaiveDate {
    let month = (d.month() - 1) / 3 * 3 + 3;
    NaiveDate::from_ymd_opt(d.year(), month, 1).map_or(d, month_end)
}

fn year_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d)
}

fn year_end(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d)
}

/// `get_first_day_of_week` with Sunday as the first day.
fn week_start(d: NaiveDate) -> NaiveDate {
    d - TimeDelta::days(i64::from(d.weekday().num_days_from_sunday()))
}

fn week_end(d: NaiveDate) -> NaiveDate {
    week_start(d) + TimeDelta::days(6)
}

/// `add_to_date(d, months=n)` (relativedelta: the day is clamped to the month's length).
fn add_months(d: NaiveDate, n: i32) -> NaiveDate {
    let months = Months::new(n.unsigned_abs());
    if n < 0 {
        d.checked_sub_months(months)
    } else {
        d.checked_add_months(months)
    }
    .unwrap_or(d)
}

/// `get_timespan_date_range(timespan)` relative to `today`; `None` for a timespan it does not
/// know (Frappe then filters on today).
pub(crate) fn timespan_range(timespan: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let day = |n: i64| today + TimeDelta::days(n);
    Some(match timespan {
        "last week" => (week_start(day(-7)), week_end(day(-7))),
        "last month" => (
            month_start(add_months(today, -1)),
            month_end(add_months(today, -1)),
        ),
        "last quarter" => (
            quarter_start(add_months(today, -3)),
            quarter_end(add_months(today, -3)),
        ),
        "last 6 months" => (
            quarter_start(add_months(today, -6)),
            quarter_end(add_months(today, -3)),
        ),
        "last year" => (
            year_start(add_months(today, -12)),
            year_end(add_months(today, -12)),
        ),
        "yesterday" => (day(-1), day(-1)),
        "today" => (today, today),
        "tomorrow" => (day(1), day(1)),
        "this week" => (week_start(today), week_end(today)),
        "this month" => (month_start(today), month_end(today)),
        "this quarter" => (quarter_start(today), quarter_end(today)),
        "this year" => (year_start(today), year_end(today)),
        "next week" => (week_start(day(7)), week_end(day(7))),
        "next month" => (
            month_start(add_months(today, 1)),
            month_end(add_months(today, 1)),
        ),
        "next quarter" => (
            quarter_start(add_months(today, 3)),
            quarter_end(add_months(today, 3)),
        ),
        "next 6 months" => (
            quarter_start(add_months(today, 3)),
            quarter_end(add_months(today, 6)),
        ),
        "next year" => (
            year_start(add_months(today, 12)),
            year_end(add_months(today, 12)),
        ),
        _ => return None,
    })
}

/// The `between` bounds `db_query.py` puts in place of `operator` (`timespan`, `previous` or
/// `next`) with `value`, on `today`.
pub(crate) fn date_range(
    operator: &str,
    value: &str,
    today: NaiveDate,
) -> SiteResult<(NaiveDate, NaiveDate)> {
    let timespan = if operator == "timespan" {
        value.to_owned()
    } else {
        let period = match value {
            "1 week" => "week",
            "1 month" => "month",
            "3 months" => "quarter",
            "6 months" => "6 months",
            "1 year" => "year",
            // A KeyError in Frappe (a 500): not something to imitate.
            other => {
                return Err(SiteError::unsupported(format!(
                    "the period {other:?} of the {operator:?} filter"
                )));
            }
        };
        let direction = if operator == "previous" {
            "last"
        } else {
            "next"
        };
        format!("{direction} {period}")
    };
    // `get_between_date_filter` without bounds: today to today.
    Ok(timespan_range(&timespan, today).unwrap_or((today, today)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    fn range(timespan: &str, today: &str) -> (String, String) {
        let (a, b) = timespan_range(timespan, d(today)).expect("a known timespan");
        (a.to_string(), b.to_string())
    }

    #[test]
    fn ranges_follow_frappe_on_month_and_quarter_edges() {
        // 2024-03-31 is a Sunday; a month back clamps to February's 29th.
        assert_eq!(
            range("this week", "2024-03-31"),
            ("2024-03-31".into(), "2024-04-06".into())
        );
        assert_eq!(
            range("last month", "2024-03-31"),
            ("2024-02-01".into(), "2024-02-29".into())
        );
        assert_eq!(
            range("last 6 months", "2024-03-31"),
            ("2023-07-01".into(), "2023-12-31".into())
        );
        assert_eq!(
            range("next 6 months", "2024-03-31"),
            ("2024-04-01".into(), "2024-09-30".into())
        );
        assert_eq!(
            range("last year", "2024-02-29"),
            ("2023-01-01".into(), "2023-12-31".into())
        );
        assert_eq!(timespan_range("someday", d("2024-01-01")), None);
    }

    #[test]
    fn previous_and_next_name_a_timespan() {
        let today = d("2024-05-15");
        assert_eq!(
            date_range("previous", "3 months", today).ok(),
            timespan_range("last quarter", today)
        );
        assert_eq!(
            date_range("next", "1 week", today).ok(),
            timespan_range("next week", today)
        );
        assert_eq!(
            date_range("timespan", "unknown", today).ok(),
            Some((today, today))
        );
        assert!(date_range("next", "2 weeks", today).is_err());
    }
}
