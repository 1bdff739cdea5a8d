//! Compile-time checks of a feature's JSON values against a Rust type.
//!
//! `#[derive(FeatureValue)]` describes what JSON a type deserializes from (a
//! [`Shape`]: the members a struct requires, the strings an enum accepts);
//! `#[derive(Features)]` with a `schema` writes each value of the export as a
//! constant [`Json`] tree and asks [`assert_fits`] in a `const` item, so a
//! value that would not deserialize is a compile error naming the member.
//! Everything here is `const fn`: it runs inside the compiler.

use crate::const_str;

/// What JSON a type deserializes from, as far as the check goes.
#[derive(Debug)]
pub enum Shape {
    /// Not checked.
    Any,
    /// `true` or `false`.
    Bool,
    /// A string.
    String,
    /// A number without a fractional part.
    Integer,
    /// Any number.
    Number,
    /// `null` or the inner shape.
    Option(&'static Shape),
    /// An array of the inner shape.
    Array(&'static Shape),
    /// An object whose values have the inner shape.
    Map(&'static Shape),
    /// A struct with named members.
    Struct {
        /// The type's name, for messages.
        name: &'static str,
        /// Its members, as serde names them.
        members: &'static [Member],
        /// `#[serde(deny_unknown_fields)]`: other members are an error.
        deny_unknown: bool,
    },
    /// An enum of unit variants: one of these strings.
    Enum {
        /// The type's name, for messages.
        name: &'static str,
        /// Accepted strings (renamed variants and aliases).
        variants: &'static [&'static str],
    },
}

/// One member of a [`Shape::Struct`].
#[derive(Debug)]
pub struct Member {
    /// The JSON name.
    pub name: &'static str,
    /// Other accepted names (`#[serde(alias)]`).
    pub aliases: &'static [&'static str],
    /// Whether deserialization fails without it.
    pub required: bool,
    /// Its shape.
    pub shape: &'static Shape,
}

/// A JSON value written as a constant.
#[derive(Debug)]
pub enum Json {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (only whether it is integral matters here).
    Number {
        /// Whether it has no fractional part.
        integral: bool,
    },
    /// A string.
    String(&'static str),
    /// An array.
    Array(&'static [Json]),
    /// An object.
    Object(&'static [(&'static str, Json)]),
}

/// A type whose JSON [`Shape`] is known at compile time: derive it with
/// `#[derive(growthbook::FeatureValue)]` next to `serde::Deserialize`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not describe its JSON shape, so the features export cannot be checked against it",
    label = "`{Self}` has no `#[derive(growthbook::FeatureValue)]`",
    note = "add `#[derive(growthbook::FeatureValue)]` to `{Self}`, or drop `schema = ...` to skip compile-time checks"
)]
pub trait FeatureValue {
    /// What JSON the type deserializes from.
    const SHAPE: &'static Shape;
}

const CAPACITY: usize = 512;

/// A message built at compile time (const code cannot format strings).
#[derive(Clone, Copy)]
pub struct Message {
    bytes: [u8; CAPACITY],
    len: usize,
}

impl Message {
    const fn new() -> Message {
        Message {
            bytes: [0; CAPACITY],
            len: 0,
        }
    }

