//! Names the URL cannot carry as given are refused before anything is sent: URL parsing drops
//! tab, LF and CR, so `"TODO\t-1"` would address `TODO-1`, `"\t"` the collection, and
//! `"ping\n"` another method; it resolves `.` and `..` (even percent-encoded) as path steps.

use frappe_runtime::{Auth, Client, Error};
use serde_json::{Value, json};
use wiremock::MockServer;

use crate::mock::{fast_client, received};

/// Every ASCII control character, through every public call that puts a DocType, document
/// name, method or file name into the URL path. The client logs in with a password, so even a
/// login before the request would show up as a received request.
#[tokio::test]
async fn control_characters_in_names_are_refused_before_sending() {
    let server = MockServer::start().await;
    let c = fast_client(&server, Auth::password("u", "p"));
    let todo = c.doctype("ToDo");
    for code in (0u8..0x20).chain([0x7f]) {
        let ch = char::from(code);
        let name = format!("TODO{ch}-1");
        let results: Vec<(&str, frappe_runtime::Result<()>)> = vec![
            ("get", todo.get(&name).await.map(drop)),
            ("get_as", todo.get_as::<Value>(&name).await.map(drop)),
            ("update", todo.update(&name, &json!({})).await.map(drop)),
            // A name of only the control character: URL building would leave the
            // collection URL.
            (
                "update bare",
                todo.update(&ch.to_string(), &json!({})).await.map(drop),
            ),
            ("delete", todo.delete(&name).await),
            ("submit", todo.submit(&name).await.map(drop)),
            (
                "run_doc_method name",
                todo.run_doc_method::<Value>(&name, "x", &())
                    .await
                    .map(drop),
            ),
            (
                "run_doc_method method",
                todo.run_doc_method::<Value>("T-1", &format!("submit{ch}"), &())
                    .await
                    .map(drop),
            ),
            (
                "doctype list",
                c.doctype(format!("To{ch}Do")).list().send().await.map(drop),
            ),
            (
                "doctype insert",
                c.doctype(format!("To{ch}Do"))
                    .insert(&json!({}))
                    .await
                    .map(drop),
            ),
            (
                "doctype count",
                c.doctype(format!("To{ch}Do"))
                    .list()
                    .count()
                    .await
                    .map(drop),
            ),
            (
                "doctype_meta",
                c.doctype_meta(&format!("To{ch}Do")).await.map(drop),
            ),
            (
                "call get",
                c.call(format!("ping{ch}")).get::<Value>().await.map(drop),
            ),
            (
                "call post",
                c.call(format!("frappe.client.{ch}delete"))
                    .post::<Value>()
                    .await
                    .map(drop),
            ),
            (
                "download",
                c.download(&format!("/files/a{ch}b.png")).await.map(drop),
            ),
        ];
        for (what, result) in results {
            let err = result.expect_err(what);
            let Error::InvalidInput(message) = &err else {
                panic!("{what} U+{code:04X}: {err:?}")
            };
            assert!(
                message.contains(&format!("U+{code:04X}")),
                "{what}: the message names the character: {message}"
            );
        }
    }
    let sent = server.received_requests().await.unwrap();
    assert!(sent.is_empty(), "nothing may be sent: {sent:?}");
}

#[tokio::test]
async fn the_message_names_the_input() {
    let server = MockServer::start().await;
    let c = fast_client(&server, Auth::token("k", "s"));
    let err = c.doctype("ToDo").delete("TODO\t-1").await.unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains(r#""TODO\t-1""#) && shown.contains("ToDo"),
        "{shown}"
    );
    let err = c.call("ping\n").get::<Value>().await.unwrap_err();
    assert!(err.to_string().contains(r#""ping\n""#), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    // URL parsing would resolve "." / ".." (even percent-encoded) and address another route.
    let server = MockServer::start().await;
    let client = Client::builder(server.uri()).build().unwrap();
    for name in [".", ".."] {
        let err = client.doctype("ToDo").delete(name).await.unwrap_err();
        assert!(
            matches!(err, frappe_runtime::Error::InvalidInput(_)),
            "{name}: {err:?}"
        );
    }
    assert!(received(&server).await.is_empty());
}
