//! The derive input in the shape the derives need: a [`Document`] struct with its wire fields, or
//! a [`Choice`] enum with its options.
//!
//! Parsing records every problem in [`Errors`] and keeps going with what it could read, so that
//! [`expand`](crate::expand) can still emit a best-effort impl that stops follow-on errors.
//! Wire names are resolved here, in serde's order of precedence with `#[frappe(rename)]` first.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Ident, Type};

use crate::attr::{self, Derive};
use crate::errors::Errors;

/// A `#[derive(Document)]` input.
pub(crate) struct Document<'a> {
    pub input: &'a DeriveInput,
    pub attrs: attr::Container,
    /// The struct's Frappe fields; `None` when the input is not a plain struct with named fields
    /// (already reported).
    pub fields: Option<Vec<DocField<'a>>>,
    /// With `#[frappe(serde)]`: every field serde reads and writes, in declaration order (the
    /// Frappe fields and those only `#[frappe(skip)]` leaves out), and the flattened one.
    pub serde: SerdeFields<'a>,
}

/// The fields of a `#[frappe(serde)]` struct as its `Serialize` and `Deserialize` see them.
#[derive(Default)]
pub(crate) struct SerdeFields<'a> {
    pub fields: Vec<SerdeField<'a>>,
    /// The `#[serde(flatten)]` field: unknown keys go into it, its entries come out last.
    pub flattened: Vec<&'a Ident>,
    /// `#[serde(...)]` keys on fields that `#[frappe(serde)]` does not implement.
    pub unsupported: Vec<(String, Span)>,
}

/// One key of a `#[frappe(serde)]` struct.
pub(crate) struct SerdeField<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub wire: String,
    /// `#[serde(default)]`
    pub default: bool,
    pub with: Option<syn::Path>,
    pub skip_if: Option<syn::Path>,
}

/// One field of a [`Document`] that is on the wire (not skipped).
pub(crate) struct DocField<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: attr::Field,
    pub wire: String,
    /// Where the wire name comes from: a rename literal or the field's ident.
    pub wire_span: Span,
}

/// A `#[derive(Choice)]` input.
pub(crate) struct Choice<'a> {
    pub input: &'a DeriveInput,
    pub attrs: attr::Container,
    /// The variants; `None` when the input is not a plain enum (already reported).
    pub variants: Option<Vec<ChoiceVariant<'a>>>,
}

/// One variant of a [`Choice`] enum.
pub(crate) struct ChoiceVariant<'a> {
    pub variant: &'a syn::Variant,
    pub attrs: attr::Variant,
    pub wire: String,
    pub wire_span: Span,
}

impl<'a> Document<'a> {
    pub(crate) fn parse(input: &'a DeriveInput, errors: &mut Errors) -> Self {
        let container = attr::container(&input.attrs, Derive::Document, errors);
        let what = "`#[derive(Document)]` needs a struct with named fields";
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => Some(named),
                Fields::Unnamed(unnamed) => {
                    errors.spanned(
                        unnamed,
                        format!("{what}: the fields of a tuple struct have no Frappe names"),
                    );
                    None
                }
                Fields::Unit => {
                    errors.spanned(
                        &input.ident,
                        format!("{what}: a unit struct has no fields to filter on"),
                    );
                    None
                }
            },
            Data::Enum(data) => {
                errors.at(
                    data.enum_token.span,
                    format!("{what}, not an enum (the options of a Select field derive `Choice`)"),
                );
                None
            }
            Data::Union(data) => {
                errors.at(data.union_token.span, format!("{what}, not a union"));
                None
            }
        };
        let generic = refuse_generics(
            input,
            "Document",
            "a DocType has one fixed set of field types",
            errors,
        );
        // Handles of a generic struct's fields would only add follow-on errors.
        let mut serde = SerdeFields::default();
        let fields = named.filter(|_| !generic).map(|named| {
            named
                .named
                .iter()
                .filter_map(|field| {
                    let ident = field.ident.as_ref()?;
                    let attrs = attr::field(&field.attrs, errors);
                    let wire = wire_name(ident, &attrs, &container);
                    serde
                        .unsupported
                        .extend(attrs.serde_unsupported.iter().cloned());
                    if attrs.serde_flatten {
                        serde.flattened.push(ident);
                    } else if !attrs.serde_skip {
                        serde.fields.push(SerdeField {
                            ident,
                            ty: &field.ty,
                            wire: wire.0.clone(),
                            default: attrs.serde_default,
                            with: attrs.serde_with.clone(),
                            skip_if: attrs.serde_skip_if.clone(),
                        });
                    }
                    if attrs.skip || attrs.serde_skip {
                        if let Some(rename) = &attrs.rename {
                            errors.at(
                                rename.span,
                                "`#[frappe(rename)]` has no effect here: the field is skipped \
                                 or flattened, so it is not a Frappe field",
                            );
                        }
                        return None;
                    }
                    let (wire, wire_span) = wire;
                    Some(DocField {
                        ident,
                        ty: &field.ty,
                        attrs,
                        wire,
                        wire_span,
                    })
                })
                .collect()
        });
        Self {
            input,
            attrs: container,
            fields,
            serde,
        }
    }
}

