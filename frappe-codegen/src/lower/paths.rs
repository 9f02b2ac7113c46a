//! Paths to the well-known items generated code uses, short behind a `use` when possible.
//!
//! Policy: a module imports `Link`, `NaiveDate`, ... by their short names unless one of its own
//! types has that name (a DocType called "Link"), in which case that item is written with its
//! full path. Only imports that are used are emitted, so generated code has no unused imports.
//!
//! Every path goes through `frappe_runtime` (which re-exports serde, serde_json, chrono and
//! rust_decimal), so a crate compiling generated code depends on frappe-runtime alone, and the
//! versions always agree with the runtime's. (The serde impls `#[frappe(serde)]` writes name
//! serde through frappe-runtime too.)

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
    /// `chrono::NaiveDate`, through frappe-runtime.
    NaiveDate,
    /// `chrono::NaiveDateTime`, through frappe-runtime.
    NaiveDateTime,
    /// `chrono::NaiveTime`, through frappe-runtime.
    NaiveTime,
    /// `rust_decimal::Decimal`, through frappe-runtime (its `decimal` feature).
    Decimal,
    /// `serde_json::Map`, through frappe-runtime.
    JsonMap,
    /// `serde_json::Value`, through frappe-runtime.
    JsonValue,
}

impl Known {
    /// Every known item.
    pub const ALL: [Known; 11] = [
        Known::Link,
        Known::DynamicLink,
        Known::DocStatus,
        Known::Document,
        Known::Choice,
        Known::NaiveDate,
        Known::NaiveDateTime,
        Known::NaiveTime,
        Known::Decimal,
        Known::JsonMap,
        Known::JsonValue,
    ];

    /// The full path.
    pub fn path(self) -> &'static str {
        match self {
            Known::Link => "frappe_runtime::Link",
            Known::DynamicLink => "frappe_runtime::DynamicLink",
            Known::DocStatus => "frappe_runtime::DocStatus",
            Known::Document => "frappe_runtime::Document",
            Known::Choice => "frappe_runtime::Choice",
            Known::NaiveDate => "frappe_runtime::chrono::NaiveDate",
            Known::NaiveDateTime => "frappe_runtime::chrono::NaiveDateTime",
            Known::NaiveTime => "frappe_runtime::chrono::NaiveTime",
            Known::Decimal => "frappe_runtime::rust_decimal::Decimal",
            Known::JsonMap => "frappe_runtime::serde_json::Map",
            Known::JsonValue => "frappe_runtime::serde_json::Value",
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
        assert_eq!(paths.imports(), ["frappe_runtime::chrono::NaiveDate"]);
    }
}
