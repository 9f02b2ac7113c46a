//! Tree DocTypes: the nested set a real Frappe keeps (bounds shown relative to the run's root,
//! as other runs' trees share the numbering), `old_parent`, moves, Frappe's refusals (a loop, a
//! leaf with children, deleting a node with children, merging a leaf into a group), the tree
//! rebuilt after a merge, and the tree filter operators on the tree's names and on a Link to it.

use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;
use crate::target::Resp;

const PARENT: &str = "parent_frs_conf2_place";

/// Every node of the run: title, bounds relative to the root's `lft`, parent, old parent.
async fn shape(t: &Target, o: &Observation<'_>) -> Value {
    let resp = t
        .list(
            &name("Place"),
            &[
                (
                    "fields",
                    json!(["title", "lft", "rgt", "is_group", PARENT, "old_parent"]),
                ),
                ("order_by", json!("lft asc")),
            ],
        )
        .await;
    let rows = resp.data().as_array().cloned().unwrap_or_default();
    let base = rows.first().and_then(|r| r["lft"].as_i64()).unwrap_or(0);
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "title": r["title"],
                "lft": r["lft"].as_i64().map(|l| l - base),
                "rgt": r["rgt"].as_i64().map(|l| l - base),
                "is_group": r["is_group"],
                "parent": o.placeholder(&r[PARENT]),
                "old_parent": o.placeholder(&r["old_parent"]),
            })
        })
        .collect();
    json!(rows)
}

fn titles(resp: &Resp) -> Value {
    match resp.data().as_array() {
        Some(rows) if resp.status == 200 => {
            let mut t: Vec<String> = rows
                .iter()
                .map(|r| r["title"].as_str().unwrap_or_default().to_owned())
                .collect();
            t.sort();
            json!(t)
        }
        _ => json!({"status": resp.status, "exc_type": resp.body.get("exc_type")}),
    }
}

/// A root, two groups and leaves; the bounds after inserts, a move and a delete; the tree
/// operators; loops, leaves with children and deletes of nodes with children refused.
pub async fn nested_set(t: &Target) -> Value {
    let dt = name("Place");
    let mut o = Observation::new(t);
    let mut names = std::collections::HashMap::new();
    for (title, parent, group) in [
        ("root", "", 1),
        ("A", "root", 1),
        ("B", "root", 0),
        ("A1", "A", 0),
        ("A2", "A", 0),
    ] {
        let mut body = json!({"title": title, "is_group": group});
        if !parent.is_empty() {
            body[PARENT] = json!(names[parent]);
        }
        let created = t.insert(&dt, body).await;
        assert_eq!(created.status, 200, "inserting {title}: {}", created.body);
        o.name(created.name(), title);
        names.insert(title, created.name());
        if title == "A1" {
            let mut answer = created.data().clone();
            for key in ["lft", "rgt"] {
                answer[key] = json!(answer[key].as_i64().is_some());
            }
            o.note(
                "insert answer (bounds present)",
                json!({"lft": answer["lft"], "rgt": answer["rgt"],
                       "old_parent": answer["old_parent"], PARENT: answer[PARENT]}),
            );
        }
    }
    o.note("after inserts", shape(t, &o).await);
    let list = |op: &str, value: &str| {
        vec![
            ("fields", json!(["title"])),
            ("filters", json!([["name", op, value]])),
        ]
    };
    for (op, node) in [
        ("descendants of", "root"),
        ("descendants of", "A"),
        ("descendants of (inclusive)", "A"),
        ("ancestors of", "A1"),
        ("not descendants of", "A"),
        ("not ancestors of", "A2"),
        ("descendants of", "B"),
    ] {
        let resp = t.list(&dt, &list(op, &names[node])).await;
        o.note(&format!("{op} {node}"), titles(&resp));
    }
    let resp = t.list(&dt, &list("descendants of", "no such place")).await;
    o.note("descendants of an unknown node", titles(&resp));

    // A Link to the tree.
    let located = name("Located");
    for (title, place) in [
        ("at A1", Some("A1")),
        ("at B", Some("B")),
        ("nowhere", None),
    ] {
        let mut body = json!({"title": title});
        if let Some(p) = place {
            body["place"] = json!(names[p]);
        }
        let created = t.insert(&located, body).await;
        assert_eq!(created.status, 200, "inserting {title}: {}", created.body);
    }
    for (op, node) in [
        ("descendants of", "A"),
        ("descendants of (inclusive)", "B"),
        ("not descendants of", "A"),
        ("ancestors of", "A"),
    ] {
        let resp = t
            .list(
                &located,
                &[
                    ("fields", json!(["title"])),
                    ("filters", json!([["place", op, names[node]]])),
                ],
            )
            .await;
        o.note(&format!("Link: {op} {node}"), titles(&resp));
    }

    // A2 moves under B; then B, a leaf with a child, is refused on save.
    let moved = t
        .put(&t.doc(&dt, &names["A2"]), &json!({PARENT: names["B"]}))
        .await;
    o.note(
        "move A2 under B",
        json!({"status": moved.status, "old_parent": o.placeholder(&moved.data()["old_parent"])}),
    );
    o.note("after the move", shape(t, &o).await);
    let resp = t
        .put(&t.doc(&dt, &names["B"]), &json!({"title": "B"}))
        .await;
    o.step("save B, a leaf with a child", &resp);
    let resp = t
        .put(&t.doc(&dt, &names["A"]), &json!({PARENT: names["A1"]}))
        .await;
    o.step("move A under its own child", &resp);
    let resp = t.delete(&t.doc(&dt, &names["A"])).await;
    o.step("delete A, which has a child", &resp);
    let resp = t.delete(&t.doc(&dt, &names["A1"])).await;
    o.outcome("delete A1", &resp);
    o.note("after the delete", shape(t, &o).await);

    // Merges: a leaf into a group is refused; a leaf into a leaf rebuilds the tree.
    let c = t
        .insert(
            &dt,
            json!({"title": "C", "is_group": 0, PARENT: names["root"]}),
        )
        .await;
    assert_eq!(c.status, 200, "inserting C: {}", c.body);
    o.name(c.name(), "C");
    let rename =
        |new: &str| json!({"doctype": dt, "old_name": c.name(), "new_name": new, "merge": 1});
    o.outcome(
        "merge a leaf into a group",
        &t.post("/api/method/frappe.client.rename_doc", &rename(&names["A"]))
            .await,
    );
    o.outcome(
        "merge a leaf into a leaf",
        &t.post(
            "/api/method/frappe.client.rename_doc",
            &rename(&names["A1"]),
        )
        .await,
    );
    // The rebuild orders siblings by name (hashes here), so only each node's width and parent
    // are compared.
    let mut widths: Vec<Value> = shape(t, &o)
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let width = r["rgt"].as_i64().zip(r["lft"].as_i64()).map(|(a, b)| a - b);
            json!({"title": r["title"], "width": width, "parent": r["parent"]})
        })
        .collect();
    widths.sort_by_key(|r| r["title"].as_str().unwrap_or_default().to_owned());
    o.note("after the merge", json!(widths));
    let resp = t.list(&dt, &list("descendants of", &names["root"])).await;
    o.note("descendants of root after the merge", titles(&resp));
    o.finish()
}
