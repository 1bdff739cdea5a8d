//! Reading a `#[derive(Attributes)]` input: the attribute name of each
//! field (`rename_all`, default camelCase, and `rename`), or the string of
//! each enum variant.
//!
//! A `#[growthbook(...)]` name or skip wins; without one, the type's own
//! `#[serde(...)]` naming (`rename_all`, `rename`, `skip`,
//! `skip_serializing`, their `serialize = "..."` forms) decides, as it does
//! for `serde_json::to_value`: a struct that already serializes to the
//! attributes JSON reads the same once it derives `Attributes` too.

use crate::derive::{path_text, Errors};
use crate::naming::RenameRule;
use crate::serde_attrs::{serde_attrs, Direction, SerdeAttrs};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

/// A derive input, as written.
pub(crate) struct Input<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) vis: &'a syn::Visibility,
    pub(crate) generics: &'a syn::Generics,
    pub(crate) shape: Shape<'a>,
    /// `schema = "features.json"`: the export to check the fields against.
    pub(crate) schema: Option<LitStr>,
    /// `deny_missing`: every attribute the export uses must be a field.
    pub(crate) deny_missing: bool,
}

/// What the input is.
pub(crate) enum Shape<'a> {
    /// A struct: one attribute per field.
    Struct(Vec<AttributeField<'a>>),
    /// A unit enum: a string attribute, one value per variant.
    Enum(Vec<EnumValue<'a>>),
    /// A newtype (`struct UserId(String)`): read as the value it holds, as
    /// serde writes it.
    Newtype(&'a syn::Type),
}

/// A field and the attribute it holds.
pub(crate) struct AttributeField<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) ty: &'a syn::Type,
    /// The attribute name (`loggedIn` for `logged_in`).
    pub(crate) name: String,
    /// Where the name comes from (the `rename` literal or the field name),
    /// for errors about it.
    pub(crate) name_span: proc_macro2::Span,
    /// `#[growthbook(untargeted)]`: an attribute the export does not use,
    /// whatever it looks like.
    pub(crate) untargeted: bool,
    /// The struct's type parameters the field's type names (`S` in
    /// `Option<S>`): they need a `ToAttribute` bound.
    pub(crate) type_parameters: Vec<&'a syn::Ident>,
    /// Whether the field's type names a type or const parameter of the
    /// struct (`[&str; N]`), which a constant outside it cannot check.
    pub(crate) generic: bool,
    /// `#[serde(skip_serializing_if = "path")]`: the attribute is absent
    /// when `path(&field)` is true, as it is from serde's JSON.
    pub(crate) skip_if: Option<syn::ExprPath>,
}

/// A variant and the string it stands for.
pub(crate) struct EnumValue<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) value: String,
}

const GROWTHBOOK: &str = "growthbook";
const RENAME_ALL: &str = "rename_all";
const RENAME: &str = "rename";
const SKIP: &str = "skip";
const UNTARGETED: &str = "untargeted";
const SCHEMA: &str = "schema";
const DENY_MISSING: &str = "deny_missing";

/// The container's `#[growthbook(...)]` settings.
struct ContainerAttributes {
    rename_all: RenameRule,
    schema: Option<LitStr>,
    deny_missing: bool,
}

/// Reads the input; `None` when it is neither a struct with named fields
/// nor an enum of unit variants (nothing can be generated then).
pub(crate) fn parse<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Option<Input<'a>> {
    let newtype = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => Some(&fields.unnamed[0].ty),
            _ => None,
        },
        _ => None,
    };
    let container = container_attributes(input, newtype.is_some(), errors);
    let rename_all = container.rename_all;
    let shape = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Shape::Struct(
                named
                    .named
                    .iter()
                    .filter_map(|field| attribute_field(field, rename_all, &input.generics, errors))
                    .collect(),
            ),
            Fields::Unnamed(_) if newtype.is_some() => Shape::Newtype(newtype?),
            _ => {
                errors.push(syn::Error::new(
                    input.ident.span(),
                    "#[derive(Attributes)] works on structs with named fields (one field per attribute), newtype structs (`struct UserId(String)`: read as the value they hold) and enums of unit variants",
                ));
                return None;
            }
        },
        Data::Enum(data) => {
            let mut values = Vec::new();
            for variant in &data.variants {
                if !matches!(variant.fields, Fields::Unit) {
                    errors.push(syn::Error::new(
                        variant.fields.span(),
                        "an attributes enum is a string with a closed set of values: its variants cannot hold data",
                    ));
                    // Still a value below, so that the impls cover every
                    // variant and this is the one error.
                }
                let rename = renamed(&variant.attrs, "variant", errors).or_else(|| {
                    serde_naming(&variant.attrs, errors)
                        .rename
                        .map(|(name, _)| name)
                });
                values.push(EnumValue {
                    ident: &variant.ident,
                    value: rename
                        .unwrap_or_else(|| rename_all.apply_to_variant(&variant.ident.to_string())),
                });
            }
            Shape::Enum(values)
        }
        Data::Union(_) => {
            errors.push(syn::Error::new(
                input.ident.span(),
                "#[derive(Attributes)] works on structs with named fields and on enums of unit variants, not on unions",
            ));
            return None;
        }
    };
    refuse_duplicate_names(&shape, errors);
    if container.schema.is_some() && !matches!(shape, Shape::Struct(_)) {
        errors.push(syn::Error::new(
            input.ident.span(),
            "`schema` checks a struct's attributes; put it on the struct that holds this type",
        ));
    }
    if container.deny_missing && container.schema.is_none() {
        errors.push(syn::Error::new(
            input.ident.span(),
            "`deny_missing` needs `schema = \"...\"`: the export whose attributes must all be fields",
        ));
    }
    Some(Input {
        ident: &input.ident,
        vis: &input.vis,
        generics: &input.generics,
        shape,
        schema: container.schema,
        deny_missing: container.deny_missing,
    })
}

