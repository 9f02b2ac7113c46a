//! [`ListRequest::stream`]: page after page as a `Stream`, the next page's request in flight
//! while the current page is consumed, at most two pages in memory. Pages follow each other by
//! offset, or by name with [`ListRequest::keyset`]. The ordering policy is described in the
//! [module docs](super).

use std::collections::VecDeque;
use std::sync::Arc;

use futures_util::Stream;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tracing::Instrument as _;

use super::ListRequest;
use crate::error::{Error, Result};

impl<D: DeserializeOwned + Send + 'static> ListRequest<D> {
    /// Every matching row as a stream, fetched [`page_size`](Self::page_size) rows at a time.
    /// See the module docs for the ordering policy. A [`limit`](Self::limit) caps the total;
    /// [`start`](Self::start) is the first offset. The stream ends after the first short page.
    /// An error ends the stream after being yielded.
    ///
    /// Pages are pipelined, on spawned tasks that fetch and decode them while the caller works:
    /// - while the caller reads a page, the next one is on its way;
    /// - while the caller waits (it has read every row it holds), two pages are on their way,
    ///   so that the site works on both at once (it runs several workers).
    ///
    /// So at most two pages are in memory. With offsets, the page after next is requested
    /// before the next one is known to be full, so the stream may send one request past the
    /// last page (a GET, answered with no rows, cancelled when the stream ends). With
    /// [`keyset`](Self::keyset) paging a page's key comes from the page before it, so one page
    /// is on its way at a time. Dropping the stream cancels what is in flight. Rows come in
    /// order; the last request is sized to the rows a [`limit`](Self::limit) still wants.
    ///
    /// The stream is `Unpin` (boxed once), so `try_next()` works on it directly. It must be
    /// polled inside a Tokio runtime (as every request of this crate).
    pub fn stream(self) -> impl Stream<Item = Result<D>> + Unpin {
        let order = if self.keyset && self.order_by.is_empty() {
            vec!["name asc".to_owned()]
        } else {
            paging_order(&self.order_by, self.group_by.as_deref())
        };
        let cursor = if self.keyset {
            Cursor::Name {
                after: None,
                descending: order
                    .first()
                    .is_some_and(|k| k.to_ascii_lowercase().ends_with("desc")),
            }
        } else {
            Cursor::Offset(self.start)
        };
        let state = PageState {
            cursor,
            remaining: match self.limit {
                Some(0) | None => None,
                Some(n) => Some(n),
            },
            buffer: Vec::new().into_iter(),
            in_flight: VecDeque::new(),
            full_pages: 0,
            done: false,
            checked: false,
            order,
            req: self,
        };
        Box::pin(futures_util::stream::try_unfold(
            state,
            |mut st| async move {
                loop {
                    if let Some(item) = st.buffer.next() {
                        return Ok(Some((item, st)));
                    }
                    if !st.checked {
                        // Bad input is reported before anything is sent.
                        st.req.check()?;
                        if st.req.keyset {
                            check_keyset(&st.req)?;
                        }
                        st.checked = true;
                        st.request_next();
                    }
                    // The caller holds no row: have a second page on its way, if its start is
                    // known before the first arrives, and once a full page has shown that
                    // there is more than one (a short list costs one request).
                    if st.in_flight.len() == 1
                        && st.full_pages > 0
                        && matches!(st.cursor, Cursor::Offset(_))
                    {
                        st.request_next();
                    }
                    let Some(page) = st.in_flight.pop_front() else {
                        return Ok(None);
                    };
                    // Free the previous page before waiting for the next.
                    st.buffer = Vec::new().into_iter();
                    let asked = page.request.len;
                    let (rows, last) = match page.task.join().await {
                        Some(rows) => rows?,
                        // Its task was cancelled (the runtime that ran it shut down): fetch the
                        // page here instead; a GET is safe to repeat.
                        None => fetch(st.req.client.clone(), page.request, st.req.keyset).await?,
                    };
                    if (rows.len() as u64) < asked {
                        st.done = true;
                        // Requests past the end: cancelled.
                        st.in_flight.clear();
                    } else {
                        st.full_pages += 1;
                        if st.in_flight.is_empty() {
                            if let Cursor::Name { after, .. } = &mut st.cursor {
                                *after = last;
                            }
                            st.request_next();
                        }
                    }
                    st.buffer = rows.into_iter();
                }
            },
        ))
    }
}

/// The stream's state between rows.
struct PageState<D> {
    req: ListRequest<D>,
    order: Vec<String>,
    /// Where the next page starts.
    cursor: Cursor,
    /// Rows still to request under a [`limit`](ListRequest::limit).
    remaining: Option<u64>,
    /// The page being read.
    buffer: std::vec::IntoIter<D>,
    /// The next pages (at most two), requested and not yet read, in order.
    in_flight: VecDeque<Page<D>>,
    /// Full pages received so far.
    full_pages: u64,
    /// No page is left to request.
    done: bool,
    /// The request's input was checked.
    checked: bool,
}

