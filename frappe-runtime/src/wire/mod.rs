//! Serde helpers for Frappe's wire formats, for use in `#[serde(with = "...")]`.
//!
//! Frappe sends Check fields as `0`/`1`, Datetime as `YYYY-MM-DD HH:MM:SS[.ffffff]` (naive, in the
//! site's time zone) and Time as `H:MM:SS[.ffffff]` without zero padding when read back from the
//! database. chrono's own serde formats differ (`T` separator), so generated code routes these
//! fields through the modules here. Date is chrono's `YYYY-MM-DD`, but goes through [`date`]
//! too, so that `""` reads as `None` and a bad value says what was expected. A Single DocType sends some numbers as text (`"0"`): [`number`] reads either.
//! A blank Select arrives as `""`, `null` or no key: [`select`] reads each as `None`.

pub mod check;
pub mod date;
pub mod datetime;
pub mod derived;
pub mod docstatus;
pub mod null_default;
pub mod number;
pub mod select;
mod text;
pub mod time;

pub use docstatus::DocStatus;

/// Formats a datetime the way Frappe stores it: `YYYY-MM-DD HH:MM:SS` plus `.ffffff` when the
/// value has sub-second precision.
pub fn format_datetime(value: &chrono::NaiveDateTime) -> String {
    if value.and_utc().timestamp_subsec_nanos() == 0 {
        value.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        value.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
    }
}

/// Formats a time the way Frappe accepts it: `HH:MM:SS` plus `.ffffff` when needed.
pub fn format_time(value: &chrono::NaiveTime) -> String {
    use chrono::Timelike;
    if value.nanosecond() == 0 {
        value.format("%H:%M:%S").to_string()
    } else {
        value.format("%H:%M:%S%.6f").to_string()
    }
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(value: &chrono::NaiveDate) -> String {
    value.format("%Y-%m-%d").to_string()
}

/// Parses `YYYY-MM-DD HH:MM:SS[.f]`, also accepting a `T` separator and a bare date.
pub fn parse_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim();
    if let Some(v) = parse_datetime_fast(s.as_bytes()) {
        return Some(v);
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(v) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(v);
        }
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// The exact shape Frappe sends (`YYYY-MM-DD HH:MM:SS[.f{1,9}]`) without chrono's format
/// interpreter: list rows carry two of these per row, and the generic parser dominated typed
/// decoding in the benchmark. Anything else returns `None` and goes through the general path.
fn parse_datetime_fast(b: &[u8]) -> Option<chrono::NaiveDateTime> {
    fn num(b: &[u8]) -> Option<u32> {
        b.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    }
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', frac @ ..] if (1..=9).contains(&frac.len()) => {
            num(frac)? * 10u32.pow(9 - frac.len() as u32)
        }
        _ => return None,
    };
    let date =
        chrono::NaiveDate::from_ymd_opt(num(&b[0..4])? as i32, num(&b[5..7])?, num(&b[8..10])?)?;
    let time = chrono::NaiveTime::from_hms_nano_opt(
        num(&b[11..13])?,
        num(&b[14..16])?,
        num(&b[17..19])?,
        nanos,
    )?;
    Some(date.and_time(time))
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let b = s.trim().as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |b: &[u8]| {
            b.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        return chrono::NaiveDate::from_ymd_opt(
            num(&b[0..4])? as i32,
            num(&b[5..7])?,
            num(&b[8..10])?,
        );
    }
    None
}

/// `value` quoted for an error message, cut to 40 characters: enough to recognise it, not a
/// whole text pasted into a log.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() > MAX {
        let cut: String = value.chars().take(MAX).collect();
        format!("{cut:?}…")
    } else {
        format!("{value:?}")
    }
}

/// Parses `H:MM[:SS[.f]]` (hours with or without zero padding).
pub fn parse_time(s: &str) -> Option<chrono::NaiveTime> {
    let s = s.trim();
    ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|fmt| chrono::NaiveTime::parse_from_str(s, fmt).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_keep_frappe_precision() {
        let v = parse_datetime("2026-11-27 16:32:20.376095").unwrap();
        assert_eq!(format_datetime(&v), "2026-11-27 16:32:20.376095");
        let v = parse_datetime("2024-03-01 13:45:00").unwrap();
        assert_eq!(format_datetime(&v), "2024-03-01 13:45:00");
    }

    #[test]
    fn dates_are_year_month_day() {
        let d = parse_date(" 2024-02-29 ").unwrap();
        assert_eq!(format_date(&d), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "01-02-2024",
            "2024-02-29 00:00:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(shown("short"), "\"short\"");
        assert_eq!(shown(&"z".repeat(50)), format!("\"{}\"…", "z".repeat(40)));
    }

    #[test]
    fn times_read_back_without_padding() {
        let v = parse_time("9:30:00").unwrap();
        assert_eq!(format_time(&v), "09:30:00");
        let v = parse_time("6:06:36.642034").unwrap();
        assert_eq!(format_time(&v), "06:06:36.642034");
    }

    #[test]
    fn fast_path_agrees_with_chrono() {
        for s in [
            "2026-11-27 16:32:20.376095",
            "2024-03-01 13:45:00",
            "2024-02-29 23:59:59.9",
            "1999-12-31 00:00:00.123456789",
        ] {
            let slow = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap();
            assert_eq!(parse_datetime_fast(s.as_bytes()), Some(slow), "{s}");
        }
        for s in [
            "2023-02-29 00:00:00",
            "2024-13-01 00:00:00",
            "2024-01-01 24:00:00",
            "2024-01-01 00:00:00.",
            "2024-01-01 00:00:00.1234567890",
            "2024-01-01T00:00:00",
        ] {
            assert_eq!(parse_datetime_fast(s.as_bytes()), None, "{s}");
        }
        // The general path still takes the `T` separator.
        assert!(parse_datetime("2024-01-01T00:00:00").is_some());
    }

    #[test]
    fn garbage_is_not_a_datetime() {
        assert!(parse_datetime("yesterday").is_none());
        assert!(parse_time("25:99").is_none());
    }
}
