//! [`Changes`]: a typed partial document, the fields to write and nothing else.
//!
//! A generated struct is the right shape for reading, but a poor one for writing: it always
//! sends its never-null fields (every Check, Int and Float, `docstatus`, `idx`), so inserting one
//! overrides the DocType's defaults with zeros, and it makes you fill in every mandatory field,
//! even those the server computes (ERPNext's Sales Invoice Item `item_name`, `uom`,
//! `income_account`, ...). `Changes<D>` holds only what you set, through `D`'s field handles:
//!
//! ```
//! # use frappe_runtime::Changes;
//! # use frappe_derive::Document;
//! # #[derive(Document)] #[frappe(doctype = "Customer")]
//! # struct Customer { customer_name: String, disabled: bool }
//! let new = Changes::new()
//!     .set(Customer::customer_name, "Ada Industries")
//!     .set(Customer::disabled, false);
//! assert_eq!(
//!     serde_json::to_value(&new).unwrap(),
//!     serde_json::json!({"customer_name": "Ada Industries", "disabled": 0})
//! );
//! ```
//!
//! `client.create(&changes)` inserts such a document and `client.update(name, &changes)`
//! updates one. The handle fixes both the DocType and the value's type: a `Changes<Customer>`
//! takes no Sales Invoice field, a Date field takes a `NaiveDate`, a Select its enum.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::document::Document;
use crate::filter::{Field, FilterValue, Filterable, Nullable};
use crate::input_error::InputError;
use crate::redact::{is_sensitive_key, redact_secrets};

/// A typed set of field values for a document of `D`: the body of an insert
/// ([`Client::create`](crate::Client::create)) or of a partial update
/// ([`Client::update`](crate::Client::update)).
///
/// Only the fields set are sent, in Frappe's wire form ([`FilterValue::to_field_value`]):
/// bools as `0`/`1`, dates, datetimes and times as Frappe's strings, Select enums as their
/// option, links as the name, JSON fields (`serde_json::Value`) as given, whole floats as
/// integers. Setting a field again replaces its value: the last `set` wins.
///
/// A value with no JSON form (a NaN or infinite float) is not sent as anything: the changes then
/// fail to serialize, and the insert or update fails with
/// [`Error::InvalidInput`](crate::Error::InvalidInput) naming the field, before any request.
///
/// Keys go out in `serde_json`'s map order (sorted by name unless its `preserve_order` feature
/// is on); Frappe reads an object, so the order carries no meaning.
///
/// `set` returns the changes rather than modifying them in place, so a result left unused is
/// a lost edit; the compiler warns about it:
///
/// ```compile_fail
/// #![deny(unused_must_use)]
/// # use frappe_runtime::Changes;
/// # #[derive(frappe_derive::Document)] #[frappe(doctype = "ToDo")]
/// # struct ToDo { description: String }
/// let changes = Changes::new().set(ToDo::description, "draft");
/// changes.set(ToDo::description, "final"); // warning: unused `Changes` that must be used
/// ```
#[must_use = "Changes are built by value: use the returned Changes (`let c = c.set(..)`)"]
pub struct Changes<D> {
    values: Map<String, Value>,
    /// Fields set to a value with no JSON form, with the reason; serializing fails while any
    /// remain, so nothing the user set is dropped silently.
    invalid: BTreeMap<String, String>,
    doc: PhantomData<fn() -> D>,
}

impl<D> Changes<D> {
    /// No changes yet.
    pub fn new() -> Self {
        Self {
            values: Map::new(),
            invalid: BTreeMap::new(),
            doc: PhantomData,
        }
    }

    /// Sets `field` to `value`, e.g. `.set(ToDo::status, ToDoStatus::Open)`.
    ///
    /// An optional field (`Option<T>`) takes a `T`; send `null` with [`clear`](Self::clear).
    /// A link takes the linked document's name (a `&str`, `String` or `Link<T>`). Child tables
    /// are set with [`rows`](Self::rows).
    pub fn set<T>(mut self, field: Field<D, T>, value: impl Into<T::Value>) -> Self
    where
        T: Filterable,
    {
        let name = field.name();
        self.invalid.remove(name);
        match value.into().to_field_value() {
            Some(value) => {
                self.values.insert(name.to_owned(), value);
            }
            None => {
                self.values.remove(name);
                self.invalid.insert(
                    name.to_owned(),
                    "the value has no JSON form (NaN or infinity)".to_owned(),
                );
            }
        }
        self
    }

