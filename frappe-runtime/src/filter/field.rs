//! [`Field`], the typed handle of one document field, and [`Filter`], a condition built from it.

use std::fmt;
use std::marker::PhantomData;

use serde_json::Value;

use super::kind::{FilterValue, Filterable, Joinable, Nullable, Ordered, Temporal, Text, TreeLink};
use super::operator::{Operator, Period, Timespan};
use super::order::OrderBy;
use crate::document::Document;
use crate::input_error::InputError;

/// The handle of field `T` of document `D`; `#[derive(Document)]` makes one per field.
///
/// Its methods build [`Filter`]s and [`OrderBy`] keys; which of them compile depends on `T`
/// (see [`kind`](super::kind)): `Customer::customer_name.like("%Ltd%")` compiles,
/// `Customer::disabled.gt(false)` does not.
pub struct Field<D, T> {
    name: &'static str,
    marker: PhantomData<fn() -> (D, T)>,
}

impl<D, T> Field<D, T> {
    /// The handle of the field whose wire name is `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            marker: PhantomData,
        }
    }

    /// The field's wire name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Ascending order on this field.
    pub fn asc(self) -> OrderBy<D> {
        OrderBy::new(self.name, false)
    }

    /// Descending order on this field.
    pub fn desc(self) -> OrderBy<D> {
        OrderBy::new(self.name, true)
    }

    fn filter(self, op: Operator, value: Value) -> Filter<D> {
        self.filter_encoded(op, (value, true))
    }

    /// A filter on a typed value as [`encode`]d: one with no JSON form is kept as unsendable,
    /// so the list reports it instead of sending `null` in its place.
    fn filter_encoded(self, op: Operator, (value, sendable): (Value, bool)) -> Filter<D> {
        Filter {
            doctype: None,
            field: self.name,
            op,
            value,
            sendable,
            doc: PhantomData,
        }
    }
}

/// The filter JSON of `value`, and whether it has one at all: a NaN or infinite float has none
/// (serde_json would turn it into `null`, silently changing the condition).
fn encode<V: FilterValue>(value: V) -> (Value, bool) {
    let sendable = value.to_field_value().is_some();
    (value.to_filter_value(), sendable)
}

impl<D, T> Clone for Field<D, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D, T> Copy for Field<D, T> {}

impl<D, T> fmt::Debug for Field<D, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Field").field(&self.name).finish()
    }
}

fn list<V: FilterValue>(values: impl IntoIterator<Item = impl Into<V>>) -> (Value, bool) {
    let mut all_sendable = true;
    let items = values
        .into_iter()
        .map(|v| {
            let (value, sendable) = encode(v.into());
            all_sendable &= sendable;
            value
        })
        .collect();
    (Value::Array(items), all_sendable)
}

impl<D, T> Field<D, T> {
    /// `field = value`
    pub fn eq(self, value: impl Into<<T as Filterable>::Value>) -> Filter<D>
    where
        T: Filterable,
    {
        self.filter_encoded(Operator::Eq, encode(value.into()))
    }

    /// `field != value`
    pub fn ne(self, value: impl Into<<T as Filterable>::Value>) -> Filter<D>
    where
        T: Filterable,
    {
        self.filter_encoded(Operator::Ne, encode(value.into()))
    }

    /// `field in (values...)`
    ///
    /// An empty list is sent as is, and Frappe reads it as `in ('')`: it then matches documents
    /// whose field is empty, not no documents. Skip the request (or the filter) when the list
    /// is empty.
    pub fn is_in(
        self,
        values: impl IntoIterator<Item = impl Into<<T as Filterable>::Value>>,
    ) -> Filter<D>
    where
        T: Filterable,
    {
        self.filter_encoded(Operator::In, list::<<T as Filterable>::Value>(values))
    }

