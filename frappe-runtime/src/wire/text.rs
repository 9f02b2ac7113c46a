//! A value Frappe sends as a string in one format, shared by [`date`](super::date),
//! [`datetime`](super::datetime) and [`time`](super::time) (and their `option` modules) so that
//! the error wording and the rule that `null` and `""` mean `None` are the same for all three.
//! An error quotes at most 40 characters of the value ([`super::shown`]).

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// How one kind of value is written as, and read from, its wire string.
pub(super) struct Format<T> {
    /// Frappe's field type, for the error message (`Date`, `Datetime`, `Time`).
    pub kind: &'static str,
    /// The accepted format, for the error message.
    pub expected: &'static str,
    /// The parser (`wire::parse_date`, `wire::parse_datetime`, `wire::parse_time`).
    pub parse: fn(&str) -> Option<T>,
    /// The formatter (`wire::format_date`, `wire::format_datetime`, `wire::format_time`).
    pub format: fn(&T) -> String,
}

impl<T> Format<T> {
    /// Parses `s`, or fails naming the value and the expected format.
    fn read<E: serde::de::Error>(&self, s: &str) -> Result<T, E> {
        (self.parse)(s).ok_or_else(|| {
            E::custom(format!(
                "invalid {} {}: expected {}",
                self.kind,
                super::shown(s),
                self.expected
            ))
        })
    }

    /// Serializes a value as its string.
    pub fn serialize<S: Serializer>(&self, value: &T, serializer: S) -> Result<S::Ok, S::Error> {
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
    pub fn deserialize<'de, D: Deserializer<'de>>(&self, deserializer: D) -> Result<T, D::Error> {
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
