//! What kinds of JSON value an attribute can hold, as a small set: what a
//! use in the export's targeting could be satisfied by, and what a field of
//! an attributes struct reads as.

use serde_json::Value;
use std::fmt;

/// A set of JSON kinds an attribute can have (a bit set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttributeKinds(u8);

impl AttributeKinds {
    /// No kind.
    pub const NONE: AttributeKinds = AttributeKinds(0);
    /// A string.
    pub const STRING: AttributeKinds = AttributeKinds(1);
    /// A number.
    pub const NUMBER: AttributeKinds = AttributeKinds(2);
    /// `true` or `false`.
    pub const BOOL: AttributeKinds = AttributeKinds(4);
    /// A list.
    pub const LIST: AttributeKinds = AttributeKinds(8);
    /// An object (nested attributes).
    pub const OBJECT: AttributeKinds = AttributeKinds(16);
    /// Any kind (JSON values; uses any value can satisfy).
    pub const ANY: AttributeKinds = AttributeKinds(31);

    /// The bits of the set (for generated code).
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// A set from its bits (for generated code).
    pub const fn from_bits(bits: u8) -> AttributeKinds {
        AttributeKinds(bits & AttributeKinds::ANY.0)
    }

    /// Both sets.
    pub const fn union(self, other: AttributeKinds) -> AttributeKinds {
        AttributeKinds(self.0 | other.0)
    }

    /// Whether the two sets share a kind.
    pub const fn intersects(self, other: AttributeKinds) -> bool {
        self.0 & other.0 != 0
    }

    /// The kind of a JSON literal (`null` is every kind: a missing attribute
    /// matches it).
    pub fn of_literal(value: &Value) -> AttributeKinds {
        match value {
            Value::Null => AttributeKinds::ANY,
            Value::Bool(_) => AttributeKinds::BOOL,
            Value::Number(_) => AttributeKinds::NUMBER,
            Value::String(_) => AttributeKinds::STRING,
            Value::Array(_) => AttributeKinds::LIST,
            Value::Object(_) => AttributeKinds::OBJECT,
        }
    }
}

impl fmt::Display for AttributeKinds {
    /// "a string", "a string or a number", "a list"...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == AttributeKinds::ANY {
            return f.write_str("any value");
        }
        let names = [
            (AttributeKinds::STRING, "a string"),
            (AttributeKinds::NUMBER, "a number"),
            (AttributeKinds::BOOL, "a bool"),
            (AttributeKinds::LIST, "a list"),
            (AttributeKinds::OBJECT, "an object"),
        ];
        let present: Vec<&str> = names
            .iter()
            .filter(|(kind, _)| self.intersects(*kind))
            .map(|(_, name)| *name)
            .collect();
        match present.as_slice() {
            [] => f.write_str("nothing"),
            [one] => f.write_str(one),
            [first @ .., last] => write!(f, "{} or {last}", first.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_as_words() {
        assert_eq!(AttributeKinds::STRING.to_string(), "a string");
        assert_eq!(
            AttributeKinds::STRING
                .union(AttributeKinds::LIST)
                .to_string(),
            "a string or a list"
        );
        assert_eq!(AttributeKinds::ANY.to_string(), "any value");
    }
}
