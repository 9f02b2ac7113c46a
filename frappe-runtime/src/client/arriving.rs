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

use serde::de::{DeserializeOwned, IgnoredAny};

use crate::client::{Client, Request, Response};
use crate::error::Result;
use scan::{Part, Scanner};

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
}

impl<D> ArrivingRows<D> {
    fn new() -> Self {
        Self {
            scanner: Scanner::new(),
            rows: Vec::new(),
            last: None,
        }
    }
}

impl<D: DeserializeOwned> Arriving for ArrivingRows<D> {
    fn start(&mut self) {
        *self = Self::new();
    }

    fn arrived(&mut self, body: &[u8]) {
        let Self { scanner, rows, last } = self;
        scanner.feed(body, |part| match part {
            Part::Row(range) => match parse::<D>(&body[range.clone()]) {
                Some(row) => {
                    rows.push(row);
                    *last = Some(range);
                    true
                }
                None => false,
            },
            Part::Other { key, value } => is_plain(&body[key], &body[value]),
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
}

impl<D> ListRows<D> {
    /// The last row read again as `K` (e.g. only its key), if there is a row.
    pub(crate) fn last_as<K: DeserializeOwned>(&self) -> Result<Option<K>> {
        if let Some(row) = self.last.clone().and_then(|r| parse(&self.response.body[r])) {
            return Ok(Some(row));
        }
        // Decoded whole, or the row is not a `K`: the whole body names the error.
        Ok(self.response.data::<Vec<K>>()?.pop())
    }
}

impl Client {
    /// Sends a list request and decodes the `data` rows of its answer as they arrive (see the
    /// module docs): the same rows, or the same error, as `execute(req)?.data::<Vec<D>>()`.
    pub(crate) async fn list_rows<D: DeserializeOwned>(&self, req: &Request) -> Result<ListRows<D>> {
        let mut arriving = ArrivingRows::<D>::new();
        let response = self.execute_into(req, &mut arriving).await?;
        if arriving.scanner.complete() {
            return Ok(ListRows {
                rows: arriving.rows,
                response,
                last: arriving.last,
            });
        }
        drop(arriving);
        Ok(ListRows {
            rows: response.data()?,
            response,
            last: None,
        })
    }
}
