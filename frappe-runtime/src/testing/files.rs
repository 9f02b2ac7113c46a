//! Files: `POST /api/method/upload_file` (multipart, `frappe/handler.py upload_file`) stores the
//! content and a `File` document (`file_url` `/files/<name>` or `/private/files/<name>`,
//! `content_hash` the MD5 of the content, as Frappe's); `GET` of a `file_url` serves it, private
//! files only to a logged-in user. Registering an existing `file_url` without content, and
//! renaming a file whose name is taken, answer 501.

use serde_json::{Map, Value, json};

use super::docs::cint;
use super::error::{SiteError, SiteResult};
use super::meta::DocTypeMeta;
use super::store::State;
use super::users::Caller;

/// A stored file's content.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub(crate) content_type: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) private: bool,
}

/// The `File` DocType the site uses when the test gives none.
pub(crate) fn file_meta() -> DocTypeMeta {
    let field = |name: &str, fieldtype: &str| json!({"fieldname": name, "fieldtype": fieldtype, "label": name});
    let json = json!({"name": "File", "autoname": "hash", "fields": [
        field("file_name", "Data"), field("is_private", "Check"), field("file_type", "Data"),
        field("is_home_folder", "Check"), field("is_attachments_folder", "Check"),
        field("file_size", "Int"), field("file_url", "Code"), field("thumbnail_url", "Small Text"),
        field("folder", "Data"), field("is_folder", "Check"),
        field("attached_to_doctype", "Data"), field("attached_to_name", "Data"),
        field("attached_to_field", "Data"), field("old_parent", "Data"),
        field("content_hash", "Data"), field("uploaded_to_dropbox", "Check"),
        field("uploaded_to_google_drive", "Check")],
        "permissions": [{"role": "System Manager"}, {"role": "All", "if_owner": 1}]});
    DocTypeMeta::from_json(&json)
        .ok()
        .and_then(|mut m| m.pop())
        .unwrap_or_else(|| unreachable!("the built-in File metadata is valid"))
}

/// One part of a `multipart/form-data` body.
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(haystack.get(from..)?, needle).map(|i| i + from)
}

/// The parts of a multipart body with this `boundary`.
fn parts(body: &[u8], boundary: &str) -> SiteResult<Vec<Part>> {
    let delimiter = format!("--{boundary}").into_bytes();
    let bad = || SiteError::new(400, "ValidationError", "malformed multipart body");
    let mut out = Vec::new();
    let mut at = find(body, &delimiter, 0).ok_or_else(bad)? + delimiter.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Ok(out);
        }
        at += 2; // CRLF after the delimiter
        let headers_end = find(body, b"\r\n\r\n", at).ok_or_else(bad)?;
        let headers = String::from_utf8_lossy(&body[at..headers_end]).into_owned();
        let data_start = headers_end + 4;
        let next = find(body, &delimiter, data_start).ok_or_else(bad)?;
        let data = body[data_start..next.saturating_sub(2).max(data_start)].to_vec();
        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            data,
        };
        for line in headers.split("\r\n") {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                for attr in line.split(';').skip(1) {
                    let (k, v) = attr.trim().split_once('=').unwrap_or(("", ""));
                    let v = v.trim_matches('"').to_owned();
                    match k {
                        "name" => part.name = v,
                        "filename" => part.file_name = Some(v),
                        _ => {}
                    }
                }
            } else if let Some(ct) = lower.strip_prefix("content-type:") {
                part.content_type = Some(ct.trim().to_owned());
            }
        }
        out.push(part);
        at = next + delimiter.len();
    }
}

