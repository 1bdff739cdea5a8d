//! A whole typed features struct generated from an export: what
//! `include_features!`, `build.rs` ([`crate::Builder`]) and the CLI produce.

use crate::derive::{feature_doc, load_export, manifest_relative, tracked_file};
use crate::export::{Export, FeatureSpec};
use crate::json_schema::{self, pascal_case};
use crate::model::{Container, Field, VIEW_METHODS};
use crate::naming::{numbered, snake_case_ident};
use crate::rust_type::RustType;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::HashSet;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token, Visibility};

/// The struct, its view and impls for every feature of `export`. The same
/// export and name always give the same tokens.
pub fn generate(export: &Export, vis: &Visibility, name: &Ident) -> TokenStream {
    let (container, definitions) = container(export, vis, name);
    let fields = container.fields.iter().map(|f| {
        let (ident, ty, doc) = (&f.ident, &f.ty, &f.doc);
        quote!(#(#[doc = #doc])* pub #ident: #ty)
    });
    let struct_doc = format!(
        " The {} features of a GrowthBook export, with typed accessors on [`{}`].",
        container.fields.len(),
        container.view
    );
    let impls = crate::expand::expand(&container);
    quote! {
        #(#definitions)*

        #[doc = #struct_doc]
        #[allow(clippy::derive_partial_eq_without_eq)]
        #[derive(Debug, Clone, PartialEq)]
        #vis struct #name {
            #(#fields,)*
        }

        #impls
    }
}

