//! Decoding a list response while its body arrives: [`Client::list_rows`].
//!
//! A list of 10,000 rows is a body of about 5 MB that a site sends in a few milliseconds, and
//! typed decoding of it takes about as long again; decoded only once the last byte is in, the
//! two add up. Here each row of `{"data": [row, row, ...]}` (v1's `/api/resource` and v2's
//! `/api/v2/document`, see `api.rs`) is decoded as soon as its last byte has arrived, so that
//! only the last rows are left to decode when the body ends. [`scan`] finds where the rows
//! begin and end; each is parsed with serde_json from its own bytes, as text (its UTF-8
//! checked once, as `response.rs` does for a whole body).
//!
//! Nothing about the outcome changes, only when the work is done: the whole body is still read
//! up to the size cap and kept in the [`Response`], and whenever the body is not the plain
//! envelope — another top-level key that may be Frappe's error (`exc_type`, `exception`,
//! `errors`), an escaped key, a `data` that is not a list, a row that does not decode, a body
//! that is not JSON — the rows found so far are dropped and the body is decoded whole by
//! [`Response::data`], which reports the error (masked, naming the DocType and the JSON path)
//! as before. Each attempt starts afresh ([`Arriving::start`]): a retried or replayed request
//! keeps nothing of an attempt that failed.

mod scan;

use std::ops::Range;
use std::sync::Arc;

use serde::de::{DeserializeOwned, IgnoredAny};

use crate::client::{Client, Request, Response};
use crate::error::{Error, Result};
use crate::list::compact;
use scan::{Part, Scanner, Verdict};

/// What receives a success body while it arrives (`exchange.rs` feeds it; `()` ignores it).
pub(crate) trait Arriving {
    /// A success body starts arriving: whatever an earlier attempt fed is forgotten.
    fn start(&mut self);
    /// The body so far, the new bytes at its end (it only grows until the next `start`).
    fn arrived(&mut self, body: &[u8]);
}

impl Arriving for () {
    fn start(&mut self) {}
    fn arrived(&mut self, _: &[u8]) {}
}

/// Rows of `{"data": [...]}` decoded as `D` while the body arrives.
struct ArrivingRows<D> {
    scanner: Scanner,
    rows: Vec<D>,
    /// Where the last row decoded is in the body.
    last: Option<Range<usize>>,
    /// The fields of compact rows (`list/compact.rs`), if the list asked for them.
    columns: Option<Arc<[String]>>,
}

impl<D> ArrivingRows<D> {
    fn new(columns: Option<Arc<[String]>>) -> Self {
        Self {
            scanner: Scanner::new(),
            rows: Vec::new(),
            last: None,
            columns,
        }
    }
}

impl<D: DeserializeOwned> Arriving for ArrivingRows<D> {
    fn start(&mut self) {
        *self = Self::new(self.columns.take());
    }

    fn arrived(&mut self, body: &[u8]) {
        let Self {
            scanner,
            rows,
            last,
            columns,
        } = self;
        scanner.feed(body, |part| match part {
            Part::Row(range) => {
                let Ok(text) = std::str::from_utf8(&body[range.clone()]) else {
                    return Verdict::Stop;
                };
                match compact::row::<D>(text, columns.as_deref()) {
                    Ok(row) => {
                        rows.push(row);
                        *last = Some(range);
                        Verdict::Ok
                    }
                    // A guess at the row's end that fell short (see `scan`).
                    Err(e) if e.is_eof() => Verdict::Truncated,
                    Err(_) => Verdict::Stop,
                }
            }
            Part::Other { key, value } => {
                if is_plain(&body[key], &body[value]) {
                    Verdict::Ok
                } else {
                    Verdict::Stop
                }
            }
        });
        if scanner.stopped() {
            // The body will be decoded whole: free the rows now.
            *rows = Vec::new();
            *last = None;
        }
    }
}

/// `bytes` as JSON text of a `T`, if it is one.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_json::from_str(std::str::from_utf8(bytes).ok()?).ok()
}

