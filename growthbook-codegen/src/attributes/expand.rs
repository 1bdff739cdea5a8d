//! The impls of `#[derive(Attributes)]`: `Attributes` and `ToAttribute` for
//! a struct (a nested struct is an object attribute), `ToAttribute` for a
//! unit enum (a string).

use super::parse::{Input, Shape};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub(crate) fn expand(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let vis = input.vis;
    let generics = bounded_generics(input);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let value = quote!(::growthbook::attributes::AttributeValue);
    match &input.shape {
        Shape::Struct(fields) => {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            let positions: Vec<usize> = (0..fields.len()).collect();
            let field_count = fields.len();
            let types: Vec<&syn::Type> = fields.iter().map(|f| f.ty).collect();
            let untargeted: Vec<bool> = fields.iter().map(|f| f.untargeted).collect();
            let to_attribute_trait = quote!(::growthbook::attributes::ToAttribute);
            // Every use of a field's type is spanned on it, so that a type
            // that is no attribute gives one error, on the field (rustc
            // merges identical errors at one span). A field serde leaves
            // out (`skip_serializing_if`) is absent whenever serde's JSON
            // lacks it.
            let reads: Vec<TokenStream> = fields
                .iter()
                .map(|f| {
                    let (ident, ty) = (f.ident, f.ty);
                    let read = quote_spanned!(ty.span()=> <#ty as #to_attribute_trait>::to_attribute(&self.#ident));
                    match &f.skip_if {
                        Some(skip_if) => quote_spanned!(skip_if.span()=>
                            (!#skip_if(&self.#ident)).then(|| #read).flatten()
                        ),
                        None => read,
                    }
                })
                .collect();
            let kinds: Vec<TokenStream> = types
                .iter()
                .map(|ty| {
                    // A field that holds the struct itself (a tree: `children:
                    // Vec<Node>`) would make the table contain itself, which
                    // no constant can: its nested fields are left unchecked.
                    let fields = if mentions_type(ty, ident) {
                        quote!(::core::option::Option::None)
                    } else {
                        quote_spanned!(ty.span()=> <#ty as #to_attribute_trait>::FIELDS)
                    };
                    quote_spanned!(ty.span()=>
                        kinds: <#ty as #to_attribute_trait>::KINDS,
                        fields: #fields,
                        values: <#ty as #to_attribute_trait>::VALUES,
                    )
                })
                .collect();
            let check_doc = format!(
                " Every attribute that `payload`'s targeting (an SDK payload or export) uses and \
                 [`{ident}`] lacks, and every field whose type can never satisfy a use: the \
                 contract test to run in CI against the live payload."
            );
            quote! {
                // Reading a field that is `#[deprecated]` (an archived
                // attribute) is the derive's business, not a use to warn of;
                // nor is naming the struct's lifetimes once per impl.
                #[allow(dead_code, deprecated, single_use_lifetimes)]
                impl #impl_generics #ident #ty_generics #where_clause {
                    #[doc = #check_doc]
                    #vis fn check(
                        payload: &::growthbook::serde_json::Value,
                    ) -> ::core::result::Result<(), ::std::vec::Vec<::growthbook::attributes::AttributeProblem>> {
                        ::growthbook::attributes::check_fields(
                            payload,
                            <Self as ::growthbook::attributes::ToAttribute>::FIELDS.unwrap_or(&[]),
                        )
                    }
                }

                #[automatically_derived]
                #[allow(deprecated, single_use_lifetimes)]
                impl #impl_generics ::growthbook::attributes::Attributes for #ident #ty_generics #where_clause {
                    fn attribute(&self, name: &str) -> ::core::option::Option<#value<'_>> {
                        match name {
                            #(#names => #reads,)*
                            _ => ::core::option::Option::None,
                        }
                    }

                    fn to_json(&self) -> ::growthbook::serde_json::Value {
                        let mut object = ::growthbook::serde_json::Map::new();
                        #(
                            if let ::core::option::Option::Some(value) = #reads {
                                object.insert(<::std::string::String as ::core::convert::From<&str>>::from(#names), value.to_json());
                            }
                        )*
                        ::growthbook::serde_json::Value::Object(object)
                    }

                    #[inline]
                    fn attribute_by_id(&self, name: &str, id: u32) -> ::core::option::Option<#value<'_>> {
                        static FIELDS: ::growthbook::attributes::FieldCache =
                            ::growthbook::attributes::FieldCache::new();
                        let position = FIELDS.position(id, name, |name| match name {
                            #(#names => ::core::option::Option::Some(#positions),)*
                            _ => ::core::option::Option::None,
                        })?;
                        match position {
                            #(#positions => #reads,)*
                            _ => ::core::option::Option::None,
                        }
                    }

                    fn member_count(&self) -> ::core::option::Option<usize> {
                        ::core::option::Option::Some(#field_count)
                    }

                    fn member(
                        &self,
                        index: usize,
                    ) -> ::core::option::Option<(&str, ::core::option::Option<#value<'_>>)> {
                        match index {
                            #(#positions => ::core::option::Option::Some((#names, #reads)),)*
                            _ => ::core::option::Option::None,
                        }
                    }
                }

                #[automatically_derived]
                #[allow(single_use_lifetimes)]
                impl #impl_generics ::growthbook::attributes::ToAttribute for #ident #ty_generics #where_clause {
                    const KINDS: ::growthbook::attributes::AttributeKinds =
                        ::growthbook::attributes::AttributeKinds::OBJECT;

                    const FIELDS: ::core::option::Option<&'static [::growthbook::attributes::FieldKinds]> =
                        ::core::option::Option::Some(&[#(
                            ::growthbook::attributes::FieldKinds {
                                name: #names,
                                #kinds
                                untargeted: #untargeted,
                            },
                        )*]);

                    #[inline]
                    fn to_attribute(&self) -> ::core::option::Option<#value<'_>> {
                        ::core::option::Option::Some(#value::Object(self))
                    }
                }
            }
        }
        Shape::Enum(variants) => {
            let idents = variants.iter().map(|v| v.ident);
            let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
            quote! {
                #[automatically_derived]
                #[allow(single_use_lifetimes)]
                impl #impl_generics ::growthbook::attributes::ToAttribute for #ident #ty_generics #where_clause {
                    const KINDS: ::growthbook::attributes::AttributeKinds =
                        ::growthbook::attributes::AttributeKinds::STRING;

                    const VALUES: ::core::option::Option<&'static [&'static str]> =
                        ::core::option::Option::Some(&[#(#values),*]);

                    #[inline]
                    fn to_attribute(&self) -> ::core::option::Option<#value<'_>> {
                        ::core::option::Option::Some(#value::String(match self {
                            #(Self::#idents { .. } => #values,)*
                        }))
                    }
                }

                #[allow(dead_code, single_use_lifetimes)]
                impl #impl_generics #ident #ty_generics #where_clause {
                    /// The attribute values, in variant order.
                    #vis const VALUES: &'static [&'static str] = &[#(#values),*];
                }
            }
        }
        Shape::Newtype(inner) => {
            let to_attribute_trait =
                quote_spanned!(inner.span()=> ::growthbook::attributes::ToAttribute);
            quote! {
                #[automatically_derived]
                #[allow(single_use_lifetimes)]
                impl #impl_generics ::growthbook::attributes::ToAttribute for #ident #ty_generics #where_clause {
                    const KINDS: ::growthbook::attributes::AttributeKinds =
                        <#inner as #to_attribute_trait>::KINDS;

                    const FIELDS: ::core::option::Option<&'static [::growthbook::attributes::FieldKinds]> =
                        <#inner as #to_attribute_trait>::FIELDS;

                    const VALUES: ::core::option::Option<&'static [&'static str]> =
                        <#inner as #to_attribute_trait>::VALUES;

                    #[inline]
                    fn to_attribute(&self) -> ::core::option::Option<#value<'_>> {
                        <#inner as #to_attribute_trait>::to_attribute(&self.0)
                    }
                }
            }
        }
    }
}

