//! `#[derive(FeatureValue)]`: describe the JSON a serde type deserializes
//! from (its `Shape`), reading the type's `#[serde(...)]` attributes the way
//! serde does, so that `#[derive(Features)]` can check an export's values
//! against it at compile time.
//!
//! Anything this does not model (tagged or untagged enums, data-carrying
//! variants, `#[serde(other)]`, nested types it cannot see into) becomes
//! `Shape::Any`: the check stays silent rather than wrong.

use crate::naming::RenameRule;
use crate::rust_type::RustType;
use proc_macro2::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::{Data, DeriveInput, Fields, LitStr};

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

/// The serde attributes that decide the JSON shape.
#[derive(Default)]
struct SerdeAttrs {
    rename: Option<String>,
    rename_all: Option<(String, proc_macro2::Span)>,
    aliases: Vec<String>,
    default: bool,
    skip: bool,
    flatten: bool,
    deny_unknown_fields: bool,
    /// `tag`, `untagged`, `content`, `transparent`, `other`, `with`,
    /// `deserialize_with`, `from`, `try_from`: a shape this does not model.
    unmodelled: bool,
}

fn serde_attrs(attrs: &[syn::Attribute]) -> syn::Result<SerdeAttrs> {
    let mut out = SerdeAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match name.as_str() {
                "rename" => out.rename = rename_value(&meta)?,
                "rename_all" => {
                    if let Some(rule) = rename_value(&meta)? {
                        out.rename_all = Some((
                            rule,
                            meta.path
                                .get_ident()
                                .map_or_else(proc_macro2::Span::call_site, |i| i.span()),
                        ));
                    }
                }
                "alias" => out.aliases.push(meta.value()?.parse::<LitStr>()?.value()),
                "default" => {
                    out.default = true;
                    skip_value(&meta)?;
                }
                "skip" | "skip_deserializing" => out.skip = true,
                "flatten" => out.flatten = true,
                "deny_unknown_fields" => out.deny_unknown_fields = true,
                "tag" | "untagged" | "content" | "transparent" | "other" | "with"
                | "deserialize_with" | "from" | "try_from" | "remote" => {
                    out.unmodelled = true;
                    skip_value(&meta)?;
                }
                _ => skip_value(&meta)?,
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// `rename = "x"` or `rename(deserialize = "x", serialize = "y")`: the
/// deserialization name.
fn rename_value(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<String>> {
    if meta.input.peek(syn::Token![=]) {
        return Ok(Some(meta.value()?.parse::<LitStr>()?.value()));
    }
    let mut name = None;
    meta.parse_nested_meta(|inner| {
        let value = inner.value()?.parse::<LitStr>()?.value();
        if inner.path.is_ident("deserialize") {
            name = Some(value);
        }
        Ok(())
    })?;
    Ok(name)
}

/// Consumes the value of an attribute this derive does not need.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

fn shape(input: &DeriveInput) -> syn::Result<TokenStream> {
    let shape = quote!(::growthbook::typed::shape::Shape);
    let container = serde_attrs(&input.attrs)?;
    if container.unmodelled {
        return Ok(quote!(&#shape::Any));
    }
    let name = input.ident.to_string();
    let rule = container.rename_all.as_ref();
    let rename = |ident: &syn::Ident, variant: bool| -> syn::Result<String> {
        let raw = ident.to_string();
        match rule {
            None => Ok(raw.trim_start_matches("r#").to_owned()),
            Some((rule, span)) => match RenameRule::for_serde(rule) {
                Some(rule) if variant => Ok(rule.apply_to_variant(&raw)),
                Some(rule) => Ok(rule.apply_to_field(&raw)),
                None => Err(syn::Error::new(
                    *span,
                    format!("serde does not know the rename_all rule {rule:?}"),
                )),
            },
        }
    };
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => {
                let mut members = Vec::new();
                let mut open = !container.deny_unknown_fields;
                for field in &named.named {
                    let attrs = serde_attrs(&field.attrs)?;
                    if attrs.skip {
                        continue;
                    }
                    if attrs.flatten {
                        // The flattened type's members are unknown here.
                        open = true;
                        continue;
                    }
                    let Some(ident) = &field.ident else { continue };
                    let json_name = match attrs.rename {
                        Some(name) => name,
                        None => rename(ident, false)?,
                    };
                    let rust = RustType::classify(&field.ty);
                    let optional =
                        container.default || attrs.default || matches!(rust, RustType::Option(_));
                    let member_shape = if attrs.unmodelled {
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
                let attrs = serde_attrs(&variant.attrs)?;
                if attrs.unmodelled || !matches!(variant.fields, Fields::Unit) {
                    return Ok(quote!(&#shape::Any));
                }
                if attrs.skip {
                    continue;
                }
                variants.push(match attrs.rename {
                    Some(name) => name,
                    None => rename(&variant.ident, true)?,
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
