//! Lists: fields, order_by, paging, every filter operator frappe-runtime's filters send, with
//! MariaDB's comparison rules (case, NULL), or_filters and the dict forms.

use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;

/// Five Notes of this run: titles, statuses, numbers, dates, one with NULLs.
async fn seed(t: &Target, o: &mut Observation<'_>) {
    let rows = [
        json!({"title": "alpha", "status": "Open", "qty": 5, "amount": 1.5, "note_date": "2024-01-10", "body": "Hello World"}),
        json!({"title": "Beta", "status": "Closed", "qty": 2, "amount": 20.0, "note_date": "2024-02-01", "body": "50% off"}),
        json!({"title": "gamma", "status": "On Hold", "qty": 9, "amount": 3.0, "done": 1}),
        json!({"title": "Delta", "status": "Open", "qty": 0, "amount": 0, "note_date": "2024-03-15", "body": ""}),
        json!({"title": "epsilon_1", "status": "Closed", "qty": 5, "amount": 7.25, "note_date": "2023-12-31", "body": "hello"}),
    ];
    for row in rows {
        let title = row["title"].as_str().unwrap_or_default().to_owned();
        let created = t.insert(&name("Note"), row).await;
        assert_eq!(created.status, 200, "seeding {title}: {}", created.body);
        o.name(created.name(), &title);
    }
}

/// The titles of a list answer (or its error).
fn titles(resp: &crate::target::Resp) -> Value {
    match resp.data().as_array() {
        Some(rows) if resp.status == 200 => rows.iter().map(|r| r["title"].clone()).collect(),
        _ => json!({"status": resp.status, "exc_type": resp.body.get("exc_type")}),
    }
}

/// Default fields, `*`, named fields with an alias, order_by, limit_start/limit_page_length,
/// `limit`, page length 0, as_dict=0, an unknown field.
pub async fn fields_order_and_paging(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    seed(t, &mut o).await;
    // Frappe 15.44 sends no ORDER BY without `order_by`: the order is unspecified, so only the
    // rows' keys and the set of names are compared.
    let default = t.list(&dt, &[]).await;
    let mut names: Vec<String> = default
        .data()
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| o.placeholder(&r["name"]))
        .collect();
    names.sort();
    o.note("default fields (sorted)", json!(names));
    o.step(
        "named fields, order by qty then title",
        &t.list(
            &dt,
            &[
                (
                    "fields",
                    json!([
                        "title",
                        "qty",
                        "amount",
                        "done",
                        "note_date",
                        "body",
                        "status as state"
                    ]),
                ),
                ("order_by", json!("qty desc, title asc")),
            ],
        )
        .await,
    );
    let star = t
        .list(
            &dt,
            &[
                ("fields", json!(["*"])),
                ("order_by", json!("title asc")),
                ("limit_page_length", json!(1)),
            ],
        )
        .await;
    o.step("star, one row", &star);
    let page = |start: i64, len: i64| {
        vec![
            ("fields", json!(["title"])),
            ("order_by", json!("title asc")),
            ("limit_start", json!(start)),
            ("limit_page_length", json!(len)),
        ]
    };
    o.note("page 2 of 2", titles(&t.list(&dt, &page(2, 2)).await));
    o.note("page length 0", titles(&t.list(&dt, &page(0, 0)).await));
    o.note(
        "limit alias",
        titles(
            &t.list(
                &dt,
                &[
                    ("fields", json!(["title"])),
                    ("order_by", json!("title asc")),
                    ("limit", json!(3)),
                ],
            )
            .await,
        ),
    );
    o.step(
        "as_dict=0",
        &t.list(
            &dt,
            &[
                ("fields", json!(["title", "qty"])),
                ("order_by", json!("title asc")),
                ("as_dict", json!(0)),
                ("limit_page_length", json!(2)),
            ],
        )
        .await,
    );
    o.outcome(
        "unknown field",
        &t.list(&dt, &[("fields", json!(["nope"]))]).await,
    );
    o.finish()
}