/// The input's generics, with a `ToAttribute` bound on every type
/// parameter a field's type names (as serde bounds `T: Serialize`).
fn bounded_generics(input: &Input<'_>) -> syn::Generics {
    let mut generics = input.generics.clone();
    if let Shape::Newtype(inner) = &input.shape {
        // The type it holds, when generic (`Id` in `struct UserId<Id>(Id)`),
        // must read (a concrete one is checked where it is used).
        if super::parse::type_parameters_in(inner, input.generics).is_empty() {
            return generics;
        }
        generics
            .make_where_clause()
            .predicates
            .push(syn::parse_quote!(#inner: ::growthbook::attributes::ToAttribute));
        return generics;
    }
    let Shape::Struct(fields) = &input.shape else {
        return generics;
    };
    let mut bounded: Vec<&syn::Ident> = Vec::new();
    for parameter in fields.iter().flat_map(|f| &f.type_parameters) {
        if !bounded.contains(parameter) {
            bounded.push(parameter);
            generics
                .make_where_clause()
                .predicates
                .push(syn::parse_quote!(#parameter: ::growthbook::attributes::ToAttribute));
        }
    }
    generics
}

/// Whether `ty` names the struct `ident` (or `Self`) anywhere.
fn mentions_type(ty: &syn::Type, ident: &syn::Ident) -> bool {
    struct Finder<'i> {
        ident: &'i syn::Ident,
        found: bool,
    }
    impl syn::visit_mut::VisitMut for Finder<'_> {
        fn visit_path_segment_mut(&mut self, segment: &mut syn::PathSegment) {
            if segment.ident == *self.ident || segment.ident == "Self" {
                self.found = true;
            }
            syn::visit_mut::visit_path_segment_mut(self, segment);
        }
    }
    let mut finder = Finder {
        ident,
        found: false,
    };
    syn::visit_mut::VisitMut::visit_type_mut(&mut finder, &mut ty.clone());
    finder.found
}