/// `upload_file`.
pub(crate) fn upload(
    state: &mut State,
    files: &mut std::collections::HashMap<String, Stored>,
    caller: &Caller,
    content_type: &str,
    body: &[u8],
) -> SiteResult<Value> {
    let mut fields: Map<String, Value> = Map::new();
    let mut file: Option<Part> = None;
    if let Some(boundary) = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
    {
        for part in parts(body, boundary.trim_matches('"'))? {
            if part.file_name.is_some() {
                file = Some(part);
            } else {
                fields.insert(
                    part.name.clone(),
                    Value::String(String::from_utf8_lossy(&part.data).into_owned()),
                );
            }
        }
    } else {
        for (k, v) in super::server::pairs(&String::from_utf8_lossy(body)) {
            fields.insert(k, Value::String(v));
        }
    }
    let text = |k: &str| {
        fields
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let Some(file) = file else {
        if !text("file_url").is_empty() {
            return Err(SiteError::unsupported(
                "upload_file with a file_url and no content",
            ));
        }
        return Err(SiteError::validation(
            "MandatoryError",
            "Fields `file_name` or `file_url` must be set for File",
        ));
    };
    let private = cint(fields.get("is_private").unwrap_or(&Value::Null)) != 0;
    let file_name = match text("file_name") {
        n if n.is_empty() => file.file_name.clone().unwrap_or_default(),
        n => n,
    };
    let content_hash = md5_hex(&file.data);
    // Frappe reuses an earlier file with the same content and privacy (`File.save_file`).
    let existing = files
        .iter()
        .find(|(_, f)| f.private == private && f.bytes == file.data)
        .map(|(url, _)| url.clone());
    let file_url = existing.clone().unwrap_or_else(|| {
        format!(
            "{}/files/{file_name}",
            if private { "/private" } else { "" }
        )
    });
    if existing.is_none() && files.contains_key(&file_url) {
        return Err(SiteError::unsupported(format!(
            "uploading a second file named {file_name:?} (Frappe renames it; use unique names)"
        )));
    }
    let mut doc = json!({
        "file_name": file_name,
        "is_private": i32::from(private),
        "file_type": file_name.rsplit_once('.').map(|(_, e)| e.to_uppercase()).unwrap_or_default(),
        "is_home_folder": 0,
        "is_attachments_folder": 0,
        "file_size": file.data.len(),
        "file_url": file_url,
        "folder": match text("folder") { f if f.is_empty() => "Home".to_owned(), f => f },
        "is_folder": 0,
        "content_hash": content_hash,
        "uploaded_to_dropbox": 0,
        "uploaded_to_google_drive": 0,
    });
    for (from, to) in [
        ("doctype", "attached_to_doctype"),
        ("docname", "attached_to_name"),
        ("fieldname", "attached_to_field"),
    ] {
        if !text(from).is_empty() {
            doc[to] = Value::String(text(from));
        }
    }
    let saved = super::docs::insert(state, "File", doc, caller)?;
    let mut content_type = file
        .content_type
        .unwrap_or_else(|| "application/octet-stream".into());
    if content_type.starts_with("text/") && !content_type.contains("charset") {
        content_type.push_str("; charset=utf-8");
    }
    files.entry(file_url).or_insert(Stored {
        content_type,
        bytes: file.data,
        private,
    });
    Ok(Value::Object(saved))
}

/// Frappe's `content_hash`: the MD5 of the content, in hex (RFC 1321).
pub(crate) fn md5_hex(data: &[u8]) -> String {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    let k: Vec<u32> = (0..64)
        .map(|i| ((i as f64 + 1.0).sin().abs() * 4294967296.0) as u32)
        .collect();
    let mut message = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_le_bytes());
    let (mut a0, mut b0, mut c0, mut d0) =
        (0x67452301u32, 0xefcdab89u32, 0x98badcfeu32, 0x10325476u32);
    for chunk in message.chunks(64) {
        let m: Vec<u32> = chunk
            .chunks(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        a0 = a0.wrapping_add(a);
        b0 = b0.wrapping_add(b);
        c0 = c0.wrapping_add(c);
        d0 = d0.wrapping_add(d);
    }
    [a0, b0, c0, d0]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_matches_rfc_1321() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            md5_hex(b"The quick brown fox jumps over the lazy dog"),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
    }

    #[test]
    fn multipart_parts_are_split_with_names_and_file_names() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"doctype\"\r\n\r\nNote\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n";
        let parts = parts(body, "b").expect("valid");
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].data.as_slice()),
            ("doctype", &b"Note"[..])
        );
        assert_eq!(parts[1].file_name.as_deref(), Some("a.txt"));
        assert_eq!(parts[1].data, b"hi");
    }
}
