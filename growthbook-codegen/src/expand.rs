//! Code generation from a [`Container`]: the view type with one accessor per
//! feature, and the `TypedFeatures` implementation.

use crate::model::{Container, Field};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

/// The impls for a features struct (not the struct itself).
pub fn expand(container: &Container) -> TokenStream {
    let Container {
        ident,
        vis,
        view,
        fields,
    } = container;
    let keys: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
    let types = fields.iter().map(|f| &f.ty);
    let schema_types = fields.iter().map(|f| &f.ty);
    let type_texts = fields
        .iter()
        .map(|f| crate::rust_type::type_to_string(&f.ty));
    let accessors = fields.iter().map(|f| accessor(vis, f));
    let field_idents: Vec<_> = fields.iter().map(|f| &f.ident).collect();
    let view_doc = format!(
        "Typed accessors for [`{ident}`] on one [`GrowthBook`](::growthbook::GrowthBook) instance.\n\n\
         Each accessor evaluates its feature when called, so tracking callbacks fire only for the \
         features actually read."
    );
    // A field with a view method's name is an error reported by the derive;
    // leaving the method out keeps that error the only one.
    let field_named = |name: &str| fields.iter().any(|f| f.ident == name);
    let snapshot = (!field_named("snapshot")).then(|| {
        quote! {
            /// Evaluates every feature now (tracking fires for each one).
            #[allow(deprecated)]
            #vis fn snapshot(&self) -> #ident {
                #ident { #(#field_idents: self.#field_idents()),* }
            }
        }
    });
    let growthbook = (!field_named("growthbook")).then(|| {
        quote! {
            /// The instance this view reads from.
            #vis fn growthbook(&self) -> &'gb ::growthbook::GrowthBook<A> {
                self.gb
            }
        }
    });
    let overrides = overrides(container);
    quote! {
        #overrides

        #[doc = #view_doc]
        #vis struct #view<'gb, A = ::growthbook::serde_json::Value> {
            gb: &'gb ::growthbook::GrowthBook<A>,
        }

        impl<A> ::core::clone::Clone for #view<'_, A> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<A> ::core::marker::Copy for #view<'_, A> {}

        impl ::growthbook::TypedFeatures for #ident {
            type View<'gb, A: ::growthbook::attributes::Attributes + 'gb> = #view<'gb, A>;

            const KEYS: &'static [&'static str] = &[#(#keys),*];

            fn view<A: ::growthbook::attributes::Attributes>(gb: &::growthbook::GrowthBook<A>) -> #view<'_, A> {
                #view { gb }
            }

            fn check(
                payload: &::growthbook::serde_json::Value,
            ) -> ::core::result::Result<(), ::std::vec::Vec<::growthbook::typed::TypeMismatch>> {
                ::growthbook::typed::check_export(payload, |export, report| {
                    #(::growthbook::typed::check_feature::<#types>(export, #keys, #type_texts, report);)*
                })
            }

            fn json_schemas() -> ::std::vec::Vec<(&'static str, ::growthbook::serde_json::Value)> {
                #[allow(unused_imports)]
                use ::growthbook::typed::schema::{NoJsonSchema as _, ViaJsonSchema as _};
                let mut schemas = ::std::vec::Vec::new();
                #(
                    if let ::core::option::Option::Some(schema) =
                        (&&::growthbook::typed::schema::SchemaProbe::<#schema_types>::new()).json_schema()
                    {
                        schemas.push((#keys, schema));
                    }
                )*
                schemas
            }
        }

        // A private features struct need not use every accessor.
        #[allow(dead_code)]
        impl #ident {
            /// The JSON Schema of each feature whose type implements
            /// `schemars::JsonSchema` (with growthbook's `schema` feature).
            #vis fn json_schemas() -> ::std::vec::Vec<(&'static str, ::growthbook::serde_json::Value)> {
                <Self as ::growthbook::TypedFeatures>::json_schemas()
            }

            /// The feature keys, in field order.
            #vis const KEYS: &'static [&'static str] = <Self as ::growthbook::TypedFeatures>::KEYS;

            /// The typed accessors over `gb` (same as `gb.features::<Self>()`).
            #vis fn view<A: ::growthbook::attributes::Attributes>(gb: &::growthbook::GrowthBook<A>) -> #view<'_, A> {
                #view { gb }
            }

            /// The fields are declarations read through the view; this keeps
            /// the dead-code lint from flagging them.
            #[doc(hidden)]
            fn __growthbook_declared_fields(&self) {
                let _ = (#(&self.#field_idents,)*);
            }

            /// Every declared feature that `payload` (an SDK payload or export)
            /// lacks or whose values do not fit the declared types.
            #vis fn check(
                payload: &::growthbook::serde_json::Value,
            ) -> ::core::result::Result<(), ::std::vec::Vec<::growthbook::typed::TypeMismatch>> {
                <Self as ::growthbook::TypedFeatures>::check(payload)
            }
        }

        #[allow(dead_code)]
        impl<'gb, A: ::growthbook::attributes::Attributes> #view<'gb, A> {
            #(#accessors)*

            #snapshot

            #growthbook
        }
    }
}

