//! Single DocTypes: one document named after the DocType, read and written through
//! `/api/resource/<Single>/<Single>`, `frappe.client.get_value`, `get_single_value` and
//! `set_value`; what lists, inserts and deletes answer for them. A DELETE removes the saved
//! Single (its values then read as never saved), so the scenario starts and ends with one.

use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;

fn method(m: &str, pairs: &[(&str, Value)]) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        q.append_pair(k, &text);
    }
    format!("/api/method/{m}?{}", q.finish())
}

/// PUT, GET (by its name and by another), get_value, get_single_value, set_value, a Select
/// error, list, get_list, get_count, POST and DELETE.
pub async fn single_doctypes(t: &Target) -> Value {
    let dt = name("Settings");
    let mut o = Observation::new(t);
    let path = t.doc(&dt, &dt);
    t.delete(&path).await;
    o.step("GET, never saved", &t.get(&path).await);
    let body = json!({"title": "first", "qty": "7", "enabled": 1, "mode": "Fast", "marker": t.run});
    o.step("PUT", &t.put(&path, &body).await);
    o.step("GET", &t.get(&path).await);
    o.step("GET by another name", &t.get(&t.doc(&dt, "other")).await);
    o.step(
        "get_value, several fields",
        &t.get(&method(
            "frappe.client.get_value",
            &[
                ("doctype", json!(dt)),
                ("fieldname", json!(["title", "qty", "enabled"])),
            ],
        ))
        .await,
    );
    o.step(
        "get_value, one field with filters",
        &t.get(&method(
            "frappe.client.get_value",
            &[
                ("doctype", json!(dt)),
                ("fieldname", json!("qty")),
                ("filters", json!(dt)),
            ],
        ))
        .await,
    );
    o.step(
        "get_single_value",
        &t.get(&method(
            "frappe.client.get_single_value",
            &[("doctype", json!(dt)), ("field", json!("qty"))],
        ))
        .await,
    );
    let set = t
        .post(
            "/api/method/frappe.client.set_value",
            &json!({"doctype": dt, "name": dt, "fieldname": "title", "value": "second"}),
        )
        .await;
    o.step("set_value", &set);
    o.step(
        "PUT with a stale modified",
        &t.put(
            &path,
            &json!({"title": "stale", "modified": "2020-01-01 00:00:00.000000"}),
        )
        .await,
    );
    o.outcome(
        "PUT an invalid Select",
        &t.put(&path, &json!({"mode": "Sideways"})).await,
    );
    o.note("title after", t.get(&path).await.data()["title"].clone());
    o.step("list", &t.get(&t.resource(&dt)).await);
    o.step(
        "get_list",
        &t.get(&method("frappe.client.get_list", &[("doctype", json!(dt))]))
            .await,
    );
    o.outcome(
        "get_count",
        &t.get(&method(
            "frappe.client.get_count",
            &[("doctype", json!(dt))],
        ))
        .await,
    );
    o.step(
        "POST",
        &t.post(&t.resource(&dt), &json!({"title": "posted"})).await,
    );
    o.step("GET after POST", &t.get(&path).await);
    o.step("DELETE", &t.delete(&path).await);
    o.step("GET after DELETE", &t.get(&path).await);
    o.finish()
}