    const fn push(mut self, text: &str) -> Message {
        let text = text.as_bytes();
        let mut i = 0;
        while i < text.len() && self.len < CAPACITY {
            self.bytes[self.len] = text[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The text (cut at a character boundary if it overflowed).
    pub const fn as_str(&self) -> &str {
        let mut len = self.len;
        loop {
            match core::str::from_utf8(self.bytes.split_at(len).0) {
                Ok(text) => return text,
                Err(_) => len -= 1,
            }
        }
    }
}

/// Why `json` does not deserialize into `shape` (an empty message when it
/// does).
pub const fn mismatch(shape: &Shape, json: &Json) -> Message {
    let none = Message::new();
    match (shape, json) {
        (Shape::Any, _) | (Shape::Option(_), Json::Null) => none,
        (Shape::Option(inner), _) => mismatch(inner, json),
        (Shape::Bool, Json::Bool(_))
        | (Shape::String, Json::String(_))
        | (Shape::Number, Json::Number { .. }) => none,
        (Shape::Integer, Json::Number { integral: true }) => none,
        (Shape::Integer, Json::Number { integral: false }) => none.push("is not a whole number"),
        (Shape::Bool, _) => none.push("is not a boolean"),
        (Shape::String, _) => none.push("is not a string"),
        (Shape::Integer | Shape::Number, _) => none.push("is not a number"),
        (Shape::Array(inner), Json::Array(items)) => {
            let mut i = 0;
            while i < items.len() {
                let m = mismatch(inner, &items[i]);
                if !m.is_empty() {
                    return none.push("has an item that ").push(m.as_str());
                }
                i += 1;
            }
            none
        }
        (Shape::Array(_), _) => none.push("is not an array"),
        (Shape::Map(inner), Json::Object(entries)) => {
            let mut i = 0;
            while i < entries.len() {
                let m = mismatch(inner, &entries[i].1);
                if !m.is_empty() {
                    return none
                        .push("has the member `")
                        .push(entries[i].0)
                        .push("`, which ")
                        .push(m.as_str());
                }
                i += 1;
            }
            none
        }
        (Shape::Map(_), _) => none.push("is not an object"),
        (
            Shape::Struct {
                name,
                members,
                deny_unknown,
            },
            Json::Object(entries),
        ) => struct_mismatch(name, members, *deny_unknown, entries),
        (Shape::Struct { name, .. }, _) => none
            .push("is not an object, but `")
            .push(name)
            .push("` is a struct"),
        (Shape::Enum { name, variants }, Json::String(value)) => {
            let mut i = 0;
            while i < variants.len() {
                if const_str::equal(variants[i], value) {
                    return none;
                }
                i += 1;
            }
            none.push("is \"")
                .push(value)
                .push("\", which is not a variant of `")
                .push(name)
                .push("`")
        }
        (Shape::Enum { name, .. }, _) => none
            .push("is not a string, but `")
            .push(name)
            .push("` is an enum"),
    }
}

/// Whether `key` is the member's name or one of its aliases.
const fn names(member: &Member, key: &str) -> bool {
    if const_str::equal(member.name, key) {
        return true;
    }
    let mut a = 0;
    while a < member.aliases.len() {
        if const_str::equal(member.aliases[a], key) {
            return true;
        }
        a += 1;
    }
    false
}

const fn find<'a>(entries: &'a [(&'static str, Json)], member: &Member) -> Option<&'a Json> {
    let mut i = 0;
    while i < entries.len() {
        if names(member, entries[i].0) {
            return Some(&entries[i].1);
        }
        i += 1;
    }
    None
}

const fn struct_mismatch(
    name: &str,
    members: &[Member],
    deny_unknown: bool,
    entries: &'static [(&'static str, Json)],
) -> Message {
    let none = Message::new();
    let mut i = 0;
    while i < members.len() {
        let member = &members[i];
        match find(entries, member) {
            None if member.required => {
                return none
                    .push("has no member `")
                    .push(member.name)
                    .push("`, which `")
                    .push(name)
                    .push("` requires")
            }
            None => {}
            Some(value) => {
                // A present member is checked even when optional, but a
                // `null` only for non-`Option` members.
                let m = match (member.shape, value) {
                    (_, Json::Null) if !member.required => Message::new(),
                    _ => mismatch(member.shape, value),
                };
                if !m.is_empty() {
                    return none
                        .push("has the member `")
                        .push(member.name)
                        .push("`, which ")
                        .push(m.as_str());
                }
            }
        }
        i += 1;
    }
    if deny_unknown {
        let mut e = 0;
        while e < entries.len() {
            let mut known = false;
            let mut m = 0;
            while m < members.len() {
                known = known || names(&members[m], entries[e].0);
                m += 1;
            }
            if !known {
                return none
                    .push("has the member `")
                    .push(entries[e].0)
                    .push("`, which `")
                    .push(name)
                    .push("` does not accept (deny_unknown_fields)");
            }
            e += 1;
        }
    }
    none
}

/// Fails compilation when a value of the export does not fit `shape`.
/// `feature` names the feature and file; each value has its location.
/// (`null` values are left out by the caller: the accessor returns the
/// declared default for them.)
pub const fn assert_fits(shape: &Shape, values: &[(&str, Json)], feature: &str) {
    let mut i = 0;
    while i < values.len() {
        let m = mismatch(shape, &values[i].1);
        if !m.is_empty() {
            let message = Message::new()
                .push(feature)
                .push(": ")
                .push(values[i].0)
                .push(" ")
                .push(m.as_str());
            panic!("{}", message.as_str());
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRICING: Shape = Shape::Struct {
        name: "Pricing",
        members: &[
            Member {
                name: "currency",
                aliases: &[],
                required: true,
                shape: &Shape::String,
            },
            Member {
                name: "tiers",
                aliases: &["levels"],
                required: true,
                shape: &Shape::Array(&Shape::Integer),
            },
            Member {
                name: "note",
                aliases: &[],
                required: false,
                shape: &Shape::Option(&Shape::String),
            },
        ],
        deny_unknown: true,
    };

    fn check(json: &Json) -> String {
        mismatch(&PRICING, json).as_str().to_owned()
    }

    #[test]
    fn struct_members() {
        assert_eq!(
            check(&Json::Object(&[
                ("currency", Json::String("USD")),
                ("tiers", Json::Array(&[]))
            ])),
            ""
        );
        assert_eq!(
            check(&Json::Object(&[
                ("currency", Json::String("USD")),
                ("levels", Json::Array(&[]))
            ])),
            ""
        );
        assert_eq!(
            check(&Json::Object(&[("currency", Json::String("USD"))])),
            "has no member `tiers`, which `Pricing` requires"
        );
        assert_eq!(
            check(&Json::Object(&[
                ("currency", Json::String("USD")),
                ("tiers", Json::Array(&[Json::Number { integral: false }]))
            ])),
            "has the member `tiers`, which has an item that is not a whole number"
        );
        assert_eq!(
            check(&Json::Object(&[
                ("currency", Json::String("USD")),
                ("tiers", Json::Array(&[])),
                ("x", Json::Null)
            ])),
            "has the member `x`, which `Pricing` does not accept (deny_unknown_fields)"
        );
        assert_eq!(
            check(&Json::Bool(true)),
            "is not an object, but `Pricing` is a struct"
        );
    }

    #[test]
    fn enums_and_messages() {
        let color = Shape::Enum {
            name: "Color",
            variants: &["blue", "green"],
        };
        assert!(mismatch(&color, &Json::String("green")).is_empty());
        assert_eq!(
            mismatch(&color, &Json::String("red")).as_str(),
            "is \"red\", which is not a variant of `Color`"
        );
        let long = Message::new().push(&"é".repeat(400));
        assert!(long.as_str().len() <= CAPACITY && long.as_str().chars().all(|c| c == 'é'));
    }
}
