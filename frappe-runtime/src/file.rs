//! Files: [`Client::upload`] (multipart `POST /api/method/upload_file`) and
//! [`Client::download`] of a `file_url`.
//!
//! An upload sends the part `file` plus the fields `doctype`, `docname`, `fieldname`,
//! `is_private`, `folder`, `file_name` — or `file_url` instead of content, to register an
//! existing URL. The site's size limit answers 413 (an HTML page), reported as
//! [`Error::PayloadTooLarge`]. Downloads send the client's credentials, so private files
//! (`/private/files/...`) work; they are only sent to the client's own site — a `file_url` on
//! another host is refused rather than leaking credentials to it, and a redirect is followed
//! only within the site's origin (otherwise [`Error::Redirect`]). A download is held in memory
//! whole, so [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)
//! bounds it like any other response.
//!
//! Feature `client` (on by default).

use bytes::Bytes;
use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::client::redirect::is_on_site;
use crate::client::{Body, Client, Part, Request, check_segment, redact_url, v1_method_path};
use crate::error::{Error, Result};
use crate::list::Row;

/// What to upload: content or an existing URL, and where to attach it.
#[derive(Clone)]
#[must_use]
pub struct UploadFile {
    content: Option<(String, Bytes, Option<String>)>,
    file_url: Option<String>,
    file_name: Option<String>,
    doctype: Option<String>,
    docname: Option<String>,
    fieldname: Option<String>,
    is_private: bool,
    folder: Option<String>,
    /// A setting that does not apply, reported by the upload instead of being dropped.
    invalid: Option<String>,
}

impl std::fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadFile")
            .field(
                "file_name",
                &self
                    .content
                    .as_ref()
                    .map(|c| &c.0)
                    .or(self.file_name.as_ref()),
            )
            .field("bytes", &self.content.as_ref().map(|c| c.1.len()))
            .field("file_url", &self.file_url)
            .field("doctype", &self.doctype)
            .field("docname", &self.docname)
            .field("is_private", &self.is_private)
            .finish_non_exhaustive()
    }
}

impl UploadFile {
    /// Uploads `bytes` as a file named `file_name`.
    pub fn bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self {
            content: Some((file_name.into(), bytes.into(), None)),
            ..Self::empty()
        }
    }

    /// Registers an existing URL (`file_url`) as a File, without content.
    pub fn url(file_url: impl Into<String>) -> Self {
        Self {
            file_url: Some(file_url.into()),
            ..Self::empty()
        }
    }

    fn empty() -> Self {
        Self {
            content: None,
            file_url: None,
            file_name: None,
            doctype: None,
            docname: None,
            fieldname: None,
            is_private: false,
            folder: None,
            invalid: None,
        }
    }

    /// The part's content type (default: none; the server guesses from the name). Only for
    /// uploads with content: on [`UploadFile::url`] the upload fails with
    /// [`Error::InvalidInput`] rather than ignoring it.
    pub fn content_type(mut self, mime: impl Into<String>) -> Self {
        let mime = mime.into();
        match &mut self.content {
            Some(c) => c.2 = Some(mime),
            None => {
                self.invalid.get_or_insert_with(|| {
                    format!(
                        "upload_file: content_type({mime:?}) needs content; a file_url upload sends none"
                    )
                });
            }
        }
        self
    }

    /// Attaches the file to the document `docname` of `doctype`.
    pub fn attach_to(mut self, doctype: impl Into<String>, docname: impl Into<String>) -> Self {
        self.doctype = Some(doctype.into());
        self.docname = Some(docname.into());
        self
    }

    /// Records the attaching field (`attached_to_field`), e.g. an Attach Image field.
    pub fn fieldname(mut self, fieldname: impl Into<String>) -> Self {
        self.fieldname = Some(fieldname.into());
        self
    }

    /// Stores the file under `/private/files` (needs auth to download).
    pub fn private(mut self, is_private: bool) -> Self {
        self.is_private = is_private;
        self
    }

    /// The File folder, e.g. `"Home/Attachments"` (server default `"Home"`).
    pub fn folder(mut self, folder: impl Into<String>) -> Self {
        self.folder = Some(folder.into());
        self
    }

    /// `file_name` field: the name to store (defaults to the part's file name).
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    fn parts(&self) -> Result<Vec<Part>> {
        if let Some(msg) = &self.invalid {
            return Err(Error::InvalidInput(msg.clone()));
        }
        if self.content.is_none() && self.file_url.as_deref().is_none_or(str::is_empty) {
            return Err(Error::InvalidInput(
                "upload_file: give content or a file_url".into(),
            ));
        }
        let mut parts = Vec::new();
        if let Some(url) = &self.file_url {
            parts.push(Part::Text("file_url", url.clone()));
        }
        if let Some(v) = &self.doctype {
            parts.push(Part::Text("doctype", v.clone()));
        }
        if let Some(v) = &self.docname {
            parts.push(Part::Text("docname", v.clone()));
        }
        if let Some(v) = &self.fieldname {
            parts.push(Part::Text("fieldname", v.clone()));
        }
        parts.push(Part::Text(
            "is_private",
            if self.is_private { "1" } else { "0" }.into(),
        ));
        if let Some(v) = &self.folder {
            parts.push(Part::Text("folder", v.clone()));
        }
        if let Some(v) = &self.file_name {
            parts.push(Part::Text("file_name", v.clone()));
        }
        if let Some((name, bytes, mime)) = &self.content {
            if name.is_empty() {
                return Err(Error::InvalidInput(
                    "upload_file: the file name is empty".into(),
                ));
            }
            parts.push(Part::File {
                name: "file",
                file_name: name.clone(),
                content_type: mime.clone(),
                bytes: bytes.clone(),
            });
        }
        Ok(parts)
    }
}