    /// `field not in (values...)`
    ///
    /// An empty list is sent as is, and Frappe reads it as `not in ('')`: it then matches only
    /// documents whose field is set, not all documents.
    pub fn is_not_in(
        self,
        values: impl IntoIterator<Item = impl Into<<T as Filterable>::Value>>,
    ) -> Filter<D>
    where
        T: Filterable,
    {
        self.filter_encoded(Operator::NotIn, list::<<T as Filterable>::Value>(values))
    }
}

impl<D, T> Field<D, T> {
    /// `field > value`
    pub fn gt(self, value: impl Into<<T as Filterable>::Value>) -> Filter<D>
    where
        T: Ordered,
    {
        self.filter_encoded(Operator::Gt, encode(value.into()))
    }

    /// `field < value`
    pub fn lt(self, value: impl Into<<T as Filterable>::Value>) -> Filter<D>
    where
        T: Ordered,
    {
        self.filter_encoded(Operator::Lt, encode(value.into()))
    }

    /// `field >= value`
    pub fn gte(self, value: impl Into<<T as Filterable>::Value>) -> Filter<D>
    where
        T: Ordered,
    {
        self.filter_encoded(Operator::Gte, encode(value.into()))
    }

    /// `field <= value`
    pub fn lte(self, value: impl Into<<T as Filterable>::Value>) -> Filter<D>
    where
        T: Ordered,
    {
        self.filter_encoded(Operator::Lte, encode(value.into()))
    }

    /// `field between [from, to]` (inclusive; for datetimes Frappe widens dates to whole days).
    pub fn between(
        self,
        from: impl Into<<T as Filterable>::Value>,
        to: impl Into<<T as Filterable>::Value>,
    ) -> Filter<D>
    where
        T: Ordered,
    {
        let (from, from_ok) = encode(from.into());
        let (to, to_ok) = encode(to.into());
        self.filter_encoded(
            Operator::Between,
            (Value::Array(vec![from, to]), from_ok && to_ok),
        )
    }
}

impl<D, T> Field<D, T> {
    /// `field like pattern`; the pattern carries its own `%` wildcards.
    pub fn like(self, pattern: impl Into<String>) -> Filter<D>
    where
        T: Text,
    {
        self.filter(Operator::Like, Value::String(pattern.into()))
    }

    /// `field not like pattern`
    pub fn not_like(self, pattern: impl Into<String>) -> Filter<D>
    where
        T: Text,
    {
        self.filter(Operator::NotLike, Value::String(pattern.into()))
    }
}

impl<D, T> Field<D, T> {
    /// `field is set` (not null and not empty)
    pub fn is_set(self) -> Filter<D>
    where
        T: Nullable,
    {
        self.filter(Operator::Is, Value::from("set"))
    }

    /// `field is not set` (null or empty)
    pub fn is_not_set(self) -> Filter<D>
    where
        T: Nullable,
    {
        self.filter(Operator::Is, Value::from("not set"))
    }
}

impl<D, T> Field<D, T> {
    /// `field timespan "this month"` and the like, evaluated by the site.
    pub fn timespan(self, span: Timespan) -> Filter<D>
    where
        T: Temporal,
    {
        self.filter(Operator::Timespan, Value::from(span.as_str()))
    }

    /// `field previous "1 week"`: from that long ago until now.
    pub fn previous(self, period: Period) -> Filter<D>
    where
        T: Temporal,
    {
        self.filter(Operator::Previous, Value::from(period.as_str()))
    }

    /// `field next "1 week"`: from now until that far ahead.
    pub fn next(self, period: Period) -> Filter<D>
    where
        T: Temporal,
    {
        self.filter(Operator::Next, Value::from(period.as_str()))
    }
}

impl<D, T> Field<D, T> {
    /// `field ancestors of node` (the target DocType must be a tree).
    pub fn ancestors_of(self, node: impl Into<String>) -> Filter<D>
    where
        T: TreeLink,
    {
        self.filter(Operator::AncestorsOf, Value::String(node.into()))
    }

