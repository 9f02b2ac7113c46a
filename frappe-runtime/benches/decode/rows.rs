//! The benchmark's ToDo: the struct frappe-codegen generates for ToDo today (copied from
//! `frappe-codegen generate --from-dir frappe-v15/meta/todo.getdoctype.json --doctype ToDo`:
//! the same types, serde attributes and `extra` map), and a generator of list bodies shaped like
//! the 20 `fields=["*"]` columns of transcript 021, with values varied per row.
//!
//! [`ToDoFlat`] is the same struct with its standard fields moved into one flattened
//! [`StandardFields`] struct, as frappe-runtime could define it once instead of codegen repeating
//! them in every struct: the comparison that decided against it (ARCHITECTURE.md).

use frappe_runtime::chrono::{NaiveDate, NaiveDateTime};
use frappe_runtime::serde::{Deserialize, Serialize};
use frappe_runtime::serde_json::{Map, Value, json};
use frappe_runtime::{Choice, DocStatus, Document, DynamicLink};

/// ToDo (module: Desk), as generated.
#[derive(Debug, Clone, PartialEq, Document)]
#[frappe(doctype = "ToDo", serde)]
pub struct ToDo {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::select"
    )]
    pub status: Option<ToDoStatus>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::select"
    )]
    pub priority: Option<ToDoPriority>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::date::option"
    )]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocated_to: Option<String>,
    #[serde(default, with = "frappe_runtime::wire::null_default")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_name: Option<DynamicLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_by_full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::datetime::option"
    )]
    pub creation: Option<NaiveDateTime>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::datetime::option"
    )]
    pub modified: Option<NaiveDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    #[serde(default)]
    pub docstatus: DocStatus,
    #[serde(default, with = "frappe_runtime::wire::number")]
    pub idx: i64,
    #[frappe(skip)]
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Options of `ToDo.status` (Select), as generated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Choice)]
#[frappe(serde)]
pub enum ToDoStatus {
    Open,
    Closed,
    Cancelled,
    #[serde(untagged)]
    Other(String),
}

/// Options of `ToDo.priority` (Select), as generated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Choice)]
#[frappe(serde)]
pub enum ToDoPriority {
    High,
    Medium,
    Low,
    #[serde(untagged)]
    Other(String),
}

/// [`ToDo`] as frappe-codegen generated it before `#[frappe(serde)]`: serde's derives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Document)]
#[serde(crate = "frappe_runtime::serde")]
#[frappe(doctype = "ToDo")]
pub struct ToDoSerdeDerives {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::select"
    )]
    pub status: Option<ToDoStatusSerde>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::select"
    )]
    pub priority: Option<ToDoPrioritySerde>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::date::option"
    )]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocated_to: Option<String>,
    #[serde(default, with = "frappe_runtime::wire::null_default")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_name: Option<DynamicLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_by_full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::datetime::option"
    )]
    pub creation: Option<NaiveDateTime>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::datetime::option"
    )]
    pub modified: Option<NaiveDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    #[serde(default)]
    pub docstatus: DocStatus,
    #[serde(default, with = "frappe_runtime::wire::number")]
    pub idx: i64,
    #[frappe(skip)]
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// [`ToDoStatus`] with serde's derives.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Choice)]
#[serde(crate = "frappe_runtime::serde")]
pub enum ToDoStatusSerde {
    Open,
    Closed,
    Cancelled,
    #[serde(untagged)]
    Other(String),
}

/// [`ToDoPriority`] with serde's derives.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Choice)]
#[serde(crate = "frappe_runtime::serde")]
pub enum ToDoPrioritySerde {
    High,
    Medium,
    Low,
    #[serde(untagged)]
    Other(String),
}

/// The generated [`ToDo`] with `creation`/`modified` kept as strings: the difference is the
/// cost of parsing Frappe datetimes (`wire::datetime`), with the same `#[frappe(serde)]` impls.
#[derive(Debug, Document)]
#[frappe(doctype = "ToDo", serde)]
#[allow(dead_code)]
pub struct ToDoRawTimes {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, with = "frappe_runtime::wire::select")]
    pub status: Option<ToDoStatus>,
    #[serde(default, with = "frappe_runtime::wire::select")]
    pub priority: Option<ToDoPriority>,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default, with = "frappe_runtime::wire::date::option")]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub allocated_to: Option<String>,
    #[serde(default, with = "frappe_runtime::wire::null_default")]
    pub description: String,
    #[serde(default)]
    pub reference_type: Option<String>,
    #[serde(default)]
    pub reference_name: Option<DynamicLink>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub assigned_by: Option<String>,
    #[serde(default)]
    pub assigned_by_full_name: Option<String>,
    #[serde(default)]
    pub sender: Option<String>,
    #[serde(default)]
    pub assignment_rule: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub creation: Option<String>,
    #[serde(default)]
    pub modified: Option<String>,
    #[serde(default)]
    pub modified_by: Option<String>,
    #[serde(default)]
    pub docstatus: DocStatus,
    #[serde(default, with = "frappe_runtime::wire::number")]
    pub idx: i64,
    #[frappe(skip)]
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The standard fields of a document (`frappe_runtime::standard::fields(false)`) as one struct,
/// typed and attributed as codegen types them inline.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(crate = "frappe_runtime::serde")]
pub struct StandardFields {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::datetime::option"
    )]
    pub creation: Option<NaiveDateTime>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::datetime::option"
    )]
    pub modified: Option<NaiveDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    #[serde(default)]
    pub docstatus: DocStatus,
    #[serde(default, with = "frappe_runtime::wire::number")]
    pub idx: i64,
}

