//! A whole typed attributes struct generated from GrowthBook's attribute
//! list: what `include_attributes!`, `build.rs` ([`crate::Builder`]) and the
//! CLI produce. Every field is optional (a request sets what it knows, the
//! rest is `..Default::default()`), strings and lists borrow, enum
//! attributes get an enum type, archived ones are `#[deprecated]`. The
//! `Attributes` impls are written out, so the code needs no proc macro.

use crate::json_schema::pascal_case;
use crate::naming::{numbered, snake_case_ident};
use growthbook_export::{AttributeList, AttributeSpec, AttributeType};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::HashSet;
use syn::{Ident, Visibility};

/// The struct (and its enums) for every attribute of `list`. The same list
/// and name always give the same tokens.
///
/// Dotted properties are nested attributes, as GrowthBook's SDKs read them
/// (`company.plan` is `plan` in the object `company`): they become a nested
/// struct (`company: Option<UserCompany>`), unless a property names the
/// object itself (`company` as a string), where they stay flat fields.
pub fn generate_attributes(list: &AttributeList, vis: &Visibility, name: &Ident) -> TokenStream {
    let mut types = Types {
        names: [name.to_string()].into_iter().collect(),
        items: Vec::new(),
    };
    let entries = list
        .attributes
        .iter()
        .map(|spec| (spec, spec.property.as_str()))
        .collect();
    let doc = format!(
        " The {} attributes of a GrowthBook attribute list, typed. Set what a request knows \
         and leave the rest to `..Default::default()`; strings and lists borrow, so building \
         one allocates nothing.",
        list.attributes.len()
    );
    let structure = struct_type(vis, name, &doc, entries, &mut types);
    let items = types.items;
    quote! {
        #(#items)*

        #structure
    }
}

/// The type names taken so far, and the enums and nested structs made.
struct Types {
    names: HashSet<String>,
    items: Vec<TokenStream>,
}

/// One field of a generated struct: an attribute, or the object that holds
/// the nested attributes under one name (`company` of `company.plan`).
enum Node<'s> {
    Attribute {
        spec: &'s AttributeSpec,
        key: &'s str,
    },
    Object {
        key: &'s str,
        entries: Vec<(&'s AttributeSpec, &'s str)>,
    },
}

/// `entries` (attributes and their paths below this struct), grouped by
/// their first path step, in the order first listed.
fn nodes<'s>(entries: Vec<(&'s AttributeSpec, &'s str)>) -> Vec<Node<'s>> {
    let own: HashSet<&str> = entries
        .iter()
        .map(|(_, path)| *path)
        .filter(|path| !path.contains('.'))
        .collect();
    let mut nodes: Vec<Node<'s>> = Vec::new();
    for (spec, path) in entries {
        let nested = path
            .split_once('.')
            .filter(|(head, tail)| !own.contains(head) && tail.split('.').all(|s| !s.is_empty()))
            .filter(|(head, _)| !head.is_empty());
        let Some((head, tail)) = nested else {
            nodes.push(Node::Attribute { spec, key: path });
            continue;
        };
        let object = nodes.iter_mut().find_map(|node| match node {
            Node::Object { key, entries } if *key == head => Some(entries),
            _ => None,
        });
        match object {
            Some(entries) => entries.push((spec, tail)),
            None => nodes.push(Node::Object {
                key: head,
                entries: vec![(spec, tail)],
            }),
        }
    }
    nodes
}

/// A struct named `name` for `entries`, its nested structs and enums added
/// to `types`.
fn struct_type(
    vis: &Visibility,
    name: &Ident,
    doc: &str,
    entries: Vec<(&AttributeSpec, &str)>,
    types: &mut Types,
) -> TokenStream {
    let mut field_names = HashSet::new();
    let fields: Vec<TokenStream> = nodes(entries)
        .into_iter()
        .map(|node| match node {
            Node::Attribute { spec, key } => {
                let ident = format_ident!("{}", claim(&mut field_names, snake_case_ident(key)));
                let ty = attribute_type(vis, spec, types);
                let doc = field_doc(spec);
                let deprecated = spec.archived.then(|| {
                    let note = format!("attribute {:?} is archived in GrowthBook", spec.property);
                    quote!(#[deprecated(note = #note)])
                });
                quote! {
                    #(#[doc = #doc])*
                    #deprecated
                    #[growthbook(rename = #key)]
                    pub #ident: ::core::option::Option<#ty>
                }
            }
            Node::Object { key, entries } => {
                let ident = format_ident!("{}", claim(&mut field_names, snake_case_ident(key)));
                let nested = format_ident!(
                    "{}",
                    claim(&mut types.names, format!("{name}{}", pascal_case(key)))
                );
                let properties: Vec<String> = entries
                    .iter()
                    .map(|(spec, _)| format!("`{}`", spec.property))
                    .collect();
                let properties = properties.join(", ");
                let struct_doc =
                    format!(" The nested attributes under `{key}` of [`{name}`]: {properties}.");
                let structure = struct_type(vis, &nested, &struct_doc, entries, types);
                types.items.push(structure);
                let doc = format!(" The object `{key}`, holding the attributes {properties}.");
                quote! {
                    #[doc = #doc]
                    #[growthbook(rename = #key)]
                    pub #ident: ::core::option::Option<#nested<'a>>
                }
            }
        })
        .collect();
    expanded(quote! {
        #[doc = #doc]
        #[allow(deprecated, dead_code, clippy::derive_partial_eq_without_eq)]
        #[derive(Debug, Clone, Copy, Default, PartialEq)]
        #vis struct #name<'a> {
            #(#fields,)*
            #[doc(hidden)]
            #[growthbook(skip)]
            pub __lifetime: ::core::marker::PhantomData<&'a ()>,
        }
    })
}

