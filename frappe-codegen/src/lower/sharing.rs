//! What a module's Cargo feature compiles besides the module itself, so that no module's
//! feature has to enable another's (issue 19: ERPNext's `selling` pulled in most of ERPNext).
//!
//! A DocType held as a Table child by DocTypes of other modules (ERPNext's Sales Order holds
//! Accounts' Sales Taxes and Charges) is compiled by those modules' features too; its module is
//! then compiled in part. Links never force anything: a linked type that is not compiled is an
//! uninhabited stand-in, so every module records which of its types need one.

use std::collections::{BTreeMap, BTreeSet};

use super::structs::Refs;
use crate::ir::Module;

/// Fills each DocType's `shared_with` and each module's `stubs`; `refs[i]` are `modules[i]`'s
/// references.
pub(super) fn share(modules: &mut [Module], refs: &[Refs]) {
    // (child module, child type) -> the modules holding it as a Table child.
    let mut holders: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    // module -> its types named through links from code compiled without its own feature.
    let mut stubs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, refs) in modules.iter().zip(refs) {
        for child in &refs.tables {
            holders
                .entry(child.clone())
                .or_default()
                .insert(module.ident.clone());
        }
        for (target_module, ty) in &refs.link_targets {
            stubs
                .entry(target_module.clone())
                .or_default()
                .insert(ty.clone());
        }
    }
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
