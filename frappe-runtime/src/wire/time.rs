//! `Time` fields: read back as `H:MM:SS[.ffffff]` (no zero padding), written as `HH:MM:SS`, as
//! `chrono::NaiveTime`. Use [`option`] for `Option<NaiveTime>`.

use chrono::NaiveTime;
use serde::{Deserializer, Serializer};

use super::text;

const FORMAT: text::Format<NaiveTime> = text::Format {
    kind: "Time",
    expected: "H:MM:SS[.ffffff]",
    parse: super::parse_time,
    format: super::format_time,
};

super::derived::codec!(chrono::NaiveTime);

/// Serializes as `HH:MM:SS[.ffffff]`.
pub fn serialize<S: Serializer>(value: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
    FORMAT.serialize(value, serializer)
}

/// Deserializes `H:MM:SS[.ffffff]` or `HH:MM`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveTime, D::Error> {
    FORMAT.deserialize(deserializer)
}

/// The same for `Option<NaiveTime>`: `null` (and `""`) is `None`.
pub mod option {
    use chrono::NaiveTime;
    use serde::{Deserializer, Serializer};

    crate::wire::derived::codec!(Option<chrono::NaiveTime>);

    /// Serializes `Some` as `HH:MM:SS[.ffffff]` and `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<NaiveTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        super::FORMAT.serialize_option(value, serializer)
    }

    /// Deserializes `null`, `""` or a Frappe time.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveTime>, D::Error> {
        super::FORMAT.deserialize_option(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Debug)]
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

    #[test]
    fn empty_optional_is_none_and_bad_value_names_the_problem() {
        let doc: Doc = serde_json::from_str(r#"{"posting_time":"9:30","from_time":""}"#).unwrap();
        assert!(doc.from_time.is_none());
        let err = serde_json::from_str::<Doc>(r#"{"posting_time":"6:06:36","from_time":"later"}"#)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("invalid Time \"later\": expected H:MM:SS[.ffffff]"),
            "{err}"
        );
    }
}
