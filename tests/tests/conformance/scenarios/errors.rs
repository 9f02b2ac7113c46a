//! Error answers: status, `exc_type`, `exception`, `_server_messages`.

use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;

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
