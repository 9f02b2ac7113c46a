//! `Datetime` fields: `YYYY-MM-DD HH:MM:SS[.ffffff]`, naive (site time zone), as
//! `chrono::NaiveDateTime`. Use [`option`] for `Option<NaiveDateTime>`.

use chrono::NaiveDateTime;
use serde::{Deserializer, Serializer};

use super::text;

const FORMAT: text::Format<NaiveDateTime> = text::Format {
    kind: "Datetime",
    expected: "YYYY-MM-DD HH:MM:SS[.ffffff]",
    parse: super::parse_datetime,
    format: super::format_datetime,
};

super::derived::codec!(chrono::NaiveDateTime);

/// Serializes in Frappe's format.
pub fn serialize<S: Serializer>(value: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    FORMAT.serialize(value, serializer)
}

/// Deserializes Frappe's format (a `T` separator is accepted too).
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDateTime, D::Error> {
    FORMAT.deserialize(deserializer)
}

/// The same for `Option<NaiveDateTime>`: `null` (and `""`) is `None`.
pub mod option {
    use chrono::NaiveDateTime;
    use serde::{Deserializer, Serializer};

    crate::wire::derived::codec!(Option<chrono::NaiveDateTime>);

    /// Serializes `Some` in Frappe's format and `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<NaiveDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        super::FORMAT.serialize_option(value, serializer)
    }

    /// Deserializes `null`, `""` or a Frappe datetime.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDateTime>, D::Error> {
        super::FORMAT.deserialize_option(deserializer)
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
    /// Hands out one borrowed string and refuses every request for an owned one
    /// (`deserialize_string`, or `deserialize_any` as used by `String`), so a decoder that
    /// allocates a `String` per value fails here.
    struct BorrowOnly<'a>(Option<&'a str>);

    impl<'de> serde::Deserializer<'de> for BorrowOnly<'_> {
        type Error = serde::de::value::Error;

        fn deserialize_any<V: serde::de::Visitor<'de>>(
            self,
            _: V,
        ) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("asked for an owned value"))
        }

        fn deserialize_str<V: serde::de::Visitor<'de>>(
            self,
            visitor: V,
        ) -> Result<V::Value, Self::Error> {
            match self.0 {
                Some(s) => visitor.visit_str(s),
                None => visitor.visit_unit(),
            }
        }

        fn deserialize_option<V: serde::de::Visitor<'de>>(
            self,
            visitor: V,
        ) -> Result<V::Value, Self::Error> {
            match self.0 {
                Some(_) => visitor.visit_some(self),
                None => visitor.visit_none(),
            }
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char string
            bytes byte_buf unit unit_struct newtype_struct seq tuple
            tuple_struct map struct enum identifier ignored_any
        }
    }

    #[test]
    fn values_are_parsed_in_place_without_an_owned_string() {
        let text = "2026-11-27 16:32:20.376095";
        let v = super::deserialize(BorrowOnly(Some(text))).unwrap();
        assert_eq!(v.to_string(), text);
        let v = super::option::deserialize(BorrowOnly(Some(text))).unwrap();
        assert_eq!(v.map(|v| v.to_string()).as_deref(), Some(text));
        assert_eq!(
            super::option::deserialize(BorrowOnly(Some(""))).unwrap(),
            None
        );
        assert_eq!(super::option::deserialize(BorrowOnly(None)).unwrap(), None);
        let t = crate::wire::time::deserialize(BorrowOnly(Some("6:06:36.642034"))).unwrap();
        assert_eq!(t.to_string(), "06:06:36.642034");
    }
}
