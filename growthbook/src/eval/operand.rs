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

use crate::attributes::{AttributeList, AttributeValue, StringItems};
use crate::eval::compare;
use crate::eval::condition::{EvalContext, Verdict};
use crate::eval::subject::Subject;
use crate::eval::NULL;
use crate::js;
use crate::model::condition::ValueTest;
use crate::visiting::Visiting;
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

    /// What iterates over a list's items.
    type Items: Iterator<Item = Self::Item> + Clone;

    /// A list's items; `None` for anything else.
    fn items(self) -> Option<Self::Items>;

    /// `test` of one of a list's items (`$elemMatch`, `$all`): JSON items
    /// as they are, typed ones by reference to where they were read (see
    /// the module docs).
    fn test_item(
        ctx: &EvalContext<'a>,
        test: &ValueTest,
        item: Self::Item,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict;

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

    type Items = std::slice::Iter<'a, Value>;

    #[inline(always)]
    fn items(self) -> Option<Self::Items> {
        self.as_array().map(|items| items.iter())
    }

    #[inline(always)]
    fn test_item(
        ctx: &EvalContext<'a>,
        test: &ValueTest,
        item: &'a Value,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict {
        ctx.test_value(test, Some(item), visiting)
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

    type Items = ListItems<'a>;

    #[inline(always)]
    fn items(self) -> Option<ListItems<'a>> {
        match self {
            AttributeValue::List(list) => Some(ListItems::of(list)),
            _ => None,
        }
    }

    #[inline(always)]
    fn test_item(
        ctx: &EvalContext<'a>,
        test: &ValueTest,
        item: AttributeValue<'a>,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict {
        ctx.test_value(test, Some(&item), visiting)
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

    type Items = ListItems<'a>;

    #[inline(always)]
    fn items(self) -> Option<ListItems<'a>> {
        (*self).items()
    }

    #[inline(always)]
    fn test_item(
        ctx: &EvalContext<'a>,
        test: &ValueTest,
        item: AttributeValue<'a>,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict {
        AttributeValue::test_item(ctx, test, item, visiting)
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

/// A typed list's items: straight from the slice for lists of strings (the
/// common `tags`, `roles`), through the list's dynamic calls otherwise.
#[derive(Clone)]
pub(crate) enum ListItems<'a> {
    Owned(std::slice::Iter<'a, String>),
    Borrowed(std::slice::Iter<'a, &'a str>),
    Other {
        list: &'a dyn AttributeList,
        next: usize,
        len: usize,
    },
}

impl<'a> ListItems<'a> {
    /// The items of `list`: one dynamic call to find out how to read them.
    #[inline]
    fn of(list: &'a dyn AttributeList) -> ListItems<'a> {
        match list.strings() {
            Some(StringItems::Owned(items)) => ListItems::Owned(items.iter()),
            Some(StringItems::Borrowed(items)) => ListItems::Borrowed(items.iter()),
            None => ListItems::Other {
                list,
                next: 0,
                len: list.len(),
            },
        }
    }
}

impl<'a> Iterator for ListItems<'a> {
    type Item = AttributeValue<'a>;

    #[inline]
    fn next(&mut self) -> Option<AttributeValue<'a>> {
        match self {
            ListItems::Owned(items) => items.next().map(|s| AttributeValue::String(s)),
            ListItems::Borrowed(items) => items.next().map(|s| AttributeValue::String(s)),
            ListItems::Other { list, next, len } => (*next < *len).then(|| {
                *next += 1;
                list.item(*next - 1)
            }),
        }
    }
}
