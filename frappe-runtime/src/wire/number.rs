//! Numbers as a real site sends them: a JSON number, text holding one, or `null`.
//!
//! A Single DocType keeps its values as text (`tabSingles`) and casts only some fieldtypes when
//! it answers (`frappe.utils.data.cast`: Int, Check, Float, Currency, Percent), so a Single's
//! `Duration`, `Rating` and `Long Int` fields, and its `idx`, arrive as text (`"1200"`, `"0"`).
//! Reads a number (an integral float for integers), numeric text, `""` or `null` (as zero, or as
//! `None` through [`option`]); writes a number. Used by generated code for every numeric field.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serialize, Serializer};

/// A number type this module reads: `i64` or `f64`.
pub trait WireNumber: Sized + Default + Serialize {
    /// What the error message says was expected.
    const EXPECTING: &'static str;
    /// From a JSON integer, if representable.
    fn from_i64(v: i64) -> Option<Self>;
    /// From a JSON unsigned integer, if representable.
    fn from_u64(v: u64) -> Option<Self>;
    /// From a JSON float, if representable (integers only take integral values).
    fn from_f64(v: f64) -> Option<Self>;
    /// From text (already trimmed, not empty).
    fn parse(text: &str) -> Option<Self>;
}

impl WireNumber for i64 {
    const EXPECTING: &'static str = "an integer, text holding one, or null";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn from_f64(v: f64) -> Option<Self> {
        (v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
    }
    fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl WireNumber for f64 {
    const EXPECTING: &'static str = "a number, text holding one, or null";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
    fn parse(text: &str) -> Option<Self> {
        text.parse::<f64>().ok().filter(|v| v.is_finite())
    }
}

super::derived::codec!(T, T: WireNumber);

/// Serializes the number as is.
pub fn serialize<T: WireNumber, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.serialize(serializer)
}

/// Deserializes a number, numeric text, `""` or `null` (the last two as zero).
pub fn deserialize<'de, T: WireNumber, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    Ok(deserializer
        .deserialize_any(NumberVisitor(PhantomData))?
        .unwrap_or_default())
}

/// `Option<T>`: `null`, `""` and absence (with `#[serde(default)]`) read as `None`.
pub mod option {
    use super::*;

    crate::wire::derived::codec!(Option<T>, T: WireNumber);

    /// Serializes `Some(n)` as `n`, `None` as `null`.
    pub fn serialize<T: WireNumber, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    /// Deserializes a number or numeric text; `null` and `""` read as `None`.
    pub fn deserialize<'de, T: WireNumber, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(NumberVisitor(PhantomData))
    }
}

struct NumberVisitor<T>(PhantomData<T>);

impl<T: WireNumber> NumberVisitor<T> {
    fn or_invalid<E: de::Error>(
        &self,
        v: Option<T>,
        what: de::Unexpected<'_>,
    ) -> Result<Option<T>, E> {
        v.map(Some).ok_or_else(|| E::invalid_value(what, self))
    }
}

impl<'de, T: WireNumber> Visitor<'de> for NumberVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.or_invalid(T::from_i64(v), de::Unexpected::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.or_invalid(T::from_u64(v), de::Unexpected::Unsigned(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.or_invalid(T::from_f64(v), de::Unexpected::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let text = v.trim();
        if text.is_empty() {
            return Ok(None);
        }
        self.or_invalid(
            T::parse(text),
            de::Unexpected::Other(&format!("string {}", super::shown(v))),
        )
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Doc {
        #[serde(default, with = "super")]
        idx: i64,
        #[serde(default, with = "super")]
        rating: f64,
        #[serde(default, with = "super::option")]
        duration: Option<f64>,
    }

    fn doc(json: &str) -> Result<Doc, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_text_null_and_absent() {
        let d = doc(r#"{"idx":3,"rating":0.5,"duration":90}"#).unwrap();
        assert_eq!((d.idx, d.rating, d.duration), (3, 0.5, Some(90.0)));
        // What a Single DocType answers.
        let d = doc(r#"{"idx":"0","rating":"0.8","duration":"1200"}"#).unwrap();
        assert_eq!((d.idx, d.rating, d.duration), (0, 0.8, Some(1200.0)));
        let d = doc(r#"{"idx":" 12 ","rating":3.0,"duration":""}"#).unwrap();
        assert_eq!((d.idx, d.rating, d.duration), (12, 3.0, None));
        let d = doc(r#"{"idx":null,"rating":null,"duration":null}"#).unwrap();
        assert_eq!((d.idx, d.rating, d.duration), (0, 0.0, None));
        assert_eq!(doc("{}").unwrap(), doc(r#"{"idx":0,"rating":0}"#).unwrap());
        assert_eq!(
            serde_json::to_string(&doc(r#"{"idx":"5","duration":"7.5"}"#).unwrap()).unwrap(),
            r#"{"idx":5,"rating":0.0,"duration":7.5}"#
        );
    }

    #[test]
    fn other_values_are_errors_naming_them() {
        for bad in [
            r#"{"idx":"x1"}"#,
            r#"{"idx":1.5}"#,
            r#"{"idx":true}"#,
            r#"{"idx":18446744073709551615}"#,
        ] {
            let err = doc(bad).unwrap_err().to_string();
            assert!(err.contains("an integer"), "{bad}: {err}");
        }
        for bad in [
            r#"{"rating":"NaN"}"#,
            r#"{"duration":"1h"}"#,
            r#"{"rating":[]}"#,
        ] {
            let err = doc(bad).unwrap_err().to_string();
            assert!(err.contains("a number"), "{bad}: {err}");
        }
    }
}
