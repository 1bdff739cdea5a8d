//! Evaluating compiled conditions against attributes: the hot path.
//!
//! Conditions use three-valued logic (see [`Unresolvable`]), follow the JS
//! SDK's `evalCondition` (`mongrule.ts`), and read attributes as JS does.

use crate::eval::attribute_memo::AttributeMemo;
use crate::js;
use crate::model::condition::{
    CmpOp, Cond, Condition, ElemTest, GroupRef, Op, Path, ValueTest, REMOTE_GROUP_IDS_ATTRIBUTE,
};
use crate::model::saved_groups::{SavedGroup, SavedGroups};
use crate::model::value_list::ValueList;
use crate::visiting::Visiting;
use serde_json::Value;

/// Evaluation hit something it cannot decide (a malformed node, an unknown
/// operator, a saved group of an unknown type). Conditions use three-valued
/// logic: `$or` still passes when another branch passes and `$and` still fails
/// when another branch fails, but otherwise the undecided state propagates,
/// through `$not` too, and a condition left undecided does not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unresolvable;

pub(crate) type Verdict = Result<bool, Unresolvable>;

impl Condition {
    /// Whether the attributes (a JSON object) satisfy the condition, given the
    /// payload's saved groups.
    pub fn matches(&self, attributes: &Value, saved_groups: &SavedGroups) -> bool {
        let ctx = EvalContext {
            groups: saved_groups,
        };
        ctx.matches(self.compiled(), Subject::Value(attributes))
    }
}

/// What a condition is evaluated against.
#[derive(Clone, Copy)]
pub(crate) enum Subject<'a> {
    /// An instance's attributes, with its memo of where paths lead.
    Attributes(&'a Value, &'a AttributeMemo),
    /// A JSON value: attributes without a memo, or an `$elemMatch` item.
    Value(&'a Value),
    /// `{"value": parent_value}`, for prerequisite conditions.
    Parent(&'a Value),
}

impl<'a> Subject<'a> {
    /// JS `getPath`: each dotted part steps into an object's member, a list's
    /// element (canonical indices only: `0`, `12`, not `01`) or a list's
    /// `length`. Missing parts give `None` (treated as `null`).
    pub(crate) fn lookup(self, path: &Path) -> Option<Found<'a>> {
        let first = match self {
            Subject::Attributes(Value::Object(map), memo) => {
                memo.member(map, path.id, path.first())?
            }
            Subject::Attributes(v, _) | Subject::Value(v) => match child(v, path.first())? {
                Found::Value(first) => first,
                length => return path.rest().is_empty().then_some(length),
            },
            // `{"value": parent_value}`, without building that object.
            Subject::Parent(v) if path.first() == "value" => v,
            Subject::Parent(_) => return None,
        };
        follow(first, path.rest())
    }
}

/// Follows the `parts` of a path down from `value`.
fn follow<'a>(value: &'a Value, parts: &[Box<str>]) -> Option<Found<'a>> {
    let mut current = value;
    let mut parts = parts.iter();
    while let Some(part) = parts.next() {
        match child(current, part)? {
            Found::Value(v) => current = v,
            // A length is a number: nothing further down it.
            length => return parts.next().is_none().then_some(length),
        }
    }
    Some(Found::Value(current))
}

/// What a path found: a value in the attributes, or the length of a list
/// (a number that exists nowhere in them).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Found<'a> {
    Value(&'a Value),
    Length(usize),
}

impl Found<'_> {
    /// Runs `f` on what a lookup found, a length as a JSON number (built on
    /// the stack: no allocation).
    #[inline]
    fn with<R>(found: Option<Found<'_>>, f: impl FnOnce(Option<&Value>) -> R) -> R {
        match found {
            Some(Found::Value(value)) => f(Some(value)),
            Some(Found::Length(n)) => f(Some(&Value::from(n))),
            None => f(None),
        }
    }
}

/// One step of a path: `obj[part]` as JS reads it.
fn child<'a>(value: &'a Value, key: &str) -> Option<Found<'a>> {
    match value {
        Value::Object(m) => js::member(m, key).map(Found::Value),
        Value::Array(items) if key == "length" => Some(Found::Length(items.len())),
        Value::Array(items) => array_index(key)
            .and_then(|i| items.get(i))
            .map(Found::Value),
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

pub(crate) struct EvalContext<'a> {
    pub(crate) groups: &'a SavedGroups,
}

