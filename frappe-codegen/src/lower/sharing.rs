//! What a module's Cargo feature compiles besides the module itself, so that no module's
//! feature has to enable another's (issue 19: ERPNext's `selling` pulled in most of ERPNext).
//!
//! A DocType held as a Table child by DocTypes of other modules (ERPNext's Sales Order holds
//! Accounts' Sales Taxes and Charges) is compiled by those modules' features too, and so is a
//! child table such a child holds in turn; its module is then compiled in part. Links never force anything: a linked type that is not compiled is an
//! uninhabited stand-in, so every module records which of its types need one.

use std::collections::{BTreeMap, BTreeSet};

use super::structs::Refs;
use crate::ir::Module;

/// Fills each DocType's `shared_with` and each module's `stubs`; `refs[i]` are `modules[i]`'s
/// references.
pub(super) fn share(modules: &mut [Module], refs: &[Refs]) {
    // (module, type) -> the features compiling it: its own module's, and every feature that
    // compiles a DocType holding it, transitively (a child table may hold another).
    type Key = (String, String);
    let mut edges: Vec<(Key, Key)> = Vec::new();
    // module -> its types named through links from code compiled without its own feature.
    let mut stubs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, refs) in modules.iter().zip(refs) {
        for (holder, child_module, child) in &refs.tables {
            edges.push((
                (module.ident.clone(), holder.clone()),
                (child_module.clone(), child.clone()),
            ));
        }
        for (target_module, ty) in &refs.link_targets {
            stubs
                .entry(target_module.clone())
                .or_default()
                .insert(ty.clone());
        }
    }
    let mut features: BTreeMap<Key, BTreeSet<String>> = BTreeMap::new();
    for (holder, child) in &edges {
        for key in [holder, child] {
            features
                .entry(key.clone())
                .or_insert_with(|| BTreeSet::from([key.0.clone()]));
        }
    }
    // Fixpoint: each pass adds holders' features to their children; the sets only grow and
    // are bounded by the module count.
    loop {
        let mut changed = false;
        for (holder, child) in &edges {
            let add: Vec<String> = features[holder]
                .difference(&features[child])
                .cloned()
                .collect();
            if !add.is_empty() {
                changed = true;
                if let Some(f) = features.get_mut(child) {
                    f.extend(add);
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut holders: BTreeMap<Key, BTreeSet<String>> = features
        .into_iter()
        .map(|((module, ty), mut set)| {
            set.remove(&module);
            ((module, ty), set)
        })
        .filter(|(_, set)| !set.is_empty())
        .collect();
    for (module, refs) in modules.iter_mut().zip(refs) {
        for code in &mut module.doctypes {
            let Some(ident) = code.struct_ident() else {
                continue;
            };
            if let Some(holders) = holders.remove(&(module.ident.clone(), ident.to_owned())) {
                code.shared_with = holders;
            }
        }
        // A shared DocType compiled without this module's feature links to this module's
        // other types, which are then not compiled.
        let shared: BTreeSet<&str> = module
            .doctypes
            .iter()
            .filter(|d| !d.shared_with.is_empty())
            .filter_map(|d| d.struct_ident())
            .collect();
        let mut own = stubs.remove(&module.ident).unwrap_or_default();
        own.extend(
            refs.local_links
                .iter()
                .filter(|(from, _)| shared.contains(from.as_str()))
                .map(|(_, to)| to.clone()),
        );
        module.stubs = own;
    }
}
