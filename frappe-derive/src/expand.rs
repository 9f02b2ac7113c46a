//! Code generation: the impls of `#[derive(Document)]` and `#[derive(Choice)]`.
//!
//! Entry points: [`document`] and [`choice`], each `DeriveInput -> TokenStream`. They never fail:
//! problems come back as `compile_error!`s *plus* a best-effort impl, so one typo gives one
//! error rather than a flood of "trait not implemented" and "no associated item" follow-ons.
//! Output names everything by absolute path through `::frappe_runtime::__private` and never looks
//! at a field's type: `Field<Self, T>` is written as is and the runtime's trait impls decide which
//! operators `T` offers.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Fields};

use crate::ast::{Choice, ChoiceVariant, DocField, Document};
use crate::attr;
use crate::errors::Errors;
use crate::valid;

/// Expands `#[derive(Document)]`.
pub(crate) fn document(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let doc = Document::parse(input, &mut errors);
    valid::document(&doc, &mut errors);
    with_errors(errors, emit_document(&doc))
}

/// Expands `#[derive(Choice)]`.
pub(crate) fn choice(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let choice = Choice::parse(input, &mut errors);
    valid::choice(&choice, &mut errors);
    let ok = errors.is_empty();
    with_errors(errors, emit_choice(&choice, ok))
}

/// The path of the runtime's `__private` module: `::frappe_runtime::__private` unless
/// `#[frappe(crate = "...")]` says otherwise.
fn runtime(attrs: &attr::Container) -> TokenStream {
    match &attrs.krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::frappe_runtime::__private),
    }
}

fn with_errors(errors: Errors, tokens: TokenStream) -> TokenStream {
    match errors.finish() {
        Some(error) => {
            let error = error.to_compile_error();
            quote!(#error #tokens)
        }
        None => tokens,
    }
}

/// The `Document` impl, `Submittable` when flagged, and the field handles. For an input of the
/// wrong shape only the trait impls are emitted, with no fields.
fn emit_document(doc: &Document) -> TokenStream {
    let rt = runtime(&doc.attrs);
    let ident = &doc.input.ident;
    let (impl_generics, ty_generics, where_clause) = doc.input.generics.split_for_impl();
    let doctype = doc
        .attrs
        .doctype
        .as_ref()
        .map(|name| name.value.as_str())
        .unwrap_or_default();
    let is_child = doc.attrs.child.is_some();
    let is_single = doc.attrs.single.is_some();
    let fields = doc.fields.as_deref().unwrap_or_default();

    let infos = fields.iter().map(|field| {
        let wire = &field.wire;
        let ty = field.ty;
        // Spanned at the type, so "`Amount: FieldKind` is not satisfied" points at the field.
        let column = if field.attrs.is_virtual {
            // No database column: asking for it in `fields=` fails the whole list.
            quote!(false)
        } else {
            quote_spanned!(ty.span()=> <#ty as #rt::FieldKind>::COLUMN)
        };
        quote!(#rt::FieldInfo { name: #wire, column: #column })
    });
    let rules = fields
        .iter()
        .filter(|field| !field.attrs.rules.is_empty())
        .map(|field| rule(&rt, field));
    let submittable = doc.attrs.submittable.map(|_| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #rt::Submittable for #ident #ty_generics #where_clause {}
        }
    });
    let handles = doc.fields.as_ref().map(|fields| {
        let consts = fields.iter().map(|field| {
            let name = field.ident;
            let ty = field.ty;
            let wire = &field.wire;
            let docs = &field.attrs.docs;
            let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
            let summary = format!(
                " Handle of the field `{wire}`: typed filters, order-by keys and projections."
            );
            quote! {
                #(#docs)*
                #separator
                #[doc = #summary]
                #[allow(non_upper_case_globals)]
                pub const #name: #rt::Field<Self, #ty> = #rt::Field::new(#wire);
            }
        });
        quote! {
            impl #impl_generics #ident #ty_generics #where_clause {
                #(#consts)*
            }
        }
    });

    let serde = doc.attrs.serde.map(|_| emit_document_serde(doc, &rt));
    quote! {
        #serde
        #[automatically_derived]
        impl #impl_generics #rt::Document for #ident #ty_generics #where_clause {
            const DOCTYPE: &'static str = #doctype;
            const FIELDS: &'static [#rt::FieldInfo] = &[#(#infos),*];
            const IS_CHILD: bool = #is_child;
            const IS_SINGLE: bool = #is_single;
            const RULES: &'static [#rt::FieldRule] = &[#(#rules),*];
        }
        #submittable
        #handles
    }
}