    /// `field descendants of node`
    pub fn descendants_of(self, node: impl Into<String>) -> Filter<D>
    where
        T: TreeLink,
    {
        self.filter(Operator::DescendantsOf, Value::String(node.into()))
    }

    /// `field not ancestors of node`
    pub fn not_ancestors_of(self, node: impl Into<String>) -> Filter<D>
    where
        T: TreeLink,
    {
        self.filter(Operator::NotAncestorsOf, Value::String(node.into()))
    }

    /// `field not descendants of node`
    pub fn not_descendants_of(self, node: impl Into<String>) -> Filter<D>
    where
        T: TreeLink,
    {
        self.filter(Operator::NotDescendantsOf, Value::String(node.into()))
    }

    /// `field descendants of (inclusive) node`: the node and everything below it.
    pub fn descendants_of_inclusive(self, node: impl Into<String>) -> Filter<D>
    where
        T: TreeLink,
    {
        self.filter(Operator::DescendantsOfInclusive, Value::String(node.into()))
    }
}

impl<D, C: Document> Field<D, Vec<C>> {
    /// A filter on a field of this child table: matches parents with at least one such row.
    ///
    /// Sent in Frappe's 4-element form `[ChildDocType, field, op, value]`. (Frappe has no
    /// tables inside child tables; should `filter` itself come from `any`, it keeps naming the
    /// DocType its field belongs to.)
    pub fn any(self, filter: Filter<C>) -> Filter<D> {
        Filter {
            doctype: filter.doctype.or(Some(C::DOCTYPE)),
            field: filter.field,
            op: filter.op,
            value: filter.value,
            sendable: filter.sendable,
            doc: PhantomData,
        }
    }
}

impl<D, T> Field<D, T> {
    /// The projection `this_field.other_field` for `fields=`: a child table's field (one result
    /// row per child row) or a field of the linked document (Frappe v15 link traversal).
    pub fn column<U>(self, other_field: Field<<T as Joinable>::Target, U>) -> String
    where
        T: Joinable,
    {
        format!("{}.{}", self.name, other_field.name)
    }
}

/// One condition on documents of `D`, e.g. `status = "Open"`.
///
/// Filters given to a list are AND-ed (`filters=`); an explicit any-of group goes to
/// `or_filters=`.
pub struct Filter<D> {
    doctype: Option<&'static str>,
    field: &'static str,
    op: Operator,
    value: Value,
    /// `false` when a value had no JSON form (NaN, infinity); see [`Filter::check`].
    sendable: bool,
    doc: PhantomData<fn() -> D>,
}

impl<D> Filter<D> {
    /// An [`InputError`] naming the field when a value has no JSON form (a NaN or infinite
    /// float): such a filter is refused by lists (before any request, as
    /// `Error::InvalidInput`) and by serialization, rather than sent with `null` in place of the
    /// value.
    pub fn check(&self) -> Result<(), InputError> {
        if self.sendable {
            Ok(())
        } else {
            Err(InputError::new(format!(
                "{} {}: the value has no JSON form (NaN or infinity)",
                self.field,
                self.op.as_str()
            )))
        }
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        self.op
    }

    /// The field's wire name.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The child DocType for a filter on a child table's field (made by
    /// [`Field::any`]), `None` for a field of `D` itself.
    pub fn child_doctype(&self) -> Option<&'static str> {
        self.doctype
    }

    /// The value as it will be sent.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The filter in Frappe's list form: `[field, op, value]`, or `[ChildDocType, field, op,
    /// value]` for a child-table field.
    pub fn to_json(&self) -> Value {
        let mut parts = Vec::with_capacity(4);
        if let Some(doctype) = self.doctype {
            parts.push(Value::from(doctype));
        }
        parts.push(Value::from(self.field));
        parts.push(Value::from(self.op.as_str()));
        parts.push(self.value.clone());
        Value::Array(parts)
    }
}

