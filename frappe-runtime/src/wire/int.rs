//! An integer Frappe may send as a number, as text or as `null`: the standard `idx` field.
//! A Single DocType keeps its values as text in `tabSingles` and casts only its DocFields when
//! it answers, so its `idx` arrives as `"0"`. Reads a number (an integral float too), a string
//! holding one, or `null` (as `0`); writes a number.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Serializes the integer as a JSON number.
pub fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_i64(*value)
}

/// Deserializes `7`, `7.0`, `"7"` or `null` (as `0`).
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(IntVisitor)
}

struct IntVisitor;

impl<'de> Visitor<'de> for IntVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, a string holding one, or null")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(0);
        }
        t.parse::<i64>()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    fn visit_unit<E: de::Error>(self) -> Result<i64, E> {
        Ok(0)
    }

    fn visit_none<E: de::Error>(self) -> Result<i64, E> {
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Serialize, Deserialize)]
    struct Doc {
        #[serde(default, with = "super")]
        idx: i64,
    }

    fn idx(json: &str) -> Result<i64, serde_json::Error> {
        serde_json::from_str::<Doc>(json).map(|d| d.idx)
    }

    #[test]
    fn numbers_text_null_and_absent() {
        assert_eq!(idx(r#"{"idx":3}"#).unwrap(), 3);
        assert_eq!(idx(r#"{"idx":3.0}"#).unwrap(), 3);
        // What a Single DocType answers.
        assert_eq!(idx(r#"{"idx":"0"}"#).unwrap(), 0);
        assert_eq!(idx(r#"{"idx":" 12 "}"#).unwrap(), 12);
        assert_eq!(idx(r#"{"idx":""}"#).unwrap(), 0);
        assert_eq!(idx(r#"{"idx":null}"#).unwrap(), 0);
        assert_eq!(idx("{}").unwrap(), 0);
        assert_eq!(
            serde_json::to_string(&Doc { idx: 5 }).unwrap(),
            r#"{"idx":5}"#
        );
    }

    #[test]
    fn other_values_are_errors_naming_them() {
        for bad in [r#""x1""#, "1.5", "true", "18446744073709551615"] {
            let err = idx(&format!(r#"{{"idx":{bad}}}"#)).unwrap_err().to_string();
            assert!(err.contains("an integer"), "{bad}: {err}");
        }
    }
}
