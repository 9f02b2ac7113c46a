//! Choosing which DocTypes to generate: by name and by module, closed over Table children.
//!
//! Policy: with no name and no module, everything is selected. Otherwise the selection is the
//! named DocTypes plus every DocType of the named modules, plus (transitively) the child
//! DocTypes their Table / Table MultiSelect fields need. Links to unselected DocTypes stay
//! plain strings. A name or module that matches nothing is an error (a typo would otherwise
//! silently generate less), naming the closest known name when one is close enough.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result};
use crate::meta::DocType;

/// The selected DocTypes, in input order (every definition of each selected name).
pub fn select(doctypes: &[DocType], names: &[String], modules: &[String]) -> Result<Vec<DocType>> {
    if names.is_empty() && modules.is_empty() {
        return Ok(doctypes.to_vec());
    }
    let by_name: BTreeMap<&str, &DocType> = doctypes
        .iter()
        .rev()
        .map(|d| (d.name.as_str(), d))
        .collect();
    let mut missing: Vec<String> = names
        .iter()
        .filter(|n| !by_name.contains_key(n.as_str()))
        .map(|n| format!("DocType {n:?}{}", did_you_mean(n, by_name.keys().copied())))
        .collect();
    let known_modules: BTreeSet<&str> = doctypes.iter().map(|d| d.module.as_str()).collect();
    missing.extend(
        modules
            .iter()
            .filter(|m| !known_modules.iter().any(|k| k.eq_ignore_ascii_case(m)))
            .map(|m| {
                let hint = did_you_mean(m, known_modules.iter().copied());
                format!("module {m:?}{hint}")
            }),
    );
    if !missing.is_empty() {
        return Err(Error::Selection(format!(
            "not found in the loaded metadata: {}",
            missing.join(", ")
        )));
    }
    let mut wanted: Vec<&str> = names.iter().map(String::as_str).collect();
    wanted.extend(
        doctypes
            .iter()
            .filter(|d| modules.iter().any(|m| m.eq_ignore_ascii_case(&d.module)))
            .map(|d| d.name.as_str()),
    );
    let mut selected = BTreeSet::new();
    while let Some(name) = wanted.pop() {
        if !selected.insert(name) {
            continue;
        }
        // Children that are missing are reported by lowering, with the field at fault.
        if let Some(dt) = by_name.get(name) {
            wanted.extend(dt.table_children());
        }
    }
    // Every definition of a selected name is kept: lowering collapses identical repeats and
    // reports two different definitions, as it does without a selection; keeping only the
    // first would silently drop the other.
    Ok(doctypes
        .iter()
        .filter(|d| selected.contains(d.name.as_str()))
        .cloned()
        .collect())
}

/// `" (did you mean \"Customer\"?)"` for the known name closest to `wanted`, or `""` when none
/// is close: the same letters in another case (`todo` for `ToDo`, an exact name is required), or
/// a normalized Damerau-Levenshtein similarity of at least 0.7 (one or two slips in a word).
fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let wanted_lower = wanted.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let score = strsim::normalized_damerau_levenshtein(&wanted_lower, &k.to_lowercase());
        // Strictly better only: of equals, the first in sorted order wins.
        if score >= 0.7 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| format!(" (did you mean {k:?}?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(name: &str, module: &str, table: Option<&str>) -> DocType {
        let fields = table
            .map(|t| format!(r#"[{{"fieldname":"rows","fieldtype":"Table","options":"{t}"}}]"#))
            .unwrap_or_else(|| "[]".into());
        serde_json::from_str(&format!(
            r#"{{"name":"{name}","module":"{module}","fields":{fields}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn follows_children_transitively() {
        let all = vec![
            dt("Invoice", "Accounts", Some("Invoice Item")),
            dt("Invoice Item", "Accounts", Some("Item Tax")),
            dt("Item Tax", "Stock", None),
            dt("Customer", "Selling", None),
        ];
        let got = select(&all, &["Invoice".into()], &[]).unwrap();
        let names: Vec<_> = got.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Invoice", "Invoice Item", "Item Tax"]);
        let got = select(&all, &[], &["selling".into()]).unwrap();
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn every_definition_of_a_selected_name_is_kept() {
        let mut other = dt("Customer", "Selling", Some("Customer Row"));
        other.source = "other.json".into();
        let all = vec![dt("Customer", "Selling", None), other.clone()];
        let got = select(&all, &["Customer".into()], &[]).unwrap();
        assert_eq!(got, [all[0].clone(), other]);
    }

    #[test]
    fn unknown_names_are_errors_naming_the_closest_known_name() {
        let all = vec![
            dt("Customer", "Selling", None),
            dt("ToDo", "Desk", None),
            dt("Sales Invoice", "Accounts", None),
        ];
        let err = select(&all, &["Custmer".into()], &["Stok".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not found in the loaded metadata: DocType \"Custmer\" (did you mean \"Customer\"?), \
             module \"Stok\""
        );
        let wanted = [
            "todo".into(),
            "Sales Invoce".into(),
            "Purchase Order".into(),
        ];
        let err = select(&all, &wanted, &["Acounts".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not found in the loaded metadata: DocType \"todo\" (did you mean \"ToDo\"?), \
             DocType \"Sales Invoce\" (did you mean \"Sales Invoice\"?), DocType \"Purchase Order\", \
             module \"Acounts\" (did you mean \"Accounts\"?)"
        );
    }
}
