//! `#[derive(Features)]`: parse the struct and its attributes, validate the
//! fields against the features export when one is given, expand.

use crate::export::Export;
use crate::model::{Container, Field};
use crate::naming::RenameRule;
use crate::rust_type::check_fit;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

/// Expands `#[derive(Features)]`; errors become `compile_error!`s at their
/// spans.
pub fn derive_features(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    match parse(&input).and_then(validate) {
        Ok(parsed) => {
            let impls = crate::expand::expand(&parsed.container);
            let tracked = parsed.schema.map(|schema| tracked_file(&schema.path));
            let checks = parsed.shape_checks;
            quote!(#tracked #(#checks)* #impls)
        }
        Err(e) => e.to_compile_error(),
    }
}

/// Makes the compiler rebuild when the export changes.
pub(crate) fn tracked_file(path: &Path) -> TokenStream {
    let path = path.to_string_lossy();
    quote!(
        const _: &[u8] = ::core::include_bytes!(#path);
    )
}

/// The struct as written, before the export is consulted.
struct Parsed {
    container: Container,
    schema: Option<Schema>,
    /// Where each field's key came from (the `key = "..."` literal or the
    /// field name), for error spans.
    key_spans: Vec<Span>,
    /// Compile-time checks of the export's values against the shapes of
    /// field types the syntax does not reveal (`FeatureValue` types).
    shape_checks: Vec<TokenStream>,
}

struct Schema {
    literal: LitStr,
    path: PathBuf,
}

/// Collects errors so that one compilation reports all of them.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    fn finish<T>(self, value: T) -> syn::Result<T> {
        match self.0 {
            Some(e) => Err(e),
            None => Ok(value),
        }
    }
}

fn parse(input: &DeriveInput) -> syn::Result<Parsed> {
    let mut errors = Errors::default();
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Some(named),
            _ => None,
        },
        _ => None,
    };
    let Some(named) = named else {
        return Err(syn::Error::new(
            input.ident.span(),
            "#[derive(Features)] works on structs with named fields, one field per feature",
        ));
    };
    if !input.generics.params.is_empty() {
        errors.push(syn::Error::new(
            input.generics.span(),
            "#[derive(Features)] does not support generic parameters: feature types are concrete",
        ));
    }

    let mut schema = None;
    let mut rename_all = RenameRule::default();
    let mut view = format_ident!("{}View", input.ident);
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("growthbook"))
    {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("schema") {
                let literal: LitStr = meta.value()?.parse()?;
                schema = Some(Schema {
                    path: manifest_relative(&literal.value()),
                    literal,
                });
            } else if meta.path.is_ident("rename_all") {
                let literal: LitStr = meta.value()?.parse()?;
                rename_all = RenameRule::from_name(&literal.value()).ok_or_else(|| {
                    syn::Error::new(
                        literal.span(),
                        format!(
                            "unknown rename_all rule {:?}; expected one of {}",
                            literal.value(),
                            RenameRule::NAMES
                        ),
                    )
                })?;
            } else if meta.path.is_ident("view") {
                view = meta.value()?.parse()?;
            } else {
                return Err(meta.error(format!(
                    "unknown growthbook attribute `{}`; expected `schema`, `rename_all` or `view`",
                    path_text(&meta.path)
                )));
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }

    let mut fields = Vec::new();
    let mut key_spans = Vec::new();
    for field in &named.named {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let mut key = None;
        let mut default = None;
        let attrs = field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("growthbook"));
        for attr in attrs {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("key") {
                    key = Some(meta.value()?.parse::<LitStr>()?);
                } else if meta.path.is_ident("default") {
                    let expr: syn::Expr = meta.value()?.parse()?;
                    // A string literal becomes whatever string type the field
                    // has; any other expression must have the field's type.
                    let is_str = matches!(
                        &expr,
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(_),
                            ..
                        })
                    );
                    let string_field = crate::rust_type::RustType::classify(&field.ty) == crate::rust_type::RustType::String;
                    default = Some(if is_str && string_field {
                        quote!(::core::convert::Into::into(#expr))
                    } else {
                        quote!(#expr)
                    });
                } else {
                    return Err(meta.error(format!(
                        "unknown growthbook field attribute `{}`; expected `key = \"...\"` or `default = <expression>`",
                        path_text(&meta.path)
                    )));
                }
                Ok(())
            });
            if let Err(e) = result {
                errors.push(e);
            }
        }
        let (key, key_span) = match key {
            Some(literal) => (literal.value(), literal.span()),
            None => (rename_all.apply(&ident.to_string()), ident.span()),
        };
        let doc = field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        fields.push(Field {
            ident,
            ty: field.ty.clone(),
            key,
            default,
            doc,
            deprecated: None,
        });
        key_spans.push(key_span);
    }

    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for (field, span) in fields.iter().zip(&key_spans) {
        if let Some(first) = seen.insert(&field.key, &field.ident) {
            errors.push(syn::Error::new(
                *span,
                format!(
                    "duplicate feature key \"{}\": field `{first}` already reads it",
                    field.key
                ),
            ));
        }
    }

    errors.finish(Parsed {
        container: Container {
            ident: input.ident.clone(),
            vis: input.vis.clone(),
            view,
            fields,
        },
        schema,
        key_spans,
        shape_checks: Vec::new(),
    })
}

