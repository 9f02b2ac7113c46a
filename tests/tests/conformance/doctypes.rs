//! The suite's DocTypes, as Frappe DocType JSON: created on the live site when missing (custom
//! DocTypes of module Custom; their names carry a version, bumped when a definition changes, so
//! a site holding an older one is never reused), given to the test site as they are.

use serde_json::{Value, json};

/// Bumped whenever a definition below changes.
pub const VERSION: &str = "2";

/// `FRS Conf<VERSION> <what>`.
pub fn name(what: &str) -> String {
    format!("FRS Conf{VERSION} {what}")
}

/// Every right spelled out: a DocPerm row defaults `read`, `write`, `create` and `delete` to 1.
fn perms(submittable: bool) -> Value {
    json!([{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1,
            "submit": i32::from(submittable), "cancel": i32::from(submittable),
            "amend": i32::from(submittable)}])
}

fn marker() -> Value {
    json!({"fieldname": "marker", "fieldtype": "Data", "label": "Marker"})
}

fn title() -> Value {
    json!({"fieldname": "title", "fieldtype": "Data", "label": "Title"})
}

/// Every definition, children first (Frappe needs a Table's DocType to exist).
pub fn all() -> Vec<Value> {
    vec![
        json!({"name": name("Item"), "istable": 1, "fields": [
            {"fieldname": "item", "fieldtype": "Data", "label": "Item", "reqd": 1, "in_list_view": 1},
            {"fieldname": "qty", "fieldtype": "Float", "label": "Qty", "in_list_view": 1},
            {"fieldname": "rate", "fieldtype": "Currency", "label": "Rate"},
            {"fieldname": "kind", "fieldtype": "Select", "label": "Kind", "options": "A\nB"},
        ], "permissions": []}),
        json!({"name": name("Note"), "autoname": "hash", "fields": [
            {"fieldname": "title", "fieldtype": "Data", "label": "Title", "reqd": 1},
            {"fieldname": "status", "fieldtype": "Select", "label": "Status",
             "options": "Open\nClosed\nOn Hold"},
            {"fieldname": "qty", "fieldtype": "Int", "label": "Qty"},
            {"fieldname": "amount", "fieldtype": "Float", "label": "Amount"},
            {"fieldname": "done", "fieldtype": "Check", "label": "Done"},
            {"fieldname": "note_date", "fieldtype": "Date", "label": "Note Date"},
            {"fieldname": "ref", "fieldtype": "Link", "label": "Reference", "options": name("Note")},
            {"fieldname": "body", "fieldtype": "Small Text", "label": "Body"},
            marker(),
        ], "permissions": perms(false)}),
        json!({"name": name("Series"), "autoname": "FRSC2S-.####",
               "fields": [title(), marker()], "permissions": perms(false)}),
        json!({"name": name("Coded"), "autoname": "field:code", "fields": [
            {"fieldname": "code", "fieldtype": "Data", "label": "Code", "reqd": 1, "unique": 1},
            title(), marker(),
        ], "permissions": perms(false)}),
        json!({"name": name("Counter"), "autoname": "autoincrement",
               "fields": [title(), marker()], "permissions": perms(false)}),
        json!({"name": name("Prompt"), "autoname": "Prompt",
               "fields": [title(), marker()], "permissions": perms(false)}),
        json!({"name": name("Order"), "autoname": "FRSC2O-.#####", "is_submittable": 1, "fields": [
            {"fieldname": "customer", "fieldtype": "Data", "label": "Customer", "reqd": 1},
            {"fieldname": "remarks", "fieldtype": "Small Text", "label": "Remarks", "allow_on_submit": 1},
            {"fieldname": "items", "fieldtype": "Table", "label": "Items", "options": name("Item")},
            marker(),
        ], "permissions": perms(true)}),
        json!({"name": name("Shared"), "autoname": "hash", "fields": [title(), marker()],
        "permissions": [
            {"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1},
            {"role": "API Limited", "read": 1, "create": 1, "write": 0, "delete": 0},
        ]}),
        json!({"name": name("Owned"), "autoname": "hash", "fields": [title(), marker()],
        "permissions": [
            {"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1},
            {"role": "API Limited", "if_owner": 1, "read": 1, "write": 1, "create": 1,
             "delete": 0},
        ]}),
        json!({"name": name("Unique"), "autoname": "hash", "fields": [
            {"fieldname": "email", "fieldtype": "Data", "label": "Email", "unique": 1},
            title(), marker(),
        ], "permissions": perms(false)}),
        json!({"name": name("Renamable"), "autoname": "Prompt", "allow_rename": 1, "fields": [
            title(),
            {"fieldname": "ref", "fieldtype": "Link", "label": "Reference", "options": name("Renamable")},
            marker(),
        ], "permissions": perms(false)}),
        json!({"name": name("Place"), "autoname": "hash", "is_tree": 1, "fields": [title(), marker()],
               "permissions": perms(false)}),
        json!({"name": name("Located"), "autoname": "hash", "fields": [
            title(),
            {"fieldname": "place", "fieldtype": "Link", "label": "Place", "options": name("Place")},
            marker(),
        ], "permissions": perms(false)}),
        json!({"name": name("Settings"), "issingle": 1, "fields": [
            title(),
            {"fieldname": "qty", "fieldtype": "Int", "label": "Qty", "default": "3"},
            {"fieldname": "enabled", "fieldtype": "Check", "label": "Enabled"},
            {"fieldname": "mode", "fieldtype": "Select", "label": "Mode", "options": "Fast\nSlow"},
            marker(),
        ], "permissions": perms(false)}),
    ]
}
