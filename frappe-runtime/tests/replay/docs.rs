//! Test-local document types: small hand-written projections of the DocTypes the transcripts
//! touch, with a manual `impl Document` and field handles (what `#[derive(Document)]` writes).

use chrono::{NaiveDate, NaiveDateTime};
use frappe_runtime::wire::{self, DocStatus};
use frappe_runtime::{Document, Field, FieldInfo, Submittable};
use serde::{Deserialize, Serialize};

/// A column of the DocType's own table (what a list can request in `fields=`).
const fn column(name: &'static str) -> FieldInfo {
    FieldInfo { name, column: true }
}

/// A child table field: returned by a document GET, never a list column.
const fn table(name: &'static str) -> FieldInfo {
    FieldInfo {
        name,
        column: false,
    }
}

/// Declares a struct, its `Document` impl (every field a column) and its field handles.
macro_rules! doc {
    ($name:ident = $doctype:literal { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct $name {
            $($(#[$fm])* pub $field: $ty,)*
        }

        impl Document for $name {
            const DOCTYPE: &'static str = $doctype;
            const FIELDS: &'static [FieldInfo] = &[
                $(column(stringify!($field)),)*
            ];
        }

        #[allow(non_upper_case_globals, dead_code)]
        impl $name {
            $(pub const $field: Field<$name, $ty> = Field::new(stringify!($field));)*
        }
    };
}

doc!(ToDo = "ToDo" {
    name: String,
    owner: String,
    #[serde(with = "wire::datetime")]
    creation: NaiveDateTime,
    #[serde(with = "wire::datetime")]
    modified: NaiveDateTime,
    modified_by: String,
    docstatus: DocStatus,
    idx: i64,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    priority: Option<String>,
    #[serde(default)]
    color: Option<String>,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default)]
    allocated_to: Option<String>,
    description: String,
    #[serde(default)]
    reference_type: Option<String>,
    #[serde(default)]
    reference_name: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    assigned_by: Option<String>,
    #[serde(default)]
    assigned_by_full_name: Option<String>,
    #[serde(default)]
    sender: Option<String>,
    #[serde(default)]
    assignment_rule: Option<String>,
});

doc!(ToDoName = "ToDo" { name: String });

doc!(ToDoBrief = "ToDo" {
    name: String,
    status: String,
    description: String,
});

doc!(ToDoStatus = "ToDo" { name: String, status: String });

doc!(ToDoPriority = "ToDo" { name: String, priority: String });

doc!(ToDoDescription = "ToDo" { name: String, description: String });

doc!(ToDoDate = "ToDo" { name: String, date: Option<NaiveDate> });

doc!(ToDoStatusPriority = "ToDo" {
    name: String,
    status: String,
    priority: String,
});

doc!(ToDoCreation = "ToDo" {
    name: String,
    priority: String,
    #[serde(with = "wire::datetime")]
    creation: NaiveDateTime,
});

doc!(ToDoNoSuchField = "ToDo" { name: String, no_such_field: Option<String> });

// What an insert sends: only the fields set, no nulls.
doc!(NewToDo = "ToDo" {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    priority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    allocated_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<String>,
});

impl NewToDo {
    /// An empty insert body.
    pub fn empty() -> Self {
        NewToDo {
            name: None,
            description: None,
            status: None,
            priority: None,
            date: None,
            allocated_to: None,
            role: None,
        }
    }
}

doc!(Role = "Role" {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    role_name: String,
    #[serde(default, with = "wire::check", skip_serializing_if = "is_false")]
    desk_access: bool,
});

fn is_false(b: &bool) -> bool {
    !*b
}

doc!(Note = "Note" {
    name: String,
    title: String,
    #[serde(with = "wire::check")]
    public: bool,
    #[serde(default)]
    content: Option<String>,
});

doc!(ContactEmail = "Contact Email" {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    email_id: String,
    #[serde(with = "wire::check")]
    is_primary: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    idx: Option<i64>,
});

