//! `#[growthbook(schema = "...")]` on an attributes struct: the fields
//! checked against how the export's targeting uses each attribute.
//!
//! - a field whose name the export never uses but which is close to one it
//!   does: "did you mean";
//! - a field whose type can never satisfy a use (a string compared with
//!   `$gt: 18`): an error on the field's type, naming the feature, the rule
//!   and the operator. Types the syntax does not reveal (nested structs,
//!   enums) are checked by a generated constant, through their
//!   `ToAttribute::KINDS`;
//! - a nested struct (whose fields only a generated constant can see) is
//!   checked against the dotted paths the export uses: the kinds and enum
//!   values of the fields they lead to, "did you mean" for a field close to
//!   a path the struct lacks;
//! - with `deny_missing`, every attribute the export uses must be a field
//!   (and every dotted path a nested field).

use super::kinds::syntactic_kinds;
use super::parse::{AttributeField, Input, Shape};
use crate::derive::{load_export, manifest_relative, tracked_file, Errors};
use growthbook_export::{
    display_path, edit_distance, places, typo_limit, AttributeKinds, AttributeUse, Export,
    LIST_ITEMS,
};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

/// Checks the input against its schema, if it has one. Returns what the
/// expansion must carry: the tracked export file and constant checks.
pub(crate) fn validate(input: &Input<'_>, errors: &mut Errors) -> TokenStream {
    let (Some(schema), Shape::Struct(fields)) = (&input.schema, &input.shape) else {
        return TokenStream::new();
    };
    let path = manifest_relative(&schema.value());
    let export = match load_export(&path, schema) {
        Ok(export) => export,
        Err(e) => {
            errors.push(e);
            return TokenStream::new();
        }
    };
    let mut checks = vec![tracked_file(&path)];
    let file = schema.value();
    for field in fields {
        checks.extend(check_field(
            field,
            &export,
            &file,
            input.deny_missing,
            errors,
        ));
    }
    if input.deny_missing {
        for attribute in export.attributes() {
            if fields.iter().any(|f| f.name == attribute) {
                continue;
            }
            let used_by = places(uses_of(&export, attribute));
            errors.push(syn::Error::new(
                input.ident.span(),
                format!(
                    "attribute {attribute:?} is used by {} in {file}, but `{}` has no field for it (`deny_missing`)",
                    summary(&used_by),
                    input.ident
                ),
            ));
        }
    }
    quote!(#(#checks)*)
}

fn uses_of<'e>(export: &'e Export, attribute: &'e str) -> impl Iterator<Item = &'e AttributeUse> {
    export
        .attribute_uses
        .iter()
        .filter(move |u| u.attribute == attribute)
}

/// "feature "a" rule 1", or "feature "a" rule 1 and 3 more places".
fn summary(locations: &[&str]) -> String {
    match locations {
        [] => "nothing".to_owned(),
        [one] => (*one).to_owned(),
        [first, rest @ ..] => format!(
            "{first} and {} more place{}",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

/// The errors about one field, and the constant checks of a type the syntax
/// does not reveal.
fn check_field(
    field: &AttributeField<'_>,
    export: &Export,
    file: &str,
    deny_missing: bool,
    errors: &mut Errors,
) -> Option<TokenStream> {
    let uses: Vec<&AttributeUse> = uses_of(export, &field.name).collect();
    if uses.is_empty() {
        if let Some(suggestion) =
            likely_typo(&field.name, export.attributes()).filter(|_| !field.untargeted)
        {
            errors.push(syn::Error::new(
                field.name_span,
                format!(
                    "attribute {:?} is not used by the targeting in {file}; did you mean {suggestion:?}? \
                     (if it is another attribute, mark the field `#[growthbook(untargeted)]`)",
                    field.name
                ),
            ));
        }
        return None;
    }
    match syntactic_kinds(field.ty) {
        Some(kinds) => {
            let unsatisfiable: Vec<&&AttributeUse> = uses
                .iter()
                .filter(|u| !u.tests_items() && !u.kinds.intersects(kinds))
                .collect();
            if let Some(first) = unsatisfiable.first() {
                errors.push(syn::Error::new_spanned(
                    field.ty,
                    mismatch_message(field, kinds, first, unsatisfiable.len() - 1),
                ));
                return None;
            }
            // Dotted paths (a list's items under `$elemMatch`) still need
            // the type's field table.
            uses.iter()
                .any(|u| u.path != u.attribute)
                .then(|| constant_checks(field, &uses, file, deny_missing, false))
        }
        None => Some(constant_checks(field, &uses, file, deny_missing, true)),
    }
}

/// The attribute `name` was most likely meant to be: the same but for
/// case, or one edit away (two for names longer than 8), so that a
/// different attribute that merely looks alike (`counts`, `country`) is not
/// taken for a typo.
fn likely_typo<'e>(name: &str, used: Vec<&'e str>) -> Option<&'e str> {
    let lower = name.to_lowercase();
    if let Some(same) = used.iter().find(|u| u.to_lowercase() == lower) {
        return Some(same);
    }
    let limit = typo_limit(name.len());
    used.into_iter()
        .map(|u| (edit_distance(&u.to_lowercase(), &lower), u))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, u)| u)
}