/// One error per field (or variant) whose name an earlier one has: the
/// struct would read one field and write the other to JSON.
fn refuse_duplicate_names(shape: &Shape<'_>, errors: &mut Errors) {
    match shape {
        Shape::Struct(fields) => {
            for (i, field) in fields.iter().enumerate() {
                if let Some(first) = fields[..i].iter().find(|f| f.name == field.name) {
                    errors.push(syn::Error::new(
                        field.name_span,
                        format!(
                            "field `{}` names attribute {:?}, as field `{}` does: each attribute is one field",
                            field.ident, field.name, first.ident
                        ),
                    ));
                }
            }
        }
        Shape::Enum(values) => {
            for (i, value) in values.iter().enumerate() {
                if let Some(first) = values[..i].iter().find(|v| v.value == value.value) {
                    errors.push(syn::Error::new(
                        value.ident.span(),
                        format!(
                            "variant `{}` reads as {:?}, as variant `{}` does: each value is one variant",
                            value.ident, value.value, first.ident
                        ),
                    ));
                }
            }
        }
        Shape::Newtype(_) => {}
    }
}

/// `#[growthbook(rename_all = "...", schema = "...", deny_missing)]` on the
/// struct or enum.
fn container_attributes(
    input: &DeriveInput,
    newtype: bool,
    errors: &mut Errors,
) -> ContainerAttributes {
    let serde = serde_naming(&input.attrs, errors);
    // A newtype is written as the value it holds, transparent or not.
    let unmodelled = serde
        .unmodelled
        .as_ref()
        .filter(|(name, _)| !(newtype && name == "transparent"));
    if let Some((name, span)) = unmodelled {
        errors.push(syn::Error::new(
            *span,
            format!(
                "`#[serde({name})]` makes serde write this type as something other than what \
                 #[derive(Attributes)] reads (an object of its fields, or an enum's variant \
                 names as strings), so the two would disagree; drop it, or derive `Attributes` \
                 on a type that serializes plainly"
            ),
        ));
    }
    let mut rename_all = serde.rename_all.unwrap_or(RenameRule::Camel);
    let mut schema = None;
    let mut deny_missing = false;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident(GROWTHBOOK)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(RENAME_ALL) {
                let literal: LitStr = meta.value()?.parse()?;
                rename_all = RenameRule::for_serde(&literal.value()).ok_or_else(|| {
                    syn::Error::new(
                        literal.span(),
                        format!(
                            "unknown rename_all rule {:?}; expected one of \"camelCase\" (the default), \"snake_case\", \"PascalCase\", \"kebab-case\", \"SCREAMING_SNAKE_CASE\", \"SCREAMING-KEBAB-CASE\", \"lowercase\", \"UPPERCASE\"",
                            literal.value()
                        ),
                    )
                })?;
                Ok(())
            } else if meta.path.is_ident(SCHEMA) {
                schema = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else if meta.path.is_ident(DENY_MISSING) {
                deny_missing = true;
                Ok(())
            } else {
                Err(meta.error(format!(
                    "unknown growthbook attribute `{}`; expected `rename_all = \"...\"`, `schema = \"...\"` or `deny_missing`",
                    path_text(&meta.path)
                )))
            }
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    ContainerAttributes {
        rename_all,
        schema,
        deny_missing,
    }
}

/// A field's attribute; `None` for a `#[growthbook(skip)]` field.
fn attribute_field<'a>(
    field: &'a syn::Field,
    rename_all: RenameRule,
    generics: &'a syn::Generics,
    errors: &mut Errors,
) -> Option<AttributeField<'a>> {
    let ident = field.ident.as_ref()?;
    let mut rename = None;
    let mut skip = false;
    let mut untargeted = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident(GROWTHBOOK)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(RENAME) {
                rename = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident(SKIP) {
                skip = true;
            } else if meta.path.is_ident(UNTARGETED) {
                untargeted = true;
            } else {
                return Err(meta.error(format!(
                    "unknown growthbook field attribute `{}`; expected `rename = \"...\"`, `skip` or `untargeted`",
                    path_text(&meta.path)
                )));
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    if skip {
        return None;
    }
    let serde = serde_naming(&field.attrs, errors);
    if serde.skip && rename.is_none() {
        return None;
    }
    if let Some((name, span)) = serde.unmodelled {
        errors.push(syn::Error::new(
            span,
            format!(
                "`#[serde({name})]` writes this field as something #[derive(Attributes)] cannot \
                 see, so the two would disagree: hold the attribute in the type it is written \
                 as, or mark the field `#[growthbook(skip)]`"
            ),
        ));
        return None;
    }
    if let Some(span) = serde.flatten {
        errors.push(syn::Error::new(
            span,
            "#[derive(Attributes)] cannot read a flattened field: make it a nested struct (attributes `field.member`), list its members here, or mark it `#[growthbook(skip)]`",
        ));
        return None;
    }
    let bare = ident.to_string();
    let bare = bare.trim_start_matches("r#");
    let type_parameters = type_parameters_in(&field.ty, generics);
    let (name, name_span) = match (rename, serde.rename) {
        (Some(rename), _) => (rename.value(), rename.span()),
        (None, Some(serde_rename)) => serde_rename,
        (None, None) => (rename_all.apply_to_field(bare), ident.span()),
    };
    Some(AttributeField {
        ident,
        ty: &field.ty,
        name_span,
        name,
        untargeted,
        generic: !type_parameters.is_empty() || names_const_parameters(&field.ty, generics),
        type_parameters,
        skip_if: serde.skip_serializing_if,
    })
}

/// The type parameters of `generics` that `ty` names (`T` in `Vec<T>`,
/// `&'a T` or `T::Item`).
pub(super) fn type_parameters_in<'g>(
    ty: &syn::Type,
    generics: &'g syn::Generics,
) -> Vec<&'g syn::Ident> {
    parameters_in(ty, generics.type_params().map(|p| &p.ident).collect())
}

