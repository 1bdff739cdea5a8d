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

use crate::naming::{numbered, snake_case_ident};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::HashSet;

/// Generated struct definitions and the type to use for the feature.
pub(crate) struct SchemaType {
    pub(crate) definitions: Vec<TokenStream>,
    pub(crate) ty: syn::Type,
}

/// The struct for a feature's schema, when the schema describes an object
/// or a list of objects. Its structs are named from `name` (`Config`,
/// `ConfigStepsItem`), each one not in `taken` yet (`Config2` otherwise),
/// and added to it.
pub(crate) fn struct_for(
    schema: &Value,
    name: &str,
    vis: &syn::Visibility,
    taken: &mut HashSet<String>,
) -> Option<SchemaType> {
    // An object, or a list of objects (a `Vec` of the struct).
    let items = match schema.get("type").and_then(Value::as_str) {
        Some("array") => schema.get("items"),
        _ => Some(schema),
    };
    if !items.is_some_and(is_object_with_properties) {
        return None;
    }
    let mut definitions = Vec::new();
    let ty = type_for(schema, name, vis, &mut definitions, taken);
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
    taken: &mut HashSet<String>,
) -> syn::Type {
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => syn::parse_quote!(::std::string::String),
        Some("integer") => syn::parse_quote!(i64),
        Some("number") => syn::parse_quote!(f64),
        Some("boolean") => syn::parse_quote!(bool),
        Some("array") => match schema.get("items") {
            Some(items) => {
                let item = type_for(items, &format!("{name}Item"), vis, definitions, taken);
                syn::parse_quote!(::std::vec::Vec<#item>)
            }
            None => syn::parse_quote!(::std::vec::Vec<::growthbook::serde_json::Value>),
        },
        _ if is_object_with_properties(schema) => {
            let name = numbered(name, "", |candidate| taken.contains(candidate));
            taken.insert(name.clone());
            let ident = format_ident!("{name}");
            // Nested structs are defined first, as the members are read.
            let members = struct_members(schema, &name, vis, definitions, taken);
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
    taken: &mut HashSet<String>,
) -> Vec<TokenStream> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = schema.get("properties").and_then(Value::as_object);
    let mut field_names: Vec<String> = Vec::new();
    properties
        .into_iter()
        .flatten()
        .map(|(property, member_schema)| {
            // Two properties can make one name (`a-b`, `a_b`): the second is
            // `a_b_2`.
            let unique = numbered(&snake_case_ident(property), "_", |candidate| {
                field_names.iter().any(|name| name == candidate)
            });
            field_names.push(unique.clone());
            let ident = format_ident!("{unique}");
            let nested_name = format!("{name}{}", pascal_case(&unique));
            let ty = type_for(member_schema, &nested_name, vis, definitions, taken);
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

    /// What `struct_for` makes of `schema`, named `name`.
    fn generated(schema: &Value, name: &str) -> Option<SchemaType> {
        struct_for(schema, name, &syn::parse_quote!(pub), &mut HashSet::new())
    }

    /// The generated code of `schema`'s struct, as one string.
    fn code(schema: Value) -> String {
        let definitions = generated(&schema, "Config").expect("a struct").definitions;
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
        let schema_type = generated(&schema, "Rows").expect("a struct");
        let ty = &schema_type.ty;
        assert_eq!(quote!(#ty).to_string(), ":: std :: vec :: Vec < RowsItem >");
        let scalar = json!({"type": "array", "items": {"type": "number"}});
        assert!(generated(&scalar, "Rows").is_none());
        // A name taken by another struct (here `{"a": {"b": ...}}` against
        // `a_b`) is numbered.
        let code = code(json!({"type": "object", "properties": {
            "a": {"type": "object", "properties": {"b": {"type": "object", "properties": {"x": {"type": "number"}}}}},
            "a_b": {"type": "object", "properties": {"y": {"type": "number"}}}
        }}));
        assert!(code.contains("pub struct ConfigAB {"), "{code}");
        assert!(code.contains("pub struct ConfigAB2 {"), "{code}");
    }
}
