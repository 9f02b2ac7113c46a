//! Which operators a field offers, decided by its Rust type.
//!
//! The derive writes `Field<Self, T>` for every field and never looks at type names; the impls
//! here decide what compiles. `Option<T>` forwards to `T` and adds [`Nullable`]. Select enums get
//! [`FieldKind`], [`Filterable`] and [`FilterValue`] from `#[derive(Choice)]`.
//!
//! | trait | operators | implemented for |
//! |---|---|---|
//! | [`Filterable`] | `=`, `!=`, `in`, `not in` | every field type below |
//! | [`Ordered`] | `>`, `<`, `>=`, `<=`, `between` | integers, floats, `Decimal`, dates, datetimes, times, `DocStatus` |
//! | [`Text`] | `like`, `not like` | `String`, `Link<T>`, `DynamicLink` |
//! | [`Nullable`] | `is set`, `is not set` | `Option<T>` |
//! | [`Temporal`] | `timespan`, `previous`, `next` | `NaiveDate`, `NaiveDateTime` |
//! | [`TreeLink`] | `ancestors of`, `descendants of`, ... | `Link<T>` |
//! | [`Joinable`] | projections `field.other_field` ([`Field::column`](crate::filter::Field::column)) | `Vec<C>` (child tables), `Link<T>` |
//!
//! Child tables (`Vec<C>`) offer no operator of their own: filter on a child's field with
//! [`Field::any`](crate::filter::Field::any) (Frappe's 4-element form).
//!
//! The operator methods carry these traits as `where` bounds, and each trait names the
//! operators it stands for in `#[diagnostic::on_unimplemented]`, so misuse reads
//! "`bool` fields have no order" rather than a list of unsatisfied bounds.
//!
//! A value crosses into JSON only through [`FilterValue`]: bools as `0`/`1` (Frappe compares
//! Check fields numerically), dates, datetimes and times as Frappe's strings, Select enums as
//! their option string, links as the name. A non-finite float (`NaN`, infinity) has no JSON form
//! and is sent as `null` in a filter; written to a field ([`Changes`](crate::Changes)) it is
//! refused ([`FilterValue::to_field_value`]).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::Value;

use crate::link::{DynamicLink, Link};
use crate::wire::{self, DocStatus};

/// Every type a [`Document`](crate::Document) field may have.
///
/// Implement it (usually with the default) for a custom field type of a hand-written struct.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Frappe field type",
    label = "not a field type",
    note = "a field of your own type (e.g. a newtype) needs `impl FieldKind`, and `Filterable` \
            + `FilterValue` to be filtered on"
)]
pub trait FieldKind {
    /// `false` for child tables: not a column of the parent, so not requested by lists.
    const COLUMN: bool = true;
}

/// A value that can stand on the right-hand side of a filter, or be written to a field.
///
/// Despite its name it is also the wire form of field values in writes
/// ([`Changes::set`](crate::Changes::set)): Frappe reads a field value and a filter value of
/// the same field alike.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a filter value",
    note = "implement `FilterValue` to give it a JSON form"
)]
pub trait FilterValue {
    /// The JSON Frappe expects, e.g. `1` for `true`, `"2024-01-15"` for a date.
    fn to_filter_value(&self) -> Value;

    /// The JSON for this value written to a document field; `None` if it has no JSON form.
    ///
    /// The default is [`to_filter_value`](Self::to_filter_value). Floats (and `Decimal`)
    /// differ: a whole number is written as an integer (`2`, as Frappe's desk sends it; `flt`
    /// reads `2` and `2.0` alike), and NaN or infinity is refused instead of becoming `null`,
    /// which Frappe would store as 0.
    fn to_field_value(&self) -> Option<Value> {
        Some(self.to_filter_value())
    }
}

/// A float as a field value: whole numbers as integers, non-finite refused.
fn float_field_value(value: f64, as_filter: Value) -> Option<Value> {
    // 2^53: beyond it not every integer is a float, so the integer form could misstate it.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if !value.is_finite() {
        None
    } else if value.fract() == 0.0 && value.abs() <= EXACT {
        Some(Value::from(value as i64))
    } else {
        Some(as_filter)
    }
}

/// Field types that support `=`, `!=`, `in` and `not in`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` fields cannot be compared in a filter",
    label = "no `=`, `!=`, `in` for `{Self}`",
    note = "a child table (`Vec<C>`) is filtered on a child's field: \
            `Parent::table.any(Child::field.eq(..))`, and written with `Changes::rows`; a type \
            of your own needs `impl Filterable`"
)]
pub trait Filterable: FieldKind {
    /// What a filter on this field compares with (`T` itself, or a name for links).
    type Value: FilterValue;
}

/// Field types with an order: `>`, `<`, `>=`, `<=`, `between`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` fields have no order",
    label = "no `>`, `<`, `between` for `{Self}`",
    note = "ordering operators apply to numbers, dates, datetimes, times and `DocStatus`"
)]
pub trait Ordered: Filterable {}

/// Text-like field types: `like`, `not like`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` fields are not text",
    label = "no `like` for `{Self}`",
    note = "`like` and `not like` apply to text and link fields"
)]
pub trait Text: Filterable {}

/// Optional fields: `is set`, `is not set`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` fields are not optional",
    label = "no `is set` for `{Self}`",
    note = "`is set` and `is not set` apply to `Option` fields; compare a required field with a value"
)]
pub trait Nullable: Filterable {}

