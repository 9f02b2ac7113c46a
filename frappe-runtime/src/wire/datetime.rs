//! `Datetime` fields: `YYYY-MM-DD HH:MM:SS[.ffffff]`, naive (site time zone), as
//! `chrono::NaiveDateTime`. Use [`option`] for `Option<NaiveDateTime>`.

use chrono::NaiveDateTime;
use serde::{Deserialize, Deserializer, Serializer};

/// Serializes in Frappe's format.
pub fn serialize<S: Serializer>(value: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&super::format_datetime(value))
}

/// Deserializes Frappe's format (a `T` separator is accepted too).
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDateTime, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    super::parse_datetime(&s).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "invalid Datetime {s:?}: expected YYYY-MM-DD HH:MM:SS[.ffffff]"
        ))
    })
}

/// The same for `Option<NaiveDateTime>`: `null` (and `""`) is `None`.
pub mod option {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes `Some` in Frappe's format and `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<NaiveDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::serialize(v, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes `null`, `""` or a Frappe datetime.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDateTime>, D::Error> {
        match Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)? {
            None => Ok(None),
            Some(s) if s.is_empty() => Ok(None),
            Some(s) => crate::wire::parse_datetime(&s).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "invalid Datetime {s:?}: expected YYYY-MM-DD HH:MM:SS[.ffffff]"
                ))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Debug)]
    struct Doc {
        #[serde(with = "super")]
        modified: NaiveDateTime,
        #[serde(default, with = "super::option")]
        ends_on: Option<NaiveDateTime>,
    }

    #[test]
    fn round_trips_frappe_strings() {
        let json = r#"{"modified":"2026-11-27 16:32:20.376095","ends_on":null}"#;
        let doc: Doc = serde_json::from_str(json).unwrap();
        assert!(doc.ends_on.is_none());
        assert_eq!(serde_json::to_string(&doc).unwrap(), json);
    }

    #[test]
    fn missing_optional_is_none() {
        let doc: Doc = serde_json::from_str(r#"{"modified":"2024-03-01 13:45:00"}"#).unwrap();
        assert!(doc.ends_on.is_none());
    }

    #[test]
    fn bad_value_names_the_problem() {
        let err = serde_json::from_str::<Doc>(r#"{"modified":"soon"}"#).unwrap_err();
        assert!(
            err.to_string().contains("invalid Datetime \"soon\""),
            "{err}"
        );
    }
}
