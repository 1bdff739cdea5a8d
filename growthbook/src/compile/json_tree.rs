//! JSON read for compiling only. A condition is compiled once and dropped,
//! so reading it as a `serde_json::Value` paid for what compiling never
//! uses: a hash map per object (hashing every key, two allocations) and a
//! copy of every string. Here objects are member lists in their order and
//! strings are borrowed from the payload's text where they have no escapes.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// A JSON value, as read for compiling (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JsonTree<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<JsonTree<'a>>),
    /// Members in order; a repeated name keeps its first place and its last
    /// value, as in a JSON object read by `serde_json`.
    Object(Vec<(Cow<'a, str>, JsonTree<'a>)>),
}

impl<'a> JsonTree<'a> {
    /// A tree over a JSON value, borrowing its strings.
    pub(crate) fn borrowed(value: &'a Value) -> JsonTree<'a> {
        match value {
            Value::Null => JsonTree::Null,
            Value::Bool(b) => JsonTree::Bool(*b),
            Value::Number(n) => JsonTree::Number(n.clone()),
            Value::String(s) => JsonTree::String(Cow::Borrowed(s)),
            Value::Array(items) => JsonTree::Array(items.iter().map(JsonTree::borrowed).collect()),
            Value::Object(map) => JsonTree::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), JsonTree::borrowed(v)))
                    .collect(),
            ),
        }
    }

    /// The JSON value (strings moved where owned), without spare capacity.
    pub(crate) fn into_value(self) -> Value {
        match self {
            JsonTree::Null => Value::Null,
            JsonTree::Bool(b) => Value::Bool(b),
            JsonTree::Number(n) => Value::Number(n),
            JsonTree::String(s) => Value::String(s.into_owned()),
            JsonTree::Array(items) => {
                Value::Array(items.into_iter().map(JsonTree::into_value).collect())
            }
            JsonTree::Object(members) => {
                let mut map = serde_json::Map::with_capacity(members.len());
                for (k, v) in members {
                    map.insert(k.into_owned(), v.into_value());
                }
                Value::Object(map)
            }
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            JsonTree::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, JsonTree::Null)
    }

    /// An object's member.
    pub(crate) fn get(&self, name: &str) -> Option<&JsonTree<'a>> {
        match self {
            JsonTree::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl From<Value> for JsonTree<'static> {
    /// A tree owning what the value held (strings moved, not copied).
    fn from(value: Value) -> JsonTree<'static> {
        match value {
            Value::Null => JsonTree::Null,
            Value::Bool(b) => JsonTree::Bool(b),
            Value::Number(n) => JsonTree::Number(n),
            Value::String(s) => JsonTree::String(Cow::Owned(s)),
            Value::Array(items) => JsonTree::Array(items.into_iter().map(JsonTree::from).collect()),
            Value::Object(map) => JsonTree::Object(
                map.into_iter()
                    .map(|(k, v)| (Cow::Owned(k), JsonTree::from(v)))
                    .collect(),
            ),
        }
    }
}

/// Serializes as the JSON it was read from (a condition keeps that text).
impl Serialize for JsonTree<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            JsonTree::Null => s.serialize_unit(),
            JsonTree::Bool(b) => s.serialize_bool(*b),
            JsonTree::Number(n) => n.serialize(s),
            JsonTree::String(text) => s.serialize_str(text),
            JsonTree::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            JsonTree::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> de::Deserialize<'de> for JsonTree<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = JsonTree<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(JsonTree::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(JsonTree::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(JsonTree::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(JsonTree::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(JsonTree::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        // JSON text never holds a non-finite number.
        Ok(Number::from_f64(n).map_or(JsonTree::Null, JsonTree::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(JsonTree::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(JsonTree::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(JsonTree::String(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(JsonTree::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        /// Past this many members, repeated names are found through a map
        /// (a scan per member would be quadratic in a hostile payload).
        const SCANNED: usize = 16;
        let mut members: Vec<(Cow<'de, str>, JsonTree<'de>)> = Vec::new();
        let mut positions: HashMap<String, usize> = HashMap::new();
        while let Some(name) = map.next_key_seed(Name)? {
            let value = map.next_value()?;
            let seen = if members.len() <= SCANNED {
                members.iter().position(|(k, _)| *k == name)
            } else {
                if positions.is_empty() {
                    for (i, (k, _)) in members.iter().enumerate() {
                        positions.insert(k.to_string(), i);
                    }
                }
                positions.get(&*name).copied()
            };
            match seen {
                Some(i) => members[i].1 = value,
                None => {
                    if !positions.is_empty() {
                        positions.insert(name.to_string(), members.len());
                    }
                    members.push((name, value));
                }
            }
        }
        Ok(JsonTree::Object(members))
    }
}

/// A member name, borrowed where it has no escapes.
struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Read from text, a tree is the same JSON as a `Value` read from it:
    /// the same members in the same order (a repeated name keeps its first
    /// place and last value), numbers and strings alike.
    #[test]
    fn a_tree_reads_as_serde_json_reads() {
        let many: String = (0..40).map(|i| format!("\"k{}\": {i}, ", i % 25)).collect();
        for text in [
            r#"{"b": 1, "a": [true, null, "x\"y", 1.5, -0.0, 18446744073709551615], "b": {"c": "d"}}"#,
            r#"[{"$in": ["ES", "JP"]}, {}, []]"#,
            r#""\u00e9t\u00e9""#,
            &format!("{{{many}\"k3\": \"last\"}}"),
        ] {
            let value: Value = serde_json::from_str(text).unwrap();
            let tree: JsonTree<'_> = serde_json::from_str(text).unwrap();
            assert_eq!(
                serde_json::to_string(&tree).unwrap(),
                value.to_string(),
                "{text}"
            );
            assert_eq!(tree.clone().into_value(), value);
            assert_eq!(JsonTree::borrowed(&value), tree);
            assert_eq!(JsonTree::from(value.clone()), tree);
        }
        let tree: JsonTree<'_> = serde_json::from_str(r#"{"a": "b"}"#).unwrap();
        assert!(matches!(
            tree.get("a"),
            Some(JsonTree::String(Cow::Borrowed("b")))
        ));
        assert_eq!(JsonTree::from(json!(null)), JsonTree::Null);
    }
}