/// A field's wire name and where it comes from, in serde's order of precedence with
/// `#[frappe(rename)]` first.
fn wire_name(ident: &Ident, attrs: &attr::Field, container: &attr::Container) -> (String, Span) {
    match (&attrs.rename, &attrs.serde_rename) {
        (Some(name), _) | (None, Some(name)) => (name.value.clone(), name.span),
        (None, None) => {
            let plain = ident.unraw().to_string();
            let wire = match container.rename_all {
                Some(rule) => rule.apply_to_field(&plain),
                None => plain,
            };
            (wire, ident.span())
        }
    }
}

impl<'a> Choice<'a> {
    pub(crate) fn parse(input: &'a DeriveInput, errors: &mut Errors) -> Self {
        let attrs = attr::container(&input.attrs, Derive::Choice, errors);
        refuse_generics(
            input,
            "Choice",
            "a Select field's options are plain strings",
            errors,
        );
        let data = match &input.data {
            Data::Enum(data) => data,
            Data::Struct(data) => {
                errors.at(
                    data.struct_token.span,
                    "`#[derive(Choice)]` needs an enum, one unit variant per Select option",
                );
                return Self {
                    input,
                    attrs,
                    variants: None,
                };
            }
            Data::Union(data) => {
                errors.at(
                    data.union_token.span,
                    "`#[derive(Choice)]` needs an enum, one unit variant per Select option",
                );
                return Self {
                    input,
                    attrs,
                    variants: None,
                };
            }
        };
        let variants = data
            .variants
            .iter()
            .map(|variant| {
                let vattrs = attr::variant(&variant.attrs, errors);
                let (wire, wire_span) = match (&vattrs.rename, &vattrs.serde_rename) {
                    (Some(name), _) | (None, Some(name)) => (name.value.clone(), name.span),
                    (None, None) => {
                        let plain = variant.ident.unraw().to_string();
                        let wire = match attrs.rename_all {
                            Some(rule) => rule.apply_to_variant(&plain),
                            None => plain,
                        };
                        (wire, variant.ident.span())
                    }
                };
                ChoiceVariant {
                    variant,
                    attrs: vattrs,
                    wire,
                    wire_span,
                }
            })
            .collect();
        Self {
            input,
            attrs,
            variants: Some(variants),
        }
    }
}

/// Reports generic parameters; `true` if there are any.
fn refuse_generics(input: &DeriveInput, derive: &str, why: &str, errors: &mut Errors) -> bool {
    let generic = !input.generics.params.is_empty();
    if generic {
        errors.spanned(
            &input.generics,
            format!("`#[derive({derive})]` does not support generic parameters: {why}"),
        );
    }
    generic
}
