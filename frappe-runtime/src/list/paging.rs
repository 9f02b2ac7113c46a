//! [`ListRequest::stream`]: page after page as a `Stream`, at most one page in memory. The
//! ordering policy is described in the [module docs](super).

use futures_util::Stream;
use serde::de::DeserializeOwned;

use super::ListRequest;
use crate::error::Result;

impl<D: DeserializeOwned> ListRequest<D> {
    /// Every matching row as a stream, fetched [`page_size`](Self::page_size) rows at a time and
    /// holding at most one page in memory. See the module docs for the ordering policy. A
    /// [`limit`](Self::limit) caps the total; [`start`](Self::start) is the first offset. The
    /// stream ends after the first short page. An error ends the stream after being yielded.
    ///
    /// The stream is `Unpin` (boxed once), so `try_next()` works on it directly.
    pub fn stream(self) -> impl Stream<Item = Result<D>> + Unpin {
        let order = paging_order(&self.order_by, self.group_by.as_deref());
        let state = PageState {
            next_start: self.start,
            remaining: match self.limit {
                Some(0) | None => None,
                Some(n) => Some(n),
            },
            buffer: Vec::new().into_iter(),
            done: false,
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
                    if st.done {
                        return Ok(None);
                    }
                    st.req.check()?;
                    let len = match st.remaining {
                        Some(r) => r.min(st.req.page_size),
                        None => st.req.page_size,
                    };
                    if len == 0 {
                        return Ok(None);
                    }
                    // Free the previous page before fetching the next.
                    st.buffer = Vec::new().into_iter();
                    let query = st.req.query(Some((st.next_start, len, &st.order)));
                    let page: Vec<D> = st
                        .req
                        .client
                        .execute(&st.req.request(query))
                        .await?
                        .data()?;
                    let got = page.len() as u64;
                    st.done = got < len;
                    st.next_start += got;
                    if let Some(r) = &mut st.remaining {
                        *r -= got.min(*r);
                        if *r == 0 {
                            st.done = true;
                        }
                    }
                    st.buffer = page.into_iter();
                }
            },
        ))
    }
}

struct PageState<D> {
    req: ListRequest<D>,
    order: Vec<String>,
    next_start: u64,
    remaining: Option<u64>,
    buffer: std::vec::IntoIter<D>,
    done: bool,
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
