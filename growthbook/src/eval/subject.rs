//! What a condition reads: the subject it is evaluated against (an
//! instance's attributes, JSON or typed, an `$elemMatch` item, a
//! prerequisite's value) and JS `getPath` over it, with the per-feature
//! cache of repeated paths.

use crate::attributes::{AttributeValue, Attributes};
use crate::eval::attribute_memo::AttributeMemo;
use crate::js;
use crate::model::condition::{Path, PathPart};
use serde_json::Value;
use std::cell::RefCell;

/// What a condition is evaluated against: generic over the type of typed
/// attributes, so that an instance's struct is read with static calls (its
/// field lookups inlined into the evaluator), not through `dyn`.
pub(crate) enum Subject<'a, T: ?Sized + 'a = dyn Attributes + 'a> {
    /// JSON attributes: an instance's, with its memo of where paths lead,
    /// or an `$elemMatch` item's (no memo).
    Json(&'a Value, Option<&'a AttributeMemo>),
    /// An instance's attributes of any other type (a derived struct), which
    /// resolves attribute ids itself.
    Typed(&'a T),
    /// An `$elemMatch` item of typed attributes.
    Item(AttributeValue<'a>),
    /// `{"value": parent_value}`, for prerequisite conditions.
    Parent(&'a Value),
}

impl<T: ?Sized> Clone for Subject<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Subject<'_, T> {}

impl<'a> Subject<'a> {
    /// JSON attributes without a memo.
    pub(crate) fn json(json: &'a Value) -> Subject<'a> {
        Subject::Json(json, None)
    }

    /// `{"value": parent_value}`, for prerequisite conditions.
    pub(crate) fn parent(value: &'a Value) -> Subject<'a> {
        Subject::Parent(value)
    }
}

impl<'a, T: Attributes + ?Sized> Subject<'a, T> {
    /// JS `getPath`: each dotted part steps into an object's member, a list's
    /// element (canonical indices only: `0`, `12`, not `01`) or a list's
    /// `length`. Missing parts give `None` (treated as `null`).
    /// Always inlined: a typed struct's lookup is then its own
    /// `attribute_by_id`, called statically (a dynamic call, then a call
    /// through it, cost 3-4% of typed condition evaluations, and
    /// `dyn Attributes` another 2-5%).
    #[inline(always)]
    pub(crate) fn lookup(self, path: &Path) -> Option<AttributeValue<'a>> {
        match self {
            // JSON is walked as JSON: no view until the end of the path.
            Subject::Json(json, memo) => match json_lookup(json, memo, path) {
                JsonFound::Value(found) => found.map(AttributeValue::json),
                JsonFound::Length(len) => Some(AttributeValue::Number(len as f64)),
            },
            // Returned as the attributes wrote it (not unwrapped and
            // wrapped again, which copies it).
            Subject::Typed(attributes) => match path.rest() {
                [] => attributes.attribute_by_id(path.first(), path.id),
                rest => follow(attributes.attribute_by_id(path.first(), path.id)?, rest),
            },
            _ => self.lookup_other(path),
        }
    }

    #[inline(never)]
    fn lookup_other(self, path: &Path) -> Option<AttributeValue<'a>> {
        let first = match self {
            Subject::Json(..) | Subject::Typed(_) => return self.lookup(path),
            Subject::Item(v) => child(v, path.first())?,
            // `{"value": parent_value}`, without building that object.
            Subject::Parent(v) if path.first() == "value" => AttributeValue::json(v),
            Subject::Parent(_) => return None,
        };
        follow(first, path.rest())
    }
}

/// What the paths of one feature's conditions read, remembered while its
/// rules are evaluated: rules often test the same attributes one after
/// another (`country`, then `country` and `plan`...), and the attributes do
/// not change in between. A few slots, direct-mapped by the path's key,
/// holding what the attributes give: `&Value` for JSON, a view for typed
/// attributes.
pub(crate) struct PathCache<T> {
    slots: [RefCell<(u32, Option<T>)>; PATH_CACHE_SLOTS],
}

const PATH_CACHE_SLOTS: usize = 4;

impl<T: Copy> PathCache<T> {
    pub(crate) fn new() -> PathCache<T> {
        PathCache {
            slots: std::array::from_fn(|_| RefCell::new((0, None))),
        }
    }

    /// `f` of what the path with this key read, if remembered (key 0,
    /// shared by paths past the interner's capacity, never is), read where
    /// it is kept (a typed view copied out would cost more than reading it
    /// again).
    #[inline]
    pub(crate) fn with<R>(&self, key: u32, f: impl FnOnce(Option<&T>) -> R) -> Option<R> {
        let slot = self.slots[key as usize % PATH_CACHE_SLOTS]
            .try_borrow()
            .ok()?;
        (slot.0 == key && key != 0).then(|| f(slot.1.as_ref()))
    }

    /// Remembers what the path with this key read (unless its slot is being
    /// read: a nested evaluation of the same path).
    #[inline]
    pub(crate) fn put(&self, key: u32, found: Option<T>) {
        if let Ok(mut slot) = self.slots[key as usize % PATH_CACHE_SLOTS].try_borrow_mut() {
            *slot = (key, found);
        }
    }
}

/// The cache of one feature's evaluation, of the kind its attributes need.
#[derive(Clone, Copy)]
pub(crate) enum Paths<'a> {
    None,
    Json(&'a PathCache<&'a Value>),
    Typed(&'a PathCache<AttributeValue<'a>>),
}

/// The rest of a path from a view, stepping as [`child`] does.
fn follow<'a>(first: AttributeValue<'a>, parts: &[PathPart]) -> Option<AttributeValue<'a>> {
    parts
        .iter()
        .try_fold(first, |value, part| child_by_id(value, &part.name, part.id))
}

