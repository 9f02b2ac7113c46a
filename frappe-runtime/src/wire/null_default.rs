//! Fields generated without `Option`: numbers (`Int`, `Float`, `Currency`, `Percent`,
//! `Rating`), and mandatory text and `Duration`. Numbers are never null in documents, but list
//! rows of old records can carry `null`; a mandatory field is `null` in every document saved
//! before it became mandatory (Frappe checks `reqd` only on save). Reads `null` as the type's
//! default (`0`, `0.0`, `""`); writes the value unchanged. Use with `#[serde(default)]` so that
//! an absent key reads the same way. Added for frappe-codegen's generated fields.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Serializes the value as is.
pub fn serialize<T: Serialize, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize(serializer)
}

/// Deserializes a `T`, reading `null` as `T::default()`.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: Deserialize<'de> + Default,
    D: Deserializer<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// This module as a type, for `#[frappe(serde)]` (see [`wire::derived`](crate::wire::derived)).
#[derive(Debug, Clone, Copy)]
pub struct Codec;

impl<T> super::derived::Codec<T> for Codec
where
    T: Serialize + serde::de::DeserializeOwned + Default,
{
    fn serialize<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(value, serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    struct Row {
        #[serde(default, with = "super")]
        qty: i64,
        #[serde(default, with = "super")]
        rate: f64,
        #[serde(default, with = "super")]
        title: String,
    }

    #[test]
    fn null_and_missing_read_as_zero() {
        let row: Row = serde_json::from_str(r#"{"qty":null}"#).unwrap();
        assert_eq!((row.qty, row.rate), (0, 0.0));
        let row: Row = serde_json::from_str(r#"{"qty":7,"rate":2.5,"title":"T"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&row).unwrap(),
            r#"{"qty":7,"rate":2.5,"title":"T"}"#
        );
    }

    #[test]
    fn null_and_missing_text_read_as_empty() {
        let row: Row = serde_json::from_str(r#"{"title":null}"#).unwrap();
        assert_eq!(row.title, "");
        let row: Row = serde_json::from_str("{}").unwrap();
        assert_eq!(row.title, "");
        // Written back as set: an empty string stays an empty string.
        assert_eq!(
            serde_json::to_string(&row).unwrap(),
            r#"{"qty":0,"rate":0.0,"title":""}"#
        );
    }
}
