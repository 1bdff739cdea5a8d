//! Targeting conditions: compiled once from their MongoDB-style JSON, then
//! evaluated against attributes many times.
//!
//! Compilation turns the JSON into an operator tree: dotted paths are split,
//! regexes prepared (compiled on first use), version strings padded and literal types fixed, so that
//! evaluation only walks the tree. Malformed input never panics: it compiles to
//! a node that makes evaluation *fail closed* (see [`Unresolvable`]).

use crate::js;
use crate::js_regex::JsRegex;
use crate::saved_groups::{SavedGroup, SavedGroups};
use crate::visiting::Visiting;
use serde_json::{Map, Value};
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Deepest condition nesting that is compiled; anything deeper fails closed.
/// (serde_json already refuses documents nested deeper than 128 levels.)
const MAX_DEPTH: usize = 256;

/// Attribute name that carries the ids of the remote saved groups a user is in.
pub(crate) const REMOTE_GROUP_IDS_ATTRIBUTE: &str = "__gb_remoteGroupIds";

/// A targeting condition, compiled from its JSON form.
///
/// Cheap to clone (the compiled tree is shared). Serializes back to the JSON it
/// was built from, which it keeps as compact text (a parsed JSON tree costs
/// several times more memory).
#[derive(Clone)]
pub struct Condition {
    raw: Arc<str>,
    compiled: Arc<Cond>,
}

impl Condition {
    /// Compiles a condition. Never fails: parts that cannot be understood make
    /// the condition (or the branch they sit in) not match.
    pub fn new(raw: Value) -> Condition {
        let text: Arc<str> = raw.to_string().into();
        Condition {
            raw: text,
            compiled: Arc::new(compile_condition(raw, 0)),
        }
    }

    /// The JSON this condition was compiled from.
    pub fn to_json(&self) -> Value {
        serde_json::from_str(&self.raw).unwrap_or(Value::Null)
    }

    /// Whether the attributes (a JSON object) satisfy the condition, given the
    /// payload's saved groups.
    pub fn matches(&self, attributes: &Value, saved_groups: &SavedGroups) -> bool {
        let ctx = EvalContext {
            groups: saved_groups,
        };
        ctx.matches(&self.compiled, Subject::Value(attributes))
    }

    pub(crate) fn compiled(&self) -> &Cond {
        &self.compiled
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Condition({})", self.raw)
    }
}

impl PartialEq for Condition {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl serde::Serialize for Condition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(Condition::new)
    }
}

/// Evaluation hit something it cannot decide (a malformed node, an unknown
/// operator, a saved group of an unknown type). Conditions use three-valued
/// logic: `$or` still passes when another branch passes and `$and` still fails
/// when another branch fails, but otherwise the undecided state propagates,
/// through `$not` too, and a condition left undecided does not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unresolvable;

pub(crate) type Verdict = Result<bool, Unresolvable>;

/// A compiled condition node.
#[derive(Debug)]
pub(crate) enum Cond {
    /// Every child must pass (an object's entries, or `$and`).
    All(Vec<Cond>),
    /// `$or`: an empty list passes.
    Any(Vec<Cond>),
    /// `$nor`: an empty list fails, like `!$or([])`.
    None(Vec<Cond>),
    Not(Box<Cond>),
    Field {
        path: Path,
        test: ValueTest,
    },
    SavedGroup(GroupRef),
    /// Malformed input: evaluation aborts.
    Malformed,
}

/// A `$savedGroup` reference.
#[derive(Debug)]
pub(crate) struct GroupRef {
    pub(crate) id: String,
    /// An explicit attribute to check instead of the list entry's own.
    pub(crate) attribute_key: Option<Path>,
}

/// An attribute path: one key, or dotted keys into nested objects. Most are
/// a single key, which is looked up as is; only dotted ones are split.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    pub(crate) raw: String,
    nested: bool,
}

impl Path {
    pub(crate) fn new(raw: impl Into<String>) -> Path {
        let raw = raw.into();
        Path {
            nested: raw.contains('.'),
            raw,
        }
    }
}

/// A test applied to one attribute value.
#[derive(Debug)]
pub(crate) enum ValueTest {
    /// A literal: equal in type and value (arrays and objects structurally).
    /// `"attr": 5` does not match `"5"`, and `null` matches a missing attribute.
    Literal(Value),
    /// An operator object: every operator must pass (`{}` has none and passes).
    Ops(Vec<Op>),
}

