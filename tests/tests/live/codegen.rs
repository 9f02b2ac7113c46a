//! frappe-codegen against the live site: every DocType's generated struct decodes what the site
//! holds, drift is reported by `check --site`, and a Select option added later reads as the
//! catch-all.

use std::process::Command;

use frappe_runtime::{Changes, Client, Row};
use frappe_tests::live_registry::{self, Kind};
use frappe_tests::live_site::desk::{ToDo, ToDoPriority};
use serde_json::json;

use crate::support::{admin, unique, url, var};

#[tokio::test]
async fn every_doctype_of_the_site_decodes_with_its_generated_type() {
    let admin = admin();
    let probes = live_registry::all();
    assert!(probes.len() > 150, "{} DocTypes", probes.len());
    let mut failures = Vec::new();
    let mut with_rows = 0;
    for probe in &probes {
        match (probe.run)(admin.clone()).await {
            Ok(0) => {}
            Ok(_) => with_rows += 1,
            Err(e) => failures.push(format!("{} ({:?}): {e}", probe.doctype, probe.kind)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let singles = probes.iter().filter(|p| p.kind == Kind::Single).count();
    assert!(
        singles > 10 && with_rows > 40,
        "{singles} singles, {with_rows} with rows"
    );
}

/// Runs the frappe-codegen CLI (built by `.ci/live`) with the admin's credentials.
pub(crate) fn codegen(args: &[&str]) -> (i32, String) {
    let output = Command::new(var("FRAPPE_CODEGEN"))
        .args(args)
        .env("FRAPPE_URL", url())
        .env("FRAPPE_API_KEY", var("FRAPPE_TEST_API_KEY"))
        .env("FRAPPE_API_SECRET", var("FRAPPE_TEST_API_SECRET"))
        .output()
        .expect("run frappe-codegen");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[tokio::test]
async fn check_site_reports_a_custom_field_until_it_is_removed() {
    let _guard = crate::support::METADATA.lock().await;
    let admin = admin();
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("note.snapshot.json");
    let snapshot = snapshot.to_str().unwrap();
    let (code, text) = codegen(&["snapshot", "--site", "--doctype", "Note", "--out", snapshot]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = codegen(&["check", "--snapshot", snapshot, "--site"]);
    assert_eq!(code, 0, "no drift yet: {text}");

    let fieldname = unique("drift").replace('-', "_");
    let field = custom_field(&admin, "Note", &fieldname, json!({"fieldtype": "Data"})).await;
    let (code, text) = codegen(&["check", "--snapshot", snapshot, "--site"]);
    delete_custom_field(&admin, &field).await;
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&fieldname),
        "the report names the field: {text}"
    );

    let (code, text) = codegen(&["check", "--snapshot", snapshot, "--site"]);
    assert_eq!(code, 0, "no drift after removal: {text}");
}

#[tokio::test]
async fn a_select_option_added_by_property_setter_reads_as_the_catch_all() {
    let _guard = crate::support::METADATA.lock().await;
    let admin = admin();
    let setter: Row = admin
        .doctype("Property Setter")
        .insert(&json!({
            "doctype_or_field": "DocField",
            "doc_type": "ToDo",
            "field_name": "priority",
            "property": "options",
            "property_type": "Text",
            "value": "Low\nMedium\nHigh\nUrgent",
        }))
        .await
        .unwrap();
    let setter = setter["name"].as_str().unwrap().to_owned();
    let created = admin
        .create(
            &Changes::<ToDo>::new()
                .set(ToDo::description, unique("urgent").as_str())
                .set(ToDo::priority, ToDoPriority::Other("Urgent".into())),
        )
        .await;
    let read = match &created {
        Ok(todo) => Some(admin.get::<ToDo>(&todo.name).await),
        Err(_) => None,
    };
    if let Ok(todo) = &created {
        admin.delete::<ToDo>(&todo.name).await.unwrap();
    }
    admin
        .doctype("Property Setter")
        .delete(&setter)
        .await
        .unwrap();

    let created = created.unwrap();
    assert_eq!(created.priority, Some(ToDoPriority::Other("Urgent".into())));
    let read = read.unwrap().unwrap();
    assert_eq!(read.priority, Some(ToDoPriority::Other("Urgent".into())));
}

/// Adds a Custom Field (after `insert_after` defaults) and returns its name.
pub(crate) async fn custom_field(
    admin: &Client,
    doctype: &str,
    fieldname: &str,
    extra: serde_json::Value,
) -> String {
    let mut body = json!({
        "dt": doctype,
        "fieldname": fieldname,
        "label": fieldname,
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let row = admin.doctype("Custom Field").insert(&body).await.unwrap();
    row["name"].as_str().unwrap().to_owned()
}

pub(crate) async fn delete_custom_field(admin: &Client, name: &str) {
    admin.doctype("Custom Field").delete(name).await.unwrap();
}
