//! Controller methods of documents: v1's `run_method` (POST, and GET with it in the query) and
//! `/api/method/run_doc_method`, with Document's whitelisted `submit` and `cancel`, Frappe's
//! refusals (a method that is not whitelisted, one that does not exist, a missing document, a
//! user without the right), and the same call through `frappe_runtime::Client`.

use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;
use crate::target::{As, Body};

/// Submit and cancel through run_method and run_doc_method; the refusals.
pub async fn document_methods(t: &Target) -> Value {
    let dt = name("Order");
    let mut o = Observation::new(t);
    let mut orders = Vec::new();
    for label in ["first", "second", "third"] {
        let created = t.insert(&dt, json!({"customer": label})).await;
        assert_eq!(created.status, 200, "{}", created.body);
        o.name(created.name(), label);
        orders.push(created.name());
    }
    let path = t.doc(&dt, &orders[0]);
    o.step(
        "v1 POST run_method submit",
        &t.post(&path, &json!({"run_method": "submit"})).await,
    );
    o.step(
        "v1 POST run_method cancel",
        &t.post(&path, &json!({"run_method": "cancel"})).await,
    );
    o.step(
        "v1 POST an unknown method",
        &t.post(&path, &json!({"run_method": "nope"})).await,
    );
    o.step(
        "v1 POST a method that is not whitelisted",
        &t.post(&path, &json!({"run_method": "save"})).await,
    );
    o.step(
        "v1 GET run_method, not whitelisted",
        &t.get(&format!("{path}?run_method=save")).await,
    );
    o.step(
        "v1 POST on a missing document",
        &t.post(
            &t.doc(&dt, &format!("missing-{}", t.run)),
            &json!({"run_method": "submit"}),
        )
        .await,
    );
    let shared = t.insert(&name("Shared"), json!({"title": "shared"})).await;
    o.name(shared.name(), "shared");
    o.step(
        "v1 POST by a user without write",
        &t.request(
            reqwest::Method::POST,
            &t.doc(&name("Shared"), &shared.name()),
            Body::Json(json!({"run_method": "submit"})),
            As::Limited,
        )
        .await,
    );
    let rpc = |method: &str, dn: &str| json!({"method": method, "dt": dt, "dn": dn});
    o.step(
        "run_doc_method submit",
        &t.post("/api/method/run_doc_method", &rpc("submit", &orders[1]))
            .await,
    );
    o.step(
        "run_doc_method an unknown method",
        &t.post("/api/method/run_doc_method", &rpc("nope", &orders[1]))
            .await,
    );
    o.step(
        "run_doc_method a method that is not whitelisted",
        &t.post("/api/method/run_doc_method", &rpc("save", &orders[1]))
            .await,
    );
    // The document sent whole (`docs`), as the desk sends it: a stale copy, then a current one.
    let fourth = t.insert(&dt, json!({"customer": "fourth"})).await;
    o.name(fourth.name(), "fourth");
    let copy = t.get(&t.doc(&dt, &fourth.name())).await.data().clone();
    let mut stale = copy.clone();
    stale["modified"] = json!("2020-01-01 00:00:00.000000");
    let whole = |doc: &Value| json!({"method": "submit", "docs": doc.to_string()});
    o.step(
        "run_doc_method submit, a stale copy sent whole",
        &t.post("/api/method/run_doc_method", &whole(&stale)).await,
    );
    o.step(
        "run_doc_method submit, the copy sent whole",
        &t.post("/api/method/run_doc_method", &whole(&copy)).await,
    );
    let client = t.client();
    let submitted: Value = client
        .doctype(&dt)
        .run_doc_method(&orders[2], "submit", &())
        .await
        .expect("submit through the client");
    o.note(
        "Client run_doc_method submit",
        json!({"name": o.placeholder(&submitted["name"]), "docstatus": submitted["docstatus"]}),
    );
    let err = client
        .doctype(&dt)
        .run_doc_method::<Value>(&orders[2], "save", &())
        .await
        .expect_err("not whitelisted");
    o.note(
        "Client run_doc_method not whitelisted",
        json!({"status": err.status(), "exc_type": err.exc_type()}),
    );
    o.finish()
}