/// One `$operator` of an operator object.
#[derive(Debug)]
pub(crate) enum Op {
    Eq(Value),
    Ne(Value),
    Cmp(CmpOp, Value),
    /// `None` when the pattern is not a valid regex: never matches.
    Regex(LazyRegex),
    NotRegex(LazyRegex),
    In {
        values: Option<Vec<Value>>,
        negate: bool,
        insensitive: bool,
    },
    All {
        tests: Option<Vec<ValueTest>>,
        insensitive: bool,
    },
    ElemMatch(Box<ElemTest>),
    Size(Box<ValueTest>),
    Exists(bool),
    Type(Value),
    Not(Box<ValueTest>),
    /// A version comparison. `numeric` is whether the operand was a JSON
    /// number: versions only compare with attributes of the same JSON type,
    /// and `expected` is `None` when the operand is no version at all.
    Version {
        cmp: CmpOp,
        expected: Option<String>,
        numeric: bool,
    },
    InGroup {
        id: Option<String>,
        negate: bool,
    },
    /// An operator this SDK does not know: it cannot decide (see
    /// [`Unresolvable`]).
    Unknown,
    /// A condition key (`$or`, `$and`...) where a value operator belongs: a
    /// plain non-match, as the reference SDKs have always treated it.
    Never,
}

/// `$elemMatch` applies either a value test or a whole condition to each item.
#[derive(Debug)]
pub(crate) enum ElemTest {
    Value(ValueTest),
    Condition(Cond),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl CmpOp {
    fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CmpOp::Eq => ord == Equal,
            CmpOp::Ne => ord != Equal,
            CmpOp::Lt => ord == Less,
            CmpOp::Lte => ord != Greater,
            CmpOp::Gt => ord == Greater,
            CmpOp::Gte => ord != Less,
        }
    }
}

/// Whether every key of the object is an operator (and there is at least one).
pub(crate) fn is_operator_object(map: &Map<String, Value>) -> bool {
    !map.is_empty() && map.keys().all(|k| k.starts_with('$'))
}

// ---------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------

/// Compiles a condition, consuming its JSON: literals and lists move into
/// the tree instead of being copied.
pub(crate) fn compile_condition(value: Value, depth: usize) -> Cond {
    let Value::Object(map) = value else {
        return Cond::Malformed;
    };
    if depth > MAX_DEPTH {
        return Cond::Malformed;
    }
    let mut parts: Vec<Cond> = map
        .into_iter()
        .map(|(key, v)| compile_entry(key, v, depth))
        .collect();
    if parts.len() == 1 {
        parts.pop().unwrap_or(Cond::All(Vec::new()))
    } else {
        Cond::All(parts)
    }
}

fn compile_list(value: Value, depth: usize) -> Option<Vec<Cond>> {
    match value {
        Value::Array(items) => Some(
            items
                .into_iter()
                .map(|c| compile_condition(c, depth + 1))
                .collect(),
        ),
        _ => None,
    }
}

pub(crate) fn compile_entry(key: String, value: Value, depth: usize) -> Cond {
    match key.as_str() {
        "$or" => compile_list(value, depth).map_or(Cond::Malformed, Cond::Any),
        "$nor" => compile_list(value, depth).map_or(Cond::Malformed, Cond::None),
        "$and" => compile_list(value, depth).map_or(Cond::Malformed, Cond::All),
        "$not" => Cond::Not(Box::new(compile_condition(value, depth + 1))),
        "$savedGroup" => compile_group_ref(&value),
        _ => Cond::Field {
            path: Path::new(key),
            test: compile_value_test(value, depth + 1),
        },
    }
}

fn compile_group_ref(value: &Value) -> Cond {
    let Some(obj) = value.as_object() else {
        return Cond::Malformed;
    };
    let Some(id) = obj.get("id").and_then(Value::as_str) else {
        return Cond::Malformed;
    };
    let attribute_key = match obj.get("attributeKey") {
        None => None,
        Some(Value::String(s)) => Some(Path::new(s.as_str())),
        Some(_) => return Cond::Malformed,
    };
    Cond::SavedGroup(GroupRef {
        id: id.to_owned(),
        attribute_key,
    })
}

pub(crate) fn compile_value_test(value: Value, depth: usize) -> ValueTest {
    match value {
        Value::Object(map) if map.is_empty() => ValueTest::Ops(Vec::new()),
        Value::Object(map) if is_operator_object(&map) && depth <= MAX_DEPTH => ValueTest::Ops(
            map.into_iter()
                .map(|(op, v)| compile_op(&op, v, depth))
                .collect(),
        ),
        Value::Object(map) if is_operator_object(&map) => ValueTest::Ops(vec![Op::Unknown]),
        other => ValueTest::Literal(other),
    }
}

