//! `docstatus`: 0 Draft, 1 Submitted, 2 Cancelled.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The lifecycle state every Frappe document carries in `docstatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum DocStatus {
    /// `0`: saved, editable.
    #[default]
    Draft,
    /// `1`: submitted (submittable DocTypes only); only `allow_on_submit` fields can change.
    Submitted,
    /// `2`: cancelled; can be amended into a new draft.
    Cancelled,
}

impl DocStatus {
    /// The wire value: 0, 1 or 2.
    pub fn as_i64(self) -> i64 {
        match self {
            DocStatus::Draft => 0,
            DocStatus::Submitted => 1,
            DocStatus::Cancelled => 2,
        }
    }

    /// The state for a wire value, if it is 0, 1 or 2.
    pub fn from_i64(value: i64) -> Option<Self> {
        match value {
            0 => Some(DocStatus::Draft),
            1 => Some(DocStatus::Submitted),
            2 => Some(DocStatus::Cancelled),
            _ => None,
        }
    }
}

impl Serialize for DocStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.as_i64())
    }
}

impl<'de> Deserialize<'de> for DocStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(deserializer)?;
        DocStatus::from_i64(v).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Signed(v),
                &"a docstatus: 0, 1 or 2",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values() {
        for (s, n) in [
            (DocStatus::Draft, 0),
            (DocStatus::Submitted, 1),
            (DocStatus::Cancelled, 2),
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), n);
            assert_eq!(serde_json::from_value::<DocStatus>(n.into()).unwrap(), s);
        }
        assert!(serde_json::from_str::<DocStatus>("3").is_err());
    }
}