/// One entry of `Document::RULES`: `FieldRule::new("wire")` and a builder call per attribute.
fn rule(rt: &TokenStream, field: &DocField) -> TokenStream {
    let wire = &field.wire;
    let rules = &field.attrs.rules;
    let mut calls = Vec::new();
    if rules.mandatory.is_some() {
        calls.push(quote!(.mandatory()));
    }
    if let Some(max) = rules.max_length {
        calls.push(quote!(.max_length(#max)));
    }
    if let Some(max) = rules.max_abs {
        calls.push(quote!(.max_abs(#max)));
    }
    if rules.non_negative.is_some() {
        calls.push(quote!(.non_negative()));
    }
    if let Some(options) = &rules.options {
        // The blank option is "no value", which is never checked against the options.
        let options = options.value.split('\n').filter(|o| !o.is_empty());
        calls.push(quote!(.options(&[#(#options),*])));
    }
    if rules.rows.is_some() {
        let ty = field.ty;
        // Spanned at the type, so a field that is not `Vec<C: Document>` is reported there.
        calls.push(quote_spanned!(ty.span()=>
            .rows::<<#ty as #rt::Joinable>::Target>()
        ));
    }
    quote!(#rt::FieldRule::new(#wire) #(#calls)*)
}

/// `Serialize`, `Deserialize` and the runtime's `Fields` for `#[frappe(serde)]`: one match arm
/// and one `serialize_entry` per field; the visitors are the runtime's (`wire::derived`).
fn emit_document_serde(doc: &Document, rt: &TokenStream) -> TokenStream {
    let ident = &doc.input.ident;
    let name = ident.to_string();
    let fields = &doc.serde.fields;
    let flattened = doc.serde.flattened.first();
    let serde = quote!(#rt::serde);

    let entries = fields.iter().map(|f| {
        let (field, wire) = (f.ident, &f.wire);
        let value = match &f.with {
            Some(with) => quote!(&#rt::Ser::<#with::Codec, _>::new(&self.#field)),
            None => quote!(&self.#field),
        };
        let entry = quote!(#serde::ser::SerializeMap::serialize_entry(&mut map, #wire, #value)?;);
        match &f.skip_if {
            Some(skip) => quote!(if !#skip(&self.#field) { #entry }),
            None => entry,
        }
    });
    let flatten_out =
        flattened.map(|field| quote!(#rt::serialize_flattened(&mut map, &self.#field)?;));

    let wires = fields.iter().map(|f| &f.wire);
    let indexes = 0..fields.len();
    let reads = fields.iter().enumerate().map(|(i, f)| {
        let field = f.ident;
        let value = match &f.with {
            Some(with) => {
                let ty = f.ty;
                quote!(#serde::de::MapAccess::next_value_seed(map, #rt::De::<#with::Codec, #ty>::new())?)
            }
            None => quote!(#serde::de::MapAccess::next_value(map)?),
        };
        quote!(#i => self.#field = #value,)
    });
    let empty = fields
        .iter()
        .map(|f| f.ident)
        .chain(flattened.copied())
        .map(|field| quote!(#field: ::core::default::Default::default(),));
    let keeps = flattened.is_some();
    let keep = match flattened {
        Some(field) => quote!(self.#field.insert(key, value);),
        None => quote!(let _ = (key, value);),
    };

    quote! {
        #[automatically_derived]
        impl #serde::Serialize for #ident {
            fn serialize<S: #serde::Serializer>(&self, serializer: S)
                -> ::core::result::Result<S::Ok, S::Error>
            {
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                #(#entries)*
                #flatten_out
                #serde::ser::SerializeMap::end(map)
            }
        }
        #[automatically_derived]
        impl<'de> #serde::Deserialize<'de> for #ident {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D)
                -> ::core::result::Result<Self, D::Error>
            {
                #rt::deserialize(deserializer)
            }
        }
        #[automatically_derived]
        impl #rt::Fields for #ident {
            const NAME: &'static str = #name;
            const KEEPS_UNKNOWN: bool = #keeps;

            fn empty() -> Self {
                Self { #(#empty)* }
            }

            fn index(key: &str) -> ::core::option::Option<usize> {
                match key {
                    #(#wires => ::core::option::Option::Some(#indexes),)*
                    _ => ::core::option::Option::None,
                }
            }

            fn read<'de, A: #serde::de::MapAccess<'de>>(&mut self, index: usize, map: &mut A)
                -> ::core::result::Result<(), A::Error>
            {
                // Without fields, `map` is otherwise unused.
                let _ = &map;
                match index {
                    #(#reads)*
                    _ => {}
                }
                ::core::result::Result::Ok(())
            }

            fn keep(&mut self, key: ::std::string::String, value: #rt::Value) {
                #keep
            }
        }
    }
}

/// `Serialize` and `Deserialize` for a `#[frappe(serde)]` Select enum: its wire string.
fn emit_choice_serde(choice: &Choice, rt: &TokenStream) -> TokenStream {
    let ident = &choice.input.ident;
    let serde = quote!(#rt::serde);
    quote! {
        #[automatically_derived]
        impl #serde::Serialize for #ident {
            fn serialize<S: #serde::Serializer>(&self, serializer: S)
                -> ::core::result::Result<S::Ok, S::Error>
            {
                #rt::serialize_choice(self, serializer)
            }
        }
        #[automatically_derived]
        impl<'de> #serde::Deserialize<'de> for #ident {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D)
                -> ::core::result::Result<Self, D::Error>
            {
                #rt::deserialize_choice(deserializer)
            }
        }
    }
}

/// `Choice`, `FieldKind`, `Filterable` and `FilterValue` for a Select enum. When the input had
/// errors (`ok == false`) the bodies are stand-ins: the build fails anyway, and the impls only
/// keep every use of the enum from failing too.
fn emit_choice(choice: &Choice, ok: bool) -> TokenStream {
    let rt = runtime(&choice.attrs);
    let ident = &choice.input.ident;
    let (impl_generics, ty_generics, where_clause) = choice.input.generics.split_for_impl();
    let variants = choice.variants.as_deref().unwrap_or_default();

    let body = if ok {
        let (catch_all, options): (Vec<&ChoiceVariant>, Vec<&ChoiceVariant>) = variants
            .iter()
            .partition(|v| !matches!(v.variant.fields, Fields::Unit));
        let wires: Vec<&str> = options.iter().map(|v| v.wire.as_str()).collect();
        let names: Vec<&syn::Ident> = options.iter().map(|v| &v.variant.ident).collect();
        let (as_str_other, from_wire_other) = match catch_all.first() {
            Some(other) => {
                let name = &other.variant.ident;
                (
                    quote!(Self::#name(value) => ::core::convert::AsRef::<str>::as_ref(value),),
                    quote!(other => ::core::option::Option::Some(
                        Self::#name(::core::convert::From::from(other))
                    ),),
                )
            }
            None => (quote!(), quote!(_ => ::core::option::Option::None,)),
        };
        quote! {
            const OPTIONS: &'static [&'static str] = &[#(#wires),*];

            fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #wires,)*
                    #as_str_other
                }
            }

            fn from_wire(value: &str) -> ::core::option::Option<Self> {
                match value {
                    #(#wires => ::core::option::Option::Some(Self::#names),)*
                    #from_wire_other
                }
            }
        }
    } else {
        quote! {
            const OPTIONS: &'static [&'static str] = &[];

            fn as_str(&self) -> &str {
                ::core::unreachable!()
            }

            fn from_wire(_: &str) -> ::core::option::Option<Self> {
                ::core::option::Option::None
            }
        }
    };

    let serde = choice.attrs.serde.map(|_| emit_choice_serde(choice, &rt));
    quote! {
        #serde
        #[automatically_derived]
        impl #impl_generics #rt::Choice for #ident #ty_generics #where_clause {
            #body
        }
        #[automatically_derived]
        impl #impl_generics #rt::FieldKind for #ident #ty_generics #where_clause {}
        #[automatically_derived]
        impl #impl_generics #rt::Filterable for #ident #ty_generics #where_clause {
            type Value = Self;
        }
        #[automatically_derived]
        impl #impl_generics #rt::FilterValue for #ident #ty_generics #where_clause {
            fn to_filter_value(&self) -> #rt::Value {
                #rt::Value::from(#rt::Choice::as_str(self))
            }
        }
    }
}
