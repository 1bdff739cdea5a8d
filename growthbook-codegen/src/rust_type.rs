//! Whether a field's Rust type fits a feature's values, decided from the
//! type's syntax at compile time.
//!
//! Types the check understands: `bool`, `String`/`&str`-like strings, every
//! integer and float type, `Option<T>`, `Vec<T>` (and slices' owned forms),
//! `HashMap`/`BTreeMap` with string keys, and `serde_json::Value`. Any other
//! type (your own serde struct or enum) is checked at run time by
//! `TypedFeatures::check` and by the accessor's fallback.

use crate::export::{FeatureSpec, Kind};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use serde_json::Value;

/// A field type, as far as the check understands it.
#[derive(Debug, Clone, PartialEq)]
pub enum RustType {
    /// `bool`.
    Bool,
    /// `String` (or `Cow<str>`, `Box<str>`, `Arc<str>`).
    String,
    /// An integer type with its range.
    Integer {
        /// The type's name.
        name: &'static str,
        /// Smallest value.
        min: i128,
        /// Largest value.
        max: i128,
    },
    /// `f32` or `f64`.
    Float,
    /// `Option<T>`: `null` or a `T`.
    Option(Box<RustType>),
    /// `Vec<T>`: an array of `T`.
    Array(Box<RustType>),
    /// A map with string keys: an object of `T`.
    Map(Box<RustType>),
    /// `serde_json::Value`: anything.
    Json,
    /// A type the check cannot see into (a user struct or enum).
    Opaque(Box<syn::Type>),
}

const INTEGERS: &[(&str, i128, i128)] = &[
    ("i8", i8::MIN as i128, i8::MAX as i128),
    ("i16", i16::MIN as i128, i16::MAX as i128),
    ("i32", i32::MIN as i128, i32::MAX as i128),
    ("i64", i64::MIN as i128, i64::MAX as i128),
    ("i128", i64::MIN as i128, u64::MAX as i128),
    ("isize", i64::MIN as i128, i64::MAX as i128),
    ("u8", 0, u8::MAX as i128),
    ("u16", 0, u16::MAX as i128),
    ("u32", 0, u32::MAX as i128),
    ("u64", 0, u64::MAX as i128),
    ("u128", 0, u64::MAX as i128),
    ("usize", 0, u64::MAX as i128),
];

