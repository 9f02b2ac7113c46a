//! Paths to the well-known items generated code uses, short behind a `use` when possible.
//!
//! Policy: a module imports `Link`, `NaiveDate`, ... by their short names unless one of its own
//! types has that name (a DocType called "Link"), in which case that item is written with its
//! full path. Only imports that are used are emitted, so generated code has no unused imports.

use std::collections::BTreeSet;

/// An item from a dependency that generated code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Known {
    /// `frappe_runtime::Link`.
    Link,
    /// `frappe_runtime::DynamicLink`.
    DynamicLink,
    /// `frappe_runtime::DocStatus`.
    DocStatus,
    /// `frappe_runtime::Document` (the derive).
    Document,
    /// `frappe_runtime::Choice` (the derive).
    Choice,
    /// `serde::Serialize`.
    Serialize,
    /// `serde::Deserialize`.
    Deserialize,
    /// `chrono::NaiveDate`.
    NaiveDate,
    /// `chrono::NaiveDateTime`.
    NaiveDateTime,
    /// `chrono::NaiveTime`.
    NaiveTime,
    /// `rust_decimal::Decimal`.
    Decimal,
}

impl Known {
    /// Every known item.
    pub const ALL: [Known; 11] = [
        Known::Link,
        Known::DynamicLink,
        Known::DocStatus,
        Known::Document,
        Known::Choice,
        Known::Serialize,
        Known::Deserialize,
        Known::NaiveDate,
        Known::NaiveDateTime,
        Known::NaiveTime,
        Known::Decimal,
    ];

    /// The full path.
    pub fn path(self) -> &'static str {
        match self {
            Known::Link => "frappe_runtime::Link",
            Known::DynamicLink => "frappe_runtime::DynamicLink",
            Known::DocStatus => "frappe_runtime::DocStatus",
            Known::Document => "frappe_runtime::Document",
            Known::Choice => "frappe_runtime::Choice",
            Known::Serialize => "serde::Serialize",
            Known::Deserialize => "serde::Deserialize",
            Known::NaiveDate => "chrono::NaiveDate",
            Known::NaiveDateTime => "chrono::NaiveDateTime",
            Known::NaiveTime => "chrono::NaiveTime",
            Known::Decimal => "rust_decimal::Decimal",
        }
    }

    /// The last path segment.
    pub fn short(self) -> &'static str {
        self.path().rsplit("::").next().unwrap_or_default()
    }
}

/// Path choices for one module.
#[derive(Debug, Default)]
pub struct Paths {
    blocked: BTreeSet<Known>,
    used: BTreeSet<Known>,
}

impl Paths {
    /// Paths for a module whose own type names are `types`.
    pub fn new<'a>(types: impl IntoIterator<Item = &'a str>) -> Self {
        let types: BTreeSet<&str> = types.into_iter().collect();
        let blocked = Known::ALL
            .into_iter()
            .filter(|k| types.contains(k.short()))
            .collect();
        Self {
            blocked,
            used: BTreeSet::new(),
        }
    }

    /// How to write `item` in this module; records the import if short.
    pub fn get(&mut self, item: Known) -> String {
        if self.blocked.contains(&item) {
            item.path().to_owned()
        } else {
            self.used.insert(item);
            item.short().to_owned()
        }
    }

    /// The `use` paths needed, sorted.
    pub fn imports(&self) -> Vec<String> {
        let mut v: Vec<String> = self.used.iter().map(|k| k.path().to_owned()).collect();
        v.sort();
        v
    }
}

/// Short names generated enums must avoid, so that imports stay unambiguous.
pub fn reserved_type_names() -> impl Iterator<Item = &'static str> {
    Known::ALL.into_iter().map(Known::short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_names_use_full_paths() {
        let mut paths = Paths::new(["Link", "Customer"]);
        assert_eq!(paths.get(Known::Link), "frappe_runtime::Link");
        assert_eq!(paths.get(Known::NaiveDate), "NaiveDate");
        assert_eq!(paths.imports(), ["chrono::NaiveDate"]);
    }
}
