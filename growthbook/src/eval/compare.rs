//! JS semantics between an attribute (any [`Attributes`] representation,
//! read as [`AttributeValue`]s) and a condition's JSON literal: `JSON.stringify`
//! equality, `typeof`, `$lt`-style ordering, and the
//! string a hash attribute hashes as.
//!
//! [`Attributes`]: crate::attributes::Attributes

use crate::attributes::{AttributeList, AttributeValue, Attributes};
use crate::js;
use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;

/// `JSON.stringify(actual) === JSON.stringify(expected)` (see
/// [`js::json_equals`]): lists item by item, objects in JS property order;
/// primitives by `===`.
pub(crate) fn json_equals(actual: AttributeValue<'_>, expected: &Value) -> bool {
    match (actual, expected) {
        (AttributeValue::List(items), Value::Array(expected_items)) => match items.as_json() {
            Some(json) => js::json_equals(json, expected),
            None => list_equals(items, expected_items),
        },
        (AttributeValue::Object(object), Value::Object(members)) => match object.as_json() {
            Some(json) => js::json_equals(json, expected),
            None => members_equal(object, members)
                .unwrap_or_else(|| js::json_equals(&object.to_json(), expected)),
        },
        _ => actual.strict_equals(expected),
    }
}

/// [`json_equals`] inside a list or object, where `JSON.stringify` writes
/// a number that JSON cannot hold (`NaN`, infinities) as `null`.
fn nested_equals(actual: AttributeValue<'_>, expected: &Value) -> bool {
    match (actual, expected) {
        (AttributeValue::Number(f), Value::Null) => !f.is_finite(),
        _ => json_equals(actual, expected),
    }
}

fn list_equals(items: &dyn AttributeList, expected: &[Value]) -> bool {
    items.len() == expected.len()
        && expected
            .iter()
            .enumerate()
            .all(|(i, e)| nested_equals(items.item(i), e))
}

/// A struct's set attributes against an object literal's members, in
/// order, without building the struct's JSON; `None` (compare the JSON)
/// when the attributes do not list their members (a hand-written
/// implementation) or JS would order either side's keys otherwise
/// (array-index keys come first).
fn members_equal(
    object: &dyn Attributes,
    expected: &serde_json::Map<String, Value>,
) -> Option<bool> {
    let count = object.member_count()?;
    // Only set members are written, so only their names can reorder.
    let listed_in_order = (0..count).all(|index| {
        object
            .member(index)
            .is_some_and(|(name, value)| value.is_none() || !js::is_array_index(name))
    });
    if !listed_in_order || expected.keys().any(|key| js::is_array_index(key)) {
        return None;
    }
    let mut expected = expected.iter();
    for index in 0..count {
        let (name, value) = object.member(index)?;
        let Some(value) = value else { continue };
        match expected.next() {
            Some((key, expected)) if key == name && nested_equals(value, expected) => {}
            _ => return Some(false),
        }
    }
    Some(expected.next().is_none())
}

/// JS `typeof`, as the `$type` operator names types (`null` and `array`
/// apart); `undefined` when the attribute is missing.
pub(crate) fn type_name(value: Option<AttributeValue<'_>>) -> &'static str {
    match value {
        None => "undefined",
        Some(AttributeValue::Null) => "null",
        Some(AttributeValue::Bool(_)) => "boolean",
        Some(AttributeValue::Number(_)) => "number",
        Some(AttributeValue::String(_)) => "string",
        Some(AttributeValue::List(_)) => "array",
        Some(AttributeValue::Object(_)) => "object",
    }
}

/// `$lt`-style ordering: only numbers with numbers and strings with strings
/// are ordered; any other pair makes the operator fail.
pub(crate) fn compare_same_type(actual: AttributeValue<'_>, expected: &Value) -> Option<Ordering> {
    match (actual, expected) {
        (AttributeValue::Number(a), Value::Number(b)) => a.partial_cmp(&b.as_f64()?),
        (AttributeValue::String(a), Value::String(b)) => Some(js::compare_utf16(a, b)),
        _ => None,
    }
}

/// The string a hash attribute value hashes as. Only strings and non-zero
/// numbers identify a user; anything else counts as missing.
pub(crate) fn hash_string(value: AttributeValue<'_>) -> Option<Cow<'_, str>> {
    match value {
        AttributeValue::String(s) if !s.is_empty() => Some(Cow::Borrowed(s)),
        AttributeValue::Number(f) if identifies(f) => Some(Cow::Owned(js::number_to_string(f))),
        _ => None,
    }
}

/// Whether a value identifies a user ([`hash_string`] is `Some`), without
/// building its string.
#[inline]
pub(crate) fn is_hashable(value: AttributeValue<'_>) -> bool {
    match value {
        AttributeValue::String(s) => !s.is_empty(),
        AttributeValue::Number(f) => identifies(f),
        _ => false,
    }
}

fn identifies(number: f64) -> bool {
    number != 0.0 && !number.is_nan()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_value_is_hashable_exactly_when_it_has_a_hash_string() {
        let values = [
            json!("u-1"),
            json!(""),
            json!(0),
            json!(-0.0),
            json!(1.5),
            json!(42),
            json!(null),
            json!(true),
            json!([1]),
            json!({"a": 1}),
        ];
        for value in &values {
            let value = AttributeValue::json(value);
            assert_eq!(
                is_hashable(value),
                hash_string(value).is_some(),
                "{value:?}"
            );
        }
        assert!(!is_hashable(AttributeValue::Number(f64::NAN)));
    }
}
