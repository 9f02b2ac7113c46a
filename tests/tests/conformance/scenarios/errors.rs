//! Error answers: status, `exc_type`, `exception`, `_server_messages`.

use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;
use crate::target::{As, Body, seg};

/// A missing document: GET, PUT and DELETE answer 404 DoesNotExistError.
pub async fn missing_documents(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    let missing = format!("missing-{}", t.run);
    o.name(missing.clone(), "missing");
    let path = t.doc(&dt, &missing);
    o.step("get", &t.get(&path).await);
    o.step("put", &t.put(&path, &json!({"title": "x"})).await);
    o.step("delete", &t.delete(&path).await);
    o.finish()
}

/// Mandatory fields, of the document and of its rows.
pub async fn mandatory_fields(t: &Target) -> Value {
    let mut o = Observation::new(t);
    let note = t.insert(&name("Note"), json!({"qty": 1})).await;
    o.step("note without title", &note);
    let order = t
        .insert(&name("Order"), json!({"items": [{"qty": 1}]}))
        .await;
    o.step("order without customer and row item", &order);
    o.finish()
}

/// A value not among a Select's options.
pub async fn invalid_select(t: &Target) -> Value {
    let mut o = Observation::new(t);
    o.step(
        "note",
        &t.insert(&name("Note"), json!({"title": "x", "status": "Bogus"}))
            .await,
    );
    o.step(
        "row",
        &t.insert(
            &name("Order"),
            json!({"customer": "c", "items": [{"item": "i", "kind": "C"}]}),
        )
        .await,
    );
    o.finish()
}

/// A Link to a document that does not exist.
pub async fn invalid_link(t: &Target) -> Value {
    let mut o = Observation::new(t);
    let missing = format!("nowhere-{}", t.run);
    o.name(missing.clone(), "missing");
    o.step(
        "link",
        &t.insert(&name("Note"), json!({"title": "x", "ref": missing}))
            .await,
    );
    let target = t.insert(&name("Note"), json!({"title": "target"})).await;
    o.outcome(
        "existing link",
        &t.insert(&name("Note"), json!({"title": "y", "ref": target.name()}))
            .await,
    );
    o.finish()
}

/// Deleting a document another one links to: LinkExistsError; after the link is gone, it goes.
pub async fn delete_linked(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    let target = t.insert(&dt, json!({"title": "target"})).await;
    o.name(target.name(), "target");
    let linking = t
        .insert(&dt, json!({"title": "linking", "ref": target.name()}))
        .await;
    o.name(linking.name(), "linking");
    o.step(
        "delete linked",
        &t.delete(&t.doc(&dt, &target.name())).await,
    );
    o.outcome(
        "delete the linking one",
        &t.delete(&t.doc(&dt, &linking.name())).await,
    );
    o.outcome(
        "delete, no longer linked",
        &t.delete(&t.doc(&dt, &target.name())).await,
    );
    o.finish()
}

/// A `unique` field holding a value another document has.
pub async fn unique_values(t: &Target) -> Value {
    let dt = name("Unique");
    let mut o = Observation::new(t);
    let email = format!("{}@example.com", t.run);
    let first = t.insert(&dt, json!({"email": email, "title": "a"})).await;
    o.name(first.name(), "first");
    o.outcome("first", &first);
    o.step(
        "same value",
        &t.insert(&dt, json!({"email": email, "title": "b"})).await,
    );
    o.step(
        "same value, other case",
        &t.insert(&dt, json!({"email": email.to_uppercase(), "title": "c"}))
            .await,
    );
    o.outcome(
        "empty values twice",
        &t.insert(&dt, json!({"email": "", "title": "d"})).await,
    );
    o.outcome(
        "empty values twice (2)",
        &t.insert(&dt, json!({"email": "", "title": "e"})).await,
    );
    o.finish()
}

/// An API v2 error body with its `exception` (Frappe's whole traceback) cut to the last line.
fn v2_error(resp: &crate::target::Resp) -> Value {
    let mut body = resp.body.clone();
    if let Some(errors) = body.get_mut("errors").and_then(Value::as_array_mut) {
        for e in errors {
            if let Some(Value::String(tb)) = e.get("exception") {
                let last = tb
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("");
                e["exception"] = Value::String(last.to_owned());
            }
        }
    }
    json!({"status": resp.status, "body": body})
}

/// API v2's error bodies (`errors`, `messages`): a missing document, a mandatory field, a
/// method that is not whitelisted, a user without the right.
pub async fn api_v2_errors(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    let v2 = |rest: String| format!("/api/v2/{rest}");
    let missing = t
        .get(&v2(format!(
            "document/{}/{}",
            seg(&dt),
            seg(&format!("gone-{}", t.run))
        )))
        .await;
    o.note("missing document", v2_error(&missing));
    let mandatory = t
        .post(
            &v2(format!("document/{}", seg(&dt))),
            &json!({"qty": 1, "marker": t.run}),
        )
        .await;
    o.note("mandatory", v2_error(&mandatory));
    let created = t.insert(&dt, json!({"title": "v2 errors"})).await;
    o.name(created.name(), "note");
    let not_whitelisted = t
        .post(
            &v2(format!(
                "document/{}/{}/method/save",
                seg(&dt),
                seg(&created.name())
            )),
            &json!({}),
        )
        .await;
    o.note(
        "document method not whitelisted",
        v2_error(&not_whitelisted),
    );
    let shared = t
        .insert(&name("Shared"), json!({"title": "v2 shared"}))
        .await;
    o.name(shared.name(), "shared");
    let denied = t
        .request(
            reqwest::Method::PUT,
            &v2(format!(
                "document/{}/{}",
                seg(&name("Shared")),
                seg(&shared.name())
            )),
            Body::Json(json!({"title": "changed"})),
            As::Limited,
        )
        .await;
    o.note("update without write", v2_error(&denied));
    o.finish()
}