/// A regex compiled on first use, then kept: payloads often carry many
/// patterns that most users never reach, and compiling them all would
/// dominate loading. `None` when the pattern is invalid (never matches).
#[derive(Debug)]
pub(crate) struct LazyRegex {
    source: String,
    insensitive: bool,
    compiled: OnceLock<Option<JsRegex>>,
}

impl LazyRegex {
    fn get(&self) -> Option<&JsRegex> {
        self.compiled
            .get_or_init(|| {
                JsRegex::new(&self.source, self.insensitive)
                    .map_err(|e| {
                        log::warn!(target: "growthbook", "invalid regex {:?} in condition never matches: {e}", self.source)
                    })
                    .ok()
            })
            .as_ref()
    }
}

fn compile_regex(pattern: Value, insensitive: bool) -> LazyRegex {
    LazyRegex {
        source: match pattern {
            Value::String(s) => s,
            other => js::to_js_string(&other),
        },
        insensitive,
        compiled: OnceLock::new(),
    }
}

fn compile_op(op: &str, v: Value, depth: usize) -> Op {
    let version = |cmp, v: &Value| Op::Version {
        cmp,
        expected: (v.is_string() || v.is_number()).then(|| js::padded_version(v)),
        numeric: v.is_number(),
    };
    match op {
        "$eq" => Op::Eq(v),
        "$ne" => Op::Ne(v),
        "$lt" => Op::Cmp(CmpOp::Lt, v),
        "$lte" => Op::Cmp(CmpOp::Lte, v),
        "$gt" => Op::Cmp(CmpOp::Gt, v),
        "$gte" => Op::Cmp(CmpOp::Gte, v),
        "$veq" => version(CmpOp::Eq, &v),
        "$vne" => version(CmpOp::Ne, &v),
        "$vlt" => version(CmpOp::Lt, &v),
        "$vlte" => version(CmpOp::Lte, &v),
        "$vgt" => version(CmpOp::Gt, &v),
        "$vgte" => version(CmpOp::Gte, &v),
        "$regex" => Op::Regex(compile_regex(v, false)),
        "$regexi" => Op::Regex(compile_regex(v, true)),
        "$notRegex" => Op::NotRegex(compile_regex(v, false)),
        "$notRegexi" => Op::NotRegex(compile_regex(v, true)),
        "$in" | "$nin" | "$ini" | "$nini" => Op::In {
            values: match v {
                Value::Array(items) => Some(items),
                _ => None,
            },
            negate: op.starts_with("$n"),
            insensitive: op.ends_with('i'),
        },
        "$all" | "$alli" => Op::All {
            tests: match v {
                Value::Array(items) => Some(
                    items
                        .into_iter()
                        .map(|item| compile_value_test(item, depth + 1))
                        .collect(),
                ),
                _ => None,
            },
            insensitive: op == "$alli",
        },
        "$elemMatch" => {
            let value_test = matches!(&v, Value::Object(map)
                if is_operator_object(map) && !map.keys().any(|k| is_logical_key(k)));
            Op::ElemMatch(Box::new(if value_test {
                ElemTest::Value(compile_value_test(v, depth + 1))
            } else {
                ElemTest::Condition(compile_condition(v, depth + 1))
            }))
        }
        "$size" => Op::Size(Box::new(compile_value_test(v, depth + 1))),
        "$exists" => Op::Exists(js::truthy(&v)),
        "$type" => Op::Type(v),
        "$not" => Op::Not(Box::new(compile_value_test(v, depth + 1))),
        "$inGroup" | "$notInGroup" => Op::InGroup {
            id: match v {
                Value::String(id) => Some(id),
                _ => None,
            },
            negate: op == "$notInGroup",
        },
        _ if is_logical_key(op) => Op::Never,
        _ if !OPERATORS.contains(&op) => {
            log::warn!(target: "growthbook", "unknown condition operator {op:?}: conditions using it never match");
            Op::Unknown
        }
        _ => Op::Unknown,
    }
}

/// Keys that combine whole conditions rather than test one value.
pub(crate) fn is_logical_key(key: &str) -> bool {
    matches!(key, "$or" | "$and" | "$nor" | "$savedGroup")
}

