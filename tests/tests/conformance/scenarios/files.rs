//! Files: `upload_file` (multipart) attached to a document, public and private, and downloads
//! with and without credentials.

use reqwest::Method;
use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;
use crate::target::{As, Body};

/// Upload public and private files attached to a Note (one naming its `body` field, which the
/// upload leaves unchanged), download the private one, upload without a file.
pub async fn upload_and_download(t: &Target) -> Value {
    let dt = name("Note");
    let mut o = Observation::new(t);
    // Contents unique to the run: Frappe reuses the file_url of an earlier file with the same
    // content (and privacy).
    let note = t.insert(&dt, json!({"title": "with files"})).await;
    o.name(note.name(), "note");
    let public_name = format!("{}-public.txt", t.run);
    let public = t
        .upload(
            &[
                ("doctype", dt.as_str()),
                ("docname", &note.name()),
                ("is_private", "0"),
            ],
            &public_name,
            "text/plain",
            format!("hello {}\n", t.run).into_bytes(),
        )
        .await;
    o.name(
        public.body["message"]["name"].as_str().unwrap_or_default(),
        "public file",
    );
    o.name(
        public.body["message"]["content_hash"]
            .as_str()
            .unwrap_or_default(),
        "hash1",
    );
    o.step("upload public", &public);
    let private_name = format!("{}-private.txt", t.run);
    let private = t
        .upload(
            &[
                ("doctype", dt.as_str()),
                ("docname", &note.name()),
                ("is_private", "1"),
                ("fieldname", "body"),
            ],
            &private_name,
            "text/plain",
            format!("secret {}\n", t.run).into_bytes(),
        )
        .await;
    o.name(
        private.body["message"]["name"].as_str().unwrap_or_default(),
        "private file",
    );
    o.name(
        private.body["message"]["content_hash"]
            .as_str()
            .unwrap_or_default(),
        "hash2",
    );
    o.step("upload private into a field", &private);
    o.note(
        "the field holds the url",
        t.get(&t.doc(&dt, &note.name())).await.data()["body"].clone(),
    );
    let public_url = public.body["message"]["file_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let private_url = private.body["message"]["file_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let download = |url: String, who: As| async move { t.download(&url, who).await };
    // Not compared: the kit answered 404 for a public file uploaded during the run (transcript
    // 116 shows 200 for one that existed when it started); the test site serves it, which
    // frappe-runtime's own tests of the site check.
    let _ = public_url;
    o.note(
        "private, no credentials",
        json!(download(private_url.clone(), As::Guest).await["status"]),
    );
    o.note("private, token", download(private_url, As::Admin).await);
    o.outcome(
        "no file",
        &t.request(
            Method::POST,
            "/api/method/upload_file",
            Body::Form(vec![
                ("doctype".into(), dt.clone()),
                ("docname".into(), note.name()),
            ]),
            As::Admin,
        )
        .await,
    );
    o.finish()
}
