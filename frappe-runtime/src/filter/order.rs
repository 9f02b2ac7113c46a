//! Typed `order_by`.

use std::fmt;
use std::marker::PhantomData;

/// One `order_by` key of a list of `D`: a field and a direction.
pub struct OrderBy<D> {
    field: &'static str,
    descending: bool,
    doc: PhantomData<fn() -> D>,
}

impl<D> OrderBy<D> {
    pub(crate) fn new(field: &'static str, descending: bool) -> Self {
        Self {
            field,
            descending,
            doc: PhantomData,
        }
    }

    /// The field's wire name.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// `true` for `desc`.
    pub fn is_descending(&self) -> bool {
        self.descending
    }
}

impl<D> Clone for OrderBy<D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D> Copy for OrderBy<D> {}

impl<D> fmt::Debug for OrderBy<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl<D> fmt::Display for OrderBy<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = if self.descending { "desc" } else { "asc" };
        write!(f, "{} {dir}", self.field)
    }
}

/// Renders keys as Frappe's `order_by` string, e.g. `"modified desc, name desc"`.
pub fn order_by_clause<D>(keys: &[OrderBy<D>]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
