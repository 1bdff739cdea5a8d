//! Maps as sets of attributes: `HashMap` and `BTreeMap` from names to
//! attribute values, for attributes known only at run time (an
//! organization's custom attributes), as a field (a nested object:
//! `custom.tier`) or as a user's whole set.

use super::{AttributeKinds, AttributeValue, Attributes, ToAttribute};
use serde_json::{Map, Value};
use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

/// The members of a map as a JSON object, in its iteration order (as
/// `serde_json::to_value` writes them); values that are not set are left
/// out, as a struct's are.
fn members_to_json<'a, K: Borrow<str> + 'a, V: ToAttribute + 'a>(
    members: impl Iterator<Item = (&'a K, &'a V)>,
) -> Value {
    let mut object = Map::new();
    for (name, value) in members {
        if let Some(value) = value.to_attribute() {
            object.insert(name.borrow().to_owned(), value.to_json());
        }
    }
    Value::Object(object)
}

impl<K, V, S> Attributes for HashMap<K, V, S>
where
    K: Borrow<str> + Hash + Eq,
    V: ToAttribute,
    S: BuildHasher,
{
    fn attribute(&self, name: &str) -> Option<AttributeValue<'_>> {
        self.get(name)?.to_attribute()
    }

    fn to_json(&self) -> Value {
        members_to_json(self.iter())
    }
}

impl<K, V, S> ToAttribute for HashMap<K, V, S>
where
    K: Borrow<str> + Hash + Eq,
    V: ToAttribute,
    S: BuildHasher,
{
    const KINDS: AttributeKinds = AttributeKinds::OBJECT;

    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        Some(AttributeValue::Object(self))
    }
}

impl<K: Borrow<str> + Ord, V: ToAttribute> Attributes for BTreeMap<K, V> {
    fn attribute(&self, name: &str) -> Option<AttributeValue<'_>> {
        self.get(name)?.to_attribute()
    }

    fn to_json(&self) -> Value {
        members_to_json(self.iter())
    }
}

impl<K: Borrow<str> + Ord, V: ToAttribute> ToAttribute for BTreeMap<K, V> {
    const KINDS: AttributeKinds = AttributeKinds::OBJECT;

    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        Some(AttributeValue::Object(self))
    }
}
