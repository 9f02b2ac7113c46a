//! `frappe.client.*` as frappe-runtime calls them (GET with query-string arguments, POST with a
//! JSON body), and the same operations through `frappe_runtime::Client`.

use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;
use crate::target::seg;

fn method(m: &str) -> String {
    format!("/api/method/{m}")
}

fn query(pairs: &[(&str, Value)]) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        q.append_pair(k, &text);
    }
    q.finish()
}

/// get_count, get_list, get_value (one field, several, no match), get.
pub async fn client_reads(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    for (title, qty) in [("one", 1), ("two", 2), ("three", 3)] {
        let created = t.insert(&dt, json!({"title": title, "qty": qty})).await;
        o.name(created.name(), title);
    }
    let mine = json!([["marker", "=", t.run]]);
    let get = |m: &str, pairs: Vec<(&str, Value)>| {
        let path = format!("{}?{}", method(m), query(&pairs));
        async move { t.get(&path).await }
    };
    o.step(
        "get_count",
        &get(
            "frappe.client.get_count",
            vec![("doctype", json!(dt)), ("filters", mine.clone())],
        )
        .await,
    );
    o.step(
        "get_count filtered",
        &get(
            "frappe.client.get_count",
            vec![
                ("doctype", json!(dt)),
                ("filters", json!([["marker", "=", t.run], ["qty", ">", 1]])),
            ],
        )
        .await,
    );
    o.step(
        "get_list",
        &get(
            "frappe.client.get_list",
            vec![
                ("doctype", json!(dt)),
                ("fields", json!(["title", "qty"])),
                ("filters", mine.clone()),
                ("order_by", json!("qty asc")),
            ],
        )
        .await,
    );
    let two = t
        .list(&dt, &[("filters", json!([["title", "=", "two"]]))])
        .await
        .data()[0]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    o.step(
        "get_value by name, one field",
        &get(
            "frappe.client.get_value",
            vec![
                ("doctype", json!(dt)),
                ("fieldname", json!("title")),
                ("filters", json!(two)),
            ],
        )
        .await,
    );
    o.step(
        "get_value by filters, two fields",
        &get(
            "frappe.client.get_value",
            vec![
                ("doctype", json!(dt)),
                ("fieldname", json!(["title", "qty"])),
                ("filters", json!([["marker", "=", t.run], ["qty", "=", 3]])),
            ],
        )
        .await,
    );
    o.step(
        "get_value no match",
        &get(
            "frappe.client.get_value",
            vec![
                ("doctype", json!(dt)),
                ("fieldname", json!(["title"])),
                ("filters", json!([["marker", "=", t.run], ["qty", "=", 99]])),
            ],
        )
        .await,
    );
    o.step(
        "get",
        &get(
            "frappe.client.get",
            vec![("doctype", json!(dt)), ("name", json!(two))],
        )
        .await,
    );
    o.outcome(
        "get missing",
        &get(
            "frappe.client.get",
            vec![
                ("doctype", json!(dt)),
                ("name", json!(format!("nope-{}", t.run))),
            ],
        )
        .await,
    );
    o.finish()
}

