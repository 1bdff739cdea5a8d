//! The standard collections beyond slices:
//!
//! - maps (`HashMap`, `BTreeMap` from names to attribute values) are sets
//!   of attributes, for attributes known only at run time (an
//!   organization's custom attributes): a field (a nested object,
//!   `custom.tier`) or a user's whole set;
//! - sets (`HashSet`, `BTreeSet`) are lists, in their iteration order (as
//!   serde writes them): roles, permissions, tags.

use super::impls::list_items;
use super::{AttributeKinds, AttributeList, AttributeValue, Attributes, FieldKinds, ToAttribute};
use serde_json::{Map, Value};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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

/// The item at `index` of a set, in its iteration order (`Null` when out of
/// range). A set has no index, so this walks to it: the evaluator's list
/// scans are quadratic in a set's length (fine for roles and tags; hold a
/// long list in a `Vec` or a slice).
fn nth_item<'a, T: ToAttribute + 'a>(
    mut items: impl Iterator<Item = &'a T>,
    index: usize,
) -> AttributeValue<'a> {
    items
        .nth(index)
        .and_then(ToAttribute::to_attribute)
        .unwrap_or(AttributeValue::Null)
}

impl<T: ToAttribute, S: BuildHasher> AttributeList for HashSet<T, S> {
    fn len(&self) -> usize {
        HashSet::len(self)
    }

    fn item(&self, index: usize) -> AttributeValue<'_> {
        nth_item(self.iter(), index)
    }
}

impl<T: ToAttribute, S: BuildHasher> ToAttribute for HashSet<T, S> {
    const KINDS: AttributeKinds = AttributeKinds::LIST;
    const FIELDS: Option<&'static [FieldKinds]> = list_items::<T>();

    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        Some(AttributeValue::List(self))
    }
}

impl<T: ToAttribute> AttributeList for BTreeSet<T> {
    fn len(&self) -> usize {
        BTreeSet::len(self)
    }

    fn item(&self, index: usize) -> AttributeValue<'_> {
        nth_item(self.iter(), index)
    }
}

impl<T: ToAttribute> ToAttribute for BTreeSet<T> {
    const KINDS: AttributeKinds = AttributeKinds::LIST;
    const FIELDS: Option<&'static [FieldKinds]> = list_items::<T>();

    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        Some(AttributeValue::List(self))
    }
}