fn accessor(vis: &syn::Visibility, field: &Field) -> TokenStream {
    let Field {
        ident,
        ty,
        key,
        default,
        doc,
        deprecated,
        details_accessor,
    } = field;
    let bare = ident.to_string();
    let bare = bare.trim_start_matches("r#");
    let eval_ident = format_ident!("eval_{bare}");
    let default_ident = format_ident!("__default_{bare}");
    // Errors about the default (a type without `Default`, a default of the
    // wrong type) point at the field's type or the default expression.
    let default_body = match default {
        Some(expr) => quote_spanned! {expr.span()=> #expr },
        None => {
            quote_spanned! {ty.span()=> <#ty as ::growthbook::__private::FallbackValue>::fallback() }
        }
    };
    let doc = if doc.is_empty() {
        vec![format!(" Feature `{key}`.")]
    } else {
        doc.clone()
    };
    let eval_doc = format!(" Feature `{key}` with its evaluation details.");
    let deprecated = deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let details = details_accessor.then(|| {
        quote! {
            #[doc = #eval_doc]
            #deprecated
            #vis fn #eval_ident(&self) -> ::growthbook::TypedResult<'gb, #ty> {
                ::growthbook::typed::eval::<#ty, A>(self.gb, #key, Self::#default_ident)
            }
        }
    });
    quote! {
        #(#[doc = #doc])*
        #deprecated
        #vis fn #ident(&self) -> #ty {
            static SLOT: ::growthbook::typed::KeySlot = ::growthbook::typed::KeySlot::new(#key);
            ::growthbook::typed::get::<#ty, A>(self.gb, &SLOT, Self::#default_ident)
        }

        #details

        #[doc(hidden)]
        fn #default_ident() -> #ty {
            #default_body
        }
    }
}

/// The typed override builder: `AppFeatures::overrides().dark_mode(true)`,
/// one setter per field, taking the field's type.
fn overrides(container: &Container) -> TokenStream {
    let Container {
        ident, vis, fields, ..
    } = container;
    let builder = format_ident!("{ident}Overrides");
    let doc = format!(
        "Forced values for [`{ident}`]'s features, for tests: each setter takes the field's \
         own type. Pass it to [`GrowthBookBuilder::overrides`](::growthbook::GrowthBookBuilder::overrides), \
         or make an instance without any payload with [`Self::growthbook`]."
    );
    let setters = fields.iter().map(|field| {
        let (name, ty, key) = (&field.ident, &field.ty, &field.key);
        let doc = format!(" Forces feature `{key}`.");
        quote! {
            #[doc = #doc]
            #vis fn #name(self, value: impl ::growthbook::typed::OverrideValue<#ty>) -> Self {
                #builder(self.0.set(#key, ::growthbook::typed::OverrideValue::<#ty>::into_json(value)))
            }
        }
    });
    quote! {
        #[doc = #doc]
        // `Eq` only where every value type has it: not worth a lint.
        #[allow(clippy::derive_partial_eq_without_eq)]
        #[derive(Debug, Clone, Default, PartialEq)]
        #vis struct #builder(::growthbook::typed::Overrides);

        #[allow(dead_code)]
        impl #builder {
            #(#setters)*

            /// A builder with no payload: every overridden feature has its
            /// value, every other one its declared default.
            #vis fn growthbook(self) -> ::growthbook::GrowthBookBuilder {
                self.0.builder()
            }
        }

        impl ::core::convert::From<#builder> for ::growthbook::typed::Overrides {
            fn from(overrides: #builder) -> Self {
                overrides.0
            }
        }

        #[allow(dead_code)]
        impl #ident {
            /// Typed forced values for tests (see the overrides type).
            #vis fn overrides() -> #builder {
                ::core::default::Default::default()
            }
        }
    }
}
