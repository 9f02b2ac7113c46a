//! `Datetime` fields: `YYYY-MM-DD HH:MM:SS[.ffffff]`, naive (site time zone), as
//! `chrono::NaiveDateTime`. Use [`option`] for `Option<NaiveDateTime>`.
//!
//! The string plumbing both `datetime` and `time` use (`text::Format`) lives here too: the two
//! differ only in the format, so each is a `Format` value and its functions call into it.

use chrono::NaiveDateTime;
use serde::{Deserializer, Serializer};

const FORMAT: text::Format<NaiveDateTime> = text::Format {
    kind: "Datetime",
    expected: "YYYY-MM-DD HH:MM:SS[.ffffff]",
    parse: super::parse_datetime,
    format: super::format_datetime,
};

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

/// A value Frappe sends as a string in one format; shared by `datetime`
/// and `time` (and their `option` modules) so the error wording and the `null`/`""` rule are
/// the same for both.
pub(super) mod text {
    use std::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    /// How one kind of value is written as, and read from, its wire string.
    pub(in crate::wire) struct Format<T> {
        /// Frappe's field type, for the error message (`Datetime`, `Time`).
        pub kind: &'static str,
        /// The accepted format, for the error message.
        pub expected: &'static str,
        /// The parser (`wire::parse_datetime`, `wire::parse_time`).
        pub parse: fn(&str) -> Option<T>,
        /// The formatter (`wire::format_datetime`, `wire::format_time`).
        pub format: fn(&T) -> String,
    }

    impl<T> Format<T> {
        /// Parses `s`, or fails naming the value and the expected format.
        fn read<E: serde::de::Error>(&self, s: &str) -> Result<T, E> {
            (self.parse)(s).ok_or_else(|| {
                E::custom(format!(
                    "invalid {} {s:?}: expected {}",
                    self.kind, self.expected
                ))
            })
        }

        /// Serializes a value as its string.
        pub fn serialize<S: Serializer>(
            &self,
            value: &T,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(&(self.format)(value))
        }

        /// Serializes `Some` as the string and `None` as `null`.
        pub fn serialize_option<S: Serializer>(
            &self,
            value: &Option<T>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => self.serialize(v, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Deserializes a required value. The string is parsed where it lies (borrowed from
        /// the input, or serde's scratch buffer for escaped text): no allocation per value,
        /// which matters for list rows with several datetimes each. (serde's own
        /// `Cow<str>` impl always allocates.)
        pub fn deserialize<'de, D: Deserializer<'de>>(
            &self,
            deserializer: D,
        ) -> Result<T, D::Error> {
            deserializer.deserialize_str(Text(self))
        }

        /// Deserializes an optional value: `null` and `""` are `None`.
        pub fn deserialize_option<'de, D: Deserializer<'de>>(
            &self,
            deserializer: D,
        ) -> Result<Option<T>, D::Error> {
            deserializer.deserialize_option(OptionalText(self))
        }
    }

    /// Reads a required value from its string.
    struct Text<'f, T>(&'f Format<T>);

    impl<T> Visitor<'_> for Text<'_, T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} string ({})", self.0.kind, self.0.expected)
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            self.0.read(s)
        }
    }

    /// Reads an optional value: `null` and `""` are `None`.
    struct OptionalText<'f, T>(&'f Format<T>);

    impl<'de, T> Visitor<'de> for OptionalText<'_, T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "null or a {} string ({})", self.0.kind, self.0.expected)
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
            deserializer.deserialize_str(self)
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<T>, E> {
            if s.is_empty() {
                Ok(None)
            } else {
                self.0.read(s).map(Some)
            }
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
