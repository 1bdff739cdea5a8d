//! Evaluating compiled conditions against attributes: the hot path.
//!
//! Conditions use three-valued logic (see [`Unresolvable`]), follow the JS
//! SDK's `evalCondition` (`mongrule.ts`), and read attributes as JS does.

use crate::attributes::{AttributeValue, Attributes};
use crate::eval::attribute_memo::AttributeMemo;
use crate::eval::compare;
use crate::eval::operand::Operand;
use crate::eval::subject::{json_lookup, JsonFound, Paths, Subject};
use crate::js;
use crate::model::condition::{
    CmpOp, Cond, Condition, ElemTest, GroupRef, Op, Path, ValueTest, REMOTE_GROUP_IDS_ATTRIBUTE,
};
use crate::model::saved_groups::{SavedGroup, SavedGroups};
use crate::model::value_list::ValueList;
use crate::visiting::Visiting;
use serde_json::Value;
use std::sync::OnceLock;

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
            paths: Paths::None,
        };
        ctx.matches(self.compiled(), Subject::json(attributes))
    }
}

pub(crate) struct EvalContext<'a> {
    pub(crate) groups: &'a SavedGroups,
    /// What the instance's attributes read at repeated paths, within one
    /// feature's evaluation.
    pub(crate) paths: Paths<'a>,
}

impl<'a> EvalContext<'a> {
    /// Evaluates a whole condition; an unresolvable one does not match.
    pub(crate) fn matches<T: Attributes + ?Sized>(
        &self,
        cond: &Cond,
        subject: Subject<'a, T>,
    ) -> bool {
        self.eval(cond, subject, None).unwrap_or(false)
    }

    /// Evaluates a condition in three-valued logic (`Err` when undecided).
    pub(crate) fn verdict<T: Attributes + ?Sized>(
        &self,
        cond: &Cond,
        subject: Subject<'a, T>,
    ) -> Verdict {
        self.eval(cond, subject, None)
    }

    /// The hot shapes (an attribute test, a list of them) here; the rest
    /// out of line, so that this stays a small function.
    fn eval<T: Attributes + ?Sized>(
        &self,
        cond: &Cond,
        subject: Subject<'a, T>,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict {
        match cond {
            // JSON attributes are tested as `&Value` (see `operand`).
            Cond::Field { path, test } => match subject {
                Subject::Json(json, memo) => match self.json_lookup(json, memo, path) {
                    JsonFound::Value(found) => self.test_value(test, found, visiting),
                    JsonFound::Length(len) => {
                        let len = AttributeValue::Number(len as f64);
                        self.test_value(test, Some(len), visiting)
                    }
                },
                _ => {
                    let cache = match self.paths {
                        Paths::Typed(cache) if path.repeated() => Some(cache),
                        _ => None,
                    };
                    if let Some(verdict) = cache.and_then(|cache| {
                        cache.with(path.cache_key, |found| {
                            self.test_value(test, found, visiting)
                        })
                    }) {
                        return verdict;
                    }
                    let found = subject.lookup(path);
                    if let Some(cache) = cache {
                        cache.put(path.cache_key, found);
                    }
                    self.test_value(test, found.as_ref(), visiting)
                }
            },
            Cond::All(parts) => all_of(parts.iter().map(|p| self.eval(p, subject, visiting))),
            _ => self.eval_other(cond, subject, visiting),
        }
    }

