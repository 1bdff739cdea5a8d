//! Typed reads of JSON fields that never panic.
//!
//! Payloads come from outside, so every field is read with its type checked:
//! `null` and missing both mean "absent", and a value of the wrong type is an
//! error naming the field, which the caller turns into a skipped rule and a
//! warning.

use crate::compile::json_tree::JsonTree;
use crate::js::same_bytes;
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
            Object::Members(members) => members
                .iter()
                .find(|(k, _)| same_bytes(k.as_bytes(), key.as_bytes()))
                .map(|(_, v)| v),
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
pub(crate) struct Members<'a> {
    members: Vec<(Cow<'static, str>, Value)>,
    /// `condition`, kept apart: read from text as a [`JsonTree`] (it is
    /// compiled, never kept as JSON).
    condition: Option<JsonTree<'a>>,
}

impl<'a> Members<'a> {
    /// Adds a member; a repeated name replaces the earlier value, as in a
    /// JSON map.
    pub(crate) fn insert(&mut self, name: Cow<'static, str>, value: Value) {
        match self.value_mut(&name) {
            Some(slot) => *slot = value,
            None => self.members.push((name, value)),
        }
    }

    /// The value of the member `name`, in place.
    fn value_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.members
            .iter_mut()
            .find(|(k, _)| same_bytes(k.as_bytes(), name.as_bytes()))
            .map(|(_, v)| v)
    }

    /// An empty list with room for `capacity` members.
    pub(crate) fn with_capacity(capacity: usize) -> Members<'a> {
        Members {
            members: Vec::with_capacity(capacity),
            condition: None,
        }
    }

    /// Sets `condition` (a repeated one replaces the earlier one).
    pub(crate) fn set_condition(&mut self, condition: JsonTree<'a>) {
        self.condition = Some(condition);
    }

    /// Moves `condition` out; `None` when absent or `null`.
    pub(crate) fn take_condition(&mut self) -> Option<JsonTree<'a>> {
        self.condition.take().filter(|c| !c.is_null())
    }

    /// Moves a string member out (`None` when absent, `null` or not a
    /// string, which [`Fields::str`] reports).
    pub(crate) fn take_string(&mut self, name: &str) -> Option<String> {
        match self.value_mut(name)? {
            Value::String(s) => Some(std::mem::take(s)),
            _ => None,
        }
    }

    /// Moves a member's value out, leaving `null`: `Some` even for an
    /// explicit `null` (whose presence can matter, as for `force`).
    pub(crate) fn take(&mut self, name: &str) -> Option<Value> {
        self.value_mut(name).map(Value::take)
    }

    pub(crate) fn fields(&self) -> Fields<'_> {
        Fields(Object::Members(&self.members))
    }
}

impl From<Map<String, Value>> for Members<'static> {
    fn from(map: Map<String, Value>) -> Members<'static> {
        let mut members = Members::with_capacity(map.len());
        for (k, v) in map {
            if k == "condition" {
                members.set_condition(JsonTree::from(v));
            } else {
                members.insert(Cow::Owned(k), v);
            }
        }
        members
    }
}

/// A member name as kept in [`Members`]: the names of the payload format
/// (rules, experiments, feature definitions) borrowed from a static list,
/// any other name owned.
pub(crate) fn member_name(name: &str) -> Cow<'static, str> {
    // A `match` compiles to a switch on the length, then a few compares.
    let known = match name {
        "id" => "id",
        "condition" => "condition",
        "force" => "force",
        "coverage" => "coverage",
        "range" => "range",
        "seed" => "seed",
        "hashVersion" => "hashVersion",
        "hashAttribute" => "hashAttribute",
        "fallbackAttribute" => "fallbackAttribute",
        "disableStickyBucketing" => "disableStickyBucketing",
        "tracks" => "tracks",
        "variations" => "variations",
        "weights" => "weights",
        "key" => "key",
        "meta" => "meta",
        "filters" => "filters",
        "namespace" => "namespace",
        "name" => "name",
        "phase" => "phase",
        "parentConditions" => "parentConditions",
        "contextualVariations" => "contextualVariations",
        "contextualBanditRef" => "contextualBanditRef",
        "bucketVersion" => "bucketVersion",
        "minBucketVersion" => "minBucketVersion",
        "defaultValue" => "defaultValue",
        "rules" => "rules",
        other => return Cow::Owned(other.to_owned()),
    };
    Cow::Borrowed(known)
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