/// Whether a top-level key beside `data` and its value are valid JSON that
/// `response.rs` would ignore: any key but the ones Frappe's error path writes, whose meaning
/// depends on their value's shape (`ErrorKeys` there decides).
fn is_plain(key: &[u8], value: &[u8]) -> bool {
    !matches!(key, b"\"exc_type\"" | b"\"exception\"" | b"\"errors\"")
        && parse::<IgnoredAny>(key).is_some()
        && parse::<IgnoredAny>(value).is_some()
}

/// A list response's rows, decoded as they arrived or, failing that, from the whole body.
pub(crate) struct ListRows<D> {
    pub(crate) rows: Vec<D>,
    response: Response,
    /// Where the last row is in the body, when the rows were decoded as they arrived.
    last: Option<Range<usize>>,
    columns: Option<Arc<[String]>>,
}

impl<D> ListRows<D> {
    /// The last row read again as `K` (e.g. only its key), if there is a row.
    pub(crate) fn last_as<K: DeserializeOwned>(&self) -> Result<Option<K>> {
        let columns = self.columns.as_deref();
        if let Some(row) = self.last.clone().and_then(|r| {
            let text = std::str::from_utf8(&self.response.body[r]).ok()?;
            compact::row::<K>(text, columns).ok()
        }) {
            return Ok(Some(row));
        }
        // Decoded whole, or the row is not a `K`: the whole body names the error.
        match data::<K>(&self.response, columns)? {
            Ok(mut rows) => Ok(rows.pop()),
            Err(message) => Err(self.response.decode_failure_quoted("data", &message)),
        }
    }
}

/// The rows of `response` decoded whole; compact rows are first turned into objects, so that
/// errors name the row and field as for object rows. `Ok(Err(message))`: the values of a
/// row do not line up with `columns`.
fn data<D: DeserializeOwned>(
    response: &Response,
    columns: Option<&[String]>,
) -> Result<std::result::Result<Vec<D>, String>> {
    let Some(columns) = columns else {
        return response.data().map(Ok);
    };
    match compact::as_objects(&response.body, columns) {
        Ok(None) => response.data().map(Ok),
        Ok(Some(objects)) => response.with_body(objects.into()).data().map(Ok),
        Err(message) => Ok(Err(message)),
    }
}

/// How a list response ended.
// Returned once per response and taken apart at once: boxing the rows would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Finished<D> {
    Rows(ListRows<D>),
    /// Compact rows whose values did not line up with the fields asked for: what is wrong.
    Misaligned(String),
}

impl<D: DeserializeOwned> ArrivingRows<D> {
    /// The rows decoded as `response`'s body arrived, or if they were not all (see the module
    /// docs), the body decoded whole.
    fn finish(self, response: Response) -> Result<Finished<D>> {
        if self.scanner.complete() {
            return Ok(Finished::Rows(ListRows {
                rows: self.rows,
                response,
                last: self.last,
                columns: self.columns,
            }));
        }
        let columns = self.columns;
        drop((self.rows, self.scanner));
        Ok(match data(&response, columns.as_deref())? {
            Ok(rows) => Finished::Rows(ListRows {
                rows,
                response,
                last: None,
                columns,
            }),
            Err(message) => Finished::Misaligned(message),
        })
    }
}

