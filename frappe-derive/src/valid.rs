//! Checks on a parsed input that go beyond syntax: a DocType name is present and sensible, wire
//! names are unique and agree with serde, a Choice enum has exactly the variants it can map.
//!
//! Every problem is recorded at the span the user has to change.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::Fields;
use syn::ext::IdentExt;

use crate::ast::{Choice, Document};
use crate::attr::Name;
use crate::errors::Errors;

/// Checks a `#[derive(Document)]` input.
pub(crate) fn document(doc: &Document, errors: &mut Errors) {
    // A struct of the wrong shape has already been reported; asking it for a doctype too would
    // only add noise.
    let Some(fields) = &doc.fields else {
        return;
    };
    match &doc.attrs.doctype {
        None if doc.attrs.doctype_written => {}
        None => errors.spanned(
            &doc.input.ident,
            format!(
                "missing `#[frappe(doctype = \"...\")]` on `{}`: name the DocType it mirrors, \
                 e.g. `#[frappe(doctype = \"Customer\")]`",
                doc.input.ident
            ),
        ),
        Some(doctype) if doctype.value.trim().is_empty() => {
            errors.at(doctype.span, "the doctype name is empty")
        }
        Some(doctype) if doctype.value.trim() != doctype.value => errors.at(
            doctype.span,
            format!(
                "the doctype name `{}` has leading or trailing whitespace",
                doctype.value
            ),
        ),
        Some(_) => {}
    }
    if let (Some(_), Some(single)) = (doc.attrs.child, doc.attrs.single) {
        errors.at(
            single,
            "a DocType cannot be both `child` (a table) and `single`",
        );
    }

    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for field in fields {
        if field.wire.is_empty() {
            errors.at(field.wire_span, "empty wire name");
            continue;
        }
        if let Some(ours) = &field.attrs.rename {
            let serde = serde_name(
                field.attrs.serde_rename.as_ref(),
                doc.attrs
                    .rename_all
                    .map(|rule| rule.apply_to_field(&unraw(field.ident))),
            );
            if let Some(serde) = serde.filter(|serde| *serde != ours.value) {
                errors.at(
                    ours.span,
                    format!(
                        "`#[frappe(rename = \"{}\")]` disagrees with serde's name `{serde}` for \
                         this field; lists would request one name and read another",
                        ours.value
                    ),
                );
            }
        }
        if let Some(first) = seen.insert(&field.wire, field.ident) {
            errors.at(
                field.wire_span,
                format!(
                    "duplicate wire name `{}`: field `{}` already uses it",
                    field.wire, first
                ),
            );
            // Keep the first owner for the next duplicate's message.
            seen.insert(&field.wire, first);
        }
    }
    if doc.attrs.serde.is_some() {
        serde_document(doc, errors);
    }
}

/// `#[frappe(serde)]` implements the part of serde's attributes generated bindings use; anything
/// else would be silently ignored, so it is an error.
fn serde_document(doc: &Document, errors: &mut Errors) {
    let unsupported = doc.attrs.serde_unsupported.iter();
    for (key, span) in unsupported.chain(&doc.serde.unsupported) {
        errors.at(*span, unsupported_message(key));
    }
    for field in &doc.serde.fields {
        if !field.default {
            errors.spanned(
                field.ident,
                format!(
                    "`#[frappe(serde)]` reads every field as `#[serde(default)]` (a document may \
                     come without any key): add it to `{}`",
                    field.ident
                ),
            );
        }
    }
    if let [_, second, ..] = doc.serde.flattened.as_slice() {
        errors.spanned(
            *second,
            "`#[frappe(serde)]` keeps unknown keys in one `#[serde(flatten)]` map, not two",
        );
    }
}

fn unsupported_message(key: &str) -> String {
    format!(
        "`#[serde({key})]` is not supported with `#[frappe(serde)]` (it writes serde's impls \
         for `rename`, `rename_all`, `default`, `with`, `skip_serializing_if`, `flatten` and \
         `untagged` only); remove `#[frappe(serde)]` and derive serde's traits instead"
    )
}

/// The name serde reads a field or variant with, when serde renames it: its own `rename`, else
/// the container's `rename_all` applied to the identifier. `None` when serde uses the identifier
/// as is (then `#[frappe(rename)]` is the only name, e.g. for a struct without serde).
fn serde_name(rename: Option<&Name>, rename_all: Option<String>) -> Option<String> {
    rename.map(|name| name.value.clone()).or(rename_all)
}

fn unraw(ident: &syn::Ident) -> String {
    ident.unraw().to_string()
}

/// Checks a `#[derive(Choice)]` input.
pub(crate) fn choice(choice: &Choice, errors: &mut Errors) {
    let Some(variants) = &choice.variants else {
        return;
    };
    if variants.is_empty() {
        errors.spanned(
            &choice.input.ident,
            "`#[derive(Choice)]` needs at least one variant, one per Select option",
        );
    }
    let mut catch_all: Option<&syn::Ident> = None;
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for option in variants {
        let variant = option.variant;
        let marker: Option<Span> = option.attrs.other.or(option.attrs.untagged);
        match (&variant.fields, marker) {
            (Fields::Unit, None) => {}
            (Fields::Unit, Some(span)) => errors.at(
                span,
                format!(
                    "the catch-all variant must hold the unknown value: `{}(String)`",
                    variant.ident
                ),
            ),
            (Fields::Unnamed(fields), Some(_)) if fields.unnamed.len() == 1 => {
                if let Some(first) = catch_all {
                    errors.spanned(
                        &variant.ident,
                        format!("only one catch-all variant is allowed; `{first}` is one already"),
                    );
                }
                catch_all.get_or_insert(&variant.ident);
                if let Some(rename) = option
                    .attrs
                    .rename
                    .as_ref()
                    .or(option.attrs.serde_rename.as_ref())
                {
                    errors.at(
                        rename.span,
                        "the catch-all variant holds any other string and has no wire name of its own",
                    );
                }
                // Its wire string is whatever it holds: not an option, not a duplicate.
                continue;
            }
            (fields, _) => errors.spanned(
                fields,
                format!(
                    "`{}`: a Choice variant is a unit variant (one Select option), or the \
                     catch-all `Other(String)` marked `#[serde(untagged)]` or `#[frappe(other)]`",
                    variant.ident
                ),
            ),
        }
        if let Some(ours) = &option.attrs.rename {
            let serde = serde_name(
                option.attrs.serde_rename.as_ref(),
                choice
                    .attrs
                    .rename_all
                    .map(|rule| rule.apply_to_variant(&unraw(&variant.ident))),
            );
            if let Some(serde) = serde.filter(|serde| *serde != ours.value) {
                errors.at(
                    ours.span,
                    format!(
                        "`#[frappe(rename = \"{}\")]` disagrees with serde's name `{serde}` for \
                         this variant; filters would send one string and documents read another",
                        ours.value
                    ),
                );
            }
        }
        if let Some(first) = seen.insert(&option.wire, &variant.ident) {
            errors.at(
                option.wire_span,
                format!(
                    "duplicate option `{}`: variant `{}` already uses it",
                    option.wire, first
                ),
            );
            seen.insert(&option.wire, first);
        }
    }
    if choice.attrs.serde.is_some() {
        let variants = variants.iter().flat_map(|v| &v.attrs.serde_unsupported);
        for (key, span) in choice.attrs.serde_unsupported.iter().chain(variants) {
            errors.at(*span, unsupported_message(key));
        }
    }
}