/// Every value operator this SDK understands.
pub(crate) const OPERATORS: &[&str] = &[
    "$eq",
    "$ne",
    "$lt",
    "$lte",
    "$gt",
    "$gte",
    "$veq",
    "$vne",
    "$vlt",
    "$vlte",
    "$vgt",
    "$vgte",
    "$regex",
    "$regexi",
    "$notRegex",
    "$notRegexi",
    "$in",
    "$nin",
    "$ini",
    "$nini",
    "$all",
    "$alli",
    "$elemMatch",
    "$size",
    "$exists",
    "$type",
    "$not",
    "$inGroup",
    "$notInGroup",
];

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/// What a condition is evaluated against.
#[derive(Clone, Copy)]
pub(crate) enum Subject<'a> {
    /// A JSON value: the user's attributes, or an `$elemMatch` item.
    Value(&'a Value),
    /// `{"value": parent_value}`, for prerequisite conditions.
    Parent(&'a Value),
}

impl<'a> Subject<'a> {
    /// JS `getPath`: each dotted part steps into an object's member, a list's
    /// element (canonical indices only: `0`, `12`, not `01`) or a list's
    /// `length`. Missing parts give `None` (treated as `null`).
    pub(crate) fn lookup(self, path: &Path) -> Option<Found<'a>> {
        let root = match self {
            Subject::Value(v) => v,
            Subject::Parent(v) => {
                // `{"value": parent_value}`, without building that object.
                let rest = path.raw.strip_prefix("value")?;
                if rest.is_empty() {
                    return Some(Found::Value(v));
                }
                return follow(v, rest.strip_prefix('.')?);
            }
        };
        if !path.nested {
            return child(root, &path.raw);
        }
        follow(root, &path.raw)
    }
}

/// Follows dotted `parts` down from `value`.
fn follow<'a>(value: &'a Value, parts: &str) -> Option<Found<'a>> {
    let mut current = value;
    let mut parts = parts.split('.');
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
            Cond::Field { path, test } => match subject.lookup(path) {
                Some(Found::Value(actual)) => self.test_value(test, Some(actual), visiting),
                Some(Found::Length(n)) => self.test_value(test, Some(&Value::from(n)), visiting),
                None => self.test_value(test, None, visiting),
            },
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
                Ok(match subject.lookup(path) {
                    Some(Found::Value(actual)) => is_in(Some(actual), values, false),
                    Some(Found::Length(n)) => is_in(Some(&Value::from(n)), values, false),
                    None => is_in(None, values, false),
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
            Op::In {
                values,
                negate,
                insensitive,
            } => match values {
                None => false,
                Some(values) => is_in(Some(actual), values, *insensitive) != *negate,
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
                    Some(SavedGroup::Legacy(values)) => is_in(Some(actual), values, false),
                    Some(SavedGroup::List { values, .. }) => is_in(Some(actual), values, false),
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

/// `$in` membership: an array attribute matches when any item is in the list.
fn is_in(actual: Option<&Value>, values: &[Value], insensitive: bool) -> bool {
    let Some(actual) = actual else {
        return values.iter().any(Value::is_null);
    };
    let eq = |a: &Value, b: &Value| match (a, b, insensitive) {
        (Value::String(x), Value::String(y), true) => x.to_lowercase() == y.to_lowercase(),
        _ => js::strict_equals(a, b),
    };
    match actual {
        Value::Array(items) => items.iter().any(|item| values.iter().any(|v| eq(item, v))),
        _ => values.iter().any(|v| eq(actual, v)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEYS: [&str; 22] = [
        "",
        "a",
        "ab",
        "abc",
        "abcd",
        "abce",
        "abcdefg",
        "abcdefh",
        "abcdefgh",
        "abcdefgi",
        "bbcdefgh",
        "abcdefghijklmnop",
        "abcdefghijklmnoq",
        "xbcdefghijklmnop",
        "abcdefghijklmnopq",
        "abcdefghijklmnopr",
        "pricing-page-layout",
        "pricing-page-layouu",
        "qricing-page-layout",
        "abcdefghijklmnopqrstuvwxyz0123456",
        "country",
        "browser",
    ];

    #[test]
    fn same_bytes_is_equality() {
        for a in KEYS {
            for b in KEYS {
                assert_eq!(
                    js::same_bytes(a.as_bytes(), b.as_bytes()),
                    a == b,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn field_finds_what_get_finds() {
        let small: Map<String, Value> = KEYS
            .iter()
            .take(10)
            .map(|k| (k.to_string(), json!(k)))
            .collect();
        let large: Map<String, Value> = KEYS.iter().map(|k| (k.to_string(), json!(k))).collect();
        for map in [&small, &large] {
            for key in KEYS.iter().chain(&["missing", "abcdefghijklmnopqrs"]) {
                assert_eq!(js::member(map, key), map.get(*key), "{key:?}");
            }
        }
    }
}
