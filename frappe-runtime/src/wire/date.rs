//! `Date` fields: `YYYY-MM-DD`, as `chrono::NaiveDate`. Use [`option`] for
//! `Option<NaiveDate>`, which also reads `""` as `None`.

use chrono::NaiveDate;
use serde::{Deserializer, Serializer};

use super::text;

const FORMAT: text::Format<NaiveDate> = text::Format {
    kind: "Date",
    expected: "YYYY-MM-DD",
    parse: super::parse_date,
    format: super::format_date,
};

super::derived::codec!(chrono::NaiveDate);

/// Serializes as `YYYY-MM-DD`.
pub fn serialize<S: Serializer>(value: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    FORMAT.serialize(value, serializer)
}

/// Deserializes `YYYY-MM-DD`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    FORMAT.deserialize(deserializer)
}

/// The same for `Option<NaiveDate>`: `null` (and `""`) is `None`.
pub mod option {
    use chrono::NaiveDate;
    use serde::{Deserializer, Serializer};

    crate::wire::derived::codec!(Option<chrono::NaiveDate>);

    /// Serializes `Some` as `YYYY-MM-DD` and `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        super::FORMAT.serialize_option(value, serializer)
    }

    /// Deserializes `null`, `""` or a Frappe date.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        super::FORMAT.deserialize_option(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Debug)]
    struct Doc {
        #[serde(with = "super")]
        posting_date: NaiveDate,
        #[serde(default, with = "super::option")]
        due_date: Option<NaiveDate>,
    }

    #[test]
    fn reads_and_writes_year_month_day() {
        let doc: Doc =
            serde_json::from_str(r#"{"posting_date":"2024-02-29","due_date":""}"#).unwrap();
        assert_eq!(
            doc.posting_date,
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert!(doc.due_date.is_none());
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"posting_date":"2024-02-29","due_date":null}"#
        );
    }

    #[test]
    fn a_bad_value_names_the_format() {
        for (json, want) in [
            (
                r#"{"posting_date":"2024-13-01"}"#,
                r#"invalid Date "2024-13-01": expected YYYY-MM-DD"#,
            ),
            (
                r#"{"posting_date":"2024-01-01","due_date":5}"#,
                "expected null or a Date string (YYYY-MM-DD)",
            ),
        ] {
            let err = serde_json::from_str::<Doc>(json).unwrap_err().to_string();
            assert!(err.contains(want), "{json}: {err}");
        }
    }
}
