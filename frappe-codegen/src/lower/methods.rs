//! Whitelisted functions -> typed calls (issue 16): one struct per function, its fields the
//! arguments (required ones plain, those with a Python default `Option`, unset = not sent),
//! types from the annotations ([`super::hints`]), grouped by Python module under `methods`.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;

use super::hints::{self, Mapped};
use crate::error::Problem;
use crate::ir::{Call, CallArg, CallTarget, MethodModule, Module, TypeRef};
use crate::meta::methods::{ParamKind, WhitelistedMethod};
use crate::naming;

/// Lowers `methods`; `modules` are the DocType modules, whose features gate method modules in a
/// bindings crate.
pub(super) fn lower_methods(
    methods: &[WhitelistedMethod],
    modules: &[Module],
    warnings: &mut Vec<Problem>,
) -> Vec<MethodModule> {
    // A Frappe module's folder -> its Rust module (and feature).
    let by_folder: BTreeMap<&str, &str> = modules
        .iter()
        .map(|m| (m.folder.as_str(), m.ident.as_str()))
        .collect();
    // Struct identifier -> the module holding it (identifiers are unique within a module; a
    // name two modules share is ambiguous and stays a JSON value).
    let mut structs: BTreeMap<&str, Option<&Module>> = BTreeMap::new();
    for module in modules {
        for code in &module.doctypes {
            if let Some(ident) = code.struct_ident() {
                structs
                    .entry(ident)
                    .and_modify(|m| *m = None)
                    .or_insert(Some(module));
            }
        }
    }
    let mut by_module: BTreeMap<&str, Vec<&WhitelistedMethod>> = BTreeMap::new();
    for m in methods {
        by_module.entry(m.module()).or_default().push(m);
    }
    let mut out = Vec::new();
    for (python, methods) in by_module {
        if python.is_empty() {
            for m in methods {
                warnings.push(Problem::doctype(
                    &m.path,
                    "not in a Python module; no typed call generated",
                ));
            }
            continue;
        }
        let path: Vec<String> = python.split('.').map(naming::module_name).collect();
        // `app.<module folder>.…`: the Frappe module's feature, when the bindings have it.
        let own = methods
            .first()
            .and_then(|m| m.module_folder())
            .and_then(|folder| by_folder.get(folder))
            .map(|ident| (*ident).to_owned());
        // A DocType struct named by an annotation: its path from this module, and the features
        // compiling it join the module's cfg.
        let used = RefCell::new(BTreeSet::new());
        let up = "super::".repeat(path.len() + 1);
        let documents = |class: &str| {
            let module = (*structs.get(class)?)?;
            used.borrow_mut().insert(
                module
                    .compiled_with(class)
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<BTreeSet<String>>(),
            );
            Some(TypeRef::path(&format!("{up}{}::{class}", module.ident)))
        };
        let mut taken = BTreeSet::new();
        let calls = methods
            .into_iter()
            .map(|m| lower_call(m, &mut taken, &documents))
            .collect();
        let mut cfg: BTreeSet<BTreeSet<String>> = used.into_inner();
        cfg.extend(own.map(|f| BTreeSet::from([f])));
        out.push(MethodModule {
            path,
            python: python.to_owned(),
            cfg: cfg.into_iter().collect(),
            calls,
        });
    }
    out
}