/// With a `schema`, every key must be in the export and every type must fit
/// the feature's values; archived features make deprecated accessors.
fn validate(mut parsed: Parsed) -> syn::Result<Parsed> {
    let Some(schema) = &parsed.schema else {
        return Ok(parsed);
    };
    let export = load_export(&schema.path, &schema.literal)?;
    let file = schema.literal.value();
    let mut errors = Errors::default();
    for (field, span) in parsed.container.fields.iter_mut().zip(&parsed.key_spans) {
        let Some(feature) = export.get(&field.key) else {
            let hint = match export.closest_key(&field.key) {
                Some(close) => format!("; did you mean \"{close}\"?"),
                None => String::new(),
            };
            errors.push(syn::Error::new(
                *span,
                format!("unknown feature key \"{}\" in {file}{hint}", field.key),
            ));
            continue;
        };
        if let Err(message) = check_fit(&field.ty, &field.ident.to_string(), feature, &file) {
            errors.push(syn::Error::new(field.ty.span(), message));
        }
        if let Some(check) = shape_check(&field.ty, feature, &file) {
            parsed.shape_checks.push(check);
        }
        if feature.archived {
            field.deprecated = Some(format!("feature \"{}\" is archived in {file}", field.key));
        }
        if field.doc.is_empty() {
            field.doc = feature_doc(feature);
        }
    }
    errors.finish(parsed)
}

/// A `const` item that fails compilation when a value of the feature does not
/// fit the field type's `FeatureValue` shape (for types the syntax does not
/// reveal, such as your own structs and enums).
fn shape_check(
    ty: &syn::Type,
    feature: &crate::export::FeatureSpec,
    file: &str,
) -> Option<TokenStream> {
    let rust = crate::rust_type::RustType::classify(ty);
    if !rust.has_opaque() {
        return None;
    }
    let shape =
        rust.shape_tokens(&|leaf| quote!(<#leaf as ::growthbook::typed::FeatureValue>::SHAPE));
    let values = feature
        .values
        .iter()
        .filter(|v| !v.value.is_null())
        .map(|v| {
            let (location, json) = (&v.location, json_tokens(&v.value));
            quote!((#location, #json))
        });
    let prefix = format!("feature \"{}\" in {file}", feature.key);
    Some(quote::quote_spanned! {ty.span()=>
        const _: () = ::growthbook::typed::shape::assert_fits(#shape, &[#(#values),*], #prefix);
    })
}

/// A JSON value as a `growthbook::typed::shape::Json` constant.
fn json_tokens(value: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    let json = quote!(::growthbook::typed::shape::Json);
    match value {
        Value::Null => quote!(#json::Null),
        Value::Bool(b) => quote!(#json::Bool(#b)),
        Value::Number(n) => {
            let integral = n.is_i64() || n.is_u64();
            quote!(#json::Number { integral: #integral })
        }
        Value::String(s) => quote!(#json::String(#s)),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!(#json::Array(&[#(#items),*]))
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote!((#k, #v))
            });
            quote!(#json::Object(&[#(#entries),*]))
        }
    }
}

/// Documentation for an accessor, from the export.
pub(crate) fn feature_doc(feature: &crate::export::FeatureSpec) -> Vec<String> {
    let mut doc = vec![format!(" Feature `{}`.", feature.key)];
    if let Some(description) = &feature.description {
        doc.push(String::new());
        doc.extend(description.lines().map(|l| format!(" {l}")));
    }
    doc.push(String::new());
    doc.push(format!(
        " Default in the export: `{}`.",
        feature.default_value
    ));
    if !feature.tags.is_empty() {
        doc.push(format!(" Tags: {}.", feature.tags.join(", ")));
    }
    doc
}

/// Reads an export, with errors at `span_of`'s span that name the path.
pub(crate) fn load_export(path: &Path, span_of: &LitStr) -> syn::Result<Export> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        syn::Error::new(
            span_of.span(),
            format!("cannot read features file {}: {e}", path.display()),
        )
    })?;
    Export::from_json_str(&text).map_err(|e| {
        syn::Error::new(
            span_of.span(),
            format!("features file {} is {e}", path.display()),
        )
    })
}

/// A path relative to the crate being compiled.
pub(crate) fn manifest_relative(path: &str) -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    dir.join(path)
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