impl Client {
    /// Sends a list request and decodes the `data` rows of its answer as they arrive (see the
    /// module docs): the same rows, or the same error, as `execute(req)?.data::<Vec<D>>()`.
    /// With `columns`, the list asked for compact rows (`list/compact.rs`).
    ///
    /// Compact rows whose values do not line up with the fields (Frappe leaves out a field above
    /// the user's permission level, `reportview.validate_fields`, where `DatabaseQuery` sends
    /// `null`) are asked for again as objects, and so are these fields of this DocType from then
    /// on ([`misaligned`](Self::misaligned)).
    pub(crate) async fn list_rows<D: DeserializeOwned>(
        &self,
        req: &Request,
        columns: Option<Arc<[String]>>,
    ) -> Result<ListRows<D>> {
        let key = columns
            .as_deref()
            .map(|c| misaligned_key(req.doctype().unwrap_or_default(), c));
        let mut arriving = ArrivingRows::<D>::new(columns);
        let response = self.execute_into(req, &mut arriving).await?;
        let message = match arriving.finish(response)? {
            Finished::Rows(rows) => return Ok(rows),
            Finished::Misaligned(message) => message,
        };
        tracing::debug!(
            doctype = req.doctype().unwrap_or_default(),
            %message,
            "compact rows did not line up with the fields: asking for objects"
        );
        if let Some(key) = key {
            self.inner
                .misaligned
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key);
        }
        let mut objects = Request::new(req.method.clone(), req.segments.clone());
        objects.query = req
            .query
            .iter()
            .filter(|(k, _)| k != "as_dict")
            .cloned()
            .collect();
        let mut arriving = ArrivingRows::<D>::new(None);
        let response = self.execute_into(&objects, &mut arriving).await?;
        match arriving.finish(response)? {
            Finished::Rows(rows) => Ok(rows),
            // Without columns nothing is read as compact rows.
            Finished::Misaligned(message) => Err(Error::InvalidInput(message)),
        }
    }

    /// Whether lists of `doctype` asking for `fields` as compact rows were answered with values
    /// that did not line up with them (see [`list_rows`](Self::list_rows)).
    pub(crate) fn misaligned(&self, doctype: &str, fields: &[String]) -> bool {
        self.inner
            .misaligned
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&misaligned_key(doctype, fields))
    }
}

