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
use std::collections::HashSet;

/// Lists longer than this get an index.
const INDEX_FROM: usize = 8;

/// A membership list.
#[derive(Debug)]
pub(crate) struct ValueList {
    /// The items of a short list; empty for a long one, whose index answers
    /// everything (a 2,000-id saved group kept twice would double its
    /// memory).
    items: Vec<Value>,
    index: Option<Box<Index>>,
    insensitive: bool,
}

/// What a long list holds, by JSON type.
#[derive(Debug, Default)]
struct Index {
    strings: HashSet<Box<str>, RandomState>,
    /// `f64` bits, `-0.0` stored as `0.0`; `NaN` left out.
    numbers: HashSet<u64, RandomState>,
    null: bool,
    true_: bool,
    false_: bool,
}

impl ValueList {
    /// A list; `insensitive` for `$ini`/`$nini` (strings case-folded).
    pub(crate) fn new(items: Vec<Value>, insensitive: bool) -> ValueList {
        let index = (items.len() > INDEX_FROM).then(|| {
            let mut index = Index::default();
            for item in &items {
                match item {
                    Value::Null => index.null = true,
                    Value::Bool(true) => index.true_ = true,
                    Value::Bool(false) => index.false_ = true,
                    Value::Number(n) => {
                        if let Some(bits) = n.as_f64().and_then(number_bits) {
                            index.numbers.insert(bits);
                        }
                    }
                    Value::String(s) if insensitive => {
                        index.strings.insert(s.to_lowercase().into());
                    }
                    Value::String(s) => {
                        index.strings.insert(s.as_str().into());
                    }
                    // Never equal to anything.
                    Value::Array(_) | Value::Object(_) => {}
                }
            }
            Box::new(index)
        });
        ValueList {
            items: if index.is_some() { Vec::new() } else { items },
            index,
            insensitive,
        }
    }

    /// Whether `value` is in the list (JS `list.includes(value)`, or its
    /// case-folded form).
    #[inline]
    pub(crate) fn contains<'a>(&self, value: impl Operand<'a>) -> bool {
        let Some(index) = &self.index else {
            return self.items.iter().any(|item| self.same(value, item));
        };
        match value.view() {
            AttributeValue::Null => index.null,
            AttributeValue::Bool(true) => index.true_,
            AttributeValue::Bool(false) => index.false_,
            AttributeValue::Number(f) => {
                number_bits(f).is_some_and(|bits| index.numbers.contains(&bits))
            }
            AttributeValue::String(s) if self.insensitive => {
                index.strings.contains(s.to_lowercase().as_str())
            }
            AttributeValue::String(s) => index.strings.contains(s),
            AttributeValue::List(_) | AttributeValue::Object(_) => false,
        }
    }

    /// Whether the list has a `null` (which a missing attribute matches).
    pub(crate) fn contains_null(&self) -> bool {
        match &self.index {
            Some(index) => index.null,
            None => self.items.iter().any(Value::is_null),
        }
    }

    /// JS `===` between a value and an item (case-folded strings when
    /// `insensitive`).
    #[inline]
    fn same<'a>(&self, value: impl Operand<'a>, item: &Value) -> bool {
        if self.insensitive {
            if let (AttributeValue::String(x), Value::String(y)) = (value.view(), item) {
                return x.to_lowercase() == y.to_lowercase();
            }
        }
        value.strict_equals(item)
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
            assert!(long.items.is_empty(), "the index replaces the items");
            for probe in probes.as_array().unwrap() {
                let probe = AttributeValue::json(probe);
                let scanned = items
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|item| long.same(probe, item));
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
