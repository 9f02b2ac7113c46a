//! Non-nullable numbers (`Int`, `Float`, `Currency`, `Percent`, `Rating`): never null in
//! documents, but list rows of old records can carry `null`. Reads `null` as the type's default
//! (`0`, `0.0`); writes the value unchanged. Added for frappe-codegen's generated fields.

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

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    struct Row {
        #[serde(default, with = "super")]
        qty: i64,
        #[serde(default, with = "super")]
        rate: f64,
    }

    #[test]
    fn null_and_missing_read_as_zero() {
        let row: Row = serde_json::from_str(r#"{"qty":null}"#).unwrap();
        assert_eq!((row.qty, row.rate), (0, 0.0));
        let row: Row = serde_json::from_str(r#"{"qty":7,"rate":2.5}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&row).unwrap(),
            r#"{"qty":7,"rate":2.5}"#
        );
    }
}