/// [`ToDo`] with its standard fields flattened from [`StandardFields`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Document)]
#[serde(crate = "frappe_runtime::serde")]
#[frappe(doctype = "ToDo")]
pub struct ToDoFlat {
    #[frappe(skip)]
    #[serde(flatten)]
    pub standard: StandardFields,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::select"
    )]
    pub status: Option<ToDoStatus>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::select"
    )]
    pub priority: Option<ToDoPriority>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "frappe_runtime::wire::date::option"
    )]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocated_to: Option<String>,
    #[serde(default, with = "frappe_runtime::wire::null_default")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_name: Option<DynamicLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_by_full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_rule: Option<String>,
    #[frappe(skip)]
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

const STATUSES: [&str; 3] = ["Open", "Closed", "Cancelled"];
const PRIORITIES: [&str; 3] = ["High", "Medium", "Low"];

/// Row `i` (global index), shaped like transcript 021's rows.
pub fn row(i: usize) -> Value {
    let some = |cond: bool, v: Value| if cond { v } else { Value::Null };
    let day = 1 + i % 28;
    let micros = (i * 7919) % 1_000_000;
    let ts = format!(
        "2026-{:02}-{day:02} {:02}:{:02}:{:02}.{micros:06}",
        1 + i % 12,
        i % 24,
        i % 60,
        (i / 60) % 60
    );
    json!({
        "name": format!("ro{:08x}", i.wrapping_mul(2_654_435_761) & 0xffff_ffff),
        "owner": "Administrator",
        "creation": ts,
        "modified": ts,
        "modified_by": if i % 3 == 0 { "Administrator" } else { "limited@example.com" },
        "docstatus": 0,
        "idx": 0,
        "status": STATUSES[i % 3],
        "priority": PRIORITIES[(i / 3) % 3],
        "color": some(i % 5 == 0, json!("#ff5858")),
        "date": some(i % 2 == 0, json!(format!("2024-{:02}-{day:02}", 1 + i % 12))),
        "allocated_to": some(i % 4 == 0, json!("Administrator")),
        "description": format!("Seed row {i}: call back about order {} <b>asap</b>", i * 31),
        "reference_type": some(i % 7 == 0, json!("Contact")),
        "reference_name": some(i % 7 == 0, json!(format!("Contact {i}"))),
        "role": some(i % 11 == 0, json!("System Manager")),
        "assigned_by": some(i % 4 == 0, json!("Administrator")),
        "assigned_by_full_name": some(i % 4 == 0, json!("Administrator")),
        "sender": some(i % 13 == 0, json!("ada@example.com")),
        "assignment_rule": Value::Null,
    })
}

/// A `{"data": [...]}` body of `n` rows starting at global index `start`, compact like Frappe.
/// Written row by row, so generating a large body holds only the bytes.
pub fn list_body(n: usize, start: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * 520 + 16);
    out.extend_from_slice(b"{\"data\":[");
    for i in start..start + n {
        if i > start {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &row(i)).expect("serialize row");
    }
    out.extend_from_slice(b"]}");
    out
}

/// What a decoded row must hold: `(description, date set, allocated_to set, creation, extra
/// keys)`, the same for either shape.
pub type Probe = (String, bool, bool, Option<NaiveDateTime>, usize);

impl ToDo {
    pub fn probe(&self) -> Probe {
        (
            self.description.clone(),
            self.date.is_some(),
            self.allocated_to.is_some(),
            self.creation,
            self.extra.len(),
        )
    }
}

impl ToDoFlat {
    pub fn probe(&self) -> Probe {
        (
            self.description.clone(),
            self.date.is_some(),
            self.allocated_to.is_some(),
            self.standard.creation,
            self.extra.len(),
        )
    }
}

/// Asserts decoded rows carry the generated values: every column in its field, none in `extra`.
pub fn check(rows: impl Iterator<Item = Probe>, start: usize) {
    let mut n = 0;
    for (k, (description, date, allocated_to, creation, extra)) in rows.enumerate() {
        let i = start + k;
        assert_eq!(
            description,
            format!("Seed row {i}: call back about order {} <b>asap</b>", i * 31)
        );
        assert_eq!(date, i % 2 == 0);
        assert_eq!(allocated_to, i % 4 == 0);
        assert!(creation.is_some(), "row {i}: creation");
        assert_eq!(extra, 0, "row {i}: keys left in extra");
        n += 1;
    }
    assert!(n > 0);
}