/// The container, and the struct definitions of JSON features with a schema.
fn container(export: &Export, vis: &Visibility, name: &Ident) -> (Container, Vec<TokenStream>) {
    let mut names = AccessorNames::default();
    let mut definitions = Vec::new();
    // The generated types' names, so that no two structs share one.
    let mut type_names: std::collections::HashSet<String> = ["", "View", "Overrides"]
        .iter()
        .map(|suffix| format!("{name}{suffix}"))
        .collect();
    let fields = export
        .features
        .iter()
        .map(|feature| {
            let ident = names.claim(snake_case_ident(&feature.key));
            let rust = integer_type(RustType::for_kind(feature.kind()), feature);
            let schema_type = feature.json_schema.as_ref().and_then(|schema| {
                let mut type_name = pascal_case(&feature.key);
                if *name == type_name {
                    type_name.push_str("Value");
                }
                json_schema::struct_for(schema, &type_name, vis, &mut type_names)
            });
            let (ty, default) = match schema_type {
                Some(schema_type) => {
                    definitions.extend(schema_type.definitions);
                    let text = feature.default_value.to_string();
                    let default =
                        quote!(::growthbook::serde_json::from_str(#text).unwrap_or_default());
                    (schema_type.ty, default)
                }
                None => (rust_type_tokens(&rust), default_tokens(feature, &rust)),
            };
            Field {
                ident: format_ident!("{ident}"),
                ty,
                key: feature.key.clone(),
                default: Some(default),
                doc: feature_doc(feature),
                deprecated: feature
                    .archived
                    .then(|| format!("feature \"{}\" is archived", feature.key)),
                details_accessor: true,
            }
        })
        .collect();
    let container = Container {
        ident: name.clone(),
        vis: vis.clone(),
        view: format_ident!("{name}View"),
        fields,
    };
    (container, definitions)
}

/// The view's method names handed out so far: each field's accessor `x`
/// and its details accessor `eval_x`, next to the view's own methods. Keys
/// whose names would collide (`a-b` and `a.b`, `x` and `eval-x`) get
/// numbered accessors instead.
struct AccessorNames(HashSet<String>);

impl Default for AccessorNames {
    fn default() -> AccessorNames {
        AccessorNames(VIEW_METHODS.iter().map(|m| (*m).to_owned()).collect())
    }
}

impl AccessorNames {
    fn free(&self, name: &str) -> bool {
        !self.0.contains(name) && !self.0.contains(&format!("eval_{name}"))
    }

    /// `base`, or `base_2`, `base_3`... whichever is free first.
    fn claim(&mut self, base: String) -> String {
        let name = numbered(&base, "_", |candidate| !self.free(candidate));
        self.0.insert(format!("eval_{name}"));
        self.0.insert(name.clone());
        name
    }
}

/// `i64` for integers, unless a value is past it: `u64` when none is
/// negative, otherwise `f64` (a JS number, which every value fits).
fn integer_type(rust: RustType, feature: &FeatureSpec) -> RustType {
    if !matches!(rust, RustType::Integer { .. }) {
        return rust;
    }
    let numbers = || {
        feature
            .values
            .iter()
            .map(|v| &v.value)
            .filter(|v| v.is_number())
    };
    if numbers().all(Value::is_i64) {
        rust
    } else if numbers().all(Value::is_u64) {
        RustType::Integer {
            name: "u64",
            min: 0,
            max: u64::MAX.into(),
        }
    } else {
        RustType::Float
    }
}

fn rust_type_tokens(rust: &RustType) -> syn::Type {
    match rust {
        RustType::Bool => syn::parse_quote!(bool),
        RustType::String => syn::parse_quote!(::std::string::String),
        RustType::Integer { name: "u64", .. } => syn::parse_quote!(u64),
        RustType::Integer { .. } => syn::parse_quote!(i64),
        RustType::Float => syn::parse_quote!(f64),
        _ => syn::parse_quote!(::growthbook::serde_json::Value),
    }
}

/// The export's default value as a Rust expression of the generated type.
fn default_tokens(feature: &FeatureSpec, rust: &RustType) -> TokenStream {
    let value = &feature.default_value;
    match (rust, value) {
        (RustType::Bool, Value::Bool(b)) => quote!(#b),
        (RustType::String, Value::String(s)) => {
            quote!(<::std::string::String as ::core::convert::From<&str>>::from(#s))
        }
        (RustType::Integer { name: "u64", .. }, Value::Number(n)) if n.as_u64().is_some() => {
            let literal = Literal::u64_suffixed(n.as_u64().unwrap_or_default());
            quote!(#literal)
        }
        (RustType::Integer { name: "u64", .. }, _) => quote!(0u64),
        (RustType::Integer { .. }, Value::Number(n)) if n.as_i64().is_some() => {
            let literal = Literal::i64_suffixed(n.as_i64().unwrap_or_default());
            quote!(#literal)
        }
        (RustType::Float, Value::Number(n)) => {
            let literal = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
            quote!(#literal)
        }
        (RustType::Json, value) => {
            let text = value.to_string();
            quote!(::growthbook::serde_json::from_str::<::growthbook::serde_json::Value>(#text)
                .unwrap_or_default())
        }
        // A default that does not fit the inferred type (null, or a REST
        // value that did not parse): the type's own default.
        (RustType::Bool, _) => quote!(false),
        (RustType::String, _) => quote!(::std::string::String::new()),
        (RustType::Integer { .. }, _) => quote!(0i64),
        _ => quote!(0f64),
    }
}

/// `include_features!([vis] [Name,] "path")` (and `include_attributes!`).
pub struct IncludeInput {
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
    pub(crate) path: LitStr,
}

impl Parse for IncludeInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        IncludeInput::parse_with(input, "Features", "features.json", "a features export")
    }
}

impl IncludeInput {
    /// Parses `[vis] [Name,] "path"`, with `default_name` when no name is
    /// given; `file` and `what` make the error messages.
    pub(crate) fn parse_with(
        input: ParseStream<'_>,
        default_name: &str,
        file: &str,
        what: &str,
    ) -> syn::Result<Self> {
        let vis: Visibility = input.parse()?;
        let name = if input.peek(Ident) {
            let name: Ident = input.parse()?;
            if input.is_empty() {
                return Err(syn::Error::new(
                    name.span(),
                    format!(
                        "expected `{name}, \"{file}\"`: the struct name, then the path of {what}"
                    ),
                ));
            }
            input.parse::<Token![,]>()?;
            name
        } else {
            format_ident!("{default_name}")
        };
        let vis = match vis {
            Visibility::Inherited => syn::parse_quote!(pub),
            vis => vis,
        };
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!(
                    "expected the path of {what}: (\"{file}\") or (pub {default_name}, \"{file}\")"
                ),
            )
        })?;
        input.parse::<Option<Token![,]>>()?;
        Ok(IncludeInput { vis, name, path })
    }
}

/// Expands `include_features!`.
pub fn include_features(input: TokenStream) -> TokenStream {
    let input: IncludeInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let path = manifest_relative(&input.path.value());
    match load_export(&path, &input.path) {
        Ok(export) => {
            let tracked = tracked_file(&path);
            let code = generate(&export, &input.vis, &input.name);
            quote!(#tracked #code)
        }
        Err(e) => e.to_compile_error(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn generation_is_deterministic_and_names_are_sanitized() {
        let export = Export::from_json(&json!({"features": {
            "new-checkout.v2": {"defaultValue": true},
            "2fa": {"defaultValue": "sms"},
            "type": {"defaultValue": 3},
            "new_checkout_v2": {"defaultValue": 0.5},
            "cfg": {"defaultValue": {"a": [1]}}
        }}))
        .unwrap();
        let vis: Visibility = syn::parse_quote!(pub);
        let name = format_ident!("Flags");
        let a = generate(&export, &vis, &name).to_string();
        let b = generate(&export, &vis, &name).to_string();
        assert_eq!(a, b);
        for ident in [
            "new_checkout_v2",
            "_2fa",
            "type_",
            "new_checkout_v2_2",
            "eval_type_",
        ] {
            assert!(
                a.contains(&format!("fn {ident} ")),
                "no accessor {ident} in {a}"
            );
        }
        assert!(a.contains("0.5f64"), "{a}");
        assert!(a.contains("3i64"), "{a}");
        // Valid Rust, as build.rs and the CLI format it.
        syn::parse2::<syn::File>(generate(&export, &vis, &name)).unwrap();
    }

    #[test]
    fn the_macro_and_the_builder_generate_the_same_code() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = manifest.join("../features.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let export = Export::from_json_str(&text).unwrap();
        let literal = path.to_string_lossy().into_owned();
        let from_macro = include_features(quote!(pub Flags, #literal)).to_string();
        let generated =
            generate(&export, &syn::parse_quote!(pub), &format_ident!("Flags")).to_string();
        let tracked = tracked_file(&path).to_string();
        assert_eq!(from_macro, format!("{tracked} {generated}"));
        let from_builder = crate::Builder::new()
            .input(&path)
            .struct_name("Flags")
            .generate()
            .unwrap();
        let expected = prettyplease::unparse(&syn::parse_str(&generated).unwrap());
        assert!(
            from_builder.ends_with(&expected),
            "build.rs output is not the formatted macro expansion"
        );
    }
}
