//! Attributes, the other half of every evaluation: what conditions test,
//! what experiments hash.
//!
//! Conditions read attributes through one abstraction, [`Attributes`], with
//! two implementations:
//!
//! - `serde_json::Value` (an object): what [`GrowthBook::with_attributes`]
//!   takes, and what the spec corpus runs through;
//! - structs that `#[derive(Attributes)]` (with the `macros` feature): typed,
//!   checked against an export's targeting at compile time when given a
//!   `schema`, and usually borrowing from the request, so that building one
//!   allocates nothing. A compiled condition's attribute is resolved to a
//!   field once per struct type, so reading it is a field access.
//!
//! Both give the same answers: a derived struct evaluates exactly as its
//! [`Attributes::to_json`] (and as `serde_json::to_value` of it, when serde's
//! derive uses the same names and skips `None`s) would.
//!
//! [`GrowthBook::with_attributes`]: crate::GrowthBook::with_attributes

mod check;
mod collections;
mod field_cache;
mod field_table;
mod impls;
mod json;

pub use self::check::{check_fields, AttributeProblem};
pub use self::field_cache::FieldCache;
pub use self::field_table::{
    concat, concat_len, equals_any, kinds_at, lacks, likely_nested_typo, unreachable_at, values_at,
    FieldKinds, NestedTypo, LIST_ITEMS,
};
pub use self::impls::ToAttribute;
pub use growthbook_export::AttributeKinds;

use serde_json::Value;
use std::fmt;