/// The key of a DocType's list of `fields` in `Inner::misaligned`.
fn misaligned_key(doctype: &str, fields: &[String]) -> String {
    let mut key = doctype.to_owned();
    for f in fields {
        key.push('\n');
        key.push_str(f);
    }
    key
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use reqwest::header::HeaderMap;
    use reqwest::{Method, StatusCode};
    use serde::Deserialize;
    use serde_json::Value;

    use super::*;
    use crate::error::Error;
    use crate::mask::SecretMask;
    use crate::row::Row;

    fn response(body: &[u8]) -> Response {
        Response {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::copy_from_slice(body),
            method: Method::GET,
            path: "/api/resource/ToDo".into(),
            doctype: Some("ToDo".into()),
            mask: SecretMask::new(["SECRET-TOKEN".to_owned()]),
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct ToDo {
        name: String,
        idx: u32,
        description: Option<String>,
    }

    /// `body` fed as it grows to each end in `ends`, then finished as `list_rows` does.
    fn arrive<D: DeserializeOwned>(body: &[u8], ends: &[usize]) -> Result<ListRows<D>> {
        arrive_compact(body, ends, None).map(|f| match f {
            Finished::Rows(rows) => rows,
            Finished::Misaligned(m) => panic!("misaligned without columns: {m}"),
        })
    }

    /// [`arrive`] for a list that asked for compact rows of `columns`.
    fn arrive_compact<D: DeserializeOwned>(
        body: &[u8],
        ends: &[usize],
        columns: Option<&[&str]>,
    ) -> Result<Finished<D>> {
        let columns = columns.map(|c| c.iter().map(|s| (*s).to_owned()).collect());
        let mut arriving = ArrivingRows::<D>::new(columns);
        arriving.start();
        for &end in ends.iter().chain([&body.len()]) {
            arriving.arrived(&body[..end]);
        }
        arriving.finish(response(body))
    }

    #[test]
    fn compact_rows_at_every_split_and_misaligned_ones() {
        let fields = ["name", "idx", "description"];
        let body = r#"{"data":[["TD-1",1,"a \"],[\" b"],["TD-2",2,null]]}"#;
        let want = [
            ToDo {
                name: "TD-1".into(),
                idx: 1,
                description: Some(r#"a "],[" b"#.into()),
            },
            ToDo {
                name: "TD-2".into(),
                idx: 2,
                description: None,
            },
        ];
        for cut in 0..=body.len() {
            let Finished::Rows(list) =
                arrive_compact::<ToDo>(body.as_bytes(), &[cut], Some(&fields)).unwrap()
            else {
                panic!("cut at {cut}: misaligned");
            };
            assert_eq!(list.rows, want, "cut at {cut}");
            assert!(list.last.is_some(), "decoded as they arrived, cut at {cut}");
            #[derive(Deserialize)]
            struct Key {
                name: String,
            }
            assert_eq!(list.last_as::<Key>().unwrap().unwrap().name, "TD-2");
        }
        // A row one value short (a field Frappe left out) is told apart from other errors.
        let short = br#"{"data":[["TD-1",1,"a"],["TD-2",2]]}"#;
        match arrive_compact::<ToDo>(short, &[], Some(&fields)).unwrap() {
            Finished::Misaligned(m) => assert!(m.contains("row 1 has 2 values"), "{m}"),
            Finished::Rows(_) => panic!("a short row decoded"),
        }
        // A value of the wrong type is a decode error naming the row and field.
        let wrong = br#"{"data":[["TD-1","x","a"]]}"#;
        let Err(Error::Decode(e)) = arrive_compact::<ToDo>(wrong, &[], Some(&fields)) else {
            panic!("not a decode error");
        };
        assert_eq!(e.json_path, "data[0].idx");
        // Object rows (a server that ignored `as_dict`) are read as they are.
        let objects = br#"{"data":[{"name":"TD-2","idx":2}]}"#;
        let Finished::Rows(list) = arrive_compact::<ToDo>(objects, &[], Some(&fields)).unwrap()
        else {
            panic!("misaligned");
        };
        assert_eq!(list.rows, want[1..]);
    }

    /// Checks that `body` decodes as `D` to what `Response::data` gives, whole and split at
    /// every byte; returns whether the rows were decoded as they arrived.
    fn same_as_whole<D: DeserializeOwned + PartialEq + std::fmt::Debug>(body: &str) -> bool {
        let whole = response(body.as_bytes())
            .data::<Vec<D>>()
            .map_err(|e| e.to_string());
        let mut streamed = None;
        for cut in 0..=body.len() {
            let list = arrive::<D>(body.as_bytes(), &[cut]);
            let (rows, last) = match list {
                Ok(l) => (Ok(l.rows), l.last.is_some()),
                Err(e) => (Err(e.to_string()), false),
            };
            assert_eq!(rows, whole, "cut at byte {cut} of {body}");
            assert!(streamed.is_none_or(|s| s == last), "cut at {cut}");
            streamed = Some(last);
        }
        streamed.unwrap_or(false)
    }

    const ROWS: &str = concat!(
        r#"{"data":[{"name":"TD-1","idx":1,"description":"Zoë: \"[ok]\", {x}"},"#,
        r#"{"name":"TD-2","idx":2,"description":null},"#,
        r#"{"name":"TD-\u00e9","idx":3,"description":"日本\\"}],"#,
        r#""exc":"[\"debug output\"]","_server_messages":"[]"}"#
    );

    #[test]
    fn typed_untyped_and_value_rows_at_every_split() {
        assert!(same_as_whole::<ToDo>(ROWS));
        assert!(same_as_whole::<Row>(ROWS));
        assert!(same_as_whole::<Value>(ROWS));
        let empty = arrive::<ToDo>(br#"{"data":[]}"#, &[5]).unwrap();
        assert!(empty.rows.is_empty());
        let rows = arrive::<Row>(ROWS.as_bytes(), &[40, 41, 90]).unwrap().rows;
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2]["name"], "TD-é");
        // The rows of one page share their column names (row.rs) as when decoded whole.
        assert_eq!(
            rows[0].keys().collect::<Vec<_>>(),
            ["name", "idx", "description"]
        );
    }

    #[test]
    fn rows_as_lists_of_values() {
        // `send_rows` (`as_dict=0`).
        assert!(same_as_whole::<Vec<Value>>(
            r#"{"data":[["TD-1",1,null],["TD-2",2,"a]b"]]}"#
        ));
    }

    #[test]
    fn a_row_that_does_not_decode_is_reported_by_its_path() {
        let body = r#"{"data":[{"name":"a","idx":1,"description":null},{"name":"b","idx":"SECRET-TOKEN","description":null}]}"#;
        assert!(!same_as_whole::<ToDo>(body));
        let Err(Error::Decode(d)) = arrive::<ToDo>(body.as_bytes(), &[60]) else {
            panic!("not a decode error")
        };
        assert_eq!(d.json_path, "data[1].idx");
        assert_eq!(d.doctype.as_deref(), Some("ToDo"));
        let shown = format!("{d:?} {}", d.message);
        assert!(!shown.contains("SECRET-TOKEN"), "{shown}");
    }

    #[test]
    fn invalid_utf8_in_a_row_is_reported_by_its_path() {
        let body = b"{\"data\":[{\"name\":\"a\xff\",\"idx\":1,\"description\":null}]}";
        for cut in 0..=body.len() {
            let Err(Error::Decode(d)) = arrive::<ToDo>(body, &[cut]) else {
                panic!("cut at {cut}: not a decode error")
            };
            assert_eq!(d.json_path, "data[0].name");
        }
    }

    #[test]
    fn frappe_errors_in_a_success_body_are_errors() {
        let v1 = r#"{"data":[{"name":"a","idx":1,"description":null}],"exc_type":"RequestToken","exception":"frappe.exceptions.RequestToken: token needed"}"#;
        let v2 = r#"{"data":[],"errors":[{"type":"RequestToken","message":"token needed"}]}"#;
        for body in [v1, v2] {
            for cut in 0..=body.len() {
                let err = arrive::<ToDo>(body.as_bytes(), &[cut]).err().unwrap();
                assert_eq!(err.exc_type(), Some("RequestToken"), "{body}");
            }
        }
        // Keys of those names whose shape is not Frappe's error: the rows, decoded whole.
        let rows = arrive::<u32>(br#"{"data":[1],"errors":3,"exc_type":null}"#, &[5]).unwrap();
        assert_eq!((rows.rows, rows.last), (vec![1], None));
    }

    #[test]
    fn other_shapes_are_decoded_whole() {
        for body in [
            r#"{"d\u0061ta":[1]}"#,
            r#"{"data":[1],"x":tru}"#,
            r#"{"data":[1 2]}"#,
            r#"{"data":[1]} x"#,
            r#"{"data":{"0":1}}"#,
            r#"{"data":[1],"data":[2]}"#,
            r#"{"message":[1]}"#,
            "",
        ] {
            assert!(!same_as_whole::<u32>(body), "{body}");
        }
    }

    #[test]
    fn a_new_attempt_forgets_the_last() {
        let mut arriving = ArrivingRows::<u32>::new(None);
        arriving.start();
        arriving.arrived(br#"{"data":[7,8,"#);
        assert_eq!(arriving.rows, [7, 8]);
        // The attempt failed; the next one's body arrives.
        arriving.start();
        let body = br#"{"data":[1]}"#;
        arriving.arrived(body);
        let Finished::Rows(list) = arriving.finish(response(body)).unwrap() else {
            panic!("misaligned");
        };
        assert_eq!(list.rows, [1]);
    }

    #[test]
    fn the_last_row_read_again() {
        #[derive(Deserialize)]
        struct Key {
            name: Value,
        }
        let list = arrive::<ToDo>(ROWS.as_bytes(), &[]).unwrap();
        assert_eq!(list.last_as::<Key>().unwrap().unwrap().name, "TD-é");
        // Decoded whole (here: `errors` of another shape), the body is read again.
        let body = br#"{"data":[{"name":1}],"errors":0}"#;
        let list = arrive::<Value>(body, &[]).unwrap();
        assert!(list.last.is_none());
        assert_eq!(list.last_as::<Key>().unwrap().unwrap().name, 1);
        let empty = arrive::<Value>(br#"{"data":[]}"#, &[]).unwrap();
        assert!(empty.last_as::<Key>().unwrap().is_none());
    }
}