    /// [`json_lookup`], through the evaluation's cache for a repeated path
    /// of the instance's own attributes.
    #[inline(always)]
    fn json_lookup(
        &self,
        json: &'a Value,
        memo: Option<&AttributeMemo>,
        path: &Path,
    ) -> JsonFound<'a> {
        match self.paths {
            Paths::Json(cache) if path.repeated() && memo.is_some() => {
                if let Some(found) = cache.with(path.cache_key, |found| found.copied()) {
                    return JsonFound::Value(found);
                }
                let found = json_lookup(json, memo, path);
                if let JsonFound::Value(value) = found {
                    cache.put(path.cache_key, value);
                }
                found
            }
            _ => json_lookup(json, memo, path),
        }
    }

    #[inline(never)]
    fn eval_other<T: Attributes + ?Sized>(
        &self,
        cond: &Cond,
        subject: Subject<'a, T>,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict {
        match cond {
            Cond::Any(parts) if parts.is_empty() => Ok(true),
            Cond::Any(parts) => any_of(parts.iter().map(|p| self.eval(p, subject, visiting))),
            Cond::None(parts) if parts.is_empty() => Ok(false),
            Cond::None(parts) => {
                any_of(parts.iter().map(|p| self.eval(p, subject, visiting))).map(|hit| !hit)
            }
            Cond::Not(inner) => Ok(!self.eval(inner, subject, visiting)?),
            Cond::SavedGroup(group) => self.eval_group_ref(group, subject, visiting),
            Cond::Never => Ok(false),
            Cond::Malformed => Err(Unresolvable),
            Cond::Field { .. } | Cond::All(_) => self.eval(cond, subject, visiting),
        }
    }

    fn eval_group_ref<T: Attributes + ?Sized>(
        &self,
        group: &GroupRef,
        subject: Subject<'a, T>,
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
                let Some(path) = group.attribute_key.as_ref().or(attribute_key.as_ref()) else {
                    return Ok(false);
                };
                Ok(match subject {
                    Subject::Json(json, memo) => match json_lookup(json, memo, path) {
                        JsonFound::Value(found) => is_in(found, values),
                        JsonFound::Length(len) => {
                            is_in(Some(AttributeValue::Number(len as f64)), values)
                        }
                    },
                    _ => is_in(subject.lookup(path), values),
                })
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
                    .is_some_and(|k| k.raw() != attribute_key.raw())
                {
                    return Ok(false);
                }
                // Made once per process: a path costs a string and an id
                // lookup under a lock.
                static REMOTE_IDS: OnceLock<Path> = OnceLock::new();
                let path = REMOTE_IDS.get_or_init(|| Path::new(REMOTE_GROUP_IDS_ATTRIBUTE));
                let ids = match subject.lookup(path) {
                    Some(AttributeValue::List(ids)) => ids,
                    _ => return Ok(false),
                };
                Ok((0..ids.len())
                    .any(|i| matches!(ids.item(i), AttributeValue::String(id) if id == group.id)))
            }
            // A bare array names no attribute; a malformed entry holds
            // nobody. Both are plain `false`, which `$not` may turn around.
            SavedGroup::Legacy(_) | SavedGroup::Malformed => Ok(false),
            SavedGroup::Unsupported => Err(Unresolvable),
        }
    }

    pub(crate) fn test_value<V: Operand<'a>>(
        &self,
        test: &ValueTest,
        actual: Option<V>,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict {
        let value = actual.unwrap_or(V::null());
        match test {
            ValueTest::Literal(expected) => Ok(value.json_equals(expected)),
            // Most tests are one operator.
            ValueTest::Ops(ops) => match &**ops {
                [op] => self.eval_op(op, value, actual.is_some(), visiting),
                ops => all_of(
                    ops.iter()
                        .map(|op| self.eval_op(op, value, actual.is_some(), visiting)),
                ),
            },
        }
    }

    fn eval_op<V: Operand<'a>>(
        &self,
        op: &Op,
        actual: V,
        present: bool,
        visiting: Option<&Visiting<'_>>,
    ) -> Verdict {
        Ok(match op {
            Op::Eq(expected) => actual.strict_equals(expected),
            Op::Ne(expected) => !actual.strict_equals(expected),
            Op::Cmp(cmp, expected) => {
                compare::compare_same_type(actual.view(), expected).is_some_and(|o| cmp.holds(o))
            }
            Op::In { values, negate } => match values {
                None => false,
                Some(values) => is_in(Some(actual), values) != *negate,
            },
            Op::Exists(expected) => (present && !actual.is_null()) == *expected,
            // Versions compare only within one JSON type (string or number);
            // anything else is "not equal" to every version.
            Op::Version {
                cmp,
                expected,
                numeric,
            } => match (actual.view(), expected) {
                (AttributeValue::String(text), Some(expected)) if !numeric => {
                    cmp.holds(js::compare_padded_version(text, expected))
                }
                (AttributeValue::Number(f), Some(expected)) if *numeric => cmp.holds(
                    js::compare_padded_version(&js::number_to_string(f), expected),
                ),
                _ => *cmp == CmpOp::Ne,
            },
            // Only strings are matched against patterns.
            // A pattern that gave up on this input decides nothing: both
            // operators fail, as with an invalid pattern.
            Op::Regex(re) => match actual.view() {
                AttributeValue::String(s) => re.get().and_then(|re| re.test(s)) == Some(true),
                _ => false,
            },
            Op::NotRegex(re) => match actual.view() {
                AttributeValue::String(s) => re.get().and_then(|re| re.test(s)) == Some(false),
                _ => true,
            },
            Op::All { tests, insensitive } => match (actual.items(), tests) {
                (Some(items), Some(tests)) => {
                    for test in tests {
                        let mut found = false;
                        for item in items.clone() {
                            let hit = match (test, item.view(), insensitive) {
                                (ValueTest::Literal(literal), AttributeValue::String(i), true)
                                    if literal.is_string() =>
                                {
                                    literal
                                        .as_str()
                                        .is_some_and(|s| js::equal_ignoring_case(s, i))
                                }
                                _ => V::test_item(self, test, item, visiting)?,
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
            Op::ElemMatch(test) => match actual.items() {
                Some(items) => {
                    // Null items are skipped, as in JS and Python (falsy
                    // ones such as 0 and "" are tested).
                    for item in items.filter(|item| !item.is_null()) {
                        let hit = match test.as_ref() {
                            ElemTest::Value(t) => V::test_item(self, t, item, visiting)?,
                            ElemTest::Condition(c) => self.eval(c, item.subject(), visiting)?,
                        };
                        if hit {
                            return Ok(true);
                        }
                    }
                    false
                }
                _ => false,
            },
            Op::Size(test) => match actual.list_len() {
                Some(len) => {
                    let len = AttributeValue::Number(len as f64);
                    self.test_value(test, Some(len), visiting)?
                }
                None => false,
            },
            Op::Type(expected) => {
                expected.as_str() == Some(compare::type_name(Some(actual.view())))
            }
            Op::Not(test) => !self.test_value(test, Some(actual), visiting)?,
            Op::InGroup { id, negate } => {
                let group = id.as_deref().and_then(|id| self.groups.get(id));
                match group {
                    None => *negate,
                    Some(SavedGroup::Legacy(values) | SavedGroup::List { values, .. }) => {
                        is_in(Some(actual), values) != *negate
                    }
                    // No list of values to look in: both operators fail
                    // (a plain `false`, which `$not` may turn around).
                    Some(SavedGroup::Condition(_) | SavedGroup::Malformed) => false,
                    Some(SavedGroup::Remote { .. } | SavedGroup::Unsupported) => {
                        return Err(Unresolvable)
                    }
                }
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

/// `$in` membership: a list attribute matches when any item is in the
/// list; a missing one when the list has `null`.
fn is_in<'a>(actual: Option<impl Operand<'a>>, values: &ValueList) -> bool {
    match actual {
        None => values.contains_null(),
        Some(actual) => match actual.items() {
            Some(mut items) => items.any(|item| values.contains(item)),
            None => values.contains(actual),
        },
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
