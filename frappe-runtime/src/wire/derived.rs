//! What `#[frappe(serde)]` expands to: the generic halves of a document's `Serialize` and
//! `Deserialize` impls, written once here instead of once per struct.
//!
//! serde's own derives write, for every struct, a field-name visitor (over `str`, bytes and
//! integers), a sequence visitor, a map visitor, and a wrapper type with its own impls for every
//! field that has `with = "..."`, in both directions. For a thousand generated DocTypes that is
//! most of the time `cargo check` spends on the crate. With `#[frappe(serde)]`,
//! `#[derive(Document)]` writes only what differs per struct ([`Fields`]: which key is which
//! field, and one match arm per field) and one `serialize_entry` per field; the visitors are
//! [`deserialize`]'s, and a `with` module is a type ([`Codec`]) that the adapters [`Ser`] and
//! [`De`] call, so no type is generated per field.
//!
//! What the wire sees is what serde's derives produce for the same attributes: one JSON object,
//! fields in declaration order, `skip_serializing_if` honoured, the `flatten`ed map's entries
//! last. Two differences, both for input Frappe never sends: a key given twice keeps its last
//! value (serde's derive reports a duplicate field), and a document cannot be read from a JSON
//! array (serde's derive accepts the fields in order).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::choice::Choice;

/// A field's wire format as a type: the `serialize` and `deserialize` functions of a module
/// used as `#[serde(with = "module")]`. `#[frappe(serde)]` turns `with = "path"` into
/// `path::Codec`, so a module used there declares a `Codec` type implementing this trait (every
/// module of [`wire`](crate::wire) does).
pub trait Codec<T> {
    /// Writes `value`.
    fn serialize<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads a value.
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// `value` written through the codec `C`: the value of a `serialize_entry`.
pub struct Ser<'a, C, T>(&'a T, PhantomData<C>);

impl<'a, C, T> Ser<'a, C, T> {
    /// Wraps `value`.
    pub fn new(value: &'a T) -> Self {
        Self(value, PhantomData)
    }
}

impl<C: Codec<T>, T> Serialize for Ser<'_, C, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        C::serialize(self.0, serializer)
    }
}

/// A value read through the codec `C`: the seed of a `next_value_seed`.
pub struct De<C, T>(PhantomData<(C, T)>);

impl<C, T> De<C, T> {
    /// The seed.
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<C, T> Default for De<C, T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, C: Codec<T>, T> DeserializeSeed<'de> for De<C, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        C::deserialize(deserializer)
    }
}

/// The per-struct half of a `#[frappe(serde)]` document's `Deserialize`, written by
/// `#[derive(Document)]`.
pub trait Fields: Sized {
    /// The type's name, for "expected struct ..." in errors (as serde's derive words it).
    const NAME: &'static str;
    /// Whether keys that name no field are kept ([`Fields::keep`]) or skipped.
    const KEEPS_UNKNOWN: bool;

    /// Every field at its default: what a document without keys reads as.
    fn empty() -> Self;

    /// The index of the field read from `key`, if any. Not generic: the key's match is
    /// compiled once per struct, not once per input format.
    fn index(key: &str) -> Option<usize>;

    /// Reads the value of the field at `index` into `self`.
    fn read<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;

    /// Keeps a key that names no field (only called when [`Fields::KEEPS_UNKNOWN`]).
    fn keep(&mut self, key: String, value: Value);
}

/// Reads a `#[frappe(serde)]` document from a map: each key is looked up with
/// [`Fields::index`] and its value read with [`Fields::read`]; a field never seen keeps its
/// default.
pub fn deserialize<'de, T: Fields, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(DocumentVisitor(PhantomData))
}

struct DocumentVisitor<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for DocumentVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::empty();
        while let Some(key) = map.next_key_seed(KeySeed::<T>(PhantomData))? {
            match key {
                Key::Field(index) => out.read(index, &mut map)?,
                Key::Unknown(key) if T::KEEPS_UNKNOWN => out.keep(key, map.next_value()?),
                Key::Unknown(_) => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

enum Key {
    Field(usize),
    /// The key, when the type keeps unknown keys (empty otherwise: nothing is allocated).
    Unknown(String),
}

struct KeySeed<T>(PhantomData<T>);

impl<'de, T: Fields> DeserializeSeed<'de> for KeySeed<T> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, T: Fields> Visitor<'de> for KeySeed<T> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match T::index(key) {
            Some(index) => Key::Field(index),
            None if T::KEEPS_UNKNOWN => Key::Unknown(key.to_owned()),
            None => Key::Unknown(String::new()),
        })
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Key, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) => Ok(Key::Unknown(String::new())),
        }
    }
}

/// Writes the entries of a `#[serde(flatten)]` map after the fields, as serde's derive does.
pub fn serialize_flattened<M: SerializeMap>(
    map: &mut M,
    flattened: &Map<String, Value>,
) -> Result<(), M::Error> {
    for (key, value) in flattened {
        map.serialize_entry(key, value)?;
    }
    Ok(())
}

/// Writes a `#[frappe(serde)]` Select enum: its wire string.
pub fn serialize_choice<T: Choice, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_str())
}

/// Reads a `#[frappe(serde)]` Select enum from its wire string ([`Choice::from_wire`]); a
/// string that is no option is an error only for an enum without a catch-all variant.
pub fn deserialize_choice<'de, T: Choice, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(ChoiceVisitor(PhantomData))
}

struct ChoiceVisitor<T>(PhantomData<T>);

impl<'de, T: Choice> Visitor<'de> for ChoiceVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Select option (a string)")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        T::from_wire(value).ok_or_else(|| E::unknown_variant(value, T::OPTIONS))
    }
}

/// Declares a wire module's [`Codec`] type, forwarding to the module's `serialize` and
/// `deserialize` functions. `$($generic: $bound),*` are the type parameters those functions
/// take, `$ty` the field type.
macro_rules! codec {
    ($ty:ty $(, $generic:ident: $bound:path)*) => {
        /// This module as a type, for `#[frappe(serde)]` (see
        /// [`wire::derived`](crate::wire::derived)).
        #[derive(Debug, Clone, Copy)]
        pub struct Codec;

        impl<$($generic: $bound),*> $crate::wire::derived::Codec<$ty> for Codec {
            fn serialize<S: serde::Serializer>(
                value: &$ty,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                serialize(value, serializer)
            }

            fn deserialize<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<$ty, D::Error> {
                deserialize(deserializer)
            }
        }
    };
}
pub(crate) use codec;
