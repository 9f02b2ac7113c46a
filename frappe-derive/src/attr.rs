//! Attribute parsing: `#[frappe(...)]` (ours, strict) and `#[serde(...)]` (serde's, read only
//! for the names it gives things).
//!
//! Entry points: [`container`], [`field`], [`variant`]. Every problem in a `#[frappe(...)]`
//! attribute is recorded in [`Errors`] at its own span and parsing carries on, so one typo yields
//! one message. `#[serde(...)]` is read leniently: serde_derive reports its own mistakes.

use proc_macro2::Span;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Token};

use crate::case::RenameRule;
use crate::errors::Errors;

/// A string given in an attribute, with the span of its literal.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    pub value: String,
    pub span: Span,
}

impl Name {
    fn from_lit(lit: &LitStr) -> Self {
        Self {
            value: lit.value(),
            span: lit.span(),
        }
    }
}

/// Attributes on the struct or enum.
#[derive(Default)]
pub(crate) struct Container {
    /// `#[frappe(doctype = "...")]`
    pub doctype: Option<Name>,
    /// A `doctype` key was written, even if its value was malformed (already reported): then
    /// "missing doctype" would only be noise.
    pub doctype_written: bool,
    /// `#[frappe(child)]`, with the flag's span.
    pub child: Option<Span>,
    /// `#[frappe(single)]`
    pub single: Option<Span>,
    /// `#[frappe(submittable)]`
    pub submittable: Option<Span>,
    /// `#[frappe(crate = "path")]`: where frappe_runtime is, when not at `::frappe_runtime`
    /// (e.g. re-exported by a facade crate).
    pub krate: Option<syn::Path>,
    /// `#[serde(rename_all = "...")]` (the deserialize side when serde's two sides differ).
    pub rename_all: Option<RenameRule>,
    /// `#[frappe(serde)]`: the derive writes `Serialize` and `Deserialize` too.
    pub serde: Option<Span>,
    /// `#[serde(...)]` keys `#[frappe(serde)]` does not implement, with their spans.
    pub serde_unsupported: Vec<(String, Span)>,
}

/// Attributes on a struct field.
#[derive(Default)]
pub(crate) struct Field {
    /// `#[frappe(rename = "...")]`
    pub rename: Option<Name>,
    /// `#[frappe(skip)]`
    pub skip: bool,
    /// `#[frappe(is_virtual)]`: a field without a database column (Frappe's `is_virtual`),
    /// left out of the fields a list asks for.
    pub is_virtual: bool,
    /// The name serde reads this field from (`rename` or `rename(deserialize = ...)`).
    pub serde_rename: Option<Name>,
    /// serde never reads this field as a key of its own (`skip`, `skip_deserializing`,
    /// `flatten`), so it is not a Frappe field.
    pub serde_skip: bool,
    /// `#[doc]` attributes, copied onto the field's handle.
    pub docs: Vec<Attribute>,
    /// `#[serde(default)]`
    pub serde_default: bool,
    /// `#[serde(flatten)]`
    pub serde_flatten: bool,
    /// `#[serde(with = "module")]`, the module's path.
    pub serde_with: Option<syn::Path>,
    /// `#[serde(skip_serializing_if = "function")]`, the function's path.
    pub serde_skip_if: Option<syn::Path>,
    /// `#[serde(...)]` keys `#[frappe(serde)]` does not implement, with their spans.
    pub serde_unsupported: Vec<(String, Span)>,
    /// The checks of `Document::RULES` (`mandatory`, `max_length`, ...).
    pub rules: Rules,
}

/// `#[frappe(mandatory, max_length = 140, max_abs = 2147483647, non_negative,
/// options = "A\nB", rows)]` on a field: what the client checks before sending it.
#[derive(Default)]
pub(crate) struct Rules {
    pub mandatory: Option<Span>,
    pub max_length: Option<u32>,
    pub max_abs: Option<u64>,
    pub non_negative: Option<Span>,
    /// Frappe's newline-separated options.
    pub options: Option<Name>,
    /// A child table whose rows are checked against the row type's rules.
    pub rows: Option<Span>,
}

impl Rules {
    pub(crate) fn is_empty(&self) -> bool {
        self.mandatory.is_none()
            && self.max_length.is_none()
            && self.max_abs.is_none()
            && self.non_negative.is_none()
            && self.options.is_none()
            && self.rows.is_none()
    }
}

/// Attributes on an enum variant.
#[derive(Default)]
pub(crate) struct Variant {
    /// `#[frappe(rename = "...")]`
    pub rename: Option<Name>,
    /// `#[frappe(other)]`, with its span.
    pub other: Option<Span>,
    /// `#[serde(rename = "...")]` (the deserialize side).
    pub serde_rename: Option<Name>,
    /// `#[serde(untagged)]`, with its span.
    pub untagged: Option<Span>,
    /// `#[serde(...)]` keys `#[frappe(serde)]` does not implement, with their spans.
    pub serde_unsupported: Vec<(String, Span)>,
}