fn mismatch_message(
    field: &AttributeField<'_>,
    kinds: AttributeKinds,
    usage: &AttributeUse,
    more: usize,
) -> String {
    let more = match more {
        0 => String::new(),
        1 => " (and 1 more use)".to_owned(),
        n => format!(" (and {n} more uses)"),
    };
    format!(
        "field `{}` is {kinds}, but {} tests attribute {:?} with `{}`, which only {} can satisfy{more}",
        field.ident,
        usage.location,
        display_path(&usage.path),
        usage.usage,
        usage.kinds
    )
}

/// The most string literals one use may compare an attribute with for the
/// build to check an enum against them.
const MAX_CHECKED_LITERALS: usize = 64;

/// One constant per distinct requirement, failing the build (on the
/// field's type) when the type's `ToAttribute::KINDS` cannot satisfy it
/// (unless the syntax already told: `top_level` false), or
/// when a dotted path (`company.plan`) leads to a nested field whose kinds
/// (or enum values) cannot (`ToAttribute::FIELDS`), or to a nested field
/// the struct lacks (see [`nested_field_checks`]).
fn constant_checks(
    field: &AttributeField<'_>,
    uses: &[&AttributeUse],
    file: &str,
    deny_missing: bool,
    top_level: bool,
) -> TokenStream {
    // A type with lifetimes is checked as its `'static` form (a constant
    // cannot name the struct's lifetimes); generic types are left to run
    // time (`check`).
    if field.generic {
        return TokenStream::new();
    }
    let mut ty = field.ty.clone();
    StaticLifetimes.visit_type_mut(&mut ty);
    let mut seen: Vec<(&str, AttributeKinds)> = Vec::new();
    let mut seen_equals: Vec<(&str, &str)> = Vec::new();
    let mut seen_paths: Vec<&str> = Vec::new();
    let mut checks = Vec::new();
    for usage in uses {
        if top_level && !seen.contains(&("", usage.kinds)) {
            seen.push(("", usage.kinds));
            let message = format!(
                "field `{}` cannot hold {}: {} tests attribute {:?} with `{}`",
                field.ident,
                usage.kinds,
                usage.location,
                display_path(&usage.path),
                usage.usage
            );
            let bits = usage.kinds.bits();
            checks.push(quote_spanned! {field.ty.span()=>
                const _: () = {
                    if !<#ty as ::growthbook::attributes::ToAttribute>::KINDS
                        .intersects(::growthbook::attributes::AttributeKinds::from_bits(#bits))
                    {
                        ::core::panic!("{}", #message);
                    }
                };
            });
        }
        let rest: Vec<&str> = usage.path.split('.').skip(1).collect();
        // Equality with strings (`== "pro"`, `$in`): an enum must have one
        // of them among its values (a nested enum too). Long lists
        // (saved-group sized) are left to run time rather than written into
        // the build.
        if (top_level || !rest.is_empty())
            && !usage.equals.is_empty()
            && usage.equals.len() <= MAX_CHECKED_LITERALS
            && !seen_equals.contains(&(usage.path.as_str(), usage.usage.as_str()))
        {
            seen_equals.push((usage.path.as_str(), usage.usage.as_str()));
            let message = format!(
                "field `{}` has {}none of the values that {} compares attribute {:?} with (`{}`): \
                 add the missing variant, or fix its rename",
                field.ident,
                if rest.is_empty() {
                    String::new()
                } else {
                    format!("{} with ", nested_part(&rest))
                },
                usage.location,
                display_path(&usage.path),
                usage.usage
            );
            let equals = &usage.equals;
            let values = if rest.is_empty() {
                quote!(<#ty as ::growthbook::attributes::ToAttribute>::VALUES)
            } else {
                quote!(::growthbook::attributes::values_at(
                    <#ty as ::growthbook::attributes::ToAttribute>::FIELDS,
                    &[#(#rest),*],
                ))
            };
            checks.push(quote_spanned! {field.ty.span()=>
                const _: () = {
                    if !::growthbook::attributes::equals_any(#values, &[#(#equals),*]) {
                        ::core::panic!("{}", #message);
                    }
                };
            });
        }
        // A dotted path into a nested struct: the field it leads to, when
        // the struct has it; one it lacks is a "did you mean" when a field
        // is close to it, and otherwise for `check` (or `deny_missing`).
        if !rest.is_empty() && !seen_paths.contains(&usage.path.as_str()) {
            seen_paths.push(usage.path.as_str());
            checks.push(nested_field_checks(
                field,
                &ty,
                usage,
                uses,
                file,
                deny_missing,
            ));
        }
        if rest.is_empty() || seen.contains(&(usage.path.as_str(), usage.path_kinds)) {
            continue;
        }
        seen.push((usage.path.as_str(), usage.path_kinds));
        checks.push(unreachable_path_check(field, &ty, usage, &rest));
        let message = format!(
            "field `{}` has {} of a type that cannot hold {}: {} tests attribute {:?} with `{}`",
            field.ident,
            nested_part(&rest),
            usage.path_kinds,
            usage.location,
            display_path(&usage.path),
            usage.usage
        );
        let bits = usage.path_kinds.bits();
        checks.push(quote_spanned! {field.ty.span()=>
            const _: () = {
                if let ::core::option::Option::Some(kinds) = ::growthbook::attributes::kinds_at(
                    <#ty as ::growthbook::attributes::ToAttribute>::FIELDS,
                    &[#(#rest),*],
                ) {
                    if !kinds.intersects(::growthbook::attributes::AttributeKinds::from_bits(#bits)) {
                        ::core::panic!("{}", #message);
                    }
                }
            };
        });
    }
    quote!(#(#checks)*)
}

/// A dotted path that reads into a string, number or bool (items that are
/// strings, tested for a `sku` by `$elemMatch`) finds nothing there, as
/// JS's `getPath` reads: only uses a missing value can satisfy (any value's,
/// such as `$eq: null`) pass it, so any other use fails the build.
fn unreachable_path_check(
    field: &AttributeField<'_>,
    ty: &syn::Type,
    usage: &AttributeUse,
    rest: &[&str],
) -> TokenStream {
    if usage.path_kinds == AttributeKinds::ANY {
        return TokenStream::new();
    }
    let message = format!(
        "field `{}` has no {}: a string, number or bool on the way has no fields, \
         but {} tests attribute {:?} with `{}`, which only {} can satisfy \
         (make it a struct deriving `Attributes`, or fix the path in the export)",
        field.ident,
        nested_part(rest),
        usage.location,
        display_path(&usage.path),
        usage.usage,
        usage.path_kinds
    );
    quote_spanned! {field.ty.span()=>
        const _: () = {
            if ::growthbook::attributes::unreachable_at(
                <#ty as ::growthbook::attributes::ToAttribute>::FIELDS,
                &[#(#rest),*],
            ) {
                ::core::panic!("{}", #message);
            }
        };
    }
}

/// The checks of a dotted path (`account.plan`, one of `uses`) against the
/// nested struct of `field` (of type `ty`, lifetimes made `'static`): a
/// field of that struct the export never uses but which is close to the
/// missing one is a "did you mean", as at the top level; with
/// `deny_missing`, a missing one is an error.
fn nested_field_checks(
    field: &AttributeField<'_>,
    ty: &syn::Type,
    usage: &AttributeUse,
    uses: &[&AttributeUse],
    file: &str,
    deny_missing: bool,
) -> TokenStream {
    let rest: Vec<&str> = usage.path.split('.').skip(1).collect();
    // The names the export uses at each step under the same prefix: those
    // fields are attributes in their own right, no misspellings.
    let used: Vec<Vec<&str>> = (0..rest.len())
        .map(|step| {
            let mut names: Vec<&str> = uses
                .iter()
                .filter_map(|u| {
                    let other: Vec<&str> = u.path.split('.').skip(1).collect();
                    (other.len() > step && other[..step] == rest[..step]).then(|| other[step])
                })
                .collect();
            names.sort_unstable();
            names.dedup();
            names
        })
        .collect();
    let used_by = summary(&places(
        uses.iter().copied().filter(|u| u.path == usage.path),
    ));
    let ident = field.ident;
    let before = format!("field `{ident}` has a nested field \"");
    let middle = format!("\" that the targeting in {file} never uses; did you mean \"");
    let after = format!(
        "\"? ({used_by} uses {:?}; if it is another attribute, mark that field `#[growthbook(untargeted)]`)",
        display_path(&usage.path)
    );
    let fields = quote!(<#ty as ::growthbook::attributes::ToAttribute>::FIELDS);
    let typo = quote_spanned! {field.ty.span()=>
        const _: () = {
            const TYPO: ::core::option::Option<::growthbook::attributes::NestedTypo> =
                ::growthbook::attributes::likely_nested_typo(
                    #fields,
                    &[#(#rest),*],
                    &[#(&[#(#used),*]),*],
                );
            const PARTS: &[&str] = &match TYPO {
                ::core::option::Option::Some(typo) => [#before, typo.field, #middle, typo.wanted, #after],
                ::core::option::Option::None => [""; 5],
            };
            const LEN: usize = ::growthbook::attributes::concat_len(PARTS);
            const MESSAGE: [u8; LEN] = ::growthbook::attributes::concat::<LEN>(PARTS);
            if TYPO.is_some() {
                match ::core::str::from_utf8(&MESSAGE) {
                    ::core::result::Result::Ok(message) => ::core::panic!("{}", message),
                    ::core::result::Result::Err(_) => ::core::panic!("{}", #after),
                }
            }
        };
    };
    if !deny_missing {
        return typo;
    }
    let message = format!(
        "attribute {:?} is used by {used_by} in {file}, but field `{ident}` has no nested field for it (`deny_missing`)",
        display_path(&usage.path)
    );
    quote_spanned! {field.ty.span()=>
        #typo
        const _: () = {
            if ::growthbook::attributes::lacks(#fields, &[#(#rest),*]) {
                ::core::panic!("{}", #message);
            }
        };
    }
}

/// What a dotted path leads to inside a field, in words: "`plan`",
/// "`address.zip`", "items" (a list's), "items with `sku`".
fn nested_part(rest: &[&str]) -> String {
    match rest {
        [LIST_ITEMS] => "items".to_owned(),
        [LIST_ITEMS, inner @ ..] => format!("items with `{}`", display_path(&inner.join("."))),
        _ => format!("`{}`", display_path(&rest.join("."))),
    }
}

/// Replaces every lifetime with `'static`.
struct StaticLifetimes;

impl VisitMut for StaticLifetimes {
    fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
        *lifetime = syn::Lifetime::new("'static", lifetime.span());
    }
}
