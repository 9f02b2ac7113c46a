//! Tree DocTypes (`is_tree`) as `frappe/utils/nestedset.py`'s `NestedSet` keeps them: `lft` and
//! `rgt` set when a node is inserted (the last child of its parent, or the last root) and moved
//! when its parent changes (`update_add_node`, `update_move_node`), `old_parent` following the
//! parent, a node that is not `is_group` refused children when it is saved (`validate_ledger`),
//! a node with children refused deletion, the tree rebuilt after a merge; and the tree filter
//! operators (`descendants of`,
//! `descendants of (inclusive)`, `ancestors of`, `not descendants of`, `not ancestors of`)
//! turned into `in` / `not in` lists of names as `db_query.py` does.

use serde_json::Value;

use super::docs::{cint, cstr};
use super::error::{SiteError, SiteResult};
use super::meta::DocTypeMeta;
use super::store::{Doc, State};

/// The tree filter operators.
pub(crate) const OPERATORS: &[&str] = &[
    "descendants of",
    "descendants of (inclusive)",
    "ancestors of",
    "not descendants of",
    "not ancestors of",
];

fn bounds(doc: &Doc) -> (i64, i64) {
    let int = |k: &str| doc.get(k).map_or(0, cint);
    (int("lft"), int("rgt"))
}

fn set_bounds(doc: &mut Doc, lft: i64, rgt: i64) {
    doc.insert("lft".into(), Value::from(lft));
    doc.insert("rgt".into(), Value::from(rgt));
}

/// Runs `f` on the `(lft, rgt)` of every node of `doctype`.
fn each(state: &mut State, doctype: &str, mut f: impl FnMut(&mut i64, &mut i64)) {
    for doc in state
        .docs
        .get_mut(doctype)
        .into_iter()
        .flat_map(|t| t.values_mut())
    {
        let (mut lft, mut rgt) = bounds(doc);
        let before = (lft, rgt);
        f(&mut lft, &mut rgt);
        if (lft, rgt) != before {
            set_bounds(doc, lft, rgt);
        }
    }
}

/// `validate_loop`: `name` may not become a child of a node inside its own subtree.
fn validate_loop(state: &State, doctype: &str, name: &str, lft: i64, rgt: i64) -> SiteResult<()> {
    let inside = state.all(doctype).any(|d| {
        let (l, r) = bounds(d);
        l <= lft && r >= rgt && cstr(d.get("name")).eq_ignore_ascii_case(name)
    });
    if inside {
        return Err(SiteError::validation(
            "NestedSetRecursionError",
            "Item cannot be added to its own descendants",
        ));
    }
    Ok(())
}

/// `update_add_node`: the node becomes the last child of `parent` (or the last root).
fn add_node(
    state: &mut State,
    meta: &DocTypeMeta,
    name: &str,
    parent: &str,
    field: &str,
) -> SiteResult<()> {
    let doctype = meta.name.as_str();
    let right = if parent.is_empty() {
        state
            .all(doctype)
            .filter(|d| cstr(d.get(field)).is_empty())
            .map(|d| bounds(d).1)
            .max()
            .unwrap_or(0)
            + 1
    } else {
        let (left, right) = bounds(state.doc(doctype, parent)?);
        validate_loop(state, doctype, name, left, right)?;
        right
    };
    let right = if right == 0 { 1 } else { right };
    each(state, doctype, |l, r| {
        if *r >= right {
            *r += 2;
        }
        if *l >= right {
            *l += 2;
        }
    });
    let doc = stored_mut(state, doctype, name)?;
    set_bounds(doc, right, right + 1);
    Ok(())
}

fn stored_mut<'a>(state: &'a mut State, doctype: &str, name: &str) -> SiteResult<&'a mut Doc> {
    state
        .docs
        .get_mut(doctype)
        .and_then(|t| t.get_mut(&super::store::fold(name)))
        .ok_or_else(|| SiteError::not_found(doctype, name))
}

