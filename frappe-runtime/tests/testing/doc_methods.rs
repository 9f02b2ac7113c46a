//! Document methods: closures registered per DocType, run over v1 and v2 with Frappe's
//! refusals.

use frappe_runtime::testing::{TestSite, User};
use serde_json::{Value, json};

use crate::note_json;

#[tokio::test]
async fn registered_document_methods_run_with_frappes_refusals() {
    let site = TestSite::builder()
        .doctype_json(note_json())
        .doc_method("Note", "greet", |call| {
            let who = call
                .args
                .get("who")
                .and_then(Value::as_str)
                .unwrap_or("nobody");
            Ok(json!(format!(
                "{} greets {who}, for {}",
                call.doc["title"].as_str().unwrap_or_default(),
                call.user
            )))
        })
        .user(
            User::new("reader@example.com")
                .role("Notes User")
                .api_key("reader-key", "reader-secret"),
        )
        .start()
        .await
        .expect("site");
    let client = site.client();
    let notes = client.doctype("Note");
    let note = notes.insert(&json!({"title": "hi"})).await.expect("insert");
    let name = note["name"].as_str().expect("a name").to_owned();
    let greeting: String = notes
        .run_doc_method(&name, "greet", &json!({"who": "Ada"}))
        .await
        .expect("a registered method");
    assert_eq!(greeting, "hi greets Ada, for Administrator");
    let missing = notes
        .run_doc_method::<Value>(&name, "nope", &())
        .await
        .expect_err("not registered");
    assert_eq!(missing.status(), Some(404), "{missing}");
    let refused = notes
        .run_doc_method::<Value>(&name, "save", &())
        .await
        .expect_err("not whitelisted");
    assert_eq!(
        (refused.status(), refused.exc_type()),
        (Some(403), Some("PermissionError"))
    );
    let reader = site.client_as("reader@example.com").expect("reader");
    let denied = reader
        .doctype("Note")
        .run_doc_method::<Value>(&name, "greet", &())
        .await
        .expect_err("no write right");
    assert_eq!(
        (denied.status(), denied.exc_type()),
        (Some(403), Some("PermissionError"))
    );
}

/// `Note.greet(who)` as frappe-codegen's `--methods` would bind it.
struct Greet {
    who: String,
}

impl frappe_runtime::DocMethod for Greet {
    const DOCTYPE: &'static str = "Note";
    const METHOD: &'static str = "greet";
    type Output = String;
    fn write_args(&self, args: &mut frappe_runtime::Args) {
        args.arg("who", &self.who);
    }
}

#[tokio::test]
async fn typed_document_methods_reach_registered_closures_over_v1_and_v2() {
    let site = TestSite::builder()
        .doctype_json(note_json())
        .doc_method("Note", "greet", |call| {
            let who = call.args.get("who").and_then(Value::as_str).unwrap_or("?");
            Ok(json!(format!("{who} via {}", call.http_method)))
        })
        .start()
        .await
        .expect("site");
    let client = site.client();
    let note = client
        .doctype("Note")
        .insert(&json!({"title": "hi"}))
        .await
        .expect("insert");
    let name = note["name"].as_str().expect("a name").to_owned();
    let call = Greet { who: "Ada".into() };
    let v1: String = client
        .document_method(&name, &call)
        .send()
        .await
        .expect("v1");
    assert_eq!(v1, "Ada via POST");
    let v2_client = client.with_api_version(frappe_runtime::ApiVersion::V2);
    let v2: String = v2_client
        .document_method(&name, &call)
        .send()
        .await
        .expect("v2");
    assert_eq!(v2, "Ada via POST");
    let paths: Vec<String> = site.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        paths
            .iter()
            .any(|p| p == &format!("/api/v2/document/Note/{name}/method/greet")),
        "{paths:?}"
    );
}