/// insert, insert_many, set_value (one field, a dict, a standard field), save (with and
/// without `modified`), submit, cancel, delete.
pub async fn client_writes(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    let post = |m: &str, body: Value| {
        let path = method(m);
        async move { t.post(&path, &body).await }
    };
    let inserted = post(
        "frappe.client.insert",
        json!({"doc": {"doctype": dt, "title": "ins", "marker": t.run}}),
    )
    .await;
    o.name(
        inserted.body["message"]["name"]
            .as_str()
            .unwrap_or_default(),
        "inserted",
    );
    o.step("insert", &inserted);
    let name = inserted.body["message"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let many = post(
        "frappe.client.insert_many",
        json!({"docs": [{"doctype": dt, "title": "m1", "marker": t.run}, {"doctype": dt, "title": "m2", "marker": t.run}]}),
    )
    .await;
    for (i, n) in many.body["message"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        o.name(n.as_str().unwrap_or_default(), &format!("many{}", i + 1));
    }
    o.step("insert_many", &many);
    o.step(
        "set_value",
        &post(
            "frappe.client.set_value",
            json!({"doctype": dt, "name": name, "fieldname": "qty", "value": 5}),
        )
        .await,
    );
    o.outcome(
        "set_value dict",
        &post(
            "frappe.client.set_value",
            json!({"doctype": dt, "name": name, "fieldname": {"title": "dict", "amount": 2}}),
        )
        .await,
    );
    o.step(
        "set_value standard field",
        &post(
            "frappe.client.set_value",
            json!({"doctype": dt, "name": name, "fieldname": "owner", "value": "x"}),
        )
        .await,
    );
    let current = t.get(&t.doc(&dt, &name)).await.data().clone();
    o.outcome(
        "save without modified",
        &post(
            "frappe.client.save",
            json!({"doc": {"doctype": dt, "name": name, "title": "saved"}}),
        )
        .await,
    );
    o.step(
        "save with modified (other fields left out)",
        &post("frappe.client.save", json!({"doc": {"doctype": dt, "name": name, "title": "saved", "modified": current["modified"]}})).await,
    );
    let order = t.insert(&name_of("Order"), json!({"customer": "c"})).await;
    o.name(order.name(), "order");
    let order_doc = order.data().clone();
    o.outcome(
        "submit",
        &post("frappe.client.submit", json!({"doc": order_doc})).await,
    );
    o.outcome(
        "cancel",
        &post(
            "frappe.client.cancel",
            json!({"doctype": name_of("Order"), "name": order.name()}),
        )
        .await,
    );
    o.step(
        "delete",
        &post("frappe.client.delete", json!({"doctype": dt, "name": name})).await,
    );
    o.outcome(
        "unknown frappe.client method",
        &t.get(&format!(
            "{}?doctype={}",
            method("frappe.client.nope"),
            seg(&dt)
        ))
        .await,
    );
    o.finish()
}

/// A missing document and a missing mandatory field through the client: the status, the
/// `exc_type` and whether the error says what it is.
async fn note_refusals(o: &mut Observation<'_>, notes: &frappe_runtime::Resource, t: &Target) {
    let err = notes
        .get(&format!("gone-{}", t.run))
        .await
        .expect_err("missing");
    o.note(
        "missing",
        json!([err.status(), err.exc_type(), err.is_not_found()]),
    );
    let err = notes
        .insert(&json!({"qty": 1}))
        .await
        .expect_err("mandatory");
    o.note(
        "mandatory",
        json!([err.status(), err.exc_type(), err.is_validation()]),
    );
}

fn name_of(what: &str) -> String {
    name(what)
}

/// The same operations through `frappe_runtime::Client`: its results and errors.
pub async fn runtime_client(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    let client = t.client();
    let notes = client.doctype(&dt);
    let created = notes
        .insert(&json!({"title": "via client", "qty": 2, "marker": t.run}))
        .await
        .expect("insert");
    let created: Value = serde_json::to_value(&created).expect("row as JSON");
    let name = created["name"].as_str().unwrap_or_default().to_owned();
    o.name(name.clone(), "note");
    o.note("insert", created);
    let got = notes.get(&name).await.expect("get");
    o.note(
        "get title",
        serde_json::to_value(&got).expect("json")["title"].clone(),
    );
    let count = notes
        .list()
        .filter(json!([["marker", "=", t.run]]))
        .count()
        .await
        .expect("count");
    o.note("count", json!(count));
    let rows = notes
        .list()
        .fields(["title", "qty"])
        .filter(json!([["marker", "=", t.run]]))
        .order_by("title asc")
        .all()
        .send()
        .await
        .expect("list");
    o.note("list", serde_json::to_value(&rows).expect("json"));
    note_refusals(&mut o, &notes, t).await;
    notes.delete(&name).await.expect("delete");
    o.finish()
}

/// `frappe.desk.reportview.get` as `ListRequest::report_view` sends it: compressed rows; none
/// is `[]`.
pub async fn report_view(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    for (title, qty) in [("r1", 1), ("r2", 2)] {
        let created = t.insert(&dt, json!({"title": title, "qty": qty})).await;
        o.name(created.name(), title);
    }
    let get = |pairs: Vec<(&str, Value)>| {
        let path = format!("{}?{}", method("frappe.desk.reportview.get"), query(&pairs));
        async move { t.get(&path).await }
    };
    o.step(
        "fields, filters, order, page",
        &get(vec![
            ("doctype", json!(dt)),
            ("fields", json!(["title", "qty", "name"])),
            ("filters", json!([["marker", "=", t.run]])),
            ("order_by", json!("qty desc")),
            ("start", json!(0)),
            ("page_length", json!(10)),
        ])
        .await,
    );
    o.step(
        "no rows",
        &get(vec![
            ("doctype", json!(dt)),
            ("fields", json!(["title"])),
            ("filters", json!([["marker", "=", t.run], ["qty", ">", 5]])),
        ])
        .await,
    );
    o.finish()
}

/// `frappe.client.rename_doc`: the document and the Links to it renamed, the errors for a
/// taken, missing or unchanged name, a merge.
pub async fn rename(t: &Target) -> Value {
    let dt = name("Renamable");
    let mut o = Observation::new(t);
    let (a, b, a2) = (
        format!("RA-{}", t.run),
        format!("RB-{}", t.run),
        format!("RA2-{}", t.run),
    );
    o.name(a2.clone(), "a2");
    o.name(a.clone(), "a");
    o.name(b.clone(), "b");
    t.insert(&dt, json!({"name": a, "title": "a"})).await;
    t.insert(&dt, json!({"name": b, "title": "b", "ref": a}))
        .await;
    let note = t.insert(&name("Note"), json!({"title": "n"})).await;
    o.name(note.name(), "note");
    let rename = |doctype: &str, old: &str, new: &str, merge: bool| {
        let body = json!({"doctype": doctype, "old_name": old, "new_name": new, "merge": merge});
        async move { t.post(&method("frappe.client.rename_doc"), &body).await }
    };
    // DocType's `allow_rename` defaults to 1: a DocType created without it allows renames.
    let renamed = format!("x-{}", t.run);
    o.name(renamed.clone(), "renamed note");
    o.step(
        "allow_rename left out",
        &rename(&name("Note"), &note.name(), &renamed, false).await,
    );
    o.step("rename", &rename(&dt, &a, &a2, false).await);
    o.note(
        "the link follows",
        t.get(&t.doc(&dt, &b)).await.data()["ref"].clone(),
    );
    o.outcome("old name", &t.get(&t.doc(&dt, &a)).await);
    o.step("taken", &rename(&dt, &a2, &b, false).await);
    o.outcome(
        "missing",
        &rename(&dt, &format!("nope-{}", t.run), &a, false).await,
    );
    o.step("unchanged", &rename(&dt, &a2, &a2, false).await);
    o.step("merge", &rename(&dt, &a2, &b, true).await);
    o.outcome("merged away", &t.get(&t.doc(&dt, &a2)).await);
    o.finish()
}

/// `frappe_runtime::Client` built for API v2 (`/api/v2/document`, `/api/v2/method`, the v2
/// count, document methods in the path): CRUD, a list with paging, a count, a method, a document
/// method, its errors.
pub async fn runtime_client_v2(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    let client = t.client_v2();
    let notes = client.doctype(&dt);
    let mut names = Vec::new();
    for (title, qty) in [("v2 a", 2), ("v2 b", 5), ("v2 c", 7)] {
        let created = notes
            .insert(&json!({"title": title, "qty": qty, "marker": t.run}))
            .await
            .expect("insert");
        let created: Value = serde_json::to_value(&created).expect("row as JSON");
        let name = created["name"].as_str().unwrap_or_default().to_owned();
        o.name(name.clone(), title);
        if names.is_empty() {
            o.note("insert", created);
        }
        names.push(name);
    }
    let got = notes.get(&names[0]).await.expect("get");
    o.note("get", serde_json::to_value(&got).expect("json"));
    let updated = notes
        .update(&names[0], &json!({"status": "Closed", "qty": "3"}))
        .await
        .expect("update");
    let updated = serde_json::to_value(&updated).expect("json");
    o.note(
        "update",
        json!({"status": updated["status"], "qty": updated["qty"]}),
    );
    let count = notes
        .list()
        .filter(json!([["marker", "=", t.run]]))
        .count()
        .await
        .expect("count");
    o.note("count", json!(count));
    let page = notes
        .list()
        .fields(["title", "qty"])
        .filter(json!([["marker", "=", t.run]]))
        .order_by("title asc")
        .start(1)
        .limit(1)
        .send()
        .await
        .expect("page");
    o.note(
        "second page of one",
        serde_json::to_value(&page).expect("json"),
    );
    let rows = notes
        .list()
        .fields(["title", "qty"])
        .filter(json!([["qty", ">", 2], ["marker", "=", t.run]]))
        .order_by("qty desc")
        .all()
        .send()
        .await
        .expect("list");
    o.note("list", serde_json::to_value(&rows).expect("json"));
    let value: Value = client
        .call("frappe.client.get_value")
        .arg("doctype", &dt)
        .arg("fieldname", json!(["title", "qty"]))
        .arg("filters", &names[1])
        .get()
        .await
        .expect("a v2 method");
    o.note("method get_value", value);
    let order = client
        .doctype(name("Order"))
        .insert(&json!({"customer": "v2", "marker": t.run}))
        .await
        .expect("an order");
    let order_name = serde_json::to_value(&order).expect("json")["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    o.name(order_name.clone(), "order");
    let submitted: Value = client
        .doctype(name("Order"))
        .run_doc_method(&order_name, "submit", &())
        .await
        .expect("submit");
    o.note("document method submit", submitted["docstatus"].clone());
    note_refusals(&mut o, &notes, t).await;
    let err = client
        .doctype(name("Order"))
        .run_doc_method::<Value>(&order_name, "save", &())
        .await
        .expect_err("not whitelisted");
    o.note("not whitelisted", json!([err.status(), err.exc_type()]));
    for name in &names {
        notes.delete(name).await.expect("delete");
    }
    o.note(
        "count after delete",
        json!(
            notes
                .list()
                .filter(json!([["marker", "=", t.run]]))
                .count()
                .await
                .expect("count")
        ),
    );
    o.finish()
}