    /// Sets the optional `field` to `null`, emptying it.
    pub fn clear<T>(mut self, field: Field<D, T>) -> Self
    where
        T: Nullable,
    {
        self.invalid.remove(field.name());
        self.values.insert(field.name().to_owned(), Value::Null);
        self
    }

    /// Sets the child table `field` to `rows`, in order.
    ///
    /// On insert these are the document's rows. **On update the rows replace the whole table**:
    /// rows carrying a `name` update the existing row of that name, rows without one are
    /// inserted, and existing rows not listed are deleted. Frappe rebuilds each row from what is
    /// sent, so an existing row should carry all its fields: start it from the row as read,
    /// with [`Changes::from_document`]. An empty `rows` deletes every row.
    pub fn rows<C>(
        mut self,
        field: Field<D, Vec<C>>,
        rows: impl IntoIterator<Item = Changes<C>>,
    ) -> Self
    where
        C: Document,
    {
        let name = field.name();
        let mut problems = Vec::new();
        let rows: Vec<Value> = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                for (child_field, why) in &row.invalid {
                    problems.push(format!(
                        "row {}: {}.{child_field}: {why}",
                        i + 1,
                        C::DOCTYPE
                    ));
                }
                Value::Object(row.values)
            })
            .collect();
        self.invalid.remove(name);
        if !problems.is_empty() {
            self.invalid.insert(name.to_owned(), problems.join("; "));
        }
        self.values.insert(name.to_owned(), Value::Array(rows));
        self
    }

    /// How many fields are set.
    pub fn len(&self) -> usize {
        self.values.len() + self.invalid.len()
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The wire value set for the field named `field` (its wire name, e.g.
    /// `ToDo::status.name()`), if any.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.values.get(field)
    }

    /// The fields set, by wire name, with their wire values (fields set to a value with no JSON
    /// form are left out; serializing reports them).
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.values
    }
}

impl<D: Document + Serialize> Changes<D> {
    /// Every field of `doc` as it serializes, e.g. a child row as read, to send back in
    /// [`rows`](Self::rows) with a few fields changed by [`set`](Self::set).
    ///
    /// Fails, naming the DocType, if `doc` does not serialize to a JSON object.
    pub fn from_document(doc: &D) -> Result<Self, InputError> {
        match serde_json::to_value(doc) {
            Ok(Value::Object(values)) => Ok(Self {
                values,
                invalid: BTreeMap::new(),
                doc: PhantomData,
            }),
            Ok(_) => Err(InputError::new(format!(
                "{}: the document does not serialize to a JSON object",
                D::DOCTYPE
            ))),
            Err(e) => Err(InputError::new(format!(
                "{}: cannot serialize the document: {e}",
                D::DOCTYPE
            ))),
        }
    }
}

impl<D> Default for Changes<D> {
    fn default() -> Self {
        Self::new()
    }
}

impl<D> Clone for Changes<D> {
    fn clone(&self) -> Self {
        Self {
            values: self.values.clone(),
            invalid: self.invalid.clone(),
            doc: PhantomData,
        }
    }
}

impl<D> PartialEq for Changes<D> {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values && self.invalid == other.invalid
    }
}

/// The JSON object of the fields set. Fails, naming the field, if a field was set to a value
/// with no JSON form.
impl<D> Serialize for Changes<D> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some((field, why)) = self.invalid.iter().next() {
            return Err(S::Error::custom(format!("field `{field}`: {why}")));
        }
        self.values.serialize(serializer)
    }
}

/// `Changes<ToDo> {"status": "Open", ...}`: the DocType, then each field with its wire value.
impl<D: Document> fmt::Debug for Changes<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Changes<{}> ", D::DOCTYPE)?;
        let mut map = f.debug_map();
        for (field, value) in &self.values {
            // A Password field (`new_password`, `api_secret`, ...) being written carries the
            // credential in clear: show that it is set, not what it is (child rows too).
            if is_sensitive_key(field) && !value.is_null() {
                map.entry(field, &format_args!("***"));
            } else {
                map.entry(
                    field,
                    &format_args!("{}", redact_secrets(&value.to_string())),
                );
            }
        }
        for (field, why) in &self.invalid {
            map.entry(field, &format_args!("<invalid: {why}>"));
        }
        map.finish()
    }
}