/// The Rust type of one attribute's values (an enum attribute's enum is
/// added to `types`).
fn attribute_type(vis: &Visibility, spec: &AttributeSpec, types: &mut Types) -> TokenStream {
    match &spec.datatype {
        AttributeType::Boolean => quote!(bool),
        AttributeType::Number => quote!(f64),
        AttributeType::String | AttributeType::SecureString => quote!(&'a str),
        AttributeType::StringList | AttributeType::SecureStringList => {
            quote!(&'a [&'a str])
        }
        AttributeType::NumberList => quote!(&'a [f64]),
        AttributeType::Enum(values) if values.is_empty() => quote!(&'a str),
        AttributeType::Enum(values) => {
            let enum_name =
                format_ident!("{}", claim(&mut types.names, pascal_case(&spec.property)));
            types.items.push(enum_type(vis, &enum_name, spec, values));
            quote!(#enum_name)
        }
        // A datatype newer than this crate: any JSON value.
        _ => quote!(&'a ::growthbook::serde_json::Value),
    }
}

/// A struct or enum written with `#[growthbook(...)]` helpers, as the
/// `Attributes` derive would expand it: the item without the helpers, and
/// the impls. Generated code then needs no proc macro (a `build.rs` user may
/// not enable growthbook's `macros` feature).
fn expanded(item: TokenStream) -> TokenStream {
    let impls = crate::attributes::derive_attributes(item.clone());
    let Ok(mut item) = syn::parse2::<syn::DeriveInput>(item) else {
        return impls;
    };
    let is_helper = |attr: &syn::Attribute| attr.path().is_ident("growthbook");
    item.attrs.retain(|a| !is_helper(a));
    match &mut item.data {
        syn::Data::Struct(data) => data
            .fields
            .iter_mut()
            .for_each(|f| f.attrs.retain(|a| !is_helper(a))),
        syn::Data::Enum(data) => data
            .variants
            .iter_mut()
            .for_each(|v| v.attrs.retain(|a| !is_helper(a))),
        syn::Data::Union(_) => {}
    }
    quote!(#item #impls)
}

fn field_doc(spec: &AttributeSpec) -> Vec<String> {
    let mut doc = Vec::new();
    if let Some(description) = &spec.description {
        doc.extend(description.lines().map(|l| format!(" {l}")));
        doc.push(String::new());
    }
    let kind = match &spec.datatype {
        AttributeType::Boolean => "boolean".to_owned(),
        AttributeType::Number => "number".to_owned(),
        AttributeType::String => "string".to_owned(),
        AttributeType::SecureString => {
            "secureString (pass the value as GrowthBook's SDKs hash it: SHA-256, hex)".to_owned()
        }
        AttributeType::Enum(values) => format!("enum: {}", values.join(", ")),
        AttributeType::StringList => "string[]".to_owned(),
        AttributeType::NumberList => "number[]".to_owned(),
        AttributeType::SecureStringList => "secureString[] (hashed as secureString)".to_owned(),
        AttributeType::Other(datatype) => {
            format!("{datatype}, a datatype this version does not know: any JSON value")
        }
        _ => "a datatype this version does not know: any JSON value".to_owned(),
    };
    let mut line = format!(" Attribute `{}` ({kind})", spec.property);
    if let Some(format) = &spec.format {
        line.push_str(&format!(", format `{format}`"));
    }
    if spec.hash_attribute {
        line.push_str("; experiments may hash it");
    }
    line.push('.');
    doc.push(line);
    doc
}

fn enum_type(
    vis: &Visibility,
    name: &Ident,
    spec: &AttributeSpec,
    values: &[String],
) -> TokenStream {
    let mut variant_names = HashSet::new();
    let variants = values.iter().map(|value| {
        let variant = format_ident!("{}", claim(&mut variant_names, pascal_case(value)));
        let doc = format!(" `{value}`.");
        quote!(#[doc = #doc] #[growthbook(rename = #value)] #variant)
    });
    let doc = format!(" The values of attribute `{}`.", spec.property);
    expanded(quote! {
        #[doc = #doc]
        #[allow(dead_code)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #vis enum #name {
            #(#variants,)*
        }
    })
}

/// `base`, or `base2`, `base3`... whichever is not taken yet (Rust
/// identifiers: `pascal_case` and `snake_case_ident` already are).
fn claim(taken: &mut HashSet<String>, base: String) -> String {
    let base = if base.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{base}")
    } else if base == "Self" {
        "Self_".to_owned()
    } else {
        base
    };
    let name = numbered(&base, "", |candidate| taken.contains(candidate));
    taken.insert(name.clone());
    name
}

/// Expands `include_attributes!([vis] [Name,] "attributes.json")`.
pub fn include_attributes(input: TokenStream) -> TokenStream {
    let input = match syn::parse::Parser::parse2(
        |stream: syn::parse::ParseStream<'_>| {
            crate::generate::IncludeInput::parse_with(
                stream,
                "User",
                "attributes.json",
                "an attribute list",
            )
        },
        input,
    ) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let path = crate::derive::manifest_relative(&input.path.value());
    let list = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read attribute list {}: {e}", path.display()))
        .and_then(|text| {
            AttributeList::from_json_str(&text)
                .map_err(|e| format!("attribute list {} is {e}", path.display()))
        });
    match list {
        Ok(list) => {
            let tracked = crate::derive::tracked_file(&path);
            let code = generate_attributes(&list, &input.vis, &input.name);
            quote!(#tracked #code)
        }
        Err(message) => syn::Error::new(input.path.span(), message).to_compile_error(),
    }
}