/// Each operator: =, !=, >, <, >=, <=, like, not like, in, not in, is set, is not set, between;
/// on text (case-insensitive), numbers, dates and NULLs.
pub async fn operators(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    seed(t, &mut o).await;
    let cases = [
        ("= text, other case", json!(["title", "=", "ALPHA"])),
        ("!= text", json!(["status", "!=", "Open"])),
        ("!= on NULL date", json!(["note_date", "!=", "2024-01-10"])),
        ("> number", json!(["qty", ">", 2])),
        ("< number", json!(["qty", "<", 5])),
        (">= float", json!(["amount", ">=", 3])),
        ("<= float", json!(["amount", "<=", 3])),
        ("> text", json!(["title", ">", "c"])),
        ("> date", json!(["note_date", ">", "2024-01-31"])),
        (
            "< date (NULL excluded?)",
            json!(["note_date", "<", "2024-01-31"]),
        ),
        ("like", json!(["body", "like", "%world%"])),
        ("like prefix", json!(["body", "like", "hel%"])),
        ("like underscore", json!(["title", "like", "epsilon_%"])),
        ("like escaped percent", json!(["body", "like", "50\\%%"])),
        ("not like (NULL as '')", json!(["body", "not like", "%o%"])),
        ("in", json!(["status", "in", ["Open", "on hold"]])),
        ("in comma string", json!(["status", "in", "Closed,On Hold"])),
        ("not in", json!(["status", "not in", ["Open"]])),
        ("is set", json!(["body", "is", "set"])),
        ("is not set", json!(["body", "is", "not set"])),
        ("is set date", json!(["note_date", "is", "set"])),
        (
            "between dates",
            json!(["note_date", "between", ["2024-01-01", "2024-02-01"]]),
        ),
        ("= check", json!(["done", "=", 1])),
        ("= 0 int", json!(["qty", "=", 0])),
    ];
    for (label, filter) in cases {
        let resp = t
            .list(
                &dt,
                &[
                    ("fields", json!(["title"])),
                    ("filters", json!([filter])),
                    ("order_by", json!("title asc")),
                ],
            )
            .await;
        o.note(label, titles(&resp));
    }
    o.finish()
}

/// or_filters (list form), filters and or_filters together, dict filters with an operator.
pub async fn or_filters_and_dict_filters(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    seed(t, &mut o).await;
    let base = |extra: Vec<(&'static str, Value)>| {
        let mut p = vec![
            ("fields", json!(["title"])),
            ("order_by", json!("title asc")),
        ];
        p.extend(extra);
        p
    };
    o.note(
        "or_filters",
        titles(
            &t.list(
                &dt,
                &base(vec![(
                    "or_filters",
                    json!([["qty", "=", 9], ["status", "=", "Closed"]]),
                )]),
            )
            .await,
        ),
    );
    o.note(
        "filters and or_filters",
        titles(
            &t.list(
                &dt,
                &base(vec![
                    ("filters", json!([["qty", ">=", 2]])),
                    (
                        "or_filters",
                        json!([["title", "like", "%a"], ["title", "like", "e%"]]),
                    ),
                ]),
            )
            .await,
        ),
    );
    o.note(
        "dict filters",
        titles(
            &t.list(&dt, &base(vec![("filters", json!({"status": "Open"}))]))
                .await,
        ),
    );
    o.note(
        "dict filter with operator",
        titles(
            &t.list(&dt, &base(vec![("filters", json!({"qty": [">", 4]}))]))
                .await,
        ),
    );
    o.note(
        "4-element filter",
        titles(
            &t.list(&dt, &base(vec![("filters", json!([[dt, "qty", "<", 3]]))]))
                .await,
        ),
    );
    o.finish()
}

/// group_by with aggregate fields, and counts.
pub async fn group_by_and_aggregates(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    seed(t, &mut o).await;
    o.step(
        "count by status",
        &t.list(
            &dt,
            &[
                ("fields", json!(["status", "count(name) as n"])),
                ("group_by", json!("status")),
                ("order_by", json!("status asc")),
            ],
        )
        .await,
    );
    o.step(
        "sum and max by status",
        &t.list(
            &dt,
            &[
                (
                    "fields",
                    json!(["status", "sum(qty) as total", "max(amount) as top"]),
                ),
                ("group_by", json!("status")),
                ("order_by", json!("status asc")),
            ],
        )
        .await,
    );
    o.step(
        "count(*) without group_by",
        &t.list(&dt, &[("fields", json!(["count(*) as n"]))]).await,
    );
    o.finish()
}

/// Child rows listed by themselves need `parent`; with it they come back with their parent
/// fields.
pub async fn child_rows(t: &Target) -> Value {
    let mut o = Observation::new(t);
    let order = t
        .insert(
            &name("Order"),
            json!({"customer": "c", "items": [
            {"item": "a", "qty": 1}, {"item": "b", "qty": 2}]}),
        )
        .await;
    o.name(order.name(), "order");
    for (i, row) in order.data()["items"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        o.name(
            row["name"].as_str().unwrap_or_default(),
            &format!("row{}", i + 1),
        );
    }
    let item = name("Item");
    let filters = json!([["parent", "=", order.name()]]);
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair(
        "fields",
        &json!(["item", "qty", "parent", "idx"]).to_string(),
    );
    q.append_pair("filters", &filters.to_string());
    q.append_pair("order_by", "idx asc");
    let base = format!("{}?{}", t.resource(&item), q.finish());
    o.outcome("without parent", &t.get(&base).await);
    o.step(
        "with parent",
        &t.get(&format!(
            "{base}&parent={}",
            crate::target::seg(&name("Order"))
        ))
        .await,
    );
    o.finish()
}