/// Which derive is reading the container, which decides the `#[frappe]` keys it accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derive {
    Document,
    Choice,
}

/// Reads the attributes of the struct (`Document`) or enum (`Choice`).
pub(crate) fn container(attrs: &[Attribute], derive: Derive, errors: &mut Errors) -> Container {
    let mut out = Container::default();
    for attr in attrs {
        if attr.path().is_ident("frappe") {
            let expected = match derive {
                Derive::Document => {
                    "expected `doctype`, `child`, `single`, `submittable`, `serde` or `crate`"
                }
                Derive::Choice => "expected `serde` or `crate`",
            };
            frappe_meta(attr, errors, expected, |meta, key, errors| {
                if key == "crate" {
                    let path = crate_path(meta)?;
                    set_once(&mut out.krate, path, meta, errors);
                    return Ok(true);
                }
                if key == "serde" {
                    set_once(&mut out.serde, flag(meta)?, meta, errors);
                    return Ok(true);
                }
                if derive != Derive::Document {
                    return Ok(false);
                }
                match key {
                    "doctype" => {
                        out.doctype_written = true;
                        set_once(&mut out.doctype, string_value(meta)?, meta, errors);
                    }
                    "child" => set_once(&mut out.child, flag(meta)?, meta, errors),
                    "single" => set_once(&mut out.single, flag(meta)?, meta, errors),
                    "submittable" => set_once(&mut out.submittable, flag(meta)?, meta, errors),
                    _ => return Ok(false),
                }
                Ok(true)
            });
        } else if attr.path().is_ident("serde") {
            serde_meta(attr, |meta, key| {
                if key == "rename_all" {
                    if let Some(rule) = serde_name(meta)? {
                        out.rename_all = RenameRule::from_name(&rule.value);
                    }
                    return Ok(true);
                }
                // The crate serde's derive would name: `#[frappe(serde)]` names the runtime's.
                if key != "crate" {
                    out.serde_unsupported
                        .push((key.to_owned(), meta.path.span()));
                }
                Ok(false)
            });
        }
    }
    out
}

/// Reads the attributes of a struct field.
pub(crate) fn field(attrs: &[Attribute], errors: &mut Errors) -> Field {
    let mut out = Field::default();
    for attr in attrs {
        if attr.path().is_ident("doc") {
            out.docs.push(attr.clone());
        } else if attr.path().is_ident("frappe") {
            let expected = "expected `rename`, `skip`, `is_virtual`, `mandatory`, `max_length`, \
                            `max_abs`, `non_negative`, `options` or `rows`";
            frappe_meta(attr, errors, expected, |meta, key, errors| {
                let rules = &mut out.rules;
                match key {
                    "rename" => set_once(&mut out.rename, string_value(meta)?, meta, errors),
                    "mandatory" => set_once(&mut rules.mandatory, flag(meta)?, meta, errors),
                    "max_length" => set_once(&mut rules.max_length, int_value(meta)?, meta, errors),
                    "max_abs" => set_once(&mut rules.max_abs, int_value(meta)?, meta, errors),
                    "non_negative" => set_once(&mut rules.non_negative, flag(meta)?, meta, errors),
                    "options" => set_once(&mut rules.options, string_value(meta)?, meta, errors),
                    "rows" => set_once(&mut rules.rows, flag(meta)?, meta, errors),
                    "skip" => {
                        flag(meta)?;
                        out.skip = true;
                    }
                    "is_virtual" => {
                        flag(meta)?;
                        out.is_virtual = true;
                    }
                    _ => return Ok(false),
                }
                Ok(true)
            });
        } else if attr.path().is_ident("serde") {
            serde_meta(attr, |meta, key| {
                match key {
                    "rename" => {
                        if let Some(name) = serde_name(meta)? {
                            out.serde_rename = Some(name);
                        }
                    }
                    "skip" | "skip_deserializing" => {
                        out.serde_skip = true;
                        out.serde_unsupported
                            .push((key.to_owned(), meta.path.span()));
                    }
                    "flatten" => {
                        out.serde_skip = true;
                        out.serde_flatten = true;
                    }
                    "default" if !meta.input.peek(Token![=]) => out.serde_default = true,
                    "with" => out.serde_with = Some(path_value(meta)?),
                    "skip_serializing_if" => out.serde_skip_if = Some(path_value(meta)?),
                    _ => {
                        out.serde_unsupported
                            .push((key.to_owned(), meta.path.span()));
                        return Ok(false);
                    }
                }
                Ok(true)
            });
        }
    }
    out
}

