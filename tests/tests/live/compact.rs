//! Compact list rows (`as_dict=0`) against the real site: the same documents as object rows,
//! and rows as objects where Frappe would drop a field from the lists of values.

use frappe_runtime::{Auth, Client, Row};
use frappe_tests::live_site::desk::{NoteSeenBy, ToDo};
use futures_util::TryStreamExt;

use crate::support::{admin, unique, url, var};

/// Administrator, lists asking for object rows.
fn admin_objects() -> Client {
    Client::builder(url())
        .auth(Auth::token(
            var("FRAPPE_TEST_API_KEY"),
            var("FRAPPE_TEST_API_SECRET"),
        ))
        .compact_rows(false)
        .build()
        .expect("admin client")
}

#[tokio::test]
async fn compact_rows_are_the_same_documents_as_object_rows() {
    let (compact, objects) = (admin(), admin_objects());
    // Typed, one request: every field of the struct.
    let list = |c: &Client| c.list::<ToDo>().order_by("name asc").limit(400).send();
    let (a, b) = (list(&compact).await.unwrap(), list(&objects).await.unwrap());
    assert_eq!(a.len(), 400, "the kit seeds more than 400 ToDos");
    assert_eq!(a, b);
    // Lists of values were asked for and sent: well under half the bytes of the objects.
    let (bytes_compact, bytes_objects) = (
        compact.stats().bytes_received,
        objects.stats().bytes_received,
    );
    assert!(
        bytes_compact * 2 < bytes_objects,
        "{bytes_compact} bytes as lists, {bytes_objects} as objects"
    );
    assert!(a.iter().any(|t| t.date.is_some()) && a.iter().any(|t| t.creation.is_some()));
    // Typed, paged by name (the last row's key read again from a compact row).
    let pages = |c: &Client| {
        c.list::<ToDo>()
            .keyset()
            .page_size(97)
            .stream()
            .try_collect::<Vec<_>>()
    };
    let (a, b) = (
        pages(&compact).await.unwrap(),
        pages(&objects).await.unwrap(),
    );
    assert!(a.len() > 400);
    assert_eq!(a, b);
    // Untyped, with fields of the caller's.
    let rows = |c: &Client| {
        c.doctype("ToDo")
            .list()
            .fields(["name", "description", "status", "modified"])
            .order_by("name desc")
            .limit(50)
            .send()
    };
    let (a, b): (Vec<Row>, Vec<Row>) =
        (rows(&compact).await.unwrap(), rows(&objects).await.unwrap());
    assert_eq!(a.len(), 50);
    assert_eq!(a, b);
    assert!(
        a.iter()
            .all(|r| r.get("description").is_some_and(|d| d.is_string()))
    );
}

#[tokio::test]
async fn a_field_frappe_drops_keeps_the_rows_objects() {
    // Note's table has no `_seen` column (it does not track views): Frappe drops the field from
    // the query, so lists of values would be one short and every value after it shifted.
    let admin = admin();
    let fields = ["name", "_seen", "modified"];
    let lists = admin
        .doctype("Note")
        .list()
        .fields(fields)
        .limit(5)
        .send_rows()
        .await
        .unwrap();
    assert!(!lists.is_empty(), "the kit seeds Notes");
    assert!(lists.iter().all(|values| values.len() == 2), "{lists:?}");
    // The list asks for objects instead, at once (not values first, then again): each value
    // under its own name.
    let before = admin.stats().attempts;
    let rows: Vec<Row> = admin
        .doctype("Note")
        .list()
        .fields(fields)
        .limit(5)
        .send()
        .await
        .unwrap();
    assert_eq!(admin.stats().attempts - before, 1, "one request");
    assert_eq!(rows.len(), lists.len());
    for (row, values) in rows.iter().zip(&lists) {
        assert_eq!(row.get("name"), Some(&values[0]));
        assert_eq!(row.get("modified"), Some(&values[1]));
        assert_eq!(row.get("_seen"), None);
    }
}

#[tokio::test]
async fn a_field_above_the_users_permission_level_is_left_out_and_the_rows_asked_for_again() {
    // Note Seen By's `user` is at permission level 2, and a child table's levels are read from
    // its own (empty) permissions: Frappe leaves `user` out of the lists of values even for
    // Administrator (`reportview.validate_fields`), so they are one value short.
    let admin = admin();
    let title = unique("seen");
    let note = admin
        .doctype("Note")
        .insert(&serde_json::json!({
            "title": title,
            "seen_by": [{"user": "Administrator"}],
        }))
        .await
        .unwrap();
    let note_name = note
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap()
        .to_owned();
    let fields = ["name", "user", "parent"];
    let lists = admin
        .doctype("Note Seen By")
        .list()
        .fields(fields)
        .parent("Note")
        .filter(serde_json::json!([["parent", "=", note_name]]))
        .send_rows()
        .await
        .unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].len(), 2, "{lists:?}");
    // Typed (its struct's fields include `user`) and untyped: the rows arrive as objects.
    let typed_list = || {
        admin
            .list::<NoteSeenBy>()
            .parent("Note")
            .filter(NoteSeenBy::parent.eq(note_name.as_str()))
            .send()
    };
    let before = admin.stats().attempts;
    let typed = typed_list().await.unwrap();
    assert_eq!(
        admin.stats().attempts - before,
        2,
        "asked, then asked again for objects"
    );
    // Remembered: the same list asks for objects at once.
    let before = admin.stats().attempts;
    assert_eq!(typed_list().await.unwrap(), typed);
    assert_eq!(admin.stats().attempts - before, 1);
    assert_eq!(typed.len(), 1);
    assert_eq!(typed[0].parent.as_deref(), Some(note_name.as_str()));
    assert_eq!(typed[0].user, None, "left out by the site, not shifted in");
    let rows: Vec<Row> = admin
        .doctype("Note Seen By")
        .list()
        .fields(fields)
        .parent("Note")
        .filter(serde_json::json!([["parent", "=", note_name]]))
        .send()
        .await
        .unwrap();
    assert_eq!(rows[0].get("parent"), Some(&serde_json::json!(note_name)));
    assert_eq!(rows[0].get("user"), None);
    admin.doctype("Note").delete(&note_name).await.unwrap();
}
