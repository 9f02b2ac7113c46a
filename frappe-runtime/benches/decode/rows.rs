//! The benchmark's ToDo: a typed mirror of the 20 `fields=["*"]` columns of transcript 021, and
//! a generator of list bodies in that shape with values varied per row.

use chrono::{NaiveDate, NaiveDateTime};
use frappe_runtime::wire::{self, DocStatus};
use frappe_runtime::{Document, FieldInfo, Link};
use serde::Deserialize;
use serde_json::{Value, json};

/// `User`, only as a link target.
pub struct User;

impl Document for User {
    const DOCTYPE: &'static str = "User";
    const FIELDS: &'static [FieldInfo] = &[FieldInfo {
        name: "name",
        column: true,
    }];
}

/// `Role`, only as a link target.
pub struct Role;

impl Document for Role {
    const DOCTYPE: &'static str = "Role";
    const FIELDS: &'static [FieldInfo] = &[FieldInfo {
        name: "name",
        column: true,
    }];
}

/// ToDo `status` (Select), shaped like codegen's enums: a catch-all for unknown options.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub enum Status {
    Open,
    Closed,
    Cancelled,
    #[serde(untagged)]
    Other(String),
}

/// ToDo `priority` (Select).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub enum Priority {
    High,
    Medium,
    Low,
    #[serde(untagged)]
    Other(String),
}

/// A ToDo list row, all 20 columns.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct ToDo {
    pub name: String,
    pub owner: Link<User>,
    #[serde(with = "wire::datetime")]
    pub creation: NaiveDateTime,
    #[serde(with = "wire::datetime")]
    pub modified: NaiveDateTime,
    pub modified_by: Link<User>,
    pub docstatus: DocStatus,
    pub idx: i64,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub color: Option<String>,
    pub date: Option<NaiveDate>,
    pub allocated_to: Option<Link<User>>,
    pub description: String,
    pub reference_type: Option<String>,
    pub reference_name: Option<String>,
    pub role: Option<Link<Role>>,
    pub assigned_by: Option<Link<User>>,
    pub assigned_by_full_name: Option<String>,
    pub sender: Option<String>,
    pub assignment_rule: Option<String>,
}

/// The same row with `creation`/`modified` kept as strings: the difference to [`ToDo`] is the
/// cost of parsing Frappe datetimes (`wire::datetime`).
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct ToDoRawTimes {
    pub name: String,
    pub owner: Link<User>,
    pub creation: String,
    pub modified: String,
    pub modified_by: Link<User>,
    pub docstatus: DocStatus,
    pub idx: i64,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub color: Option<String>,
    pub date: Option<NaiveDate>,
    pub allocated_to: Option<Link<User>>,
    pub description: String,
    pub reference_type: Option<String>,
    pub reference_name: Option<String>,
    pub role: Option<Link<Role>>,
    pub assigned_by: Option<Link<User>>,
    pub assigned_by_full_name: Option<String>,
    pub sender: Option<String>,
    pub assignment_rule: Option<String>,
}

impl Document for ToDo {
    const DOCTYPE: &'static str = "ToDo";
    const FIELDS: &'static [FieldInfo] = &[
        FieldInfo {
            name: "name",
            column: true,
        },
        FieldInfo {
            name: "owner",
            column: true,
        },
        FieldInfo {
            name: "creation",
            column: true,
        },
        FieldInfo {
            name: "modified",
            column: true,
        },
        FieldInfo {
            name: "modified_by",
            column: true,
        },
        FieldInfo {
            name: "docstatus",
            column: true,
        },
        FieldInfo {
            name: "idx",
            column: true,
        },
        FieldInfo {
            name: "status",
            column: true,
        },
        FieldInfo {
            name: "priority",
            column: true,
        },
        FieldInfo {
            name: "color",
            column: true,
        },
        FieldInfo {
            name: "date",
            column: true,
        },
        FieldInfo {
            name: "allocated_to",
            column: true,
        },
        FieldInfo {
            name: "description",
            column: true,
        },
        FieldInfo {
            name: "reference_type",
            column: true,
        },
        FieldInfo {
            name: "reference_name",
            column: true,
        },
        FieldInfo {
            name: "role",
            column: true,
        },
        FieldInfo {
            name: "assigned_by",
            column: true,
        },
        FieldInfo {
            name: "assigned_by_full_name",
            column: true,
        },
        FieldInfo {
            name: "sender",
            column: true,
        },
        FieldInfo {
            name: "assignment_rule",
            column: true,
        },
    ];
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

/// Asserts decoded rows carry the generated values.
pub fn check(rows: &[ToDo], start: usize) {
    for (k, r) in rows.iter().enumerate() {
        let i = start + k;
        assert_eq!(
            r.description,
            format!("Seed row {i}: call back about order {} <b>asap</b>", i * 31)
        );
        assert_eq!(r.date.is_some(), i % 2 == 0);
        assert_eq!(r.allocated_to.is_some(), i % 4 == 0);
    }
}