/// The File document an upload creates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileDoc {
    /// The File's name (a hash).
    pub name: String,
    /// The stored file name.
    #[serde(default)]
    pub file_name: Option<String>,
    /// `/files/<name>` or `/private/files/<name>` (or the registered URL).
    #[serde(default)]
    pub file_url: Option<String>,
    /// Whether the file is private.
    #[serde(default, with = "crate::wire::check")]
    pub is_private: bool,
    /// Size in bytes.
    #[serde(default)]
    pub file_size: Option<u64>,
    /// e.g. `"TXT"`, `"PNG"`.
    #[serde(default)]
    pub file_type: Option<String>,
    /// The File folder.
    #[serde(default)]
    pub folder: Option<String>,
    /// DocType of the document it is attached to.
    #[serde(default)]
    pub attached_to_doctype: Option<String>,
    /// Name of the document it is attached to.
    #[serde(default)]
    pub attached_to_name: Option<String>,
    /// Field it is attached to.
    #[serde(default)]
    pub attached_to_field: Option<String>,
    /// MD5 of the content.
    #[serde(default)]
    pub content_hash: Option<String>,
    /// Every other field of the File document.
    #[serde(flatten)]
    pub other: Row,
}

impl Client {
    /// Uploads a file (`POST /api/method/upload_file`, never retried) and returns the File doc.
    pub async fn upload(&self, upload: UploadFile) -> Result<FileDoc> {
        let mut req = Request::new(Method::POST, v1_method_path("upload_file"));
        req.body = Body::Multipart(upload.parts()?);
        self.execute(&req).await?.message()
    }

    /// Downloads a file by its `file_url` (`/files/x.png`, `/private/files/x.pdf`, or an absolute
    /// URL on this site), with the client's credentials. The path is taken as unencoded text, as
    /// Frappe stores it; it is resolved below the base URL (so sites in a sub-path work).
    /// Redirects are followed only within the site's origin; a file larger than
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes) fails
    /// with [`Error::ResponseTooLarge`].
    pub async fn download(&self, file_url: &str) -> Result<Bytes> {
        let shown = || self.shown_file_url(file_url);
        let (segments, query) = self.local_path(file_url)?;
        if segments.is_empty() {
            return Err(Error::InvalidInput(format!(
                "download: {:?} names no file",
                shown()
            )));
        }
        for segment in &segments {
            check_segment(
                &format!("download {:?}: the path segment", shown()),
                segment,
            )?;
        }
        let mut req = Request::new(Method::GET, segments);
        req.accept_any = true;
        req.query = query;
        Ok(self.execute(&req).await?.body)
    }

    /// `file_url` for an error message: without user info or query (see `redact_url`), the
    /// client's secrets masked, at most 300 characters.
    fn shown_file_url(&self, file_url: &str) -> String {
        let mask = self.inner.session.mask();
        crate::client::redirect::shorten(&mask.str(&redact_url(file_url)))
    }

    /// `file_url` as path segments below the site root and query pairs; absolute URLs must point
    /// at this site. A relative `file_url` is unencoded text, as Frappe stores it; an absolute one
    /// is a URL, each of whose segments is decoded on its own (so `%2F` or `%3F` stay inside
    /// their segment instead of splitting it).
    fn local_path(&self, file_url: &str) -> Result<(Vec<String>, QueryPairs)> {
        let shown = || self.shown_file_url(file_url);
        if file_url.starts_with("http://") || file_url.starts_with("https://") {
            let url = url::Url::parse(file_url).map_err(|e| {
                Error::InvalidInput(format!("download: invalid URL {:?}: {e}", shown()))
            })?;
            let base = self.base_url();
            // The same rule as for redirects: `/site/files/x` is on `/site/`, `/sitefoo/..` not.
            if !is_on_site(&url, base) {
                return Err(Error::InvalidInput(format!(
                    "download: {:?} is not on this site ({}); credentials are only sent to the site",
                    shown(),
                    base.origin().ascii_serialization()
                )));
            }
            let non_empty = |u: &url::Url| -> Vec<String> {
                u.path_segments()
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        percent_encoding::percent_decode_str(s)
                            .decode_utf8_lossy()
                            .into_owned()
                    })
                    .collect()
            };
            let below_base = non_empty(base).len();
            let segments = non_empty(&url).into_iter().skip(below_base).collect();
            let query = url.query_pairs().into_owned().collect();
            return Ok((segments, query));
        }
        if !file_url.starts_with('/') {
            return Err(Error::InvalidInput(format!(
                "download: expected a file_url such as /files/x.png, got {:?}",
                shown()
            )));
        }
        let (path, query) = match file_url.split_once('?') {
            Some((p, q)) => (
                p,
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect(),
            ),
            None => (file_url, Vec::new()),
        };
        let segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        Ok((segments, query))
    }
}

