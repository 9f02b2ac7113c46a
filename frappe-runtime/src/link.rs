//! Typed links: the value of a `Link` field, which names a document of another DocType.

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::document::Document;

/// The name of a document of DocType `T`, as stored in a `Link` field.
///
/// On the wire it is a plain string. The type parameter records the target so that
/// the client can fetch it as a `T`, and so filters on a link field
/// take a name (see [`TreeLink`](crate::filter::TreeLink)).
pub struct Link<T> {
    name: String,
    target: PhantomData<fn() -> T>,
}

impl<T> Link<T> {
    /// A link to the document named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            target: PhantomData,
        }
    }

    /// The linked document's name.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The linked document's name, by value.
    pub fn into_string(self) -> String {
        self.name
    }
}

impl<T: Document> Link<T> {
    /// The DocType this link points at.
    pub fn doctype(&self) -> &'static str {
        T::DOCTYPE
    }
}

impl<T> Clone for Link<T> {
    fn clone(&self) -> Self {
        Self::new(self.name.clone())
    }
}

impl<T> PartialEq for Link<T> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<T> Eq for Link<T> {}

impl<T> std::hash::Hash for Link<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl<T> PartialOrd for Link<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Link<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name.cmp(&other.name)
    }
}

impl<T> fmt::Debug for Link<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.name, f)
    }
}

impl<T> fmt::Display for Link<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl<T> AsRef<str> for Link<T> {
    fn as_ref(&self) -> &str {
        &self.name
    }
}

impl<T> From<&str> for Link<T> {
    fn from(name: &str) -> Self {
        Self::new(name)
    }
}

impl<T> From<String> for Link<T> {
    fn from(name: String) -> Self {
        Self::new(name)
    }
}

impl<T> From<Link<T>> for String {
    fn from(link: Link<T>) -> Self {
        link.name
    }
}

impl<T> Serialize for Link<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name)
    }
}

impl<'de, T> Deserialize<'de> for Link<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_string(NameVisitor).map(Self::new)
    }
}

/// Reads a Link's name; a value of another type fails saying a document name was expected.
struct NameVisitor;

impl serde::de::Visitor<'_> for NameVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the name of the linked document (a string)")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

/// The value of a `Dynamic Link` field: a document name whose DocType is held by another field
/// of the same document (the field named in the Dynamic Link's `options`).
///
/// On the wire it is a plain string, like a [`Link`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DynamicLink(pub String);

impl DynamicLink {
    /// The linked document's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DynamicLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for DynamicLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for DynamicLink {
    fn from(name: &str) -> Self {
        Self(name.to_owned())
    }
}

impl From<String> for DynamicLink {
    fn from(name: String) -> Self {
        Self(name)
    }
}

impl From<DynamicLink> for String {
    fn from(link: DynamicLink) -> Self {
        link.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Customer;

    #[test]
    fn link_is_a_plain_string_on_the_wire() {
        let link: Link<Customer> = serde_json::from_str("\"CUST-0001\"").unwrap();
        assert_eq!(link.as_str(), "CUST-0001");
        assert_eq!(serde_json::to_string(&link).unwrap(), "\"CUST-0001\"");
        assert_eq!(format!("{link:?}"), "\"CUST-0001\"");
    }

    #[test]
    fn dynamic_link_is_a_plain_string_on_the_wire() {
        let link: DynamicLink = serde_json::from_str("\"Ada Lovelace\"").unwrap();
        assert_eq!(link.as_str(), "Ada Lovelace");
        assert_eq!(serde_json::to_value(&link).unwrap(), "Ada Lovelace");
    }
}
