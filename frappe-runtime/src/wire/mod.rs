//! Serde helpers for Frappe's wire formats, for use in `#[serde(with = "...")]`.
//!
//! Frappe sends Check fields as `0`/`1`, Datetime as `YYYY-MM-DD HH:MM:SS[.ffffff]` (naive, in the
//! site's time zone) and Time as `H:MM:SS[.ffffff]` without zero padding when read back from the
//! database. chrono's own serde formats differ (`T` separator), so generated code routes these
//! fields through the modules here. `Date` needs no helper: chrono's `NaiveDate` already uses
//! `YYYY-MM-DD`.

pub mod check;
pub mod datetime;
pub mod docstatus;
pub mod null_default;
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
    fn times_read_back_without_padding() {
        let v = parse_time("9:30:00").unwrap();
        assert_eq!(format_time(&v), "09:30:00");
        let v = parse_time("6:06:36.642034").unwrap();
        assert_eq!(format_time(&v), "06:06:36.642034");
    }

    #[test]
    fn garbage_is_not_a_datetime() {
        assert!(parse_datetime("yesterday").is_none());
        assert!(parse_time("25:99").is_none());
    }
}