/// `update_move_node`: the node's subtree becomes the last child of `parent` (or the last root).
fn move_node(state: &mut State, doctype: &str, name: &str, parent: &str) -> SiteResult<()> {
    let (dl, dr) = bounds(state.doc(doctype, name)?);
    if !parent.is_empty() {
        let (pl, pr) = bounds(state.doc(doctype, parent)?);
        validate_loop(state, doctype, name, pl, pr)?;
    }
    // Move the subtree out of the way (negative bounds), close its gap, open one at the parent,
    // bring it back.
    each(state, doctype, |l, r| {
        if *l >= dl && *r <= dr {
            *l = -*l;
            *r = -*r;
        }
    });
    let diff = dr - dl + 1;
    each(state, doctype, |l, r| {
        if *l > dr {
            *l -= diff;
            *r -= diff;
        }
    });
    each(state, doctype, |l, r| {
        if *l < dl && *r > dr {
            *r -= diff;
        }
    });
    let new_diff = if parent.is_empty() {
        let max = state.all(doctype).map(|d| bounds(d).1).max().unwrap_or(0);
        max + 1 - dl
    } else {
        let (pl, pr) = bounds(state.doc(doctype, parent)?);
        let node = stored_mut(state, doctype, parent)?;
        set_bounds(node, pl, pr + diff);
        each(state, doctype, |l, r| {
            if *l > pr {
                *l += diff;
                *r += diff;
            }
        });
        each(state, doctype, |l, r| {
            if *l < pl && *r > pr {
                *r += diff;
            }
        });
        pr - dl
    };
    each(state, doctype, |l, r| {
        if *l < 0 {
            *l = -*l + new_diff;
            *r = -*r + new_diff;
        }
    });
    Ok(())
}

/// `update_nsm` on the stored node `name`: placed when new, moved when its parent changed,
/// `old_parent` set to the parent.
fn update_nsm(state: &mut State, meta: &DocTypeMeta, name: &str, field: &str) -> SiteResult<()> {
    let doc = state.doc(&meta.name, name)?;
    let parent = cstr(doc.get(field));
    let old_parent = cstr(doc.get("old_parent"));
    let (lft, rgt) = bounds(doc);
    if lft == 0 && rgt == 0 {
        add_node(state, meta, name, &parent, field)?;
    } else if old_parent != parent {
        move_node(state, &meta.name, name, &parent)?;
    }
    stored_mut(state, &meta.name, name)?.insert("old_parent".into(), Value::String(parent));
    Ok(())
}

/// Runs `f` on the state, putting the DocType's documents back when it fails (the transaction
/// Frappe rolls back).
fn atomic(
    state: &mut State,
    doctype: &str,
    f: impl FnOnce(&mut State) -> SiteResult<()>,
) -> SiteResult<()> {
    let saved = state.docs.get(doctype).cloned();
    let result = f(state);
    if result.is_err() {
        match saved {
            Some(docs) => state.docs.insert(doctype.to_owned(), docs),
            None => state.docs.remove(doctype),
        };
    }
    result
}

/// `NestedSet.on_update` after the stored node `name` was inserted or saved; on an error the
/// DocType's documents are as they were before `before` (the stored table before the write).
pub(crate) fn on_update(
    state: &mut State,
    meta: &DocTypeMeta,
    name: &str,
    before: Option<std::collections::BTreeMap<String, Doc>>,
) -> SiteResult<()> {
    let Some(field) = meta.tree_parent_field() else {
        return Ok(());
    };
    let result = update_nsm(state, meta, name, &field).and_then(|()| {
        // `validate_ledger`.
        let doc = state.doc(&meta.name, name)?;
        let leaf = meta.field("is_group").is_some()
            && cint(doc.get("is_group").unwrap_or(&Value::Null)) == 0;
        let has_children = state.all(&meta.name).any(|d| {
            cstr(d.get(&field)).eq_ignore_ascii_case(name)
                && cint(d.get("docstatus").unwrap_or(&Value::Null)) != 2
        });
        if leaf && has_children {
            return Err(SiteError::validation(
                "ValidationError",
                format!(
                    "{} {name} cannot be a leaf node as it has children",
                    meta.name
                ),
            ));
        }
        Ok(())
    });
    if result.is_err() {
        match before {
            Some(docs) => state.docs.insert(meta.name.clone(), docs),
            None => state.docs.remove(&meta.name),
        };
    }
    result
}

