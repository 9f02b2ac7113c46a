//! Mandatory fields a site holds `null` in: Frappe checks `reqd` only when a document is saved,
//! so a field made mandatory after documents existed (here: our Custom Fields on the real Note,
//! `fixtures/custom_field.json`), rows imported by SQL and Singles never saved read back `null`,
//! or without the key. Every typed read must still decode; writes send what the struct holds.

use std::time::Duration;

use frappe_runtime::Changes;
use frappe_tests::late_mandatory::desk::{Note, NoteXKind};
use frappe_tests::support::{clients, core};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The Custom Fields of `fixtures/custom_field.json`, every one `reqd: 1`.
const CUSTOM: &[&str] = &[
    "x_region",
    "x_due",
    "x_started",
    "x_at",
    "x_kind",
    "x_parent_note",
    "x_assignee",
    "x_ref_type",
    "x_ref",
    "x_payload",
    "x_hours",
    "x_count",
    "x_done",
];

/// The Note the site returned on insert (transcript 122), before the Custom Fields existed.
fn recorded_note() -> Value {
    core(122).response_json()["data"].clone()
}

/// The recorded note as the site answers once the fields exist: `null` in each.
fn with_null_custom_fields() -> Value {
    let mut note = recorded_note();
    for field in CUSTOM {
        note[field] = Value::Null;
    }
    note
}

fn assert_empty(note: &Note) {
    assert_eq!(note.x_region, "");
    assert_eq!(note.x_due, None);
    assert_eq!(note.x_started, None);
    assert_eq!(note.x_at, None);
    assert_eq!(note.x_kind, None);
    assert_eq!(note.x_parent_note, None);
    assert_eq!(note.x_assignee, None);
    assert_eq!(note.x_ref_type, None);
    assert_eq!(note.x_ref, None);
    assert_eq!(note.x_payload, None);
    assert_eq!(note.x_hours, 0.0);
    assert_eq!(note.x_count, 0);
    assert!(!note.x_done);
}

#[test]
fn null_mandatory_fields_decode() {
    let note: Note = serde_json::from_value(with_null_custom_fields()).unwrap();
    assert_empty(&note);
    assert_eq!(note.title, "Admin note");
}

#[test]
fn absent_or_null_fields_decode_into_a_bare_name() {
    // `title` is mandatory in Frappe's own Note; the others are our mandatory Custom Fields.
    for body in [
        json!({"name": "x"}),
        json!({"name": "x", "title": null, "x_region": null, "x_due": null, "x_kind": null,
               "x_parent_note": null, "x_ref": null, "x_payload": null}),
    ] {
        let note: Note = serde_json::from_value(body.clone())
            .unwrap_or_else(|e| panic!("{body} does not decode: {e}"));
        assert_eq!(note.name, "x");
        assert_eq!(note.title, "");
        assert!(note.seen_by.is_empty());
        assert_empty(&note);
    }
}

#[test]
fn writes_send_what_the_struct_holds() {
    let mut note: Note = serde_json::from_value(with_null_custom_fields()).unwrap();
    // A whole document sends every plain field as it is (the empty region included) and
    // leaves out the unset options.
    let sent = serde_json::to_value(&note).unwrap();
    assert_eq!(sent["x_region"], "");
    assert_eq!(sent["x_hours"], 0.0);
    assert!(sent.get("x_due").is_none() && sent.get("x_kind").is_none());
    note.x_kind = Some(NoteXKind::North);
    let sent = serde_json::to_value(&note).unwrap();
    assert_eq!(sent["x_kind"], "North");
    // Changes send only what was set, mandatory or not.
    let changes = Changes::<Note>::new()
        .set(Note::x_region, "South coast")
        .set(Note::x_kind, NoteXKind::South);
    let sent = serde_json::to_value(&changes).unwrap();
    assert_eq!(sent, json!({"x_region": "South coast", "x_kind": "South"}));
}

#[tokio::test]
async fn a_typed_list_reads_notes_saved_before_the_fields_were_mandatory() {
    let server = MockServer::start().await;
    let rows = json!({"data": [with_null_custom_fields(), {"name": "bare"}]});
    Mock::given(method("GET"))
        .and(path("/api/resource/Note"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rows))
        .expect(1)
        .mount(&server)
        .await;
    let notes = tokio::time::timeout(
        Duration::from_secs(30),
        clients::token(&server.uri()).list::<Note>().send(),
    )
    .await
    .expect("the mock answers")
    .expect("every row decodes");
    assert_eq!(notes.len(), 2);
    for note in &notes {
        assert_empty(note);
    }
    assert_eq!(notes[1].name, "bare");
}
