//! A small `multipart/form-data` reader for asserting on upload requests.
//!
//! Only what the assertions need: part name, optional filename and content type, and bytes.

use serde_json::Value;

/// One part of a multipart body.
#[derive(Debug)]
pub struct Part {
    /// `name=` of the Content-Disposition.
    pub name: String,
    /// `filename=`, for file parts.
    pub filename: Option<String>,
    /// The part's Content-Type, if given.
    pub content_type: Option<String>,
    /// The part's bytes.
    pub bytes: Vec<u8>,
}

/// Splits a multipart body; `content_type` is the request's header (carries the boundary).
pub fn parse(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .unwrap_or_else(|| panic!("multipart Content-Type without boundary: {content_type}"))
        .trim_matches('"');
    let delim = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut chunks = split(body, &delim).into_iter().skip(1);
    for chunk in chunks.by_ref() {
        if chunk.starts_with(b"--") {
            break; // closing delimiter
        }
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
        let sep = find(chunk, b"\r\n\r\n").expect("part without header/body separator");
        let head = String::from_utf8_lossy(&chunk[..sep]).into_owned();
        let bytes = chunk[sep + 4..].to_vec();
        let mut part = Part {
            name: String::new(),
            filename: None,
            content_type: None,
            bytes,
        };
        for line in head.lines() {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                part.name = param(line, "name").unwrap_or_default();
                part.filename = param(line, "filename");
            } else if lower.starts_with("content-type:") {
                part.content_type = Some(line["content-type:".len()..].trim().to_string());
            }
        }
        parts.push(part);
    }
    parts
}

fn param(line: &str, key: &str) -> Option<String> {
    line.split(';').map(str::trim).find_map(|p| {
        p.strip_prefix(key)
            .and_then(|rest| rest.strip_prefix('='))
            .map(|v| v.trim_matches('"').to_string())
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(hay: &'a [u8], delim: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = hay;
    while let Some(i) = find(rest, delim) {
        out.push(&rest[..i]);
        rest = &rest[i + delim.len()..];
    }
    out.push(rest);
    out
}

/// Asserts that a multipart body has exactly the recorded text fields and file parts
/// (`{filename, bytes, content_type}`; the recorder kept the size, not the content).
pub fn check(file: &str, content_type: &str, body: &[u8], recorded: &Value) {
    let parts = parse(content_type, body);
    let mut fields = serde_json::Map::new();
    let mut files = serde_json::Map::new();
    for p in &parts {
        match &p.filename {
            Some(name) => {
                files.insert(
                    p.name.clone(),
                    serde_json::json!({
                        "filename": name,
                        "bytes": p.bytes.len(),
                        "content_type": p.content_type,
                    }),
                );
            }
            None => {
                fields.insert(
                    p.name.clone(),
                    Value::String(String::from_utf8_lossy(&p.bytes).into_owned()),
                );
            }
        }
    }
    assert_eq!(
        Value::Object(fields),
        recorded["fields"],
        "{file}: multipart text fields"
    );
    assert_eq!(
        Value::Object(files),
        recorded["files"],
        "{file}: multipart file parts"
    );
}
