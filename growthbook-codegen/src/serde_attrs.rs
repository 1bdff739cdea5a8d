//! Reading `#[serde(...)]` attributes the way serde does, for the derives
//! whose JSON must agree with serde's: `FeatureValue` describes the JSON a
//! type deserializes from, and `Attributes` reads a struct as the JSON
//! `serde_json::to_value` gives for it.

use crate::naming::RenameRule;
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::LitStr;

/// Which side of serde a derive agrees with: a name or a skip can differ
/// between them (`rename(serialize = "a", deserialize = "b")`,
/// `skip_serializing`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// As `Serialize` writes it (`serde_json::to_value`).
    Serialize,
    /// As `Deserialize` reads it.
    Deserialize,
}

/// The serde attributes that decide a type's JSON.
#[derive(Default)]
pub(crate) struct SerdeAttrs {
    /// `rename`, with the literal's span.
    pub(crate) rename: Option<(String, Span)>,
    /// `rename_all`, a rule serde knows.
    pub(crate) rename_all: Option<RenameRule>,
    pub(crate) aliases: Vec<String>,
    pub(crate) default: bool,
    /// `skip`, or the direction's own `skip_serializing`/`skip_deserializing`.
    pub(crate) skip: bool,
    /// `skip_serializing_if = "path"` (serializing only): the field is left
    /// out when `path(&field)` is true.
    pub(crate) skip_serializing_if: Option<syn::ExprPath>,
    /// `flatten`, with its span.
    pub(crate) flatten: Option<Span>,
    pub(crate) deny_unknown_fields: bool,
    /// `tag`, `untagged`, `content`, `transparent`, `with`, `remote`, and
    /// the direction's `serialize_with`/`into` or
    /// `deserialize_with`/`from`/`try_from`/`other`: a shape a derive does
    /// not model.
    /// The first of them, with its span.
    pub(crate) unmodelled: Option<(String, Span)>,
}

/// Reads every `#[serde(...)]` attribute in `attrs`, for `direction`.
pub(crate) fn serde_attrs(
    attrs: &[syn::Attribute],
    direction: Direction,
) -> syn::Result<SerdeAttrs> {
    let mut out = SerdeAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match name.as_str() {
                "rename" => out.rename = name_value(&meta, direction)?,
                "rename_all" => {
                    if let Some((rule, span)) = name_value(&meta, direction)? {
                        out.rename_all = Some(RenameRule::for_serde(&rule).ok_or_else(|| {
                            syn::Error::new(
                                span,
                                format!("serde does not know the rename_all rule {rule:?}"),
                            )
                        })?);
                    }
                }
                "alias" => out.aliases.push(meta.value()?.parse::<LitStr>()?.value()),
                "default" => {
                    out.default = true;
                    skip_value(&meta)?;
                }
                "skip" => out.skip = true,
                "skip_serializing" => out.skip |= direction == Direction::Serialize,
                "skip_deserializing" => out.skip |= direction == Direction::Deserialize,
                "skip_serializing_if" if direction == Direction::Serialize => {
                    let path = meta.value()?.parse::<LitStr>()?;
                    out.skip_serializing_if = Some(path.parse()?);
                }
                "flatten" => out.flatten = Some(meta.path.span()),
                "deny_unknown_fields" => out.deny_unknown_fields = true,
                "tag" | "untagged" | "content" | "transparent" | "with" | "remote" => {
                    out.unmodelled.get_or_insert((name, meta.path.span()));
                    skip_value(&meta)?;
                }
                "serialize_with" | "into" if direction == Direction::Serialize => {
                    out.unmodelled.get_or_insert((name, meta.path.span()));
                    skip_value(&meta)?;
                }
                "deserialize_with" | "from" | "try_from" | "other"
                    if direction == Direction::Deserialize =>
                {
                    out.unmodelled.get_or_insert((name, meta.path.span()));
                    skip_value(&meta)?;
                }
                _ => skip_value(&meta)?,
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// `rename = "x"`, or `rename(serialize = "x", deserialize = "y")` for
/// `direction`; likewise `rename_all`.
fn name_value(
    meta: &ParseNestedMeta<'_>,
    direction: Direction,
) -> syn::Result<Option<(String, Span)>> {
    if meta.input.peek(syn::Token![=]) {
        let literal = meta.value()?.parse::<LitStr>()?;
        return Ok(Some((literal.value(), literal.span())));
    }
    let wanted = match direction {
        Direction::Serialize => "serialize",
        Direction::Deserialize => "deserialize",
    };
    let mut name = None;
    meta.parse_nested_meta(|inner| {
        let literal = inner.value()?.parse::<LitStr>()?;
        if inner.path.is_ident(wanted) {
            name = Some((literal.value(), literal.span()));
        }
        Ok(())
    })?;
    Ok(name)
}

/// Consumes the value of an attribute no derive here needs.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(attribute: syn::Attribute, direction: Direction) -> SerdeAttrs {
        serde_attrs(&[attribute], direction).expect("parses")
    }

    #[test]
    fn each_direction_reads_its_own_name_and_skip() {
        let rename: syn::Attribute =
            syn::parse_quote!(#[serde(rename(serialize = "out", deserialize = "in"))]);
        assert_eq!(
            read(rename.clone(), Direction::Serialize).rename.unwrap().0,
            "out"
        );
        assert_eq!(read(rename, Direction::Deserialize).rename.unwrap().0, "in");
        let all: syn::Attribute = syn::parse_quote!(#[serde(rename_all(serialize = "camelCase"))]);
        assert_eq!(
            read(all.clone(), Direction::Serialize).rename_all,
            Some(RenameRule::Camel)
        );
        assert!(read(all, Direction::Deserialize).rename_all.is_none());
        let skip: syn::Attribute = syn::parse_quote!(#[serde(skip_serializing)]);
        assert!(read(skip.clone(), Direction::Serialize).skip);
        assert!(!read(skip, Direction::Deserialize).skip);
    }

    #[test]
    fn reads_past_attributes_it_does_not_need() {
        let attribute: syn::Attribute = syn::parse_quote!(
            #[serde(default = "x::y", skip_serializing_if = "Option::is_none", bound(serialize = "T: Serialize"), flatten, with = "m")]
        );
        let attrs = read(attribute.clone(), Direction::Serialize);
        assert!(attrs.default && attrs.flatten.is_some());
        assert_eq!(attrs.unmodelled.unwrap().0, "with");
        let skip_if = attrs.skip_serializing_if.expect("a path");
        assert_eq!(quote::quote!(#skip_if).to_string(), "Option :: is_none");
        assert!(read(attribute, Direction::Deserialize)
            .skip_serializing_if
            .is_none());
    }
}