/// Reads the attributes of an enum variant.
pub(crate) fn variant(attrs: &[Attribute], errors: &mut Errors) -> Variant {
    let mut out = Variant::default();
    for attr in attrs {
        if attr.path().is_ident("frappe") {
            let expected = "expected `rename` or `other`";
            frappe_meta(attr, errors, expected, |meta, key, errors| {
                match key {
                    "rename" => set_once(&mut out.rename, string_value(meta)?, meta, errors),
                    "other" => set_once(&mut out.other, flag(meta)?, meta, errors),
                    _ => return Ok(false),
                }
                Ok(true)
            });
        } else if attr.path().is_ident("serde") {
            serde_meta(attr, |meta, key| {
                match key {
                    "rename" => {
                        if let Some(name) = serde_name(meta)? {
                            out.serde_rename = Some(name);
                        }
                    }
                    "untagged" => out.untagged = Some(meta.path.span()),
                    _ => {
                        out.serde_unsupported
                            .push((key.to_owned(), meta.path.span()));
                        return Ok(false);
                    }
                }
                Ok(true)
            });
        }
    }
    out
}

/// Walks one `#[frappe(...)]` attribute. `handle` returns `Ok(false)` for a key it does not
/// know; that key is reported and skipped, and parsing continues with the next one.
fn frappe_meta(
    attr: &Attribute,
    errors: &mut Errors,
    expected: &str,
    mut handle: impl FnMut(&ParseNestedMeta, &str, &mut Errors) -> syn::Result<bool>,
) {
    let result = attr.parse_nested_meta(|meta| {
        let key = path_string(&meta);
        if handle(&meta, &key, errors)? {
            return Ok(());
        }
        errors.spanned(
            &meta.path,
            format!("unknown frappe attribute `{key}`; {expected}"),
        );
        skip_value(&meta)
    });
    if let Err(error) = result {
        errors.push(error);
    }
}

/// Walks one `#[serde(...)]` attribute, skipping what `handle` does not want. Syntax errors are
/// ignored: serde_derive reports them.
fn serde_meta(
    attr: &Attribute,
    mut handle: impl FnMut(&ParseNestedMeta, &str) -> syn::Result<bool>,
) {
    let _ = attr.parse_nested_meta(|meta| {
        let key = path_string(&meta);
        if handle(&meta, &key)? {
            Ok(())
        } else {
            skip_value(&meta)
        }
    });
}

/// The name serde reads with: `rename = "x"` or the `deserialize` half of
/// `rename(serialize = "a", deserialize = "b")`.
fn serde_name(meta: &ParseNestedMeta) -> syn::Result<Option<Name>> {
    if meta.input.peek(Token![=]) {
        return Ok(Some(string_value(meta)?));
    }
    let mut name = None;
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            if inner.path.is_ident("deserialize") {
                name = Some(string_value(&inner)?);
                Ok(())
            } else {
                skip_value(&inner)
            }
        })?;
    }
    Ok(name)
}

fn path_string(meta: &ParseNestedMeta) -> String {
    meta.path.to_token_stream().to_string().replace(' ', "")
}

/// `key = "string"`.
fn string_value(meta: &ParseNestedMeta) -> syn::Result<Name> {
    let key = path_string(meta);
    let expr: Expr = meta.value()?.parse()?;
    match &expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(Name::from_lit(lit)),
        _ => Err(syn::Error::new_spanned(
            expr,
            format!("expected a string literal: `{key} = \"...\"`"),
        )),
    }
}

/// `key = 123`, an integer literal that fits `N`.
fn int_value<N>(meta: &ParseNestedMeta) -> syn::Result<N>
where
    N: std::str::FromStr,
    N::Err: std::fmt::Display,
{
    let key = path_string(meta);
    let expr: Expr = meta.value()?.parse()?;
    match &expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(lit), ..
        }) => lit.base10_parse::<N>(),
        _ => Err(syn::Error::new_spanned(
            expr,
            format!("expected an integer literal: `{key} = 140`"),
        )),
    }
}

/// `key = "some::path"` (serde's `with` and `skip_serializing_if`).
fn path_value(meta: &ParseNestedMeta) -> syn::Result<syn::Path> {
    let name = string_value(meta)?;
    LitStr::new(&name.value, name.span).parse::<syn::Path>()
}

/// `crate = "some::path"`.
fn crate_path(meta: &ParseNestedMeta) -> syn::Result<syn::Path> {
    let name = string_value(meta)?;
    let lit = LitStr::new(&name.value, name.span);
    lit.parse::<syn::Path>().map_err(|_| {
        syn::Error::new(
            name.span,
            format!(
                "`{}` is not a path, e.g. `crate = \"my_facade::frappe_runtime\"`",
                name.value
            ),
        )
    })
}

/// A bare flag such as `child`; a value after it is an error.
fn flag(meta: &ParseNestedMeta) -> syn::Result<Span> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        let key = path_string(meta);
        return Err(meta.error(format!("`{key}` is a flag and takes no value")));
    }
    Ok(meta.path.span())
}

fn set_once<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta, errors: &mut Errors) {
    if slot.is_some() {
        let key = path_string(meta);
        errors.spanned(&meta.path, format!("duplicate frappe attribute `{key}`"));
    } else {
        *slot = Some(value);
    }
}

/// Consumes `= expr` or `(...)` after a key we do not handle.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.input.parse::<Token![=]>()?;
        meta.input.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}