/// One attribute value as conditions see it, borrowed from the attributes:
/// the JSON types, with numbers as JS sees them (doubles).
#[derive(Clone, Copy)]
pub enum AttributeValue<'a> {
    /// `null` (a present attribute without value).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (every number is a double in the GrowthBook spec, as in JS).
    Number(f64),
    /// A string.
    String(&'a str),
    /// A list (`$elemMatch`, `$all`, `$size`, `$in` on lists, `tags.length`).
    List(&'a dyn AttributeList),
    /// A nested object (dotted paths: `company.plan`).
    Object(&'a dyn Attributes),
}

impl<'a> AttributeValue<'a> {
    /// The value of a JSON value, borrowed.
    #[inline(always)]
    pub fn json(value: &'a Value) -> AttributeValue<'a> {
        match value {
            Value::Null => AttributeValue::Null,
            Value::Bool(b) => AttributeValue::Bool(*b),
            Value::Number(n) => AttributeValue::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => AttributeValue::String(s),
            Value::Array(_) => AttributeValue::List(value),
            Value::Object(_) => AttributeValue::Object(value),
        }
    }

    /// The value as JSON (allocates for strings, lists and objects).
    pub fn to_json(self) -> Value {
        match self {
            AttributeValue::Null => Value::Null,
            AttributeValue::Bool(b) => Value::Bool(b),
            AttributeValue::Number(f) => number_to_json(f),
            AttributeValue::String(s) => Value::String(s.to_owned()),
            AttributeValue::List(items) => match items.as_json() {
                Some(json) => json.clone(),
                None => Value::Array((0..items.len()).map(|i| items.item(i).to_json()).collect()),
            },
            AttributeValue::Object(object) => object.to_json(),
        }
    }

    /// JS `===` with a JSON value: primitives by value, lists and objects
    /// never (they would be distinct references).
    #[inline]
    pub(crate) fn strict_equals(self, expected: &Value) -> bool {
        match (self, expected) {
            (AttributeValue::Null, Value::Null) => true,
            (AttributeValue::Bool(a), Value::Bool(b)) => a == *b,
            (AttributeValue::Number(a), Value::Number(b)) => b.as_f64() == Some(a),
            (AttributeValue::String(a), Value::String(b)) => {
                crate::js::same_bytes(a.as_bytes(), b.as_bytes())
            }
            _ => false,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(self) -> bool {
        matches!(self, AttributeValue::Null)
    }
}

/// A number as JSON: integers stay integers (as `serde_json` writes them),
/// and non-finite numbers, which JSON cannot hold, become `null`.
fn number_to_json(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        // Exact: the magnitude is below 2^53.
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

impl fmt::Debug for AttributeValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

/// A list attribute: items read by position.
pub trait AttributeList {
    /// How many items the list has.
    fn len(&self) -> usize;

    /// Whether the list is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item at `index` (`Null` when out of range, or for a `None` item).
    fn item(&self, index: usize) -> AttributeValue<'_>;

    /// The list as a JSON value, when it is one (equality tests compare it
    /// without a copy).
    #[doc(hidden)]
    fn as_json(&self) -> Option<&Value> {
        None
    }

    /// The items as a slice of strings, when they are one (`Vec<String>`,
    /// `&[&str]`...): the evaluator then reads them without a dynamic call
    /// per item.
    #[doc(hidden)]
    fn strings(&self) -> Option<StringItems<'_>> {
        None
    }
}

/// A list attribute's items as a slice of strings (see
/// [`AttributeList::strings`]).
///
/// Not a public API: the standard list types give it.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub enum StringItems<'a> {
    /// `[String]`.
    Owned(&'a [String]),
    /// `[&str]`.
    Borrowed(&'a [&'a str]),
}

/// A set of attributes: a user's (the top level) or a nested object's.
///
/// Implemented by `serde_json::Value` (an object; any other JSON value has
/// no attributes), by `HashMap` and `BTreeMap` from names to attribute
/// values, and by `#[derive(Attributes)]`. Implement it by hand only for a
/// representation none of these covers; the derive also implements the
/// hidden methods that make lookups field accesses.
pub trait Attributes {
    /// The attribute named `name`, or `None` when it is not set.
    fn attribute(&self, name: &str) -> Option<AttributeValue<'_>>;

    /// The attributes as a JSON object, as tracking callbacks and
    /// [`GrowthBook::attributes_json`](crate::GrowthBook::attributes_json)
    /// show them (attributes that are not set are left out).
    fn to_json(&self) -> Value;

    /// The attributes as a JSON value, when they are one.
    #[doc(hidden)]
    fn as_json(&self) -> Option<&Value> {
        None
    }

    /// The attribute named `name`, whose process-wide id (see
    /// [`FieldCache`]) is `id`: the derive answers through a per-type cache
    /// of field positions, so that no name is compared after the first
    /// lookup.
    #[doc(hidden)]
    fn attribute_by_id(&self, name: &str, id: u32) -> Option<AttributeValue<'_>> {
        let _ = id;
        self.attribute(name)
    }

    /// How many attributes [`Self::member`] lists, when it lists them (the
    /// derive does): an object literal in a condition is then compared
    /// with them one by one rather than with [`Self::to_json`].
    #[doc(hidden)]
    fn member_count(&self) -> Option<usize> {
        None
    }

    /// The attribute at `index` in the order [`Self::to_json`] writes
    /// them: its name, and its value (`None` when it is not set).
    #[doc(hidden)]
    fn member(&self, index: usize) -> Option<(&str, Option<AttributeValue<'_>>)> {
        let _ = index;
        None
    }
}

/// Attributes by reference: `template.with_typed_attributes(&user)` keeps
/// `user` where it is.
impl<T: Attributes + ?Sized> Attributes for &T {
    #[inline]
    fn attribute(&self, name: &str) -> Option<AttributeValue<'_>> {
        (**self).attribute(name)
    }

    fn to_json(&self) -> Value {
        (**self).to_json()
    }

    #[inline]
    fn as_json(&self) -> Option<&Value> {
        (**self).as_json()
    }

    #[inline]
    fn attribute_by_id(&self, name: &str, id: u32) -> Option<AttributeValue<'_>> {
        (**self).attribute_by_id(name, id)
    }

    fn member_count(&self) -> Option<usize> {
        (**self).member_count()
    }

    fn member(&self, index: usize) -> Option<(&str, Option<AttributeValue<'_>>)> {
        (**self).member(index)
    }
}
