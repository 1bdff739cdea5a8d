//! `#[derive(FeatureValue)]`: describe the JSON a serde type deserializes
//! from (its `Shape`), reading the type's `#[serde(...)]` attributes the way
//! serde does, so that `#[derive(Features)]` can check an export's values
//! against it at compile time.
//!
//! Anything this does not model (tagged or untagged enums, data-carrying
//! variants, `#[serde(other)]`, nested types it cannot see into) becomes
//! `Shape::Any`: the check stays silent rather than wrong.

use crate::rust_type::RustType;
use crate::serde_attrs::{serde_attrs, Direction};
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

/// Expands `#[derive(FeatureValue)]`.
pub fn derive_feature_value(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    match shape(&input) {
        Ok(shape) => {
            let ident = &input.ident;
            let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
            quote! {
                impl #impl_generics ::growthbook::typed::FeatureValue for #ident #type_generics #where_clause {
                    const SHAPE: &'static ::growthbook::typed::shape::Shape = #shape;
                }
            }
        }
        Err(e) => e.to_compile_error(),
    }
}

fn shape(input: &DeriveInput) -> syn::Result<TokenStream> {
    let shape = quote!(::growthbook::typed::shape::Shape);
    let container = serde_attrs(&input.attrs, Direction::Deserialize)?;
    if container.unmodelled.is_some() {
        return Ok(quote!(&#shape::Any));
    }
    let name = input.ident.to_string();
    let rule = container.rename_all;
    let rename = |ident: &syn::Ident, variant: bool| -> String {
        let raw = ident.to_string();
        match rule {
            None => raw.trim_start_matches("r#").to_owned(),
            Some(rule) if variant => rule.apply_to_variant(&raw),
            Some(rule) => rule.apply_to_field(&raw),
        }
    };
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => {
                let mut members = Vec::new();
                let mut open = !container.deny_unknown_fields;
                for field in &named.named {
                    let attrs = serde_attrs(&field.attrs, Direction::Deserialize)?;
                    if attrs.skip {
                        continue;
                    }
                    if attrs.flatten.is_some() {
                        // The flattened type's members are unknown here.
                        open = true;
                        continue;
                    }
                    let Some(ident) = &field.ident else { continue };
                    let json_name = match attrs.rename {
                        Some((name, _)) => name,
                        None => rename(ident, false),
                    };
                    let rust = RustType::classify(&field.ty);
                    let optional =
                        container.default || attrs.default || matches!(rust, RustType::Option(_));
                    let member_shape = if attrs.unmodelled.is_some() {
                        quote!(&#shape::Any)
                    } else {
                        rust.shape_tokens(&|_| quote!(&#shape::Any))
                    };
                    let aliases = &attrs.aliases;
                    let required = !optional;
                    members.push(quote! {
                        ::growthbook::typed::shape::Member {
                            name: #json_name,
                            aliases: &[#(#aliases),*],
                            required: #required,
                            shape: #member_shape,
                        }
                    });
                }
                let deny_unknown = !open;
                Ok(quote! {
                    &#shape::Struct { name: #name, members: &[#(#members),*], deny_unknown: #deny_unknown }
                })
            }
            // A newtype deserializes as its one field.
            Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => {
                let inner = RustType::classify(&unnamed.unnamed[0].ty);
                Ok(inner.shape_tokens(&|_| quote!(&#shape::Any)))
            }
            _ => Ok(quote!(&#shape::Any)),
        },
        Data::Enum(data) => {
            let mut variants = Vec::new();
            for variant in &data.variants {
                let attrs = serde_attrs(&variant.attrs, Direction::Deserialize)?;
                if attrs.unmodelled.is_some() || !matches!(variant.fields, Fields::Unit) {
                    return Ok(quote!(&#shape::Any));
                }
                if attrs.skip {
                    continue;
                }
                variants.push(match attrs.rename {
                    Some((name, _)) => name,
                    None => rename(&variant.ident, true),
                });
                variants.extend(attrs.aliases);
            }
            Ok(quote!(&#shape::Enum { name: #name, variants: &[#(#variants),*] }))
        }
        Data::Union(_) => Err(syn::Error::new(
            input.ident.span(),
            "#[derive(FeatureValue)] works on structs and enums that derive serde::Deserialize",
        )),
    }
}