impl<D: DeserializeOwned + Send + 'static> PageState<D> {
    /// Sends the request for the next page unless every wanted row was requested.
    fn request_next(&mut self) {
        if self.done {
            return;
        }
        let len = match self.remaining {
            Some(r) => r.min(self.req.page_size),
            None => self.req.page_size,
        };
        if len == 0 {
            self.done = true;
            return;
        }
        let mut query = match &mut self.cursor {
            Cursor::Offset(start) => {
                let query = self.req.query(Some((*start, len, &self.order)));
                *start += len;
                query
            }
            Cursor::Name { after, descending } => {
                let mut req = self.req.clone();
                if let Some(after) = after {
                    let op = if *descending { "<" } else { ">" };
                    req.filters.push(json!(["name", op, after]));
                }
                req.query(Some((0, len, &self.order)))
            }
        };
        let columns = self.req.compact(&mut query);
        if let Some(r) = &mut self.remaining {
            *r -= len;
        }
        let page = PageRequest {
            doctype: self.req.doctype.clone(),
            query,
            columns,
            len,
        };
        let task = tokio::spawn(
            fetch(self.req.client.clone(), page.clone(), self.req.keyset).in_current_span(),
        );
        self.in_flight.push_back(Page {
            request: page,
            task: Task(task),
        });
    }
}

/// Where the next page starts.
enum Cursor {
    /// At this offset (`limit_start`).
    Offset(u64),
    /// After this name (`None`: from the first row), in ascending or descending order.
    Name {
        after: Option<Value>,
        descending: bool,
    },
}

/// The query of one page request, kept to send it again if its task is cancelled.
#[derive(Clone)]
struct PageRequest {
    doctype: String,
    query: Vec<(String, String)>,
    /// The fields of compact rows, if the query asks for them.
    columns: Option<Arc<[String]>>,
    /// Rows asked for.
    len: u64,
}

/// Fetches and decodes one page, its rows as they arrive; with `keyset`, also reads the last
/// row's name of a full page (a second parse of that row; a short page is the last, so it
/// needs no key).
async fn fetch<D: DeserializeOwned>(
    client: crate::Client,
    page: PageRequest,
    keyset: bool,
) -> Result<(Vec<D>, Option<Value>)> {
    let request = ListRequest::<D>::page_request(&client, &page.doctype, page.query);
    let list = client.list_rows::<D>(&request, page.columns).await?;
    let last = if keyset && list.rows.len() as u64 >= page.len {
        /// Only the key of a row (a text name, or an integer for autoincrement DocTypes).
        #[derive(Deserialize)]
        struct Key {
            name: Value,
        }
        list.last_as::<Key>()?.map(|k| k.name)
    } else {
        None
    };
    Ok((list.rows, last))
}

/// What [`ListRequest::keyset`] cannot be combined with.
fn check_keyset<D>(req: &ListRequest<D>) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::InvalidInput(format!(
            "{}: keyset paging {why}",
            req.doctype
        )))
    };
    if req.group_by.is_some() {
        return refuse("cannot be grouped (group_by)");
    }
    if req.start > 0 {
        return refuse(
            "starts at the first name, not at an offset: filter on name instead of start()",
        );
    }
    let by_name = |k: &str| {
        let k = k.to_ascii_lowercase();
        let words: Vec<&str> = k.split_whitespace().collect();
        matches!(words.as_slice(), ["name"] | ["name", "asc" | "desc"])
    };
    if !(req.order_by.is_empty() || req.order_by.len() == 1 && by_name(&req.order_by[0])) {
        return refuse(
            "orders by name only: leave order_by out, or give \"name asc\" / \"name desc\"",
        );
    }
    if let Some(fields) = &req.fields {
        if !fields
            .iter()
            .any(|f| matches!(f.trim(), "name" | "*" | "`name`"))
        {
            return refuse("needs `name` among the fields");
        }
    }
    Ok(())
}

/// A requested page: its request, how many rows were asked for, and the task fetching them.
struct Page<D> {
    request: PageRequest,
    task: Task<Result<(Vec<D>, Option<Value>)>>,
}

/// A spawned task, cancelled when dropped (when the stream holding it is dropped).
struct Task<T>(JoinHandle<T>);

impl<T> Task<T> {
    /// The task's output; `None` if it was cancelled. A panic in the task resumes here.
    async fn join(mut self) -> Option<T> {
        match (&mut self.0).await {
            Ok(output) => Some(output),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => None,
        }
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The order used for paging: the caller's keys, made to end in the unique key `name`.
fn paging_order(keys: &[String], group_by: Option<&str>) -> Vec<String> {
    if let Some(group) = group_by {
        // Grouped rows are unique per group key; `name` is not selectable there.
        return if keys.is_empty() {
            vec![format!("{group} asc")]
        } else {
            keys.to_vec()
        };
    }
    if keys.is_empty() {
        return vec!["creation asc".into(), "name asc".into()];
    }
    let last = keys
        .iter()
        .flat_map(|k| k.split(','))
        .rfind(|k| !k.trim().is_empty())
        .unwrap_or("");
    let mut words = last.split_whitespace();
    let column = words.next().unwrap_or("").replace('`', "");
    let column = column.rsplit('.').next().unwrap_or("");
    let descending = words.next().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
    let mut order = keys.to_vec();
    if column != "name" {
        order.push(if descending { "name desc" } else { "name asc" }.into());
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_order_ends_in_name() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(paging_order(&[], None), s(&["creation asc", "name asc"]));
        assert_eq!(
            paging_order(&s(&["modified desc"]), None),
            s(&["modified desc", "name desc"])
        );
        assert_eq!(
            paging_order(&s(&["priority asc, creation DESC"]), None),
            s(&["priority asc, creation DESC", "name desc"])
        );
        assert_eq!(paging_order(&s(&["name desc"]), None), s(&["name desc"]));
        assert_eq!(
            paging_order(&s(&["`tabToDo`.`name` asc"]), None),
            s(&["`tabToDo`.`name` asc"])
        );
        assert_eq!(paging_order(&[], Some("status")), s(&["status asc"]));
    }
}
