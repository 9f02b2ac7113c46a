//! The DocType index: DocTypes by name, every definition checked once.
//!
//! Lowering and snapshots read DocTypes through it, so both see the same set and report the same
//! problems.

use std::collections::BTreeMap;

use super::DocType;
use crate::error::Problem;

/// DocTypes by name. Identical repeats (a child bundled with several parents) collapse into
/// one; a name defined twice differently, an empty name, a name with surrounding whitespace and
/// a DocType flagged both child table and single are problems.
pub(crate) fn by_name<'a>(
    doctypes: &'a [DocType],
    problems: &mut Vec<Problem>,
) -> BTreeMap<&'a str, &'a DocType> {
    let mut index: BTreeMap<&str, &DocType> = BTreeMap::new();
    for (i, dt) in doctypes.iter().enumerate() {
        if dt.name.trim().is_empty() {
            problems.push(Problem::doctype(
                "",
                format!(
                    "DocType #{} ({}) has an empty name",
                    i + 1,
                    if dt.source.is_empty() {
                        "no source"
                    } else {
                        &dt.source
                    }
                ),
            ));
            continue;
        }
        if dt.name.trim() != dt.name {
            // Frappe strips names; the derive rejects such a `doctype = "..."` too, so the
            // generated code would not compile.
            problems.push(Problem::doctype(
                &dt.name,
                format!(
                    "the DocType name {:?} has leading or trailing whitespace",
                    dt.name
                ),
            ));
        }
        if dt.istable && dt.issingle {
            // The derive refuses `child, single` together, so the code would not compile.
            problems.push(Problem::doctype(
                &dt.name,
                "is both a child table (istable) and a single (issingle); a DocType is one or \
                 the other",
            ));
        }
        match index.get(dt.name.as_str()) {
            None => {
                index.insert(&dt.name, dt);
            }
            Some(first) if first.same_definition(dt) => {}
            Some(first) => problems.push(Problem::doctype(
                &dt.name,
                format!(
                    "defined twice with different contents ({} and {}); load one version",
                    first.source, dt.source
                ),
            )),
        }
    }
    index
}
