//! `/api/resource` CRUD: the document Frappe returns, defaults and coercion by fieldtype, child
//! tables, the `modified` check.

use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;

/// Create, read, update (PUT of some fields), delete, read again.
pub async fn create_read_update_delete(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    let created = t
        .insert(
            &dt,
            json!({"title": "First", "qty": 3, "amount": 2.5, "done": 1,
                            "note_date": "2024-02-29", "body": "text"}),
        )
        .await;
    o.name(created.name(), "note");
    o.step("create", &created);
    let path = t.doc(&dt, &created.name());
    o.step("read", &t.get(&path).await);
    o.step(
        "update",
        &t.put(&path, &json!({"title": "Second", "qty": 4})).await,
    );
    o.step("delete", &t.delete(&path).await);
    o.step("read after delete", &t.get(&path).await);
    o.finish()
}

/// What a minimal insert holds: Select's first option, numbers 0, Check from strings and
/// booleans, Int and Float from strings.
pub async fn defaults_and_coercion(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    let minimal = t.insert(&dt, json!({"title": "Minimal"})).await;
    o.name(minimal.name(), "minimal");
    o.step("minimal", &minimal);
    let strings = t
        .insert(
            &dt,
            json!({"title": "Strings", "qty": "7", "amount": "1.25", "done": true,
                            "status": "Closed", "note_date": ""}),
        )
        .await;
    o.name(strings.name(), "strings");
    o.step("strings", &strings);
    o.finish()
}

/// A PUT of a Table field replaces the table: rows sent with their `name` are kept (with the
/// values sent), rows without one are new, rows left out are deleted.
pub async fn child_tables_put_replaces_the_table(t: &Target) -> Value {
    let dt = name("Order");
    let mut o = Observation::new(t);
    let created = t
        .insert(
            &dt,
            json!({"customer": "Ada", "items": [
            {"item": "Widget", "qty": 2, "rate": 10},
            {"item": "Gadget", "qty": 1, "rate": 99.5, "kind": "B"},
            {"item": "Gizmo", "qty": 5}]}),
        )
        .await;
    o.name(created.name(), "order");
    let rows = created.data()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (i, row) in rows.iter().enumerate() {
        o.name(
            row["name"].as_str().unwrap_or_default(),
            &format!("row{}", i + 1),
        );
    }
    o.step("create", &created);
    let path = t.doc(&dt, &created.name());
    let mut first = rows.first().cloned().unwrap_or_default();
    first["qty"] = json!(3);
    let third = json!({"name": rows.get(2).map(|r| r["name"].clone()), "item": "Gizmo"});
    let updated = t
        .put(&path, &json!({"items": [first, third, {"item": "New"}]}))
        .await;
    if let Some(new) = updated.data()["items"].as_array().and_then(|r| r.get(2)) {
        o.name(new["name"].as_str().unwrap_or_default(), "new row");
    }
    o.step("replace rows", &updated);
    o.step("read", &t.get(&path).await);
    o.step(
        "omit the table",
        &t.put(&path, &json!({"customer": "Bob"})).await,
    );
    o.step(
        "empty the table",
        &t.put(&path, &json!({"items": []})).await,
    );
    o.finish()
}

/// A PUT carrying a `modified` other than the stored one fails with TimestampMismatchError;
/// carrying the stored one, it saves.
pub async fn stale_modified_is_refused(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    let created = t.insert(&dt, json!({"title": "Stale"})).await;
    o.name(created.name(), "note");
    let path = t.doc(&dt, &created.name());
    let modified = created.data()["modified"].clone();
    o.step(
        "stale",
        &t.put(
            &path,
            &json!({"title": "x", "modified": "2020-01-01 00:00:00.000000"}),
        )
        .await,
    );
    o.outcome(
        "current",
        &t.put(&path, &json!({"title": "y", "modified": modified}))
            .await,
    );
    o.outcome(
        "the same modified again",
        &t.put(&path, &json!({"title": "z", "modified": modified}))
            .await,
    );
    o.finish()
}
