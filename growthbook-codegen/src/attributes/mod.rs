//! `#[derive(Attributes)]`: a user struct read by the evaluator as a set of
//! targeting attributes, or a unit enum read as a string attribute with a
//! closed set of values. Parse, validate against an export's targeting
//! (with `schema`), expand.

mod expand;
pub mod generate;
mod kinds;
mod parse;
mod validate;

use crate::derive::Errors;
use proc_macro2::TokenStream;
use quote::quote;

/// Expands `#[derive(Attributes)]`. Errors become `compile_error!`s at their
/// spans; the impls are generated anyway when the input could be read, so
/// that one mistake gives one error, not one per use of the type.
pub fn derive_attributes(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::default();
    let parsed = parse::parse(&input, &mut errors);
    let checks = parsed
        .as_ref()
        .map(|parsed| validate::validate(parsed, &mut errors));
    let impls = parsed.as_ref().map(expand::expand);
    let errors = errors.to_compile_error();
    quote!(#errors #checks #impls)
}
