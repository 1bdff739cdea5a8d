//! What an operator tests: an attribute's value, read straight from JSON
//! attributes (`&Value`) or through a typed attribute's view
//! ([`AttributeValue`]).
//!
//! The evaluator is generic over the two so that JSON, the common case,
//! travels as one pointer, in a register, and a typed attribute's view as a
//! pointer to where it was read. A view is three words: passed
//! between functions through memory, it was copied in pieces that the CPU
//! could not forward from store to load, and conditions over JSON ran 20-25%
//! slower than when they tested `&Value` (same instructions, more time).

use crate::attributes::AttributeValue;
use crate::eval::compare;
use crate::eval::condition::Subject;
use crate::eval::NULL;
use crate::js;
use serde_json::Value;

/// An attribute value as operators read it.
pub(crate) trait Operand<'a>: Copy {
    /// What a list's items read as.
    type Item: Operand<'a>;

    /// `null`: what a missing attribute is compared as.
    fn null() -> Self;

    /// The value as a view (scalars are matched on it; inlined, it costs a
    /// match on the JSON type).
    fn view(self) -> AttributeValue<'a>;

    /// A list's length; `None` for anything else.
    fn list_len(self) -> Option<usize>;

    /// A list's item at `index` (below [`Self::list_len`]).
    fn item(self, index: usize) -> Self::Item;

    /// `JSON.stringify(self) === JSON.stringify(expected)`.
    fn json_equals(self, expected: &Value) -> bool;

    /// The value as the subject of an `$elemMatch` condition.
    fn subject(self) -> Subject<'a>;

    /// JS `===` with a JSON value (primitives by value).
    #[inline(always)]
    fn strict_equals(self, expected: &Value) -> bool {
        self.view().strict_equals(expected)
    }

    /// Whether this is `null`.
    #[inline(always)]
    fn is_null(self) -> bool {
        self.view().is_null()
    }
}

impl<'a> Operand<'a> for &'a Value {
    type Item = &'a Value;
    #[inline(always)]
    fn null() -> Self {
        &NULL
    }

    #[inline(always)]
    fn view(self) -> AttributeValue<'a> {
        AttributeValue::json(self)
    }

    #[inline(always)]
    fn list_len(self) -> Option<usize> {
        self.as_array().map(Vec::len)
    }

    #[inline(always)]
    fn item(self, index: usize) -> Self {
        self.as_array()
            .and_then(|items| items.get(index))
            .unwrap_or(&NULL)
    }

    #[inline(always)]
    fn json_equals(self, expected: &Value) -> bool {
        js::json_equals(self, expected)
    }

    #[inline(always)]
    fn subject(self) -> Subject<'a> {
        Subject::Json(self, None)
    }

    #[inline(always)]
    fn strict_equals(self, expected: &Value) -> bool {
        js::strict_equals(self, expected)
    }

    #[inline(always)]
    fn is_null(self) -> bool {
        self.is_null()
    }
}

impl<'a> Operand<'a> for AttributeValue<'a> {
    type Item = AttributeValue<'a>;
    #[inline(always)]
    fn null() -> Self {
        AttributeValue::Null
    }

    #[inline(always)]
    fn view(self) -> AttributeValue<'a> {
        self
    }

    #[inline(always)]
    fn list_len(self) -> Option<usize> {
        match self {
            AttributeValue::List(items) => Some(items.len()),
            _ => None,
        }
    }

    #[inline(always)]
    fn item(self, index: usize) -> Self {
        match self {
            AttributeValue::List(items) => items.item(index),
            _ => AttributeValue::Null,
        }
    }

    #[inline(always)]
    fn json_equals(self, expected: &Value) -> bool {
        compare::json_equals(self, expected)
    }

    #[inline(always)]
    fn subject(self) -> Subject<'a> {
        Subject::Item(self)
    }
}

/// A typed attribute's view where it was read: the evaluator passes a
/// reference to it rather than copies of it, for the reason above.
impl<'a> Operand<'a> for &AttributeValue<'a> {
    type Item = AttributeValue<'a>;

    #[inline(always)]
    fn null() -> Self {
        &AttributeValue::Null
    }

    #[inline(always)]
    fn view(self) -> AttributeValue<'a> {
        *self
    }

    #[inline(always)]
    fn list_len(self) -> Option<usize> {
        (*self).list_len()
    }

    #[inline(always)]
    fn item(self, index: usize) -> Self::Item {
        (*self).item(index)
    }

    #[inline(always)]
    fn json_equals(self, expected: &Value) -> bool {
        compare::json_equals(*self, expected)
    }

    #[inline(always)]
    fn subject(self) -> Subject<'a> {
        Subject::Item(*self)
    }
}
