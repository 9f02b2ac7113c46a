//! The emitter: IR -> tokens. It cannot fail and decides nothing; every name, type, path and
//! attribute comes from the [`crate::ir`] as lowering left it.
//!
//! Entry points: [`emit_inline`] (all modules inline in one token stream), [`emit_module`] (the
//! items of one module, for a file of its own; [`emit_crate_module`] in a bindings crate),
//! [`emit_tree_root`] and [`emit_crate_root`] (the `mod` declarations that tie module files
//! together).

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{
    Bindings, Call, CallTarget, Check, Enum, Field, Item, MethodModule, Module, SerdeArg, Struct,
    TypeRef, WorkflowImpl, methods_ident,
};

/// Lints generated code must not trip in a user's crate, whatever they enable. `dead_code`: a
/// binary that includes the bindings uses a few of the DocTypes, not every one.
fn allow_lints() -> TokenStream {
    quote! { #[allow(dead_code, clippy::all, clippy::pedantic, clippy::nursery)] }
}

/// Every module inline: `pub mod accounts { ... } pub mod selling { ... }`.
pub fn emit_inline(bindings: &Bindings) -> TokenStream {
    let allow = allow_lints();
    let modules = bindings.modules.iter().map(|m| {
        let ident = ident(&m.ident);
        let doc = docs(&m.docs);
        let body = emit_module(m);
        quote! {
            #doc
            #allow
            pub mod #ident {
                #body
            }
        }
    });
    let methods = (!bindings.methods.is_empty()).then(|| {
        let ident = ident(methods_ident(bindings));
        let body = emit_methods(bindings, false);
        quote! { #METHODS_DOC #allow pub mod #ident { #body } }
    });
    quote! { #(#modules)* #methods }
}

/// `pub mod x;` for every module (a module tree's `mod.rs`).
pub fn emit_tree_root(bindings: &Bindings) -> TokenStream {
    let allow = allow_lints();
    let modules = bindings.modules.iter().map(|m| {
        let ident = ident(&m.ident);
        let doc = docs(&m.docs);
        quote! { #doc #allow pub mod #ident; }
    });
    let methods = (!bindings.methods.is_empty()).then(|| {
        let ident = ident(methods_ident(bindings));
        // Generated and nested deep: rustfmt would rewrap what prettyplease wrote, and
        // `.ci/check-bindings`-style comparisons of committed copies would then fail.
        quote! { #METHODS_DOC #allow #[rustfmt::skip] pub mod #ident; }
    });
    quote! { #(#modules)* #methods }
}

/// A bindings crate's `lib.rs`: each module behind the Cargo features that compile it (its own,
/// and those of the modules holding its DocTypes as Table children). When none is on, the types
/// other modules link to are uninhabited stand-ins, so that `Link<T>` fields keep compiling
/// without pulling the module in.
pub fn emit_crate_root(bindings: &Bindings) -> TokenStream {
    let modules = bindings.modules.iter().map(|m| {
        let ident = ident(&m.ident);
        let feature = &m.ident;
        let features = m.features();
        let on = cfg_any(&features);
        let doc = docs(&m.docs);
        // Compiled in part, the module has imports only its own feature's DocTypes use.
        let allow = if features.len() > 1 {
            quote! { #[allow(dead_code, unused_imports, clippy::all, clippy::pedantic, clippy::nursery)] }
        } else {
            allow_lints()
        };
        let stub = if m.stubs.is_empty() {
            quote! {}
        } else {
            let stub_doc = format!(
                " Stand-ins for the `{feature}` types other modules link to; enable the `{feature}` feature for the real ones."
            );
            let tys = m.stubs.iter().map(|t| self::ident(t));
            quote! {
                #[cfg(not(#on))]
                #[doc = #stub_doc]
                pub mod #ident {
                    #(
                        #[doc = " Not compiled: enable this module's feature."]
                        #[derive(Debug)]
                        pub enum #tys {}
                    )*
                }
            }
        };
        quote! {
            #[cfg(#on)]
            #doc
            #allow
            pub mod #ident;
            #stub
        }
    });
    let methods = (!bindings.methods.is_empty()).then(|| {
        let name = methods_ident(bindings);
        let ident = ident(name);
        let allow = allow_lints();
        // Its own feature (which `full` enables): a module's feature alone compiles no typed
        // calls; within it, a Python module's calls also need their Frappe module's feature.
        quote! { #[cfg(feature = #name)] #METHODS_DOC #allow #[rustfmt::skip] pub mod #ident; }
    });
    quote! { #(#modules)* #methods }
}

/// The file of one module in a bindings crate. A module that other modules' features compile in
/// part has each DocType behind the features that compile it, and a stand-in for each of its
/// linked types whenever the real one is off; any other module is [`emit_module`].
pub fn emit_crate_module(module: &Module) -> TokenStream {
    if module.features().len() == 1 {
        return emit_module(module);
    }
    let imports = imports(module);
    let doctypes = module.doctypes.iter().map(|d| {
        let features: BTreeSet<&str> = std::iter::once(module.ident.as_str())
            .chain(d.shared_with.iter().map(String::as_str))
            .collect();
        let on = cfg_any(&features);
        let items = d.items.iter().map(item);
        quote! { #( #[cfg(#on)] #items )* }
    });
    let stubs = module.stubs.iter().map(|t| {
        let on = cfg_any(&module.compiled_with(t));
        let t = ident(t);
        quote! {
            #[cfg(not(#on))]
            /// Not compiled: enable this module's feature.
            #[derive(Debug)]
            pub enum #t {}
        }
    });
    quote! {
        #(#imports)*
        #(#doctypes)*
        #(#stubs)*
    }
}

/// The doc comment of the `methods` module.
const METHODS_DOC: MethodsDoc = MethodsDoc;

struct MethodsDoc;

impl quote::ToTokens for MethodsDoc {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(quote! {
            /// Typed calls of whitelisted Python functions, one module per Python module:
            /// `client.method(&call).send()`, or `client.document_method(name, &call)` for a
            /// controller's method.
        });
    }
}

/// The body of the `methods` module (its own file in a module tree or crate): a module per
/// Python module, nested by its dotted path; in a crate (`gated`) each behind the feature of
/// the Frappe module holding it.
pub fn emit_methods(bindings: &Bindings, gated: bool) -> TokenStream {
    let modules: Vec<&MethodModule> = bindings.methods.iter().collect();
    method_tree(&modules, 0, gated)
}

fn method_tree(modules: &[&MethodModule], depth: usize, gated: bool) -> TokenStream {
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < modules.len() {
        let Some(head) = modules[i].path.get(depth) else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j < modules.len() && modules[j].path.get(depth) == Some(head) {
            j += 1;
        }
        let group = &modules[i..j];
        let here: Vec<&&MethodModule> =
            group.iter().filter(|m| m.path.len() == depth + 1).collect();
        // Each call behind its module's features (not the `mod`, which may hold other Python
        // modules' calls below it).
        let calls = here.iter().flat_map(|m| {
            let cfg = (gated && !m.cfg.is_empty()).then(|| {
                let each = m.cfg.iter().map(|any| {
                    let set: BTreeSet<&str> = any.iter().map(String::as_str).collect();
                    cfg_any(&set)
                });
                quote! { #[cfg(all(#(#each),*))] }
            });
            m.calls.iter().map(move |c| emit_call(c, cfg.as_ref()))
        });
        let inner = method_tree(group, depth + 1, gated);
        let name = ident(head);
        let doc = match here.first() {
            Some(m) => format!(" `{}`", m.python),
            None => format!(
                " `{}`",
                group[0]
                    .python
                    .split('.')
                    .take(depth + 1)
                    .collect::<Vec<_>>()
                    .join(".")
            ),
        };
        out.extend(quote! {
            #[doc = #doc]
            pub mod #name {
                #(#calls)*
                #inner
            }
        });
        i = j;
    }
    out
}

fn emit_call(c: &Call, cfg: Option<&TokenStream>) -> TokenStream {
    let docs = docs(&c.docs);
    let name = ident(&c.ident);
    let fields = c.args.iter().map(|a| {
        let docs = self::docs(&a.docs);
        let field = field_name(&a.ident);
        let ty = type_ref(&a.ty);
        if a.optional {
            quote! { #docs pub #field: ::core::option::Option<#ty> }
        } else {
            quote! { #docs pub #field: #ty }
        }
    });
    let extra_name = ident(&c.extra_ident);
    let extra_field = c.extra.as_ref().map(|ty| {
        let ty = type_ref(ty);
        quote! {
            /// Further keyword arguments (the function takes `**kwargs`); one that repeats an
            /// argument above is an error when sent.
            pub #extra_name: #ty
        }
    });
    let required: Vec<_> = c.args.iter().filter(|a| !a.optional).collect();
    let params = required.iter().map(|a| {
        let field = field_name(&a.ident);
        let ty = type_ref(&a.ty);
        quote! { #field: impl ::core::convert::Into<#ty> }
    });
    let inits = c.args.iter().map(|a| {
        let field = field_name(&a.ident);
        if a.optional {
            quote! { #field: ::core::option::Option::None }
        } else {
            quote! { #field: #field.into() }
        }
    });
    let extra_init = c
        .extra
        .as_ref()
        .map(|_| quote! { #extra_name: ::core::default::Default::default(), });
    let writes = c.args.iter().map(|a| {
        let field = field_name(&a.ident);
        let wire = &a.wire;
        match (a.optional, a.structured) {
            (true, false) => quote! { args.optional(#wire, &self.#field); },
            (false, false) => quote! { args.arg(#wire, &self.#field); },
            (true, true) => quote! { args.optional_structured(#wire, &self.#field); },
            (false, true) => quote! { args.structured(#wire, &self.#field); },
        }
    });
    let extra_write = c
        .extra
        .as_ref()
        .map(|_| quote! { args.extra(&self.#extra_name); });
    // A function without parameters writes nothing: its `args` is unused.
    let no_params = c.args.is_empty() && c.extra.is_none();
    let args_param = ident(if no_params { "_args" } else { "args" });
    let new_doc = if no_params {
        quote! {
            /// The call: the function takes no arguments.
        }
    } else {
        quote! {
            /// The call with its required arguments; the optional ones are `None`, not sent, so
            /// that the Python defaults apply.
        }
    };
    let trait_path = type_ref(&c.trait_path);
    let args_path = type_ref(&c.args_path);
    let output = type_ref(&c.output);
    let consts = match &c.target {
        CallTarget::Function { path, http_methods } => quote! {
            const PATH: &'static str = #path;
            const HTTP_METHODS: &'static [&'static str] = &[#(#http_methods),*];
        },
        CallTarget::Document { doctype, method } => quote! {
            const DOCTYPE: &'static str = #doctype;
            const METHOD: &'static str = #method;
        },
    };
    let label = c.ident.clone();
    quote! {
        #cfg
        #docs
        #[derive(Clone, PartialEq)]
        pub struct #name {
            #(#fields,)*
            #extra_field
        }
        #cfg
        impl #name {
            #new_doc
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #extra_init }
            }
        }
        // Arguments may be secrets (a password): `Debug` names the call only.
        #cfg
        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#label).finish_non_exhaustive()
            }
        }
        #cfg
        impl #trait_path for #name {
            #consts
            type Output = #output;
            fn write_args(&self, #args_param: &mut #args_path) {
                #(#writes)*
                #extra_write
            }
        }
    }
}

fn field_name(id: &crate::ir::Ident) -> Ident {
    if id.raw {
        Ident::new_raw(&id.name, Span::call_site())
    } else {
        ident(&id.name)
    }
}

/// `feature = "a"`, or `any(feature = "a", feature = "b")`.
fn cfg_any(features: &BTreeSet<&str>) -> TokenStream {
    let each = features.iter().map(|f| quote! { feature = #f });
    if features.len() == 1 {
        quote! { #(#each)* }
    } else {
        quote! { any(#(#each),*) }
    }
}

/// The items of one module: its imports, structs and enums.
pub fn emit_module(module: &Module) -> TokenStream {
    let imports = imports(module);
    let items = module.items().map(item);
    quote! {
        #(#imports)*
        #(#items)*
    }
}

fn imports(module: &Module) -> impl Iterator<Item = TokenStream> + '_ {
    module.imports.iter().map(|p| {
        let path = type_ref(&TypeRef::path(p));
        quote! { use #path; }
    })
}

fn item(item: &Item) -> TokenStream {
    match item {
        Item::Struct(s) => emit_struct(s),
        Item::Enum(e) => emit_enum(e),
        Item::Workflow(w) => emit_workflow(w),
    }
}

fn emit_struct(s: &Struct) -> TokenStream {
    let docs = docs(&s.docs);
    let derives = s.derives.iter().map(type_ref);
    let doctype = &s.frappe.doctype;
    let mut flags = Vec::new();
    for (on, flag) in [
        (s.frappe.child, "child"),
        (s.frappe.single, "single"),
        (s.frappe.submittable, "submittable"),
        (s.frappe.serde, "serde"),
    ] {
        if on {
            let flag = ident(flag);
            flags.push(quote! { , #flag });
        }
    }
    let ident = ident(&s.ident);
    let fields = s.fields.iter().map(emit_field);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #[frappe(doctype = #doctype #(#flags)*)]
        pub struct #ident {
            #(#fields,)*
        }
    }
}

fn emit_field(f: &Field) -> TokenStream {
    let docs = docs(&f.docs);
    let skip = if f.frappe_skip {
        quote! { #[frappe(skip)] }
    } else if f.frappe_virtual {
        quote! { #[frappe(is_virtual)] }
    } else {
        quote! {}
    };
    let checks = if f.checks.is_empty() {
        quote! {}
    } else {
        let keys = f.checks.iter().map(|c| match c {
            Check::Mandatory => quote! { mandatory },
            Check::MaxLength(n) => {
                let n = Literal::u32_unsuffixed(*n);
                quote! { max_length = #n }
            }
            Check::MaxAbs(n) => {
                let n = Literal::u64_unsuffixed(*n);
                quote! { max_abs = #n }
            }
            Check::NonNegative => quote! { non_negative },
            Check::Options(o) => quote! { options = #o },
            Check::Rows => quote! { rows },
        });
        quote! { #[frappe(#(#keys),*)] }
    };
    let serde = if f.serde.is_empty() {
        quote! {}
    } else {
        let args = f.serde.iter().map(|a| match a {
            SerdeArg::Rename(w) => quote! { rename = #w },
            SerdeArg::Default => quote! { default },
            SerdeArg::With(p) => quote! { with = #p },
            SerdeArg::SkipIf(p) => quote! { skip_serializing_if = #p },
            SerdeArg::Flatten => quote! { flatten },
        });
        quote! { #[serde(#(#args),*)] }
    };
    let name = if f.ident.raw {
        Ident::new_raw(&f.ident.name, Span::call_site())
    } else {
        ident(&f.ident.name)
    };
    let ty = type_ref(&f.ty);
    quote! {
        #docs
        #skip
        #checks
        #serde
        pub #name: #ty
    }
}

fn emit_enum(e: &Enum) -> TokenStream {
    let docs = docs(&e.docs);
    let derives = e.derives.iter().map(type_ref);
    let ident = ident(&e.ident);
    let variants = e.variants.iter().map(|v| {
        let docs = self::docs(&v.docs);
        let name = self::ident(&v.ident);
        let rename = if v.ident == v.wire {
            quote! {}
        } else {
            let wire = &v.wire;
            quote! { #[serde(rename = #wire)] }
        };
        quote! { #docs #rename #name, }
    });
    let other = self::ident(&e.other);
    let serde = e.serde.then(|| quote! { #[frappe(serde)] });
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #serde
        pub enum #ident {
            #(#variants)*
            /// A value that is not among the options this code was generated from.
            #[serde(untagged)]
            #other(String),
        }
    }
}

fn emit_workflow(w: &WorkflowImpl) -> TokenStream {
    let docs = docs(&w.docs);
    let trait_path = type_ref(&w.trait_path);
    let rule = type_ref(&w.rule_path);
    let target = ident(&w.target);
    let state = ident(&w.state_enum);
    let action = ident(&w.action_enum);
    let (workflow, field) = (&w.workflow, &w.state_field);
    let rows = w.transitions.iter().map(|t| {
        let from = ident(&t.state);
        let act = ident(&t.action);
        let to = ident(&t.next_state);
        let allowed = &t.allowed;
        let self_approval = t.allow_self_approval;
        let condition = match &t.condition {
            Some(text) => quote! { Some(#text) },
            None => quote! { None },
        };
        quote! {
            #rule {
                state: #state::#from,
                action: #action::#act,
                next_state: #state::#to,
                allowed: #allowed,
                allow_self_approval: #self_approval,
                condition: #condition,
            },
        }
    });
    quote! {
        #docs
        impl #trait_path for #target {
            type State = #state;
            type Action = #action;
            const WORKFLOW: &'static str = #workflow;
            const STATE_FIELD: &'static str = #field;
            const TRANSITIONS: &'static [#rule<#state, #action>] = &[
                #(#rows)*
            ];
        }
    }
}

fn docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote! { #[doc = #text] }
    });
    quote! { #(#lines)* }
}

fn type_ref(t: &TypeRef) -> TokenStream {
    if t.segments == ["()"] {
        return quote! { () };
    }
    let segments = t.segments.iter().map(|s| ident(s));
    if t.args.is_empty() {
        quote! { #(#segments)::* }
    } else {
        let args = t.args.iter().map(type_ref);
        quote! { #(#segments)::*<#(#args),*> }
    }
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}
