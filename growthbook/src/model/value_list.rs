//! A literal list that conditions test membership in (`$in`, `$nin`,
//! `$ini`, `$nini`, `$inGroup`, `$savedGroup` lists): short lists are
//! scanned; long ones (saved groups of thousands of ids are common) also
//! carry an index, so that membership is one hash probe.
//!
//! The index keeps the spec's equality exactly (JS `===` on primitives): no
//! coercion between types, numbers by value (`1` and `1.0` are equal, `NaN`
//! equals nothing), arrays and objects never equal anything; with
//! `insensitive`, strings compare lower-cased (JS `toLowerCase`).

use crate::attributes::AttributeValue;
use crate::eval::operand::Operand;
use foldhash::fast::RandomState;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashSet;

/// Lists longer than this get an index.
const INDEX_FROM: usize = 8;

/// A membership list, kept by JSON type rather than as JSON values (a
/// string item costs its text and 16 bytes, not a 72-byte `Value`).
#[derive(Debug)]
pub(crate) struct ValueList {
    /// The strings of a short list (case-folded for `insensitive`); empty
    /// for a long one, whose index holds them.
    strings: Box<[Box<str>]>,
    /// The numbers of a short list, `NaN` left out (it equals nothing).
    numbers: Box<[f64]>,
    /// A long list's strings and numbers as hash sets.
    index: Option<Box<Index>>,
    null: bool,
    true_: bool,
    false_: bool,
    insensitive: bool,
}

/// The strings and numbers of a long list.
#[derive(Debug, Default)]
struct Index {
    strings: HashSet<Box<str>, RandomState>,
    /// `f64` bits, `-0.0` stored as `0.0`; `NaN` left out.
    numbers: HashSet<u64, RandomState>,
}

impl ValueList {
    /// A list; `insensitive` for `$ini`/`$nini` (strings case-folded).
    pub(crate) fn new(items: impl IntoIterator<Item = Value>, insensitive: bool) -> ValueList {
        ValueList::build(items.into_iter().map(Cow::Owned), insensitive)
    }

    /// [`Self::new`] from borrowed items (a saved group read in place).
    pub(crate) fn of(items: &[Value], insensitive: bool) -> ValueList {
        ValueList::build(items.iter().map(Cow::Borrowed), insensitive)
    }

    fn build<'v>(items: impl Iterator<Item = Cow<'v, Value>>, insensitive: bool) -> ValueList {
        let mut list = ValueList {
            strings: Box::default(),
            numbers: Box::default(),
            index: None,
            null: false,
            true_: false,
            false_: false,
            insensitive,
        };
        let mut strings: Vec<Box<str>> = Vec::new();
        let mut numbers = Vec::new();
        for item in items {
            match &*item {
                Value::Null => list.null = true,
                Value::Bool(true) => list.true_ = true,
                Value::Bool(false) => list.false_ = true,
                Value::Number(n) => {
                    if let Some(f) = n.as_f64().filter(|f| !f.is_nan()) {
                        numbers.push(f);
                    }
                }
                Value::String(s) if insensitive => strings.push(s.to_lowercase().into()),
                Value::String(_) => strings.push(match item {
                    // Moved, not copied, when owned.
                    Cow::Owned(Value::String(s)) => s.into_boxed_str(),
                    other => other.as_str().unwrap_or_default().into(),
                }),
                // Never equal to anything.
                Value::Array(_) | Value::Object(_) => {}
            }
        }
        if strings.len() + numbers.len() > INDEX_FROM {
            list.index = Some(Box::new(Index {
                strings: strings.into_iter().collect(),
                numbers: numbers.into_iter().filter_map(number_bits).collect(),
            }));
        } else {
            list.strings = strings.into_boxed_slice();
            list.numbers = numbers.into_boxed_slice();
        }
        list
    }

    /// Whether `value` is in the list (JS `list.includes(value)`, or its
    /// case-folded form).
    #[inline]
    pub(crate) fn contains<'a>(&self, value: impl Operand<'a>) -> bool {
        match value.view() {
            AttributeValue::Null => self.null,
            AttributeValue::Bool(true) => self.true_,
            AttributeValue::Bool(false) => self.false_,
            AttributeValue::Number(f) => match &self.index {
                Some(index) => number_bits(f).is_some_and(|bits| index.numbers.contains(&bits)),
                None => self.numbers.contains(&f),
            },
            AttributeValue::String(s) if self.insensitive => {
                crate::js::with_lowercase(s, |lower| self.contains_str(lower))
            }
            AttributeValue::String(s) => self.contains_str(s),
            // Arrays and objects are never `===` a list's items.
            AttributeValue::List(_) | AttributeValue::Object(_) => false,
        }
    }

    #[inline]
    fn contains_str(&self, s: &str) -> bool {
        match &self.index {
            Some(index) => index.strings.contains(s),
            None => self
                .strings
                .iter()
                .any(|item| crate::js::same_bytes(item.as_bytes(), s.as_bytes())),
        }
    }

    /// Whether the list has a `null` (which a missing attribute matches).
    pub(crate) fn contains_null(&self) -> bool {
        self.null
    }
}

/// A number's key in the index: equal numbers (by JS `===`) get equal keys.
fn number_bits(f: f64) -> Option<u64> {
    if f.is_nan() {
        None
    } else if f == 0.0 {
        Some(0.0f64.to_bits())
    } else {
        Some(f.to_bits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The index answers exactly as a scan does, for every kind of value.
    #[test]
    fn the_index_agrees_with_a_scan() {
        let items = json!([
            "a", "B", "ü", "", 1, 2.5, -0.0, 0, 1e300, null, true, [1], {"a": 1},
            "10", 10, "x", "y", "z"
        ]);
        let probes = json!([
            "a", "A", "b", "B", "Ü", "ü", "", 1, 1.0, 2.5, 0, -0.0, 0.0, 1e300, null, true, false,
            [1], {"a": 1}, "10", 10, 10.0, "missing", 3
        ]);
        for insensitive in [false, true] {
            let long = ValueList::new(items.as_array().unwrap().clone(), insensitive);
            assert!(long.index.is_some());
            assert!(long.strings.is_empty(), "the index replaces the items");
            for probe in probes.as_array().unwrap() {
                let probe = AttributeValue::json(probe);
                let scanned = items
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|item| match (probe, item) {
                        (AttributeValue::String(x), Value::String(y)) if insensitive => {
                            x.to_lowercase() == y.to_lowercase()
                        }
                        _ => probe.strict_equals(item),
                    });
                let short = ValueList::new(
                    items.as_array().unwrap()[..INDEX_FROM].to_vec(),
                    insensitive,
                );
                let scanned_short =
                    items.as_array().unwrap()[..INDEX_FROM].iter().any(|item| {
                        match (probe, item) {
                            (AttributeValue::String(x), Value::String(y)) if insensitive => {
                                x.to_lowercase() == y.to_lowercase()
                            }
                            _ => probe.strict_equals(item),
                        }
                    });
                assert!(short.index.is_none());
                assert_eq!(
                    short.contains(probe),
                    scanned_short,
                    "short list, {probe:?}"
                );
                assert_eq!(
                    long.contains(probe),
                    scanned,
                    "{probe:?} (insensitive: {insensitive})"
                );
            }
            assert!(long.contains_null());
        }
    }

    #[test]
    fn short_lists_are_scanned() {
        let short = ValueList::new(vec![json!("a"), json!(1)], false);
        assert!(short.index.is_none());
        assert!(short.contains(AttributeValue::Number(1.0)));
        assert!(!short.contains(AttributeValue::String("A")));
        assert!(!short.contains_null());
    }
}
