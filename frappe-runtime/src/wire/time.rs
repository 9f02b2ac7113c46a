//! `Time` fields: read back as `H:MM:SS[.ffffff]` (no zero padding), written as `HH:MM:SS`, as
//! `chrono::NaiveTime`. Use [`option`] for `Option<NaiveTime>`.

use chrono::NaiveTime;
use serde::{Deserialize, Deserializer, Serializer};

/// Serializes as `HH:MM:SS[.ffffff]`.
pub fn serialize<S: Serializer>(value: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&super::format_time(value))
}

/// Deserializes `H:MM:SS[.ffffff]` or `HH:MM`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveTime, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    super::parse_time(&s).ok_or_else(|| {
        serde::de::Error::custom(format!("invalid Time {s:?}: expected H:MM:SS[.ffffff]"))
    })
}

/// The same for `Option<NaiveTime>`: `null` (and `""`) is `None`.
pub mod option {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes `Some` as `HH:MM:SS[.ffffff]` and `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<NaiveTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::serialize(v, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes `null`, `""` or a Frappe time.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveTime>, D::Error> {
        match Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)? {
            None => Ok(None),
            Some(s) if s.is_empty() => Ok(None),
            Some(s) => crate::wire::parse_time(&s).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!("invalid Time {s:?}: expected H:MM:SS[.ffffff]"))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    struct Doc {
        #[serde(with = "super")]
        posting_time: NaiveTime,
        #[serde(default, with = "super::option")]
        from_time: Option<NaiveTime>,
    }

    #[test]
    fn reads_unpadded_hours() {
        let doc: Doc = serde_json::from_str(r#"{"posting_time":"6:06:36.642034"}"#).unwrap();
        assert_eq!(
            doc.posting_time,
            NaiveTime::from_hms_micro_opt(6, 6, 36, 642_034).unwrap()
        );
        assert!(doc.from_time.is_none());
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(
            json,
            r#"{"posting_time":"06:06:36.642034","from_time":null}"#
        );
    }
}
