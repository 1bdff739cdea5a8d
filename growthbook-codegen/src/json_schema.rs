//! Rust structs for JSON features whose export carries a JSON Schema (the
//! REST API's `jsonSchema`): `include_features!` then types the feature as a
//! struct instead of `serde_json::Value`.
//!
//! Supported: objects with `properties` (members not in `required` become
//! `Option`), `string`, `integer`, `number`, `boolean`, `array` with `items`,
//! nested objects (their own structs), at the top an object or a list of
//! objects. Anything else is `serde_json::Value`. GrowthBook's simple
//! schemas arrive here as the JSON Schemas they stand for
//! (`growthbook_export`).

use crate::naming::snake_case_ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// Generated struct definitions and the type to use for the feature.
pub(crate) struct SchemaType {
    pub(crate) definitions: Vec<TokenStream>,
    pub(crate) ty: syn::Type,
}

/// The struct for a feature's schema, when the schema describes an object
/// or a list of objects.
pub(crate) fn struct_for(schema: &Value, name: &str, vis: &syn::Visibility) -> Option<SchemaType> {
    // An object, or a list of objects (a `Vec` of the struct).
    let items = match schema.get("type").and_then(Value::as_str) {
        Some("array") => schema.get("items"),
        _ => Some(schema),
    };
    if !items.is_some_and(is_object_with_properties) {
        return None;
    }
    let mut definitions = Vec::new();
    let ty = type_for(schema, name, vis, &mut definitions);
    Some(SchemaType { definitions, ty })
}

fn is_object_with_properties(schema: &Value) -> bool {
    schema.get("properties").is_some_and(Value::is_object)
        && schema.get("type").is_none_or(|t| t == "object")
}

fn type_for(
    schema: &Value,
    name: &str,
    vis: &syn::Visibility,
    definitions: &mut Vec<TokenStream>,
) -> syn::Type {
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => syn::parse_quote!(::std::string::String),
        Some("integer") => syn::parse_quote!(i64),
        Some("number") => syn::parse_quote!(f64),
        Some("boolean") => syn::parse_quote!(bool),
        Some("array") => match schema.get("items") {
            Some(items) => {
                let item = type_for(items, &format!("{name}Item"), vis, definitions);
                syn::parse_quote!(::std::vec::Vec<#item>)
            }
            None => syn::parse_quote!(::std::vec::Vec<::growthbook::serde_json::Value>),
        },
        _ if is_object_with_properties(schema) => {
            let ident = format_ident!("{name}");
            // Nested structs are defined first, as the members are read.
            let members = struct_members(schema, name, vis, definitions);
            definitions.push(struct_definition(&ident, vis, &members));
            syn::parse_quote!(#ident)
        }
        _ => syn::parse_quote!(::growthbook::serde_json::Value),
    }
}

fn struct_members(
    schema: &Value,
    name: &str,
    vis: &syn::Visibility,
    definitions: &mut Vec<TokenStream>,
) -> Vec<TokenStream> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = schema.get("properties").and_then(Value::as_object);
    let mut taken: Vec<String> = Vec::new();
    properties
        .into_iter()
        .flatten()
        .map(|(property, member_schema)| {
            // Two properties can make one name (`a-b`, `a_b`): the second is
            // `a_b_2`.
            let base = snake_case_ident(property);
            let unique = (1..)
                .map(|n| match n {
                    1 => base.clone(),
                    n => format!("{base}_{n}"),
                })
                .find(|candidate| !taken.contains(candidate))
                .unwrap_or(base);
            taken.push(unique.clone());
            let ident = format_ident!("{unique}");
            let nested_name = format!("{name}{}", pascal_case(property));
            let ty = type_for(member_schema, &nested_name, vis, definitions);
            let ty = if required.contains(&property.as_str()) {
                quote!(#ty)
            } else {
                quote!(::core::option::Option<#ty>)
            };
            // Every member is documented, for crates that deny
            // `missing_docs`.
            let doc = match member_schema.get("description").and_then(Value::as_str) {
                Some(description) => format!(" {description}"),
                None => format!(" Member `{property}` of the value."),
            };
            let doc = quote!(#[doc = #doc]);
            quote! {
                #doc
                #[serde(rename = #property)]
                #vis #ident: #ty
            }
        })
        .collect()
}

fn struct_definition(
    ident: &syn::Ident,
    vis: &syn::Visibility,
    members: &[TokenStream],
) -> TokenStream {
    quote! {
        #[doc = " A JSON feature's value, typed from its JSON Schema in the export."]
        #[allow(clippy::derive_partial_eq_without_eq)]
        #[derive(Debug, Clone, PartialEq, Default, ::growthbook::__private::serde::Deserialize, ::growthbook::__private::serde::Serialize)]
        #[serde(crate = "::growthbook::__private::serde")]
        #vis struct #ident {
            #(#members,)*
        }
    }
}

/// `pricing-config` -> `PricingConfig`.
pub(crate) fn pascal_case(key: &str) -> String {
    snake_case_ident(key)
        .split('_')
        .map(crate::naming::capitalize)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The generated code of `schema`'s struct, as one string.
    fn code(schema: Value) -> String {
        let schema_type = struct_for(&schema, "Config", &syn::parse_quote!(pub)).expect("a struct");
        let definitions = schema_type.definitions;
        quote!(#(#definitions)*).to_string()
    }

    #[test]
    fn every_member_is_documented_and_named_once() {
        let code = code(json!({"type": "object", "properties": {
            "max-items": {"type": "integer", "description": "At most this many."},
            "max_items": {"type": "integer"},
            "type": {"type": "string"}
        }}));
        assert!(
            code.contains(
                r#"# [doc = " At most this many."] # [serde (rename = "max-items")] pub max_items"#
            ),
            "{code}"
        );
        assert!(code.contains(r#"# [doc = " Member `max_items` of the value."] # [serde (rename = "max_items")] pub max_items_2"#), "{code}");
        assert!(
            code.contains(r#"# [serde (rename = "type")] pub type_"#),
            "{code}"
        );
    }

    #[test]
    fn a_list_of_objects_is_a_vec_of_its_struct() {
        let schema = json!({"type": "array", "items": {"type": "object", "properties": {"a": {"type": "number"}}}});
        let schema_type = struct_for(&schema, "Rows", &syn::parse_quote!(pub)).expect("a struct");
        let ty = &schema_type.ty;
        assert_eq!(quote!(#ty).to_string(), ":: std :: vec :: Vec < RowsItem >");
        let scalar = json!({"type": "array", "items": {"type": "number"}});
        assert!(struct_for(&scalar, "Rows", &syn::parse_quote!(pub)).is_none());
    }
}
