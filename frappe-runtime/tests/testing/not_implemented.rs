//! What the test site does not implement answers 501 naming it, never a wrong answer.

use frappe_runtime::Client;
use frappe_runtime::testing::TestSite;
use serde_json::{Value, json};

use crate::note_json;

/// The error of a request that must fail (the panic names the caller's line).
#[track_caller]
fn failed<T: std::fmt::Debug>(result: frappe_runtime::Result<T>) -> frappe_runtime::Error {
    result.expect_err("an error")
}

#[tokio::test]
async fn what_is_not_implemented_answers_501_naming_it() {
    use frappe_runtime::file::UploadFile;
    let site = TestSite::builder()
        .doctype_json(json!({"name": "Settings", "issingle": 1, "fields": [
            {"fieldname": "flag", "fieldtype": "Check"}]}))
        .doctype_json(json!({"name": "Config", "issingle": 1, "fields": [
            {"fieldname": "rows", "fieldtype": "Table", "options": "Config Row"}]}))
        .doctype_json(json!({"name": "Config Row", "istable": 1, "fields": [
            {"fieldname": "label", "fieldtype": "Data"}]}))
        .doctype_json(json!({"name": "Ticket", "autoname": "format:T-{####}", "fields": []}))
        .doctype_json(json!({"name": "Visit", "fields": [
            {"fieldname": "customer", "fieldtype": "Link", "options": "Customer"},
            {"fieldname": "ref_type", "fieldtype": "Data"},
            {"fieldname": "ref_name", "fieldtype": "Dynamic Link", "options": "ref_type"}]}))
        .doctype_json(json!({"name": "Workflow", "fields": [
            {"fieldname": "document_type", "fieldtype": "Data"}]}))
        .doctype_json(json!({"name": "Document Naming Rule", "fields": [
            {"fieldname": "document_type", "fieldtype": "Data"}]}))
        .doctype_json(note_json())
        .start()
        .await
        .expect("site");
    let client = site.client();
    let v2 = client.with_api_version(frappe_runtime::ApiVersion::V2);
    let post =
        |client: &Client, method: &str, args: Value| client.call(method).args(args).post::<Value>();
    let list_with = |field: &str| client.doctype("Note").list().fields([field]);
    let single = json!({"doc": {"doctype": "Settings", "name": "Settings"}});
    let rename = json!({"doctype": "Settings", "old_name": "Settings", "new_name": "Other"});
    let unsaved = json!({"docs": {"doctype": "Note", "__islocal": 1}, "method": "greet"});
    let note = client
        .doctype("Note")
        .insert(&json!({"title": "Renamed?"}))
        .await
        .expect("a note")["name"]
        .as_str()
        .expect("its name")
        .to_owned();
    let comment = json!({"dt": "Note", "dn": note.clone(), "method": "add_comment"});
    let set_row = json!({"doctype": "Config Row", "name": "x", "fieldname": "label", "value": 1});
    let note_of_task = json!([["Task", "subject", "=", "x"]]);
    let file = |bytes: &'static [u8]| UploadFile::bytes("taken.txt", bytes);
    client.upload(file(b"one")).await.expect("first upload");
    let visit = client.doctype("Visit");
    // (what the answer names, the answer)
    for (named, err) in [
        (
            "Single DocType Settings",
            failed(post(&client, "frappe.client.rename_doc", rename).await),
        ),
        (
            "Single DocType Settings",
            failed(post(&client, "frappe.client.submit", single.clone()).await),
        ),
        (
            "Single DocType Settings",
            failed(post(&client, "frappe.client.save", single).await),
        ),
        (
            "Table fields on the Single",
            failed(client.doctype("Config").get("Config").await),
        ),
        (
            "format:",
            failed(client.doctype("Ticket").insert(&json!({})).await),
        ),
        (
            "not saved",
            failed(post(&client, "run_doc_method", unsaved).await),
        ),
        (
            "`rename` as a document method",
            failed(
                client
                    .doctype("Note")
                    .run_doc_method::<Value>(&note, "rename", &json!({"name": "Other"}))
                    .await,
            ),
        ),
        (
            "`add_comment` as a document method",
            failed(post(&client, "run_doc_method", comment).await),
        ),
        (
            "API v2's run_doc_method",
            failed(post(&v2, "run_doc_method", json!({})).await),
        ),
        (
            "register it with TestSiteBuilder::method",
            failed(post(&client, "frappe.model.workflow.get_transitions", json!({})).await),
        ),
        (
            "Workflow documents",
            failed(
                client
                    .doctype("Workflow")
                    .insert(&json!({"document_type": "Note"}))
                    .await,
            ),
        ),
        (
            "Document Naming Rule documents",
            failed(
                client
                    .doctype("Document Naming Rule")
                    .insert(&json!({"document_type": "Note"}))
                    .await,
            ),
        ),
        (
            "(distinct)",
            failed(list_with("count(distinct title)").send().await),
        ),
        (
            "the field expression \"upper(title)\"",
            failed(list_with("upper(title)").send().await),
        ),
        (
            "a list there must be [operator, value]",
            failed(
                post(
                    &client,
                    "frappe.client.get_list",
                    json!({"doctype": "Note", "filters": {"title": ["a", "b", "c"]}}),
                )
                .await,
            ),
        ),
        (
            "another table",
            failed(list_with("`tabTask`.subject").send().await),
        ),
        (
            "another DocType",
            failed(
                client
                    .doctype("Note")
                    .list()
                    .filter(note_of_task)
                    .send()
                    .await,
            ),
        ),
        ("/meta", failed(client.doctype_meta("Note").await)),
        (
            "bulk_update",
            failed(post(&client, "frappe.client.bulk_update", json!({})).await),
        ),
        (
            "target DocType \"Customer\" is not on the test site",
            failed(visit.insert(&json!({"customer": "C-1"})).await),
        ),
        (
            "target DocType \"Lead\" is not on the test site",
            failed(
                visit
                    .insert(&json!({"ref_type": "Lead", "ref_name": "L-1"}))
                    .await,
            ),
        ),
        (
            "a second file named \"taken.txt\" (Frappe renames it",
            failed(client.upload(file(b"two")).await),
        ),
        (
            "Config Row row by itself",
            failed(client.doctype("Config Row").insert(&json!({})).await),
        ),
        (
            "on a child row",
            failed(post(&client, "frappe.client.set_value", set_row).await),
        ),
    ] {
        assert_eq!(err.status(), Some(501), "{named}: {err}");
        assert_eq!(
            err.exc_type(),
            Some("NotImplementedError"),
            "{named}: {err}"
        );
        assert!(err.to_string().contains(named), "{named}: {err}");
    }
}