doc!(ContactPhone = "Contact Phone" {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    phone: String,
    #[serde(with = "wire::check")]
    is_primary_phone: bool,
    #[serde(with = "wire::check")]
    is_primary_mobile_no: bool,
});

/// Contact with its two child tables (not columns: a list cannot request them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub first_name: String,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub company_name: Option<String>,
    #[serde(default)]
    pub designation: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub email_ids: Vec<ContactEmail>,
    #[serde(default)]
    pub phone_nos: Vec<ContactPhone>,
}

impl Document for Contact {
    const DOCTYPE: &'static str = "Contact";
    const FIELDS: &'static [FieldInfo] = &[
        column("name"),
        column("first_name"),
        column("last_name"),
        column("full_name"),
        column("company_name"),
        column("designation"),
        column("image"),
        table("email_ids"),
        table("phone_nos"),
    ];
}

impl Document for ContactEmailChild {
    const DOCTYPE: &'static str = "Contact Email";
    const FIELDS: &'static [FieldInfo] = &[column("name"), column("email_id"), column("parent")];
    const IS_CHILD: bool = true;
}

/// Contact Email read on its own (a child DocType).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactEmailChild {
    pub name: String,
    pub email_id: String,
    pub parent: String,
    pub parenttype: String,
    pub parentfield: String,
    pub idx: i64,
}

/// The submittable "API Test Order" with 14 common fieldtypes (transcripts 071-085).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiTestOrder {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub customer_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_date: Option<NaiveDate>,
    #[serde(
        default,
        with = "wire::datetime::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub due: Option<NaiveDateTime>,
    #[serde(
        default,
        with = "wire::time::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<chrono::NaiveTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qty: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(default, with = "wire::check", skip_serializing_if = "is_false")]
    pub is_urgent: bool,
    /// JSON fieldtype: a JSON string when read back from MariaDB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_json: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docstatus: Option<DocStatus>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ApiTestOrderItem>,
}

/// A row of "API Test Order Item".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiTestOrderItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    pub qty: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idx: Option<i64>,
}

impl Document for ApiTestOrder {
    const DOCTYPE: &'static str = "API Test Order";
    const FIELDS: &'static [FieldInfo] = &[column("name"), column("customer_name"), table("items")];
}

impl Submittable for ApiTestOrder {}

impl ApiTestOrder {
    /// An order with only `customer_name` set.
    pub fn named(customer_name: &str) -> Self {
        ApiTestOrder {
            name: None,
            customer_name: customer_name.to_string(),
            order_date: None,
            due: None,
            start_time: None,
            amount: None,
            qty: None,
            ratio: None,
            weight: None,
            is_urgent: false,
            meta_json: None,
            duration: None,
            notes: None,
            docstatus: None,
            items: Vec::new(),
        }
    }
}

/// A projection of ERPNext's Sales Invoice (submittable, with child rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesInvoice {
    pub name: String,
    pub customer: String,
    pub company: String,
    pub posting_date: NaiveDate,
    /// Read back unpadded (`6:06:36.642034`); not compared field-by-field for that reason.
    #[serde(with = "wire::time", skip_serializing)]
    pub posting_time: chrono::NaiveTime,
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    pub docstatus: DocStatus,
    pub currency: String,
    pub grand_total: f64,
    pub outstanding_amount: f64,
    pub status: String,
    #[serde(default, skip_serializing)]
    pub items: Vec<SalesInvoiceItem>,
}

/// A projection of Sales Invoice Item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesInvoiceItem {
    pub item_code: String,
    pub qty: f64,
    pub rate: f64,
    pub amount: f64,
}

impl Document for SalesInvoice {
    const DOCTYPE: &'static str = "Sales Invoice";
    const FIELDS: &'static [FieldInfo] = &[column("name"), column("customer"), table("items")];
}

impl Submittable for SalesInvoice {}

// A projection that does not fit the real rows: `date` is a date string, not a number.
doc!(ToDoWrongType = "ToDo" { name: String, date: Option<i64> });