impl EvalContext<'_> {
    /// Evaluates a whole condition; an unresolvable one does not match.
    pub(crate) fn matches(&self, cond: &Cond, subject: Subject<'_>) -> bool {
        self.eval(cond, subject, None).unwrap_or(false)
    }

    /// Evaluates a condition in three-valued logic (`Err` when undecided).
    pub(crate) fn verdict(&self, cond: &Cond, subject: Subject<'_>) -> Verdict {
        self.eval(cond, subject, None)
    }

    fn eval(&self, cond: &Cond, subject: Subject<'_>, visiting: Option<&Visiting<'_>>) -> Verdict {
        match cond {
            Cond::All(parts) => all_of(parts.iter().map(|p| self.eval(p, subject, visiting))),
            Cond::Any(parts) if parts.is_empty() => Ok(true),
            Cond::Any(parts) => any_of(parts.iter().map(|p| self.eval(p, subject, visiting))),
            Cond::None(parts) if parts.is_empty() => Ok(false),
            Cond::None(parts) => {
                any_of(parts.iter().map(|p| self.eval(p, subject, visiting))).map(|hit| !hit)
            }
            Cond::Not(inner) => Ok(!self.eval(inner, subject, visiting)?),
            Cond::Field { path, test } => Found::with(subject.lookup(path), |actual| {
                self.test_value(test, actual, visiting)
            }),
            Cond::SavedGroup(group) => self.eval_group_ref(group, subject, visiting),
            Cond::Malformed => Err(Unresolvable),
        }
    }

    fn eval_group_ref(
        &self,
        group: &GroupRef,
        subject: Subject<'_>,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict {
        let Some(entry) = self.groups.get(&group.id) else {
            return Ok(false);
        };
        match entry {
            SavedGroup::List {
                attribute_key,
                values,
            } => {
                let path = group.attribute_key.as_ref().unwrap_or(attribute_key);
                Ok(Found::with(subject.lookup(path), |actual| {
                    is_in(actual, values)
                }))
            }
            SavedGroup::Condition(cond) => {
                if Visiting::contains(visiting, &group.id) {
                    return Ok(false);
                }
                let here = Visiting::new(&group.id, visiting);
                self.eval(cond, subject, Some(&here))
            }
            SavedGroup::Remote { attribute_key } => {
                if group
                    .attribute_key
                    .as_ref()
                    .is_some_and(|k| k.raw != attribute_key.raw)
                {
                    return Ok(false);
                }
                let ids = match subject.lookup(&Path::new(REMOTE_GROUP_IDS_ATTRIBUTE)) {
                    Some(Found::Value(ids)) => Some(ids),
                    _ => None,
                };
                Ok(ids
                    .and_then(Value::as_array)
                    .is_some_and(|ids| ids.iter().any(|v| v.as_str() == Some(group.id.as_str()))))
            }
            SavedGroup::Legacy(_) | SavedGroup::Unsupported => Err(Unresolvable),
        }
    }

    fn test_value(
        &self,
        test: &ValueTest,
        actual: Option<&Value>,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict {
        let value = actual.unwrap_or(&Value::Null);
        Ok(match test {
            ValueTest::Literal(expected) => js::json_equals(value, expected),
            ValueTest::Ops(ops) => {
                return all_of(
                    ops.iter()
                        .map(|op| self.eval_op(op, value, actual.is_some(), visiting)),
                );
            }
        })
    }

    fn eval_op(
        &self,
        op: &Op,
        actual: &Value,
        present: bool,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict {
        Ok(match op {
            Op::Eq(expected) => js::strict_equals(actual, expected),
            Op::Ne(expected) => !js::strict_equals(actual, expected),
            Op::Cmp(cmp, expected) => {
                compare_same_type(actual, expected).is_some_and(|o| cmp.holds(o))
            }
            // Versions compare only within one JSON type (string or number);
            // anything else is "not equal" to every version.
            Op::Version {
                cmp,
                expected,
                numeric,
            } => match (actual, expected) {
                (Value::String(text), Some(expected)) if !numeric => {
                    cmp.holds(js::compare_padded_version(text, expected))
                }
                (Value::Number(_), Some(expected)) if *numeric => {
                    cmp.holds(js::padded_version(actual).cmp(expected))
                }
                _ => *cmp == CmpOp::Ne,
            },
            // Only strings are matched against patterns.
            // A pattern that gave up on this input decides nothing: both
            // operators fail, as with an invalid pattern.
            Op::Regex(re) => match actual {
                Value::String(s) => re.get().and_then(|re| re.test(s)) == Some(true),
                _ => false,
            },
            Op::NotRegex(re) => match actual {
                Value::String(s) => re.get().and_then(|re| re.test(s)) == Some(false),
                _ => true,
            },
            Op::In { values, negate } => match values {
                None => false,
                Some(values) => is_in(Some(actual), values) != *negate,
            },
            Op::All { tests, insensitive } => match (actual, tests) {
                (Value::Array(items), Some(tests)) => {
                    for test in tests {
                        let mut found = false;
                        for item in items {
                            let hit = match (test, item, insensitive) {
                                (ValueTest::Literal(Value::String(s)), Value::String(i), true) => {
                                    s.to_lowercase() == i.to_lowercase()
                                }
                                _ => self.test_value(test, Some(item), visiting)?,
                            };
                            if hit {
                                found = true;
                                break;
                            }
                        }
                        if !found {
                            return Ok(false);
                        }
                    }
                    true
                }
                _ => false,
            },
            Op::ElemMatch(test) => match actual {
                Value::Array(items) => {
                    for item in items {
                        let hit = match test.as_ref() {
                            ElemTest::Value(t) => self.test_value(t, Some(item), visiting)?,
                            ElemTest::Condition(c) => {
                                self.eval(c, Subject::Value(item), visiting)?
                            }
                        };
                        if hit {
                            return Ok(true);
                        }
                    }
                    false
                }
                _ => false,
            },
            Op::Size(test) => match actual {
                Value::Array(items) => {
                    let len = Value::from(items.len());
                    self.test_value(test, Some(&len), visiting)?
                }
                _ => false,
            },
            Op::Exists(expected) => (present && !actual.is_null()) == *expected,
            Op::Type(expected) => expected.as_str() == Some(js::type_name(Some(actual))),
            Op::Not(test) => !self.test_value(test, Some(actual), visiting)?,
            Op::InGroup { id, negate } => {
                let group = id.as_deref().and_then(|id| self.groups.get(id));
                let member = match group {
                    None => false,
                    Some(SavedGroup::Legacy(values)) => is_in(Some(actual), values),
                    Some(SavedGroup::List { values, .. }) => is_in(Some(actual), values),
                    Some(_) => return Err(Unresolvable),
                };
                member != *negate
            }
            // An operator this SDK does not know: it cannot decide, so the
            // whole condition fails closed (even under `$not`).
            Op::Unknown => return Err(Unresolvable),
            Op::Never => false,
        })
    }
}

/// Three-valued AND: a definite `false` anywhere decides; otherwise an
/// undecidable part leaves the whole undecided. Stops at the first `false`.
fn all_of(verdicts: impl Iterator<Item = Verdict>) -> Verdict {
    decided_by(false, verdicts)
}

/// Three-valued OR: a definite `true` anywhere decides; otherwise an
/// undecidable part leaves the whole undecided. Stops at the first `true`.
fn any_of(verdicts: impl Iterator<Item = Verdict>) -> Verdict {
    decided_by(true, verdicts)
}

/// `decisive` as soon as a part is `decisive`; else undecided if any part
/// is; else the opposite of `decisive`.
fn decided_by(decisive: bool, verdicts: impl Iterator<Item = Verdict>) -> Verdict {
    let mut undecided = false;
    for verdict in verdicts {
        match verdict {
            Ok(v) if v == decisive => return Ok(decisive),
            Ok(_) => {}
            Err(Unresolvable) => undecided = true,
        }
    }
    if undecided {
        Err(Unresolvable)
    } else {
        Ok(!decisive)
    }
}

/// `$lt`-style comparison: only numbers with numbers and strings with strings
/// are ordered; any other pair makes the operator fail.
fn compare_same_type(actual: &Value, expected: &Value) -> Option<std::cmp::Ordering> {
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::String(a), Value::String(b)) => Some(js::compare_utf16(a, b)),
        _ => None,
    }
}

/// `$in` membership: an array attribute matches when any item is in the
/// list; a missing one when the list has `null`.
fn is_in(actual: Option<&Value>, values: &ValueList) -> bool {
    match actual {
        None => values.contains_null(),
        Some(Value::Array(items)) => items.iter().any(|item| values.contains(item)),
        Some(actual) => values.contains(actual),
    }
}

/// Evaluates a JSON condition against JSON attributes, compiling it on the fly.
/// `saved_groups` is the payload's `savedGroups` object (or `null`).
///
/// This is the spec's `evalCondition`. Prefer [`Condition`] to compile once.
pub fn eval_condition(attributes: &Value, condition: &Value, saved_groups: &Value) -> bool {
    let groups = SavedGroups::from_json(saved_groups);
    Condition::new(condition.clone()).matches(attributes, &groups)
}
