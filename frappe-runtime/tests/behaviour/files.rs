//! Files: multipart uploads (content or an existing URL), the 413 upload limit, and downloads
//! with the client's credentials.

use frappe_runtime::{Auth, Error, UploadFile};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::mock::{fast_client, json_ok, json_response, no_retry_client as client, received};

#[tokio::test]
async fn upload_is_multipart_and_413_is_its_own_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/upload_file"))
        .and(body_string_contains("name=\"doctype\""))
        .and(body_string_contains("filename=\"hello.txt\""))
        .and(body_string_contains("hello frappe"))
        .respond_with(json_response(
            200,
            json!({"message": {"name": "f1", "file_name": "hello.txt", "file_url": "/files/hello.txt", "is_private": 0}}),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/upload_file"))
        .respond_with(
            ResponseTemplate::new(413)
                .insert_header("content-type", "text/html")
                .set_body_string("<title>413 Request Entity Too Large</title>"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "s"));
    let upload = UploadFile::bytes("hello.txt", &b"hello frappe\n"[..]).attach_to("ToDo", "t1");
    let doc = c.upload(upload.clone()).await.unwrap();
    assert_eq!(doc.file_url.as_deref(), Some("/files/hello.txt"));
    let err = c.upload(upload).await.unwrap_err();
    assert!(matches!(err, Error::PayloadTooLarge(_)), "{err:?}");
}

#[tokio::test]
async fn download_sends_credentials_and_accepts_any_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/private/files/a%20b.png"))
        .and(header("authorization", "token k:s"))
        .and(header("accept", "*/*"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "image/png")
                .set_body_bytes(vec![0x89, b'P', b'N', b'G']),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "s"));
    let bytes = c.download("/private/files/a b.png").await.unwrap();
    assert_eq!(&bytes[..], &[0x89, b'P', b'N', b'G']);
}

#[tokio::test]
async fn upload_by_url_sends_file_url_and_no_file_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/upload_file"))
        .respond_with(json_ok(json!({"message": {
            "name": "f1", "file_url": "https://example.com/logo.png", "is_private": 0
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let file = client(&server.uri())
        .upload(UploadFile::url("https://example.com/logo.png").attach_to("ToDo", "ro2rh3r4lm"))
        .await
        .unwrap();
    assert_eq!(
        file.file_url.as_deref(),
        Some("https://example.com/logo.png")
    );
    let req = &received(&server).await[0];
    let ct = req.headers.get("content-type").unwrap().to_str().unwrap();
    let parts = crate::support::multipart::parse(ct, &req.body);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["file_url", "doctype", "docname", "is_private"]);
    assert!(parts.iter().all(|p| p.filename.is_none()), "no file part");
}

#[tokio::test]
async fn upload_over_the_size_limit_is_payload_too_large() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(413).set_body_raw(
            "<!doctype html>\n<html lang=en>\n<title>413 Request Entity Too Large</title>\n<h1>Request Entity Too Large</h1>\n<p>The data value transmitted exceeds the capacity limit.</p>\n",
            "text/html; charset=utf-8",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .upload(UploadFile::bytes("big.bin", vec![0u8; 1024]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PayloadTooLarge(_)), "{err:?}");
    assert_eq!(err.status(), Some(413));
    assert!(
        err.to_string().contains("Request Entity Too Large"),
        "{err}"
    );
}