impl<D> Clone for Filter<D> {
    fn clone(&self) -> Self {
        Self {
            doctype: self.doctype,
            field: self.field,
            op: self.op,
            value: self.value.clone(),
            sendable: self.sendable,
            doc: PhantomData,
        }
    }
}

impl<D> PartialEq for Filter<D> {
    fn eq(&self, other: &Self) -> bool {
        self.doctype == other.doctype
            && self.field == other.field
            && self.op == other.op
            && self.value == other.value
    }
}

/// Serializes as [`Filter::to_json`], for filters embedded in a JSON body (e.g. a POST to
/// `frappe.client.get_list`).
impl<D> serde::Serialize for Filter<D> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.check()
            .map_err(|e| serde::ser::Error::custom(e.message()))?;
        self.to_json().serialize(serializer)
    }
}

impl<D> fmt::Debug for Filter<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Filter({})", self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::FieldInfo;
    use crate::link::Link;
    use chrono::NaiveDate;
    use serde_json::json;

    struct ToDo;
    impl Document for ToDo {
        const DOCTYPE: &'static str = "ToDo";
        const FIELDS: &'static [FieldInfo] = &[];
    }
    struct Row;
    impl Document for Row {
        const DOCTYPE: &'static str = "Contact Email";
        const FIELDS: &'static [FieldInfo] = &[];
    }

    const STATUS: Field<ToDo, String> = Field::new("status");
    const DATE: Field<ToDo, Option<NaiveDate>> = Field::new("date");
    const DONE: Field<ToDo, bool> = Field::new("done");
    const PRIORITY_NO: Field<ToDo, i64> = Field::new("priority_no");
    const ROLE: Field<ToDo, Option<Link<()>>> = Field::new("role");
    const EMAILS: Field<ToDo, Vec<Row>> = Field::new("email_ids");
    const EMAIL: Field<Row, String> = Field::new("email_id");

    #[test]
    fn renders_list_of_lists() {
        assert_eq!(STATUS.eq("Open").to_json(), json!(["status", "=", "Open"]));
        assert_eq!(STATUS.ne("Open").to_json(), json!(["status", "!=", "Open"]));
        assert_eq!(
            STATUS.is_in(["Open", "Closed"]).to_json(),
            json!(["status", "in", ["Open", "Closed"]])
        );
        assert_eq!(
            STATUS.like("%seed%").to_json(),
            json!(["status", "like", "%seed%"])
        );
        assert_eq!(DATE.is_set().to_json(), json!(["date", "is", "set"]));
        assert_eq!(
            DATE.is_not_set().to_json(),
            json!(["date", "is", "not set"])
        );
    }

    #[test]
    fn values_take_frappe_wire_forms() {
        let d1 = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let d2 = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        assert_eq!(
            DATE.between(d1, d2).to_json(),
            json!(["date", "between", ["2024-01-01", "2024-12-31"]])
        );
        assert_eq!(DONE.eq(true).to_json(), json!(["done", "=", 1]));
        assert_eq!(
            PRIORITY_NO.gte(3).to_json(),
            json!(["priority_no", ">=", 3])
        );
        assert_eq!(
            DATE.timespan(Timespan::Last6Months).to_json(),
            json!(["date", "timespan", "last 6 months"])
        );
        assert_eq!(
            ROLE.descendants_of_inclusive("All").to_json(),
            json!(["role", "descendants of (inclusive)", "All"])
        );
    }

    #[test]
    fn child_filters_use_the_four_element_form() {
        assert_eq!(
            EMAILS.any(EMAIL.eq("ada@example.com")).to_json(),
            json!(["Contact Email", "email_id", "=", "ada@example.com"])
        );
        assert_eq!(EMAILS.column(EMAIL), "email_ids.email_id");
    }

    #[test]
    fn order_by_renders_keys() {
        let keys = [PRIORITY_NO.asc(), STATUS.desc()];
        assert_eq!(
            super::super::order_by_clause(&keys),
            "priority_no asc, status desc"
        );
    }
}
