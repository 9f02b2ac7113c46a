//! Lowering: every decision between Frappe's metadata and the generated Rust.
//!
//! Entry point: [`lower`]. It checks the DocTypes (names, duplicates, Table targets,
//! fieldnames), names every type, field and variant ([`crate::naming`]), maps
//! fieldtypes ([`types`]), decides `Option`-ness and serde attributes, turns an active
//! Workflow into enums and a transitions table ([`workflow`]), groups DocTypes
//! into one module per Frappe module, and decides which DocTypes other modules' features compile
//! too and which types need stand-ins ([`sharing`]). It never stops at the first mistake: all [`Problem`]s of
//! all DocTypes are returned together, and warnings (unknown fieldtypes, repeated Select
//! options, ...) travel separately next to the result.

mod checks;
mod docs;
mod fields;
mod hints;
mod methods;
mod options;
mod paths;
mod select;
mod sharing;
mod standard;
mod structs;
mod types;
mod workflow;

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Problem, Problems};
use crate::ir::{Bindings, DocTypeCode, Item, Module};
use crate::meta::methods::WhitelistedMethod;
use crate::meta::{self, DocType};
use crate::naming;

pub use options::{CurrencyType, Options};
use structs::{ModuleCx, Placement};

/// The result of lowering: the IR and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The code to emit.
    pub bindings: Bindings,
    /// Non-fatal findings, e.g. an unknown fieldtype mapped to `serde_json::Value`.
    pub warnings: Vec<Problem>,
}

/// Lowers a set of DocTypes (every Table target must be in the set; Link targets outside it
/// become plain strings) and whitelisted functions (typed calls under `methods`).
pub fn lower(
    doctypes: &[DocType],
    whitelisted: &[WhitelistedMethod],
    options: &Options,
) -> Result<Lowered, Problems> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let index = meta::index::by_name(doctypes, &mut problems);

    // Group by module, then name every struct (unique within its module).
    let mut by_module: BTreeMap<String, Vec<&DocType>> = BTreeMap::new();
    for dt in index.values() {
        by_module
            .entry(naming::module_name(&dt.module))
            .or_default()
            .push(dt);
    }
    let mut placements: BTreeMap<&str, Placement> = BTreeMap::new();
    for (module, dts) in &by_module {
        let mut taken = BTreeSet::new();
        for dt in dts {
            let ident = naming::unique(&naming::type_name(&dt.name), &mut taken, false);
            placements.insert(
                &dt.name,
                Placement {
                    module: module.clone(),
                    ident,
                },
            );
        }
    }

    let mut modules = Vec::new();
    let mut refs = Vec::new();
    for (module, dts) in &by_module {
        let struct_names: Vec<&str> = dts
            .iter()
            .map(|dt| placements[dt.name.as_str()].ident.as_str())
            .collect();
        let mut cx = ModuleCx::new(module, &struct_names, &index, &placements, options);
        let mut doctypes = Vec::new();
        for dt in dts {
            let ident = &placements[dt.name.as_str()].ident;
            let (st, enums) = cx.lower_doctype(dt, ident);
            let mut items = vec![Item::Struct(st)];
            items.extend(enums.into_iter().map(Item::Enum));
            items.extend(cx.lower_workflow(dt, ident));
            doctypes.push(DocTypeCode {
                items,
                shared_with: BTreeSet::new(),
            });
        }
        problems.append(&mut cx.problems);
        warnings.append(&mut cx.warnings);
        modules.push(Module {
            ident: module.clone(),
            folder: meta::methods::scrub(&dts[0].module),
            docs: docs::module_docs(&dts[0].module, dts.len()),
            imports: cx.paths.imports(),
            doctypes,
            stubs: BTreeSet::new(),
        });
        refs.push(cx.refs);
    }
    sharing::share(&mut modules, &refs);
    let methods = methods::lower_methods(whitelisted, &modules, &mut warnings);

    if problems.is_empty() {
        warnings.sort();
        Ok(Lowered {
            bindings: Bindings { modules, methods },
            warnings,
        })
    } else {
        problems.sort();
        problems.dedup();
        Err(Problems(problems))
    }
}

#[cfg(test)]
mod fieldtype_table_tests;
#[cfg(test)]
mod tests;
