//! The choices a user makes that change the generated code ([`crate::Config`] sets them).

/// The Rust type for `Currency` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CurrencyType {
    /// `f64` (Frappe sends JSON floats).
    #[default]
    F64,
    /// `rust_decimal::Decimal` (needs `rust_decimal` with `serde-with-float`, and
    /// frappe-runtime's `decimal` feature for filters).
    Decimal,
}

/// Choices that change the generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The Rust type of Currency fields.
    pub currency: CurrencyType,
    /// Add `#[serde(flatten)] extra: serde_json::Map` to every struct, keeping keys the
    /// metadata does not know (`doctype`, `_user_tags`, `__unsaved`, fields added on the site
    /// later), so a document survives a round trip.
    pub extra_field: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            currency: CurrencyType::F64,
            extra_field: true,
        }
    }
}
