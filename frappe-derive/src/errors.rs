//! [`Errors`]: collects every problem found in one derive input, so the user sees all of them
//! in one build instead of fixing them one at a time.

use std::fmt::Display;

use quote::ToTokens;

/// Spanned errors, combined into one [`syn::Error`] when the derive finishes.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    /// Records an error.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// Records `message` at the span of `tokens`.
    pub(crate) fn spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records `message` at `span`.
    pub(crate) fn at(&mut self, span: proc_macro2::Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// `true` while nothing went wrong.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The combined error, if anything went wrong.
    pub(crate) fn finish(self) -> Option<syn::Error> {
        self.0
    }
}