/// What a path reads in JSON: a value of the JSON, or a list's `length`.
pub(crate) enum JsonFound<'a> {
    Value(Option<&'a Value>),
    Length(usize),
}

/// [`Subject::lookup`] in JSON attributes, stepping as [`child`] does, and
/// through the instance's memo for the first part when there is one.
#[inline(always)]
pub(crate) fn json_lookup<'a>(
    json: &'a Value,
    memo: Option<&AttributeMemo>,
    path: &Path,
) -> JsonFound<'a> {
    let mut found = match (json, memo) {
        (Value::Object(map), Some(memo)) => {
            JsonFound::Value(memo.member(map, path.id, path.first()))
        }
        _ => json_step(json, path.first()),
    };
    for part in path.rest() {
        found = match found {
            JsonFound::Value(Some(value)) => json_step(value, &part.name),
            // Nothing further down a missing value or a length.
            _ => return JsonFound::Value(None),
        };
    }
    found
}

/// One step of a path in JSON, as [`child`] steps.
#[inline(always)]
fn json_step<'a>(value: &'a Value, key: &str) -> JsonFound<'a> {
    match value {
        Value::Object(map) => JsonFound::Value(js::member(map, key)),
        Value::Array(items) if key == "length" => JsonFound::Length(items.len()),
        Value::Array(items) => JsonFound::Value(array_index(key).and_then(|i| items.get(i))),
        _ => JsonFound::Value(None),
    }
}

/// One step of a path: `obj[part]` as JS reads it (a list's `length` is a
/// number, with nothing further down it).
fn child<'a>(value: AttributeValue<'a>, key: &str) -> Option<AttributeValue<'a>> {
    child_by_id(value, key, 0)
}

/// [`child`] for a key whose attribute id is known (0 when it is not): a
/// nested struct resolves the id to a field once.
#[inline]
fn child_by_id<'a>(value: AttributeValue<'a>, key: &str, id: u32) -> Option<AttributeValue<'a>> {
    match value {
        AttributeValue::Object(object) => object.attribute_by_id(key, id),
        AttributeValue::List(items) if key == "length" => {
            Some(AttributeValue::Number(items.len() as f64))
        }
        AttributeValue::List(items) => array_index(key)
            .filter(|&i| i < items.len())
            .map(|i| items.item(i)),
        _ => None,
    }
}

/// A canonical array index: decimal digits without a leading zero (`"0"`
/// itself aside), as JS property keys name list elements.
fn array_index(key: &str) -> Option<usize> {
    let canonical = match key.as_bytes() {
        [] => false,
        [b'0'] => true,
        [b'0', ..] => false,
        bytes => bytes.len() <= 10 && bytes.iter().all(u8::is_ascii_digit),
    };
    if canonical {
        key.parse().ok()
    } else {
        None
    }
}