/// Decoded `key=value` pairs of a query string.
type QueryPairs = Vec<(String, String)>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_in_frappe_form() {
        let up = UploadFile::bytes("hello.txt", &b"hello"[..])
            .content_type("text/plain")
            .attach_to("ToDo", "abc")
            .folder("Home/Attachments");
        let parts = up.parts().unwrap();
        let texts: Vec<(&str, &str)> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Text(k, v) => Some((*k, v.as_str())),
                Part::File { .. } => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                ("doctype", "ToDo"),
                ("docname", "abc"),
                ("is_private", "0"),
                ("folder", "Home/Attachments")
            ]
        );
        assert!(
            matches!(parts.last(), Some(Part::File { name: "file", file_name, .. }) if file_name == "hello.txt")
        );
    }

    #[test]
    fn content_type_without_content_is_reported() {
        let Err(err) = UploadFile::url("/files/a.png")
            .content_type("image/png")
            .parts()
        else {
            panic!("content_type on a file_url upload was accepted")
        };
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.contains("content_type") && m.contains("image/png")),
            "{err:?}"
        );
    }

    #[test]
    fn downloads_stay_on_the_site() {
        let c = Client::builder("https://erp.example.com/site/")
            .build()
            .unwrap();
        let segments = |file_url: &str| c.local_path(file_url).unwrap().0;
        assert_eq!(
            segments("/private/files/a b.pdf"),
            ["private", "files", "a b.pdf"]
        );
        assert_eq!(
            segments("https://erp.example.com/site/files/a%20b.png"),
            ["files", "a b.png"]
        );
        // An encoded `/` or `?` in an absolute URL stays inside its segment.
        assert_eq!(
            segments("https://erp.example.com/site/files/what%3F%2Fx.pdf"),
            ["files", "what?/x.pdf"]
        );
        let (_, query) = c
            .local_path("https://erp.example.com/site/files/x.pdf?fid=1&a=b%20c")
            .unwrap();
        assert_eq!(
            query,
            [("fid".into(), "1".into()), ("a".into(), "b c".into())]
        );
        assert!(c.local_path("https://evil.example.com/files/x").is_err());
        // Another site in a sibling sub-path of the same host is not this site.
        assert!(
            c.local_path("https://erp.example.com/sitefoo/files/x")
                .is_err()
        );
        assert!(c.local_path("files/x").is_err());
    }

    #[tokio::test]
    async fn download_errors_do_not_echo_credentials_in_the_file_url() {
        let c = Client::builder("https://erp.example.com/site/")
            .auth(crate::Auth::token("k", "API-SECRET-9"))
            .build()
            .unwrap();
        for file_url in [
            "https://admin:PW-SECRET@evil.example.com/files/x?token=Q-SECRET",
            "https://admin:PW#SECRET@erp.example.com:99999/site/files/x",
            "https://erp.example.com/site/?sid=Q-SECRET",
            "files/x.png?token=Q-SECRET",
            "/files/API-SECRET-9/../x",
            "/files/x/..?token=Q-SECRET",
        ] {
            let err = c.download(file_url).await.unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{file_url}: {err:?}");
            let shown = format!("{err} {err:?}");
            assert!(shown.contains("download"), "{shown}");
            for secret in ["SECRET", "admin"] {
                assert!(!shown.contains(secret), "{file_url}: {shown}");
            }
        }
    }

    #[test]
    fn file_doc_decodes() {
        let doc: FileDoc = serde_json::from_str(
            r#"{"name":"f1","file_name":"a.txt","is_private":1,"file_size":13,"file_url":"/private/files/a.txt","doctype":"File"}"#,
        )
        .unwrap();
        assert!(doc.is_private);
        assert_eq!(doc.file_size, Some(13));
        assert_eq!(
            doc.other.get("doctype").and_then(|v| v.as_str()),
            Some("File")
        );
    }
}
