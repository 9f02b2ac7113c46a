//! docstatus: submit through PUT, what may change after submit, delete of a submitted
//! document, cancel, amend.

use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;

/// Submit, edit after submit (refused; allowed field), delete (refused), cancel, edit cancelled
/// (refused), amend (`<name>-1`, then `-2`).
pub async fn submit_update_after_submit_cancel_amend(t: &Target) -> Value {
    let dt = name("Order");
    let mut o = Observation::new(t);
    let created = t
        .insert(
            &dt,
            json!({"customer": "Ada", "items": [{"item": "Widget", "qty": 1}]}),
        )
        .await;
    let order = created.name();
    o.name(order.clone(), "order");
    let path = t.doc(&dt, &order);
    o.step("submit", &t.put(&path, &json!({"docstatus": 1})).await);
    o.step(
        "change customer",
        &t.put(&path, &json!({"customer": "Bob"})).await,
    );
    o.outcome(
        "change remarks",
        &t.put(&path, &json!({"remarks": "late"})).await,
    );
    o.step("delete submitted", &t.delete(&path).await);
    o.outcome("cancel", &t.put(&path, &json!({"docstatus": 2})).await);
    o.step(
        "edit cancelled",
        &t.put(&path, &json!({"remarks": "x"})).await,
    );
    let amended = t
        .insert(
            &dt,
            json!({"customer": "Ada", "amended_from": order,
                            "items": [{"item": "Widget", "qty": 2}]}),
        )
        .await;
    o.step("amend", &amended);
    let amended_path = t.doc(&dt, &amended.name());
    o.outcome(
        "submit amendment",
        &t.put(&amended_path, &json!({"docstatus": 1})).await,
    );
    o.outcome(
        "cancel amendment",
        &t.put(&amended_path, &json!({"docstatus": 2})).await,
    );
    let again = t
        .insert(
            &dt,
            json!({"customer": "Ada", "amended_from": amended.name()}),
        )
        .await;
    o.note("second amendment", json!(again.name()));
    o.finish()
}

/// Draft to cancelled and submitted to draft are refused; docstatus 2 on insert too.
pub async fn invalid_transitions(t: &Target) -> Value {
    let dt = name("Order");
    let mut o = Observation::new(t);
    let created = t.insert(&dt, json!({"customer": "Ada"})).await;
    o.name(created.name(), "order");
    let path = t.doc(&dt, &created.name());
    o.step(
        "draft to cancelled",
        &t.put(&path, &json!({"docstatus": 2})).await,
    );
    o.outcome("submit", &t.put(&path, &json!({"docstatus": 1})).await);
    o.step(
        "submitted to draft",
        &t.put(&path, &json!({"docstatus": 0})).await,
    );
    o.step(
        "insert cancelled",
        &t.insert(&dt, json!({"customer": "x", "docstatus": 2}))
            .await,
    );
    let submitted = t
        .insert(&dt, json!({"customer": "x", "docstatus": 1}))
        .await;
    o.note(
        "insert submitted",
        json!([submitted.status, submitted.data()["docstatus"]]),
    );
    o.finish()
}
