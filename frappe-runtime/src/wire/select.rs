//! `Select` fields as `Option<E>`, `E` a [`Choice`] enum: one way to say "no value".
//!
//! A blank Select reaches the client three ways: `""` (the blank option, which Frappe stores
//! when it is the first option and nothing else was set), `null` (a column never written, in
//! list rows) and no key at all (documents omit nulls). All three read as `None`; every other
//! string reads through [`Choice::from_wire`] (a generated enum's catch-all keeps options it
//! does not list).
//!
//! Writing `None` differs by whether the options list the blank one:
//! - [`blank`] (options start with, or contain, an empty line): `None` is written as `""`, the
//!   blank option, like the empty value of a text field. A document read with a blank Select
//!   goes back as it came, and a whole document sent with `None` (an update through
//!   `frappe.client.save`, a child row of an update) really empties the field. Use with
//!   `#[serde(default)]` and no `skip_serializing_if`.
//! - this module (no blank option): `None` is written as `null`; generated fields skip it
//!   (`skip_serializing_if = "Option::is_none"`), so an insert leaves the DocType's default in
//!   place. To empty such a field in an update, clear it (`Changes::clear`).
//!
//! Anything but a string or `null` (a number, an object) fails, saying a Select option was
//! expected; the value itself is not quoted.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

use crate::choice::Choice;

super::derived::codec!(Option<T>, T: Choice);

/// Serializes `Some(v)` as its option and `None` as `null`.
pub fn serialize<T: Choice, S: Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => serializer.serialize_str(v.as_str()),
        None => serializer.serialize_none(),
    }
}

/// Deserializes an option; `""` and `null` read as `None`.
pub fn deserialize<'de, T: Choice, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_option(OptionVisitor(PhantomData))
}

/// A Select whose options include the blank one: `None` is written as `""`.
pub mod blank {
    use serde::{Deserializer, Serializer};

    use crate::choice::Choice;

    crate::wire::derived::codec!(Option<T>, T: Choice);

    /// Serializes `Some(v)` as its option and `None` as `""` (the blank option).
    pub fn serialize<T: Choice, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value.as_ref().map_or("", T::as_str))
    }

    /// Deserializes an option; `""` and `null` read as `None` (as in [`super::deserialize`]).
    pub fn deserialize<'de, T: Choice, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        super::deserialize(deserializer)
    }
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Choice> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Select option (a string) or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        // Only an enum without a catch-all refuses a string; the option list is the news.
        T::from_wire(v).map(Some).ok_or_else(|| {
            E::custom(format_args!(
                "not one of the Select's options ({})",
                OptionList(T::OPTIONS)
            ))
        })
    }
}

/// `"A", "B", "C"`, at most the first few.
struct OptionList(&'static [&'static str]);

impl fmt::Display for OptionList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 8;
        for (i, option) in self.0.iter().take(SHOWN).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{option:?}")?;
        }
        if self.0.len() > SHOWN {
            write!(f, ", and {} more", self.0.len() - SHOWN)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use crate::choice::Choice;

    #[derive(Debug, Clone, PartialEq)]
    enum Genre {
        Fiction,
        Other(String),
    }

    impl Choice for Genre {
        const OPTIONS: &'static [&'static str] = &["Fiction"];
        fn as_str(&self) -> &str {
            match self {
                Self::Fiction => "Fiction",
                Self::Other(v) => v,
            }
        }
        fn from_wire(value: &str) -> Option<Self> {
            Some(match value {
                "Fiction" => Self::Fiction,
                other => Self::Other(other.to_owned()),
            })
        }
    }

    /// A hand-written Choice without a catch-all.
    #[derive(Debug, Clone, PartialEq)]
    enum Strict {
        A,
    }

    impl Choice for Strict {
        const OPTIONS: &'static [&'static str] = &["A"];
        fn as_str(&self) -> &str {
            "A"
        }
        fn from_wire(value: &str) -> Option<Self> {
            (value == "A").then_some(Self::A)
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Doc {
        #[serde(default, with = "super::blank")]
        genre: Option<Genre>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        status: Option<Genre>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        strict: Option<Strict>,
    }

    fn doc(v: serde_json::Value) -> Result<Doc, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn blank_null_and_absent_read_as_none() {
        for v in [
            json!({}),
            json!({"genre": "", "status": ""}),
            json!({"genre": null, "status": null}),
        ] {
            let d = doc(v.clone()).unwrap();
            assert_eq!((&d.genre, &d.status), (&None, &None), "{v}");
        }
        let d = doc(json!({"genre": "Fiction", "status": "Lost"})).unwrap();
        assert_eq!(d.genre, Some(Genre::Fiction));
        assert_eq!(d.status, Some(Genre::Other("Lost".into())));
        // From text too (serde_json::from_str takes the borrowed path).
        let d: Doc = serde_json::from_str(r#"{"genre":"","status":"Fiction"}"#).unwrap();
        assert_eq!((d.genre, d.status), (None, Some(Genre::Fiction)));
    }

    #[test]
    fn none_is_the_blank_option_only_where_it_is_listed() {
        let d = doc(json!({"genre": null, "status": null})).unwrap();
        assert_eq!(serde_json::to_value(&d).unwrap(), json!({"genre": ""}));
        let d = doc(json!({"genre": "Fiction", "status": "Lost"})).unwrap();
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            json!({"genre": "Fiction", "status": "Lost"})
        );
        // Without `skip_serializing_if`, a `None` of a Select without a blank option is null.
        let mut out = Vec::new();
        super::serialize::<Genre, _>(&None, &mut serde_json::Serializer::new(&mut out)).unwrap();
        assert_eq!(out, b"null");
    }

    #[test]
    fn other_types_and_unknown_options_of_a_strict_enum_are_errors() {
        for (v, want) in [
            (
                json!({"genre": 5}),
                "expected a Select option (a string) or null",
            ),
            (json!({"status": {"a": 1}}), "expected a Select option"),
            (
                json!({"strict": "B"}),
                r#"not one of the Select's options ("A")"#,
            ),
        ] {
            let err = doc(v.clone()).unwrap_err().to_string();
            assert!(err.contains(want), "{v}: {err}");
        }
        assert_eq!(doc(json!({"strict": ""})).unwrap().strict, None);
    }

    #[test]
    fn a_long_option_list_is_cut() {
        static MANY: [&str; 10] = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        let shown = super::OptionList(&MANY).to_string();
        assert!(shown.ends_with(r#""h", and 2 more"#), "{shown}");
    }
}