fn lower_call(
    m: &WhitelistedMethod,
    taken: &mut BTreeSet<String>,
    documents: hints::Documents<'_>,
) -> Call {
    let base = match &m.doctype {
        // Controller methods of several classes may share a file.
        Some(_) => {
            let class = m.path.rsplit('.').nth(1).unwrap_or_default();
            format!("{class}_{}", m.name())
        }
        None => m.name().to_owned(),
    };
    let mut ident = base.to_upper_camel_case();
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, 'M');
    }
    let ident = naming::unique(&naming::type_name(&ident), taken, false);

    let mut docs = vec![naming::code_span(&m.path)];
    if let Some(doc) = &m.doc {
        docs.push(String::new());
        docs.extend(naming::doc_lines(doc));
    }
    docs.push(String::new());
    docs.push(format!(
        "Python: {}.",
        naming::code_span(&format!("{}{}", m.name(), m.python_signature()))
    ));
    let target = match &m.doctype {
        Some(doctype) => {
            docs.push(format!(
                "A method of {}'s controller: `client.document_method(name, &call)`.",
                naming::code_span(doctype)
            ));
            CallTarget::Document {
                doctype: doctype.clone(),
                method: m.name().to_owned(),
            }
        }
        None => {
            let accepted = if m.http_methods.is_empty() {
                "any HTTP method".to_owned()
            } else {
                m.http_methods.join(", ")
            };
            let guest = if m.allow_guest {
                "; callable without logging in"
            } else {
                ""
            };
            docs.push(format!("Accepts {accepted}{guest}."));
            let http_methods = if m.http_methods.is_empty() {
                ["GET", "POST", "PUT", "DELETE"].map(str::to_owned).to_vec()
            } else {
                m.http_methods.clone()
            };
            CallTarget::Function {
                path: m.path.clone(),
                http_methods,
            }
        }
    };

    let mut args = Vec::new();
    let mut fields = BTreeSet::new();
    let mut extra = None;
    let mut dropped = Vec::new();
    for p in &m.params {
        match p.kind {
            ParamKind::VarKeywords => {
                extra = Some(TypeRef::generic(
                    "frappe_runtime::serde_json::Map",
                    vec![
                        TypeRef::path("String"),
                        TypeRef::path("frappe_runtime::serde_json::Value"),
                    ],
                ));
                continue;
            }
            // A web request has no positional arguments.
            ParamKind::VarArgs => continue,
            ParamKind::Plain => {}
        }
        if m.doctype.is_none() && frappe_runtime::whitelisted::NOT_PASSED.contains(&p.name.as_str())
        {
            dropped.push(naming::code_span(&p.name));
            continue;
        }
        let mapped = match &p.hint {
            Some(h) => hints::map_hint(h, documents),
            None => hints::from_default(p.default.as_deref()),
        };
        let Mapped { ty, nullable, note } = mapped;
        let optional = p.default.is_some();
        // An annotated list, dict or document (a type check that refuses query-string text).
        let structured = p.hint.is_some()
            && (ty.segments.last().is_some_and(|s| s == "Vec" || s == "Map")
                || ty.segments.first().is_some_and(|s| s == "super"));
        let ty = if nullable && !optional {
            TypeRef::generic("Option", vec![ty])
        } else {
            ty
        };
        // Unique whatever the case or spelling of the Python names (`Foo` and `foo`).
        let mut ident = naming::field_ident(&p.name);
        ident.name = naming::unique(&ident.name, &mut fields, true);
        let mut arg_docs = vec![match (&p.hint, &p.default) {
            (Some(h), Some(d)) => naming::code_span(&format!("{}: {h} = {d}", p.name)),
            (Some(h), None) => naming::code_span(&format!("{}: {h}", p.name)),
            (None, Some(d)) => format!(
                "{} (not annotated)",
                naming::code_span(&format!("{}={d}", p.name))
            ),
            (None, None) => format!("{} (not annotated)", naming::code_span(&p.name)),
        }];
        if let Some(note) = note {
            arg_docs.push(String::new());
            arg_docs.push(format!("{note}."));
        }
        args.push(CallArg {
            ident,
            wire: p.name.clone(),
            docs: arg_docs,
            ty,
            optional,
            structured,
        });
    }
    if !dropped.is_empty() {
        docs.push(format!(
            "Not offered: {} (Frappe drops `ignore_permissions` and `flags` from a call's \
             arguments and sets `cmd` itself).",
            dropped.join(", ")
        ));
    }
    // After the parameters, so that a parameter called `extra` keeps its name.
    let extra_ident = naming::unique("extra", &mut fields, true);
    let output = match &m.returns {
        Some(r) => {
            let mapped = hints::map_hint(r, documents);
            if let Some(note) = &mapped.note {
                docs.push(format!(
                    "Result: {note}; `send_as` decodes it as another type."
                ));
            }
            if mapped.nullable {
                TypeRef::generic("Option", vec![mapped.ty])
            } else {
                mapped.ty
            }
        }
        None => {
            docs.push(
                "Result: not annotated, a JSON value; `send_as` decodes it as another type.".into(),
            );
            TypeRef::path("frappe_runtime::serde_json::Value")
        }
    };
    let trait_path = match m.doctype {
        Some(_) => "frappe_runtime::DocMethod",
        None => "frappe_runtime::Method",
    };
    Call {
        ident,
        docs,
        target,
        args,
        extra,
        extra_ident,
        output,
        trait_path: TypeRef::path(trait_path),
        args_path: TypeRef::path("frappe_runtime::Args"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::methods::Param;

    fn param(name: &str, kind: ParamKind) -> Param {
        Param {
            name: name.into(),
            hint: None,
            default: None,
            kind,
        }
    }

    fn call(params: Vec<Param>) -> Call {
        let m = WhitelistedMethod {
            path: "app.api.f".into(),
            doctype: None,
            params,
            returns: None,
            allow_guest: false,
            http_methods: vec![],
            doc: None,
        };
        let no_documents = |_: &str| None;
        lower_call(&m, &mut BTreeSet::new(), &no_documents)
    }

    #[test]
    fn field_names_never_collide() {
        let c = call(vec![
            param("Foo", ParamKind::Plain),
            param("foo", ParamKind::Plain),
            param("extra", ParamKind::Plain),
            param("kwargs", ParamKind::VarKeywords),
        ]);
        let fields: Vec<(&str, &str)> = c
            .args
            .iter()
            .map(|a| (a.ident.name.as_str(), a.wire.as_str()))
            .collect();
        assert_eq!(
            fields,
            [("foo", "Foo"), ("foo_2", "foo"), ("extra", "extra")]
        );
        assert_eq!(c.extra_ident, "extra_2");
        assert!(c.extra.is_some());
    }

    #[test]
    fn arguments_frappe_never_passes_are_left_out_with_a_note() {
        let c = call(vec![
            param("doctype", ParamKind::Plain),
            param("ignore_permissions", ParamKind::Plain),
            param("cmd", ParamKind::Plain),
        ]);
        let fields: Vec<&str> = c.args.iter().map(|a| a.wire.as_str()).collect();
        assert_eq!(fields, ["doctype"]);
        assert!(
            c.docs
                .iter()
                .any(|d| d.starts_with("Not offered: `ignore_permissions`, `cmd`")),
            "{:?}",
            c.docs
        );
    }
}