/// What [`Client::update`](crate::Client::update) takes for a document of `D`: typed
/// [`Changes<D>`] (of that DocType only), or untyped JSON (a `serde_json::Value` object or a
/// [`Row`](crate::Row)) for keys the types do not cover.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an update of a `{D}`",
    label = "not changes to a `{D}`",
    note = "build the update from `{D}`'s field handles: `Changes::new().set({D}::field, value)`, \
            or pass untyped JSON (`json!({{...}})`)"
)]
pub trait UpdateBody<D>: Serialize {}

impl<D> UpdateBody<D> for Changes<D> {}
impl<D> UpdateBody<D> for Value {}
impl<D> UpdateBody<D> for Map<String, Value> {}

/// A new document of `D` for [`Client::insert_many`](crate::Client::insert_many): typed
/// [`Changes<D>`] (only the fields set) or a whole `D`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a new `{D}`",
    label = "not a document of `{D}`",
    note = "pass `{D}` values or `Changes<{D}>` built from `{D}`'s field handles"
)]
pub trait InsertBody<D>: Serialize {}

impl<D> InsertBody<D> for Changes<D> {}
impl<D: Document + Serialize> InsertBody<D> for D {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::FieldInfo;
    use crate::link::{DynamicLink, Link};
    use crate::wire::DocStatus;
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
    use serde_json::json;

    struct Invoice;
    impl Document for Invoice {
        const DOCTYPE: &'static str = "Sales Invoice";
        const FIELDS: &'static [FieldInfo] = &[];
    }
    struct Item;
    impl Document for Item {
        const DOCTYPE: &'static str = "Sales Invoice Item";
        const FIELDS: &'static [FieldInfo] = &[];
    }
    struct Customer;
    impl Document for Customer {
        const DOCTYPE: &'static str = "Customer";
        const FIELDS: &'static [FieldInfo] = &[];
    }

    /// A Select enum the way `#[derive(Choice)]` makes it a field type.
    enum Status {
        Draft,
        Other(String),
    }
    impl crate::filter::FieldKind for Status {}
    impl Filterable for Status {
        type Value = Status;
    }
    impl FilterValue for Status {
        fn to_filter_value(&self) -> Value {
            match self {
                Status::Draft => Value::from("Draft"),
                Status::Other(s) => Value::from(s.as_str()),
            }
        }
    }

    const NAME: Field<Invoice, String> = Field::new("name");
    const CUSTOMER: Field<Invoice, Option<Link<Customer>>> = Field::new("customer");
    const PARTY: Field<Invoice, Option<DynamicLink>> = Field::new("party");
    const STATUS: Field<Invoice, Option<Status>> = Field::new("status");
    const POSTING_DATE: Field<Invoice, NaiveDate> = Field::new("posting_date");
    const DUE_DATE: Field<Invoice, Option<NaiveDate>> = Field::new("due_date");
    const POSTED_AT: Field<Invoice, Option<NaiveDateTime>> = Field::new("posted_at");
    const POSTING_TIME: Field<Invoice, Option<NaiveTime>> = Field::new("posting_time");
    const SET_POSTING_TIME: Field<Invoice, bool> = Field::new("set_posting_time");
    const GRAND_TOTAL: Field<Invoice, f64> = Field::new("grand_total");
    const DURATION: Field<Invoice, Option<f64>> = Field::new("duration");
    const IDX: Field<Invoice, i64> = Field::new("idx");
    const DOCSTATUS: Field<Invoice, DocStatus> = Field::new("docstatus");
    const PAYLOAD: Field<Invoice, Option<Value>> = Field::new("payload");
    const ITEMS: Field<Invoice, Vec<Item>> = Field::new("items");
    const ITEM_NAME: Field<Item, String> = Field::new("name");
    const ITEM_CODE: Field<Item, Option<String>> = Field::new("item_code");
    const QTY: Field<Item, f64> = Field::new("qty");