/// Dates and datetimes: `timespan`, `previous`, `next`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` fields are not dates",
    label = "no `timespan`, `previous`, `next` for `{Self}`",
    note = "`timespan`, `previous` and `next` apply to dates and datetimes"
)]
pub trait Temporal: Ordered {}

/// Links: the nested-set operators (`ancestors of`, `descendants of`, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` fields are not links",
    label = "no tree operators for `{Self}`",
    note = "`ancestors of`, `descendants of` and the like apply to `Link<T>` fields"
)]
pub trait TreeLink: Text {}

/// Fields whose values live in another DocType, so `fields=` may reach through them:
/// `items.item_code` (a child table's rows, one result row per child row) or
/// `customer.customer_group` (the linked document, Frappe v15 link traversal).
#[diagnostic::on_unimplemented(
    message = "`{Self}` fields are neither child tables nor links",
    label = "nothing to reach through in `{Self}`"
)]
pub trait Joinable: FieldKind {
    /// The DocType on the other side: the child row type, or the link's target.
    type Target;
}

macro_rules! plain_kind {
    ($($ty:ty),* $(,)?) => {$(
        impl FieldKind for $ty {}
        impl Filterable for $ty { type Value = $ty; }
    )*};
}

macro_rules! number_value {
    ($($ty:ty),* $(,)?) => {$(
        impl FilterValue for $ty {
            fn to_filter_value(&self) -> Value { Value::from(*self) }
        }
        impl Ordered for $ty {}
    )*};
}

macro_rules! float_value {
    ($($ty:ty),* $(,)?) => {$(
        impl FilterValue for $ty {
            fn to_filter_value(&self) -> Value { Value::from(*self) }
            fn to_field_value(&self) -> Option<Value> {
                float_field_value(f64::from(*self), self.to_filter_value())
            }
        }
        impl Ordered for $ty {}
    )*};
}

plain_kind!(
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    bool,
    String,
    NaiveDate,
    NaiveDateTime,
    NaiveTime,
    DocStatus,
    Value,
);
number_value!(i8, i16, i32, i64, u8, u16, u32, u64);
float_value!(f32, f64);

impl FilterValue for bool {
    fn to_filter_value(&self) -> Value {
        Value::from(u8::from(*self))
    }
}

impl FilterValue for String {
    fn to_filter_value(&self) -> Value {
        Value::String(self.clone())
    }
}

impl FilterValue for &str {
    fn to_filter_value(&self) -> Value {
        Value::String((*self).to_owned())
    }
}

impl FilterValue for NaiveDate {
    fn to_filter_value(&self) -> Value {
        Value::String(wire::format_date(self))
    }
}

impl FilterValue for NaiveDateTime {
    fn to_filter_value(&self) -> Value {
        Value::String(wire::format_datetime(self))
    }
}

impl FilterValue for NaiveTime {
    fn to_filter_value(&self) -> Value {
        Value::String(wire::format_time(self))
    }
}

impl FilterValue for DocStatus {
    fn to_filter_value(&self) -> Value {
        Value::from(self.as_i64())
    }
}

impl FilterValue for Value {
    fn to_filter_value(&self) -> Value {
        self.clone()
    }
}

impl Text for String {}
impl Ordered for NaiveDate {}
impl Ordered for NaiveDateTime {}
impl Ordered for NaiveTime {}
impl Ordered for DocStatus {}
impl Temporal for NaiveDate {}
impl Temporal for NaiveDateTime {}

impl<T> FieldKind for Link<T> {}
impl<T> Filterable for Link<T> {
    type Value = String;
}
impl<T> Text for Link<T> {}
impl<T> TreeLink for Link<T> {}

impl<T> Joinable for Link<T> {
    type Target = T;
}

impl FieldKind for DynamicLink {}
impl Filterable for DynamicLink {
    type Value = String;
}
impl Text for DynamicLink {}

impl<T: FieldKind> FieldKind for Option<T> {
    const COLUMN: bool = T::COLUMN;
}
impl<T: Filterable> Filterable for Option<T> {
    type Value = T::Value;
}
impl<T: Ordered> Ordered for Option<T> {}
impl<T: Text> Text for Option<T> {}
impl<T: Filterable> Nullable for Option<T> {}
impl<T: Temporal> Temporal for Option<T> {}
impl<T: TreeLink> TreeLink for Option<T> {}
impl<T: Joinable> Joinable for Option<T> {
    type Target = T::Target;
}

/// Child tables (`Table`, `Table MultiSelect`): not columns, not filterable directly; filter on
/// a child's field with [`Field::any`](crate::filter::Field::any) instead.
impl<C> FieldKind for Vec<C> {
    const COLUMN: bool = false;
}
impl<C> Joinable for Vec<C> {
    type Target = C;
}

#[cfg(feature = "decimal")]
mod decimal {
    use super::*;
    use rust_decimal::Decimal;
    use rust_decimal::prelude::ToPrimitive;

    impl FieldKind for Decimal {}
    impl Filterable for Decimal {
        type Value = Decimal;
    }
    impl Ordered for Decimal {}
    impl FilterValue for Decimal {
        // Frappe compares numeric fields with `flt(value)`, so a float loses nothing it keeps.
        fn to_filter_value(&self) -> Value {
            self.to_f64().map(Value::from).unwrap_or(Value::Null)
        }
        fn to_field_value(&self) -> Option<Value> {
            float_field_value(self.to_f64()?, self.to_filter_value())
        }
    }
}
