//! What kinds of attribute value a field type reads as, when its syntax
//! says so (`&str`, `u32`, `Vec<String>`, `Option<bool>`...). Other types
//! (nested structs, enums) answer through `ToAttribute::KINDS` instead.

use growthbook_export::AttributeKinds;
use syn::{GenericArgument, PathArguments, Type};

/// The kinds of `ty`, or `None` when only its `ToAttribute` impl knows.
pub(crate) fn syntactic_kinds(ty: &Type) -> Option<AttributeKinds> {
    match ty {
        Type::Reference(reference) => syntactic_kinds(&reference.elem),
        Type::Slice(_) | Type::Array(_) => Some(AttributeKinds::LIST),
        Type::Paren(inner) => syntactic_kinds(&inner.elem),
        Type::Group(inner) => syntactic_kinds(&inner.elem),
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            let name = last.ident.to_string();
            match name.as_str() {
                "str" | "String" => Some(AttributeKinds::STRING),
                "Cow" => first_type_argument(&last.arguments).and_then(syntactic_kinds),
                "bool" => Some(AttributeKinds::BOOL),
                "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64"
                | "u128" | "usize" | "f32" | "f64" => Some(AttributeKinds::NUMBER),
                "Vec" => Some(AttributeKinds::LIST),
                "Option" | "Box" => first_type_argument(&last.arguments).and_then(syntactic_kinds),
                "Value" => Some(AttributeKinds::ANY),
                _ => None,
            }
        }
        _ => None,
    }
}

fn first_type_argument(arguments: &PathArguments) -> Option<&Type> {
    let PathArguments::AngleBracketed(arguments) = arguments else {
        return None;
    };
    arguments.args.iter().find_map(|argument| match argument {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(ty: &str) -> Option<AttributeKinds> {
        syntactic_kinds(&syn::parse_str(ty).unwrap())
    }

    #[test]
    fn field_types_read_as_their_kinds() {
        assert_eq!(kinds("&'a str"), Some(AttributeKinds::STRING));
        assert_eq!(kinds("Option<Cow<'a, str>>"), Some(AttributeKinds::STRING));
        assert_eq!(kinds("Option<u32>"), Some(AttributeKinds::NUMBER));
        assert_eq!(kinds("&'a [&'a str]"), Some(AttributeKinds::LIST));
        assert_eq!(kinds("Vec<String>"), Some(AttributeKinds::LIST));
        assert_eq!(kinds("serde_json::Value"), Some(AttributeKinds::ANY));
        assert_eq!(kinds("bool"), Some(AttributeKinds::BOOL));
        assert_eq!(kinds("Company<'a>"), None);
        assert_eq!(kinds("Option<Plan>"), None);
    }
}
