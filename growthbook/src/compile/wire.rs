//! Typed reads of JSON fields that never panic.
//!
//! Payloads come from outside, so every field is read with its type checked:
//! `null` and missing both mean "absent", and a value of the wrong type is an
//! error naming the field, which the caller turns into a skipped rule and a
//! warning.

use serde_json::{Map, Value};
use std::borrow::Cow;

/// A field that is present but holds the wrong JSON type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError(pub(crate) String);

pub(crate) type FieldResult<T> = Result<Option<T>, FieldError>;

/// The fields of one JSON object.
#[derive(Clone, Copy)]
pub(crate) struct Fields<'a>(Object<'a>);

#[derive(Clone, Copy)]
enum Object<'a> {
    Map(&'a Map<String, Value>),
    Members(&'a [(Cow<'static, str>, Value)]),
}

impl<'a> Fields<'a> {
    /// The fields of a JSON object value.
    pub(crate) fn of(map: &'a Map<String, Value>) -> Fields<'a> {
        Fields(Object::Map(map))
    }

    pub(crate) fn get(self, key: &str) -> Option<&'a Value> {
        match self.0 {
            Object::Map(map) => crate::js::member(map, key),
            Object::Members(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        }
        .filter(|v| !v.is_null())
    }

    fn typed<T>(
        self,
        key: &str,
        expected: &str,
        f: impl FnOnce(&'a Value) -> Option<T>,
    ) -> FieldResult<T> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => f(v).map(Some).ok_or_else(|| {
                FieldError(format!("`{key}` should be {expected}, found {}", kind(v)))
            }),
        }
    }

    pub(crate) fn str(self, key: &str) -> FieldResult<&'a str> {
        self.typed(key, "a string", Value::as_str)
    }

    pub(crate) fn f64(self, key: &str) -> FieldResult<f64> {
        self.typed(key, "a number", Value::as_f64)
    }

    /// An integer; a float with no fraction (`2.0`) is accepted.
    pub(crate) fn i64(self, key: &str) -> FieldResult<i64> {
        self.typed(key, "an integer", as_integer)
    }

    pub(crate) fn bool(self, key: &str) -> FieldResult<bool> {
        self.typed(key, "a boolean", Value::as_bool)
    }

    pub(crate) fn array(self, key: &str) -> FieldResult<&'a Vec<Value>> {
        self.typed(key, "an array", Value::as_array)
    }

    pub(crate) fn f64_list(self, key: &str) -> FieldResult<Vec<f64>> {
        self.typed(key, "an array of numbers", |v| {
            v.as_array()?.iter().map(Value::as_f64).collect()
        })
    }

    pub(crate) fn range(self, key: &str) -> FieldResult<(f64, f64)> {
        self.typed(key, "a [start, end] pair", as_range)
    }

    pub(crate) fn range_list(self, key: &str) -> FieldResult<Vec<(f64, f64)>> {
        self.typed(key, "an array of [start, end] pairs", |v| {
            v.as_array()?.iter().map(as_range).collect()
        })
    }
}

/// An object's members in their order, for the objects a payload has
/// thousands of (feature definitions, rules) when read straight from JSON
/// text: a handful of members each, so a list searched by name is cheaper to
/// build than a map, and the names the payload format defines are not
/// allocated ([`member_name`]).
#[derive(Debug, Default)]
pub(crate) struct Members(Vec<(Cow<'static, str>, Value)>);

impl Members {
    /// Adds a member; a repeated name replaces the earlier value, as in a
    /// JSON map.
    pub(crate) fn insert(&mut self, name: Cow<'static, str>, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((name, value)),
        }
    }

    /// Moves a member's value out, leaving `null`: `Some` even for an
    /// explicit `null` (whose presence can matter, as for `force`).
    pub(crate) fn take(&mut self, name: &str) -> Option<Value> {
        self.0
            .iter_mut()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.take())
    }

    pub(crate) fn fields(&self) -> Fields<'_> {
        Fields(Object::Members(&self.0))
    }
}

impl From<Map<String, Value>> for Members {
    fn from(map: Map<String, Value>) -> Members {
        Members(map.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect())
    }
}

/// A member name as kept in [`Members`]: the names of the payload format
/// (rules, experiments, feature definitions) borrowed from a static list,
/// any other name owned.
pub(crate) fn member_name(name: &str) -> Cow<'static, str> {
    const KNOWN: &[&str] = &[
        "id",
        "condition",
        "force",
        "coverage",
        "range",
        "seed",
        "hashVersion",
        "hashAttribute",
        "fallbackAttribute",
        "disableStickyBucketing",
        "tracks",
        "variations",
        "weights",
        "key",
        "meta",
        "filters",
        "namespace",
        "name",
        "phase",
        "parentConditions",
        "contextualVariations",
        "contextualBanditRef",
        "bucketVersion",
        "minBucketVersion",
        "defaultValue",
        "rules",
    ];
    match KNOWN.iter().find(|known| **known == name) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(name.to_owned()),
    }
}

pub(crate) fn as_integer(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    })
}

pub(crate) fn as_range(v: &Value) -> Option<(f64, f64)> {
    match v.as_array()?.as_slice() {
        [a, b] => Some((a.as_f64()?, b.as_f64()?)),
        _ => None,
    }
}

/// The JSON type of a value, for error messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