/// Whether `ty` names a const parameter of `generics` (`N` in `[T; N]`).
fn names_const_parameters(ty: &syn::Type, generics: &syn::Generics) -> bool {
    !parameters_in(ty, generics.const_params().map(|p| &p.ident).collect()).is_empty()
}

/// Which of `parameters` `ty` names, as a type or as a value (an array's
/// length).
fn parameters_in<'g>(ty: &syn::Type, parameters: Vec<&'g syn::Ident>) -> Vec<&'g syn::Ident> {
    struct Finder<'g> {
        parameters: Vec<&'g syn::Ident>,
        found: Vec<&'g syn::Ident>,
    }
    impl Finder<'_> {
        fn path(&mut self, qself: Option<&syn::QSelf>, path: &syn::Path) {
            let Some(first) = path.segments.first().filter(|_| qself.is_none()) else {
                return;
            };
            for parameter in &self.parameters {
                if first.ident == **parameter && !self.found.contains(parameter) {
                    self.found.push(parameter);
                }
            }
        }
    }
    impl syn::visit_mut::VisitMut for Finder<'_> {
        fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
            self.path(path.qself.as_ref(), &path.path);
            syn::visit_mut::visit_type_path_mut(self, path);
        }
        fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
            self.path(path.qself.as_ref(), &path.path);
            syn::visit_mut::visit_expr_path_mut(self, path);
        }
    }
    let mut finder = Finder {
        parameters,
        found: Vec::new(),
    };
    syn::visit_mut::VisitMut::visit_type_mut(&mut finder, &mut ty.clone());
    finder.found
}

/// `#[growthbook(rename = "...")]` on an enum variant.
fn renamed(attrs: &[syn::Attribute], what: &str, errors: &mut Errors) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident(GROWTHBOOK)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(RENAME) {
                rename = Some(meta.value()?.parse::<LitStr>()?.value());
                Ok(())
            } else {
                Err(meta.error(format!(
                    "unknown growthbook {what} attribute `{}`; expected `rename = \"...\"`",
                    path_text(&meta.path)
                )))
            }
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    rename
}

/// The `#[serde(...)]` naming in `attrs`, as `Serialize` writes it.
fn serde_naming(attrs: &[syn::Attribute], errors: &mut Errors) -> SerdeAttrs {
    serde_attrs(attrs, Direction::Serialize).unwrap_or_else(|e| {
        errors.push(e);
        SerdeAttrs::default()
    })
}