/// `NestedSet.on_trash` before the node `name` is deleted: refused when it has children, else
/// moved out to be the last root.
pub(crate) fn on_trash(state: &mut State, meta: &DocTypeMeta, name: &str) -> SiteResult<()> {
    let Some(field) = meta.tree_parent_field() else {
        return Ok(());
    };
    if state
        .all(&meta.name)
        .any(|d| cstr(d.get(&field)).eq_ignore_ascii_case(name))
    {
        return Err(SiteError::validation(
            "NestedSetChildExistsError",
            format!("Cannot delete {name} as it has child nodes"),
        ));
    }
    atomic(state, &meta.name.clone(), |state| {
        stored_mut(state, &meta.name, name)?.insert(field.clone(), Value::String(String::new()));
        update_nsm(state, meta, name, &field)
    })
}

/// `rebuild_tree`: every node numbered afresh, roots and children in name order (as the
/// primary key gives them), after a merge.
pub(crate) fn rebuild(state: &mut State, meta: &DocTypeMeta) {
    let Some(field) = meta.tree_parent_field() else {
        return;
    };
    let nodes: Vec<(String, String)> = state
        .all(&meta.name)
        .map(|d| (cstr(d.get("name")), cstr(d.get(&field)).to_lowercase()))
        .collect();
    fn number(
        nodes: &[(String, String)],
        name: &str,
        left: i64,
        out: &mut Vec<(String, i64, i64)>,
    ) -> i64 {
        let mut right = left + 1;
        let key = name.to_lowercase();
        for (child, _) in nodes.iter().filter(|(_, p)| *p == key) {
            right = number(nodes, child, right, out);
        }
        out.push((name.to_owned(), left, right));
        right + 1
    }
    let mut bounds = Vec::new();
    let mut right = 1;
    for (root, _) in nodes.iter().filter(|(_, p)| p.is_empty()) {
        right = number(&nodes, root, right, &mut bounds);
    }
    for (name, lft, rgt) in bounds {
        if let Ok(doc) = stored_mut(state, &meta.name, &name) {
            set_bounds(doc, lft, rgt);
        }
    }
}

/// `NestedSet.before_rename`: a merge joins a group only to a group, a leaf only to a leaf.
pub(crate) fn check_merge(meta: &DocTypeMeta, node: &Doc, target: &Doc) -> SiteResult<()> {
    if !meta.is_tree || meta.field("is_group").is_none() {
        return Ok(());
    }
    let group = |d: &Doc| cint(d.get("is_group").unwrap_or(&Value::Null));
    if group(node) != group(target) {
        return Err(SiteError::validation(
            "NestedSetInvalidMergeError",
            "Merging is only possible between Group-to-Group or Leaf Node-to-Leaf Node",
        ));
    }
    Ok(())
}

/// The names a tree operator stands for: the descendants (with the node itself for
/// `(inclusive)`) or the ancestors of `value` in `doctype`, read as `db_query.py` reads them
/// (an unknown or empty node has none).
pub(crate) fn nodes(
    state: &State,
    doctype: &str,
    op: &str,
    value: &Value,
) -> SiteResult<Vec<Value>> {
    let meta = state.meta(doctype)?;
    if !meta.is_tree {
        return Err(SiteError::unsupported(format!(
            "the {op:?} filter on {doctype}, which is not a tree DocType"
        )));
    }
    let name = cstr(Some(value));
    let (lft, rgt) = if name.is_empty() {
        (0, 0)
    } else {
        state.doc(doctype, &name).map_or((0, 0), bounds)
    };
    let descendants = op.contains("descendants");
    let mut out: Vec<Value> = state
        .all(doctype)
        .filter(|d| {
            let (l, r) = bounds(d);
            if descendants {
                l > lft && r < rgt
            } else {
                l < lft && r > rgt
            }
        })
        .filter_map(|d| d.get("name").cloned())
        .collect();
    if op == "descendants of (inclusive)" {
        out.push(Value::String(name));
    }
    Ok(out)
}
