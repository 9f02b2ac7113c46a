//! Files: multipart `upload_file`, downloads of public and private files, and the HTML error
//! pages the file routes answer with (core 114-118, 166, 167).

use frappe_runtime::{Error, UploadFile};
use serde_json::Value;

use crate::exchange::{fails, ok};
use crate::support::transcript::synthetic_binary;
use crate::support::{clients, core};

fn message(t: &crate::support::transcript::Transcript) -> &Value {
    &t.response_json()["message"]
}

#[tokio::test]
async fn t114_upload_public_file() {
    let upload = UploadFile::bytes("hello.txt", b"hello frappe\n".to_vec())
        .content_type("text/plain")
        .attach_to("ToDo", "ro2rh3r4lm")
        .private(false)
        .folder("Home/Attachments");
    let (r, file) = ok(core(114), clients::token, async |c| c.upload(upload).await).await;
    assert_eq!(file.name, "dd9d595240");
    assert_eq!(file.file_url.as_deref(), Some("/files/hello.txt"));
    assert!(!file.is_private);
    assert_eq!(file.file_size, Some(13));
    assert_eq!(file.attached_to_doctype.as_deref(), Some("ToDo"));
    // Nothing of the File document is dropped: the rest is kept in `other`.
    assert_eq!(file.other.get("is_folder"), Some(&Value::from(0)));
    let back = serde_json::to_value(&file).unwrap();
    for (k, v) in message(r.transcript()).as_object().unwrap() {
        assert_eq!(back.get(k), Some(v), "File field {k}");
    }
}

#[tokio::test]
async fn t115_upload_private_file_to_field() {
    let png = synthetic_binary("<70 bytes of image/png>");
    let upload = UploadFile::bytes("pixel.png", png)
        .content_type("image/png")
        .attach_to("Contact", "Ada Lovelace")
        .fieldname("image")
        .private(true);
    let (_, file) = ok(core(115), clients::token, async |c| c.upload(upload).await).await;
    assert!(file.is_private);
    assert_eq!(file.file_url.as_deref(), Some("/private/files/pixel.png"));
    assert_eq!(file.attached_to_field.as_deref(), Some("image"));
}

#[tokio::test]
async fn t116_download_public_file_as_guest() {
    let (_, bytes) = ok(core(116), clients::guest, async |c| {
        c.download("/files/hello.txt").await
    })
    .await;
    assert_eq!(&bytes[..], b"hello frappe\n");
}

#[tokio::test]
async fn t118_download_private_file_with_token() {
    let (_, bytes) = ok(core(118), clients::token, async |c| {
        c.download("/private/files/pixel.png").await
    })
    .await;
    assert_eq!(bytes.to_vec(), synthetic_binary("<70 bytes of image/png>"));
}

#[tokio::test]
async fn t117_private_file_without_auth_is_html_403() {
    let (_, err) = fails(core(117), clients::guest, async |c| {
        c.download("/private/files/pixel.png").await
    })
    .await;
    assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
    assert!(err.is_permission());
    assert_eq!(err.status(), Some(403));
    let msg = &err.api_error().unwrap().message;
    assert!(
        msg.contains("You don't have permission to access this file"),
        "{msg}"
    );
}

#[tokio::test]
async fn t167_missing_private_file_is_html_403() {
    let (_, err) = fails(core(167), clients::token, async |c| {
        c.download("/private/files/nope.txt").await
    })
    .await;
    assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
    assert_eq!(err.status(), Some(403));
}

#[tokio::test]
async fn t166_missing_public_file_is_html_500() {
    let (_, err) = fails(core(166), clients::guest, async |c| {
        c.download("/files/nope.txt").await
    })
    .await;
    assert!(matches!(err, Error::ErrorPage(_)), "{err:?}");
    assert_eq!(err.status(), Some(500));
    assert!(err.to_string().contains("Internal Server Error"), "{err}");
    assert!(!err.to_string().contains("<html"), "{err}");
}

#[tokio::test]
async fn t121_upload_without_content_is_refused_before_sending() {
    // 121 recorded the server's 417 for an upload with neither file nor file_url; the client
    // refuses that input itself, so nothing may reach the server.
    let server = wiremock::MockServer::start().await;
    let err = clients::token(&server.uri())
        .upload(UploadFile::url("").attach_to("ToDo", "ro2rh3r4lm"))
        .await;
    let sent = server.received_requests().await.unwrap();
    match err {
        Err(Error::InvalidInput(msg)) => {
            assert!(sent.is_empty(), "{sent:?}");
            assert!(msg.contains("upload_file"), "{msg}");
        }
        other => panic!("expected InvalidInput for an empty upload, got {other:?}"),
    }
}
