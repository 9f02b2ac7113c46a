//! Naming: hash, a series in `autoname`, `field:`, autoincrement, prompt.

use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::{Observation, hash_shape};

/// Hash names: a `name` in the body is ignored.
pub async fn hash_names(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    let created = t
        .insert(
            &dt,
            json!({"title": "Hash", "name": format!("given-{}", t.run)}),
        )
        .await;
    o.note("status", json!(created.status));
    o.note("name is a hash", json!(hash_shape(&created.name())));
    o.finish()
}

/// `PREFIX-.####`: the prefix, 4 digits, consecutive numbers.
pub async fn series_names(t: &Target) -> Value {
    let dt = name("Series");
    let mut o = Observation::new(t);
    let a = t.insert(&dt, json!({"title": "a"})).await.name();
    let b = t.insert(&dt, json!({"title": "b"})).await.name();
    let number = |n: &str| {
        n.strip_prefix("FRSC2S-")
            .and_then(|d| d.parse::<u32>().ok())
    };
    o.note(
        "prefix and width",
        json!([a.starts_with("FRSC2S-"), a.len()]),
    );
    o.note(
        "consecutive",
        json!(number(&b).zip(number(&a)).map(|(b, a)| b - a)),
    );
    o.finish()
}

/// `field:code`: the name is the field's value; the same value again is a DuplicateEntryError;
/// without it, "Code is required".
pub async fn field_names_and_duplicates(t: &Target) -> Value {
    let dt = name("Coded");
    let mut o = Observation::new(t);
    let code = format!("C-{}", t.run);
    o.name(code.clone(), "code");
    o.step(
        "create",
        &t.insert(&dt, json!({"code": code, "title": "x"})).await,
    );
    o.step(
        "duplicate",
        &t.insert(&dt, json!({"code": code, "title": "y"})).await,
    );
    o.step(
        "duplicate in other case",
        &t.insert(&dt, json!({"code": code.to_uppercase(), "title": "y"}))
            .await,
    );
    o.name(code.to_uppercase(), "CODE");
    o.step(
        "without the field",
        &t.insert(&dt, json!({"title": "z"})).await,
    );
    o.finish()
}

/// autoincrement: integer names, consecutive.
pub async fn autoincrement_names(t: &Target) -> Value {
    let dt = name("Counter");
    let mut o = Observation::new(t);
    let a = t.insert(&dt, json!({"title": "a"})).await;
    let b = t.insert(&dt, json!({"title": "b"})).await;
    o.note(
        "integer names",
        json!([a.data()["name"].is_i64(), b.data()["name"].is_i64()]),
    );
    o.note(
        "consecutive",
        json!(
            b.data()["name"]
                .as_i64()
                .zip(a.data()["name"].as_i64())
                .map(|(b, a)| b - a)
        ),
    );
    o.name(a.name(), "first");
    o.outcome("read by number", &t.get(&t.doc(&dt, &a.name())).await);
    o.finish()
}

/// Prompt: the body's `name`, or `__newname`; neither: a ValidationError.
pub async fn prompt_names(t: &Target) -> Value {
    let dt = name("Prompt");
    let mut o = Observation::new(t);
    let given = format!("P-{}", t.run);
    o.name(given.clone(), "given");
    o.step(
        "name",
        &t.insert(&dt, json!({"name": given, "title": "a"})).await,
    );
    let newname = format!("N-{}", t.run);
    o.name(newname.clone(), "newname");
    o.step(
        "__newname",
        &t.insert(&dt, json!({"__newname": newname, "title": "b"}))
            .await,
    );
    o.step("neither", &t.insert(&dt, json!({"title": "c"})).await);
    o.finish()
}
