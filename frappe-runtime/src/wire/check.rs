//! `Check` fields: `0`/`1` on the wire, `bool` in Rust.
//!
//! Deserializing accepts what Frappe accepts and returns: `0`/`1`, `true`/`false`, `"0"`/`"1"`,
//! and `null` (as `false`, which is how list rows of old records can carry an unset Check).
//! Serializing writes `0` or `1`.

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;

super::derived::codec!(bool);

/// Serializes a `bool` as `0` or `1`.
pub fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u8(u8::from(*value))
}

/// Deserializes `0`/`1`/`true`/`false`/`"0"`/`"1"`/`null` into a `bool`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    deserializer.deserialize_any(CheckVisitor)
}

struct CheckVisitor;

impl Visitor<'_> for CheckVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Check value: 0 or 1")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        if v == 0.0 {
            Ok(false)
        } else if v == 1.0 {
            Ok(true)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v {
            "0" | "" => Ok(false),
            "1" => Ok(true),
            _ => Err(E::invalid_value(
                de::Unexpected::Other(&format!("string {}", super::shown(v))),
                &self,
            )),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    struct Doc {
        #[serde(with = "super")]
        enabled: bool,
    }

    #[test]
    fn reads_every_form_frappe_uses() {
        for (json, want) in [
            (r#"{"enabled":1}"#, true),
            (r#"{"enabled":0}"#, false),
            (r#"{"enabled":true}"#, true),
            (r#"{"enabled":"1"}"#, true),
            (r#"{"enabled":null}"#, false),
        ] {
            let doc: Doc = serde_json::from_str(json).unwrap();
            assert_eq!(doc.enabled, want, "{json}");
        }
    }

    #[test]
    fn rejects_other_numbers() {
        assert!(serde_json::from_str::<Doc>(r#"{"enabled":2}"#).is_err());
    }

    #[test]
    fn writes_zero_or_one() {
        let json = serde_json::to_string(&Doc { enabled: true }).unwrap();
        assert_eq!(json, r#"{"enabled":1}"#);
    }
}
