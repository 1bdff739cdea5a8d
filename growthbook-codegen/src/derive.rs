//! `#[derive(Features)]`: parse the struct and its attributes, validate the
//! fields against the features export when one is given, expand.

use crate::export::Export;
use crate::model::{Container, Field, VIEW_METHODS};
use crate::naming::RenameRule;
use crate::rust_type::check_fit;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

/// Expands `#[derive(Features)]`: parse, then validate against the export
/// (even when parsing found errors, so that one build reports them all),
/// then expand. Errors become `compile_error!`s at their spans, and the
/// accessors are generated anyway (as serde_derive and thiserror do), so a
/// mistake in one field gives one error there, not one per use of the
/// struct.
pub fn derive_features(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::default();
    let Some(mut parsed) = parse(&input, &mut errors) else {
        return errors.to_compile_error();
    };
    validate(&mut parsed, &mut errors);
    let impls = crate::expand::expand(&parsed.container);
    // A missing file is reported once, by `validate`.
    let tracked = parsed
        .schema
        .filter(|schema| schema.path.is_file())
        .map(|schema| tracked_file(&schema.path));
    let checks = parsed.shape_checks;
    let errors = errors.to_compile_error();
    quote!(#errors #tracked #(#checks)* #impls)
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
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// Every error as `compile_error!`s (nothing when there is none).
    pub(crate) fn to_compile_error(&self) -> TokenStream {
        self.0
            .as_ref()
            .map(syn::Error::to_compile_error)
            .unwrap_or_default()
    }
}

// The helper attribute and its keys, as users write them.
const GROWTHBOOK: &str = "growthbook";
const SCHEMA: &str = "schema";
const RENAME_ALL: &str = "rename_all";
const VIEW: &str = "view";
const KEY: &str = "key";
const DEFAULT: &str = "default";

/// Reads the struct and its attributes; `None` only when it is no struct
/// with named fields (there is nothing to generate then).
fn parse(input: &DeriveInput, errors: &mut Errors) -> Option<Parsed> {
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Some(named),
            _ => None,
        },
        _ => None,
    };
    let Some(named) = named else {
        errors.push(syn::Error::new(
            input.ident.span(),
            "#[derive(Features)] works on structs with named fields, one field per feature",
        ));
        return None;
    };
    if !input.generics.params.is_empty() {
        errors.push(syn::Error::new(
            input.generics.span(),
            "#[derive(Features)] does not support generic parameters: feature types are concrete",
        ));
        return None;
    }

    let mut schema = None;
    let mut rename_all = RenameRule::default();
    let mut view = format_ident!("{}View", input.ident);
    for attr in input.attrs.iter().filter(|a| a.path().is_ident(GROWTHBOOK)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(SCHEMA) {
                let literal: LitStr = meta.value()?.parse()?;
                schema = Some(Schema {
                    path: manifest_relative(&literal.value()),
                    literal,
                });
            } else if meta.path.is_ident(RENAME_ALL) {
                let literal: LitStr = meta.value()?.parse()?;
                rename_all = RenameRule::for_feature_keys(&literal.value()).ok_or_else(|| {
                    syn::Error::new(
                        literal.span(),
                        format!(
                            "unknown rename_all rule {:?}; expected one of {}",
                            literal.value(),
                            RenameRule::NAMES
                        ),
                    )
                })?;
            } else if meta.path.is_ident(VIEW) {
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
        let attrs = field.attrs.iter().filter(|a| a.path().is_ident(GROWTHBOOK));
        for attr in attrs {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(KEY) {
                    key = Some(meta.value()?.parse::<LitStr>()?);
                } else if meta.path.is_ident(DEFAULT) {
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
            None => (rename_all.apply_to_field(&ident.to_string()), ident.span()),
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
            details_accessor: true,
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

    check_generated_names(&mut fields, errors);

    Some(Parsed {
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

/// Every field makes two view methods, `x()` and `eval_x()`, next to the
/// view's own `snapshot()` and `growthbook()`: a field named like another
/// one's generated method is an error (and the clashing method is left out,
/// so that the error is the only one).
fn check_generated_names(fields: &mut [Field], errors: &mut Errors) {
    let names: Vec<String> = fields.iter().map(|f| bare_name(&f.ident)).collect();
    for field in fields.iter_mut() {
        let details = format!("eval_{}", bare_name(&field.ident));
        if let Some(other) = names.iter().position(|n| *n == details) {
            errors.push(syn::Error::new(
                field.ident.span(),
                format!(
                    "field `{}` generates the accessor `{details}()`, which field `{}` also needs; \
                     rename one of the fields (the feature key can stay, with #[growthbook(key = \"...\")])",
                    field.ident, names[other]
                ),
            ));
            field.details_accessor = false;
        }
    }
    for field in fields.iter() {
        let name = bare_name(&field.ident);
        if VIEW_METHODS.contains(&name.as_str()) {
            errors.push(syn::Error::new(
                field.ident.span(),
                format!(
                    "field `{name}` clashes with the view's own `{name}()` method; rename the field \
                     (the feature key can stay, with #[growthbook(key = \"...\")])"
                ),
            ));
        }
    }
}

/// A field name without its `r#` prefix.
fn bare_name(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").unwrap_or(&name).to_owned()
}

/// With a `schema`, every key must be in the export and every type must fit
/// the feature's values; archived features make deprecated accessors.
fn validate(parsed: &mut Parsed, errors: &mut Errors) {
    let Some(schema) = &parsed.schema else {
        return;
    };
    let export = match load_export(&schema.path, &schema.literal) {
        Ok(export) => export,
        Err(e) => return errors.push(e),
    };
    let file = schema.literal.value();
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
        match check_fit(&field.ty, &field.ident.to_string(), feature, &file) {
            Err(message) => errors.push(syn::Error::new(field.ty.span(), message)),
            Ok(()) => parsed
                .shape_checks
                .extend(shape_check(&field.ty, feature, &file)),
        }
        if feature.archived {
            field.deprecated = Some(format!("feature \"{}\" is archived in {file}", field.key));
        }
        if field.doc.is_empty() {
            field.doc = feature_doc(feature);
        }
    }
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

pub(crate) fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