    fn json_of<D>(c: &Changes<D>) -> Value {
        serde_json::to_value(c).unwrap()
    }

    #[test]
    fn each_kind_of_value_takes_its_wire_form() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let at = d.and_hms_micro_opt(9, 5, 7, 120).unwrap();
        let c = Changes::new()
            .set(NAME, "SINV-1")
            .set(CUSTOMER, "Wire Customer")
            .set(PARTY, DynamicLink::from("Ada"))
            .set(STATUS, Status::Draft)
            .set(POSTING_DATE, d)
            .set(DUE_DATE, d)
            .set(POSTED_AT, at)
            .set(POSTING_TIME, NaiveTime::from_hms_opt(9, 30, 0).unwrap())
            .set(SET_POSTING_TIME, true)
            .set(GRAND_TOTAL, 61.25)
            .set(DURATION, 3725.0)
            .set(IDX, 3)
            .set(DOCSTATUS, DocStatus::Submitted)
            .set(PAYLOAD, json!({"a": [1, 2.5]}));
        assert_eq!(
            json_of(&c),
            json!({
                "name": "SINV-1", "customer": "Wire Customer", "party": "Ada",
                "status": "Draft", "posting_date": "2026-06-15", "due_date": "2026-06-15",
                "posted_at": "2026-06-15 09:05:07.000120", "posting_time": "09:30:00",
                "set_posting_time": 1, "grand_total": 61.25, "duration": 3725,
                "idx": 3, "docstatus": 1, "payload": {"a": [1, 2.5]}
            })
        );
        assert_eq!(c.len(), 14);
    }

    #[test]
    fn links_take_names_and_typed_links() {
        let link: Link<Customer> = Link::new("ACME");
        let c = Changes::new().set(CUSTOMER, link);
        assert_eq!(c.get("customer"), Some(&json!("ACME")));
        let c = Changes::new().set(STATUS, Status::Other("Paid".into()));
        assert_eq!(c.get("status"), Some(&json!("Paid")));
    }

    #[test]
    fn whole_floats_go_out_as_integers() {
        let c = Changes::new().set(GRAND_TOTAL, 10);
        assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"grand_total":10}"#);
        let c = Changes::new().set(GRAND_TOTAL, -0.5);
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"grand_total":-0.5}"#
        );
        let c = Changes::new().set(GRAND_TOTAL, 1e300);
        assert_eq!(c.get("grand_total"), Some(&json!(1e300)));
    }

    #[cfg(feature = "decimal")]
    #[test]
    fn decimals_go_out_as_numbers() {
        use rust_decimal::Decimal;
        const RATE: Field<Invoice, Decimal> = Field::new("rate");
        let c = Changes::new().set(RATE, Decimal::new(2550, 2));
        assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"rate":25.5}"#);
        let c = Changes::new().set(RATE, Decimal::new(1000, 2));
        assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"rate":10}"#);
    }

    #[test]
    fn only_what_was_set_is_sent_and_the_last_set_wins() {
        assert_eq!(json_of(&Changes::<Invoice>::new()), json!({}));
        assert!(Changes::<Invoice>::new().is_empty());
        let c = Changes::new()
            .set(SET_POSTING_TIME, true)
            .set(SET_POSTING_TIME, false);
        assert_eq!(json_of(&c), json!({"set_posting_time": 0}));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn clear_sends_null() {
        let c = Changes::new().set(DUE_DATE, NaiveDate::MIN).clear(DUE_DATE);
        assert_eq!(json_of(&c), json!({"due_date": null}));
        assert!(!c.is_empty());
    }

    #[test]
    fn rows_become_an_array_of_objects() {
        let c = Changes::new().set(CUSTOMER, "ACME").rows(
            ITEMS,
            [
                Changes::new().set(ITEM_NAME, "row1").set(QTY, 1.5),
                Changes::new().set(ITEM_CODE, "X").set(QTY, 2.0),
            ],
        );
        assert_eq!(
            json_of(&c),
            json!({"customer": "ACME", "items": [
                {"name": "row1", "qty": 1.5}, {"item_code": "X", "qty": 2}
            ]})
        );
        let emptied = Changes::new().rows(ITEMS, []);
        assert_eq!(json_of(&emptied), json!({"items": []}));
    }

    #[test]
    fn a_value_without_json_form_fails_serialization_naming_the_field() {
        let c = Changes::new().set(GRAND_TOTAL, f64::NAN);
        let err = serde_json::to_value(&c).unwrap_err().to_string();
        assert!(err.contains("grand_total") && err.contains("NaN"), "{err}");
        assert_eq!(c.get("grand_total"), None);
        assert_eq!(c.len(), 1);
        // Set again with a real value, the field is fine.
        assert_eq!(json_of(&c.set(GRAND_TOTAL, 1.0)), json!({"grand_total": 1}));

        let c = Changes::new().rows(
            ITEMS,
            [
                Changes::new().set(QTY, 1.0),
                Changes::new().set(QTY, f64::INFINITY),
            ],
        );
        let err = serde_json::to_value(&c).unwrap_err().to_string();
        assert!(
            err.contains("items") && err.contains("row 2: Sales Invoice Item.qty"),
            "{err}"
        );
        // Through the client's body check: an InvalidInput error naming the DocType.
        #[cfg(feature = "client")]
        {
            let err = crate::resource::object_body(Invoice::DOCTYPE, &c)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("Sales Invoice") && err.contains("row 2"),
                "{err}"
            );
        }
    }

    #[test]
    fn debug_shows_the_doctype_fields_and_wire_values() {
        let c = Changes::new()
            .set(CUSTOMER, "ACME")
            .set(SET_POSTING_TIME, true)
            .set(GRAND_TOTAL, f64::NAN);
        assert_eq!(
            format!("{c:?}"),
            r#"Changes<Sales Invoice> {"customer": "ACME", "set_posting_time": 1, "grand_total": <invalid: the value has no JSON form (NaN or infinity)>}"#
        );
    }

    #[test]
    fn debug_hides_passwords_being_written() {
        struct User;
        impl Document for User {
            const DOCTYPE: &'static str = "User";
            const FIELDS: &'static [FieldInfo] = &[];
        }
        const NEW_PASSWORD: Field<User, String> = Field::new("new_password");
        const EMAIL: Field<User, String> = Field::new("email");
        let c = Changes::new()
            .set(NEW_PASSWORD, "hunter2-S3CRET")
            .set(EMAIL, "ada@example.com");
        let shown = format!("{c:?}");
        assert_eq!(
            shown,
            r#"Changes<User> {"email": "ada@example.com", "new_password": ***}"#
        );
        // The same inside child rows.
        struct Account;
        impl Document for Account {
            const DOCTYPE: &'static str = "Account";
            const FIELDS: &'static [FieldInfo] = &[];
        }
        const ROWS: Field<Account, Vec<User>> = Field::new("users");
        let c = Changes::<Account>::new()
            .rows(ROWS, [Changes::new().set(NEW_PASSWORD, "hunter2-S3CRET")]);
        let shown = format!("{c:?}");
        assert!(!shown.contains("S3CRET"), "{shown}");
        // The body sent is of course unchanged.
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"users": [{"new_password": "hunter2-S3CRET"}]})
        );
    }

    #[test]
    fn clone_and_eq_compare_the_values() {
        let a = Changes::new().set(IDX, 1);
        assert_eq!(a.clone(), a);
        assert_ne!(a.clone().set(IDX, 2), a);
        assert_eq!(Changes::<Invoice>::default(), Changes::new());
    }

    #[test]
    fn from_document_takes_every_serialized_field() {
        #[derive(Serialize)]
        struct Row {
            name: String,
            qty: f64,
        }
        impl Document for Row {
            const DOCTYPE: &'static str = "Sales Invoice Item";
            const FIELDS: &'static [FieldInfo] = &[];
        }
        const ROW_QTY: Field<Row, f64> = Field::new("qty");
        let row = Row {
            name: "r1".into(),
            qty: 1.5,
        };
        let c = Changes::from_document(&row).unwrap().set(ROW_QTY, 3.0);
        assert_eq!(json_of(&c), json!({"name": "r1", "qty": 3}));
        assert_eq!(c.as_map().len(), 2);
    }
}