impl RustType {
    /// Classifies a type by its last path segment (so `std::string::String`
    /// and `String` are the same).
    pub fn classify(ty: &syn::Type) -> RustType {
        let ty = match ty {
            syn::Type::Group(g) => return RustType::classify(&g.elem),
            syn::Type::Paren(p) => return RustType::classify(&p.elem),
            syn::Type::Path(p) if p.qself.is_none() => p,
            other => return RustType::Opaque(Box::new(other.clone())),
        };
        let opaque = || RustType::Opaque(Box::new(syn::Type::Path(ty.clone())));
        let Some(last) = ty.path.segments.last() else {
            return opaque();
        };
        let name = last.ident.to_string();
        let args: Vec<&syn::Type> = match &last.arguments {
            syn::PathArguments::AngleBracketed(a) => a
                .args
                .iter()
                .filter_map(|arg| match arg {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let is_str = |t: &syn::Type| matches!(t, syn::Type::Path(p) if p.path.is_ident("str"));
        match (name.as_str(), args.as_slice()) {
            ("bool", []) => RustType::Bool,
            ("String", []) => RustType::String,
            ("Cow" | "Box" | "Arc" | "Rc", [inner]) if is_str(inner) => RustType::String,
            ("f32" | "f64", []) => RustType::Float,
            ("Option", [inner]) => RustType::Option(Box::new(RustType::classify(inner))),
            ("Vec" | "VecDeque" | "HashSet" | "BTreeSet", [inner]) => {
                RustType::Array(Box::new(RustType::classify(inner)))
            }
            ("HashMap" | "BTreeMap", [key, value]) if is_string_key(key) => {
                RustType::Map(Box::new(RustType::classify(value)))
            }
            ("Value", []) if is_serde_json_value(&ty.path) => RustType::Json,
            (int, []) => INTEGERS.iter().find(|(n, ..)| *n == int).map_or_else(
                opaque,
                |&(name, min, max)| RustType::Integer { name, min, max },
            ),
            _ => opaque(),
        }
    }

    /// Whether the type has a part the syntax does not reveal.
    pub fn has_opaque(&self) -> bool {
        match self {
            RustType::Opaque(_) => true,
            RustType::Option(inner) | RustType::Array(inner) | RustType::Map(inner) => {
                inner.has_opaque()
            }
            _ => false,
        }
    }

    /// A `&'static growthbook::typed::shape::Shape` expression for the type;
    /// `opaque` writes the shape of the parts the syntax does not reveal.
    pub fn shape_tokens(&self, opaque: &dyn Fn(&syn::Type) -> TokenStream) -> TokenStream {
        let shape = quote!(::growthbook::typed::shape::Shape);
        match self {
            RustType::Bool => quote!(&#shape::Bool),
            RustType::String => quote!(&#shape::String),
            RustType::Integer { .. } => quote!(&#shape::Integer),
            RustType::Float => quote!(&#shape::Number),
            RustType::Json => quote!(&#shape::Any),
            RustType::Option(inner) => {
                let inner = inner.shape_tokens(opaque);
                quote!(&#shape::Option(#inner))
            }
            RustType::Array(inner) => {
                let inner = inner.shape_tokens(opaque);
                quote!(&#shape::Array(#inner))
            }
            RustType::Map(inner) => {
                let inner = inner.shape_tokens(opaque);
                quote!(&#shape::Map(#inner))
            }
            RustType::Opaque(ty) => opaque(ty),
        }
    }

    /// Whether one JSON value deserializes into this type. `null` fits
    /// everything at the top level (the accessor then returns the default).
    fn fits(&self, value: &Value) -> bool {
        match (self, value) {
            (RustType::Json | RustType::Opaque(_), _) => true,
            (RustType::Option(_), Value::Null) => true,
            (RustType::Option(inner), v) => inner.fits(v),
            (RustType::Bool, Value::Bool(_)) => true,
            (RustType::String, Value::String(_)) => true,
            (RustType::Float, Value::Number(_)) => true,
            (RustType::Integer { min, max, .. }, Value::Number(n)) => {
                integer(n).is_some_and(|i| *min <= i && i <= *max)
            }
            (RustType::Array(inner), Value::Array(items)) => items.iter().all(|i| inner.fits(i)),
            (RustType::Map(inner), Value::Object(map)) => map.values().all(|v| inner.fits(v)),
            _ => false,
        }
    }

    /// The value kind this type expects at the top level, for messages.
    fn expects(&self) -> Option<Kind> {
        match self {
            RustType::Bool => Some(Kind::Boolean),
            RustType::String => Some(Kind::String),
            RustType::Integer { .. } => Some(Kind::Number { integral: true }),
            RustType::Float => Some(Kind::Number { integral: false }),
            RustType::Option(inner) => inner.expects(),
            RustType::Array(_) | RustType::Map(_) => Some(Kind::Json),
            RustType::Json | RustType::Opaque(_) => None,
        }
    }

    /// The type to generate for a feature of this kind (`include_features!`).
    pub fn for_kind(kind: Kind) -> RustType {
        match kind {
            Kind::Boolean => RustType::Bool,
            Kind::String => RustType::String,
            Kind::Number { integral: true } => RustType::Integer {
                name: "i64",
                min: i64::MIN as i128,
                max: i64::MAX as i128,
            },
            Kind::Number { integral: false } => RustType::Float,
            Kind::Json | Kind::Mixed => RustType::Json,
        }
    }
}

fn integer(n: &serde_json::Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

fn is_string_key(ty: &syn::Type) -> bool {
    RustType::classify(ty) == RustType::String
}

/// `Value`, `serde_json::Value` or `::serde_json::Value` (a bare `Value` is
/// taken to be serde_json's: what else would a feature be?).
fn is_serde_json_value(path: &syn::Path) -> bool {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    matches!(segments.as_slice(), [v] if v == "Value")
        || segments.ends_with(&["serde_json".to_owned(), "Value".to_owned()])
}

/// Checks a field type against a feature. `Err` is the compile error message.
pub fn check_fit(
    ty: &syn::Type,
    field: &str,
    feature: &FeatureSpec,
    file: &str,
) -> Result<(), String> {
    let rust = RustType::classify(ty);
    let values = || feature.values.iter().map(|v| &v.value);
    let Some(bad) = values().find(|v| !v.is_null() && !rust.fits(v)) else {
        return Ok(());
    };
    let type_text = type_to_string(ty);
    let key = &feature.key;
    let kind = feature.kind();
    let integral_problem = matches!(
        (&rust, kind),
        (
            RustType::Integer { .. } | RustType::Option(_),
            Kind::Number { integral: false }
        )
    ) && rust.expects() == Some(Kind::Number { integral: true });
    if integral_problem {
        let fractional = values().find(|v| v.as_f64().is_some_and(|f| f.fract() != 0.0));
        let bad = fractional.unwrap_or(bad);
        return Err(format!(
            "feature \"{key}\" has the non-integral value {bad} in {file}, but field `{field}` is `{type_text}`; use `f64`"
        ));
    }
    if let (RustType::Integer { .. }, Kind::Number { .. }) = (&rust, kind) {
        return Err(format!(
            "feature \"{key}\" has the value {bad} in {file}, which does not fit field `{field}` of type `{type_text}`"
        ));
    }
    let top_level_mismatch = match (rust.expects(), kind) {
        (Some(Kind::Number { .. }), Kind::Number { .. }) => false,
        (Some(expected), actual) => actual != Kind::Mixed && expected != actual,
        (None, _) => false,
    };
    if top_level_mismatch {
        return Err(format!(
            "feature \"{key}\" is {} in {file}, but field `{field}` is `{type_text}`",
            kind.describe()
        ));
    }
    Err(format!(
        "feature \"{key}\" has the value {bad} in {file}, which does not fit field `{field}` of type `{type_text}`"
    ))
}

/// A type as written, with the spaces `to_token_stream` adds removed.
pub fn type_to_string(ty: &syn::Type) -> String {
    let text = ty.to_token_stream().to_string();
    let text = text
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ,", ",")
        .replace("& ", "&");
    // Generated code names types by absolute paths, for hygiene; messages
    // name them as a user writes them.
    [
        ("::std::string::", ""),
        ("::std::vec::", ""),
        ("::std::collections::", ""),
        ("::core::option::", ""),
        ("::std::option::", ""),
        ("::growthbook::serde_json::", "serde_json::"),
    ]
    .iter()
    .fold(text, |text, (path, shown)| text.replace(path, shown))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(values: Vec<Value>) -> FeatureSpec {
        FeatureSpec {
            key: "f".into(),
            value_type: None,
            default_value: values[0].clone(),
            values: values
                .into_iter()
                .map(|value| crate::export::ValueAt {
                    location: "a value".into(),
                    value,
                })
                .collect(),
            description: None,
            archived: false,
            tags: vec![],
            json_schema: None,
        }
    }

    fn check(ty: &str, values: Vec<Value>) -> Result<(), String> {
        let ty: syn::Type = syn::parse_str(ty).unwrap();
        check_fit(&ty, "field", &spec(values), "features.json")
    }

    #[test]
    fn fitting_types_pass() {
        assert!(check("bool", vec![json!(true), json!(false)]).is_ok());
        assert!(check("String", vec![json!("a")]).is_ok());
        assert!(check("u8", vec![json!(0), json!(255)]).is_ok());
        assert!(check("f64", vec![json!(1), json!(0.5)]).is_ok());
        assert!(check("Option<u32>", vec![json!(null), json!(3)]).is_ok());
        assert!(check("Vec<String>", vec![json!(["a"]), json!([])]).is_ok());
        assert!(check(
            "std::collections::HashMap<String, f32>",
            vec![json!({"a": 1.5})]
        )
        .is_ok());
        assert!(check("serde_json::Value", vec![json!(1), json!("a")]).is_ok());
        assert!(check("MyStruct", vec![json!({"a": 1})]).is_ok());
    }

    #[test]
    fn mismatches_say_what_and_where() {
        let err = check("String", vec![json!(1), json!(2)]).unwrap_err();
        assert_eq!(
            err,
            "feature \"f\" is a number in features.json, but field `field` is `String`"
        );
        let err = check("u32", vec![json!(1), json!(0.5)]).unwrap_err();
        assert!(
            err.contains("non-integral value 0.5") && err.ends_with("use `f64`"),
            "{err}"
        );
        let err = check("u8", vec![json!(500)]).unwrap_err();
        assert!(err.contains("value 500") && err.contains("`u8`"), "{err}");
        let err = check("bool", vec![json!("yes")]).unwrap_err();
        assert!(err.contains("is a string"), "{err}");
        let err = check("Vec<u32>", vec![json!([1, "a"])]).unwrap_err();
        assert!(
            err.contains("value [1,\"a\"]") && err.contains("`Vec<u32>`"),
            "{err}"
        );
    }
}
