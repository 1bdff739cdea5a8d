//! Compiling a condition's JSON into its operator tree
//! ([`crate::model::condition`]): the cold path, run once per payload.

use crate::compile::compact;
use crate::compile::json_tree::JsonTree;
use crate::js;
use crate::model::condition::{
    CmpOp, Cond, Condition, ElemTest, GroupRef, LazyRegex, Op, Path, ValueTest,
};
use crate::model::kept_value::KeptValue;
use crate::model::value_list::ValueList;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

/// Deepest condition nesting that is compiled; anything deeper fails closed.
/// (serde_json already refuses documents nested deeper than 128 levels.)
const MAX_DEPTH: usize = 256;

impl Condition {
    /// Compiles a condition. Never fails: parts that cannot be understood make
    /// the condition (or the branch they sit in) not match.
    pub fn new(raw: Value) -> Condition {
        let text: Arc<str> = raw.to_string().into();
        Condition {
            raw: text,
            compiled: Arc::new(compile_condition(JsonTree::borrowed(&raw), 0)),
        }
    }

    /// [`Self::new`] from a condition read from a payload's text.
    pub(crate) fn from_tree(raw: JsonTree<'_>) -> Condition {
        let text = serde_json::to_string(&raw).unwrap_or_default();
        Condition {
            raw: text.into(),
            compiled: Arc::new(compile_condition(raw, 0)),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(Condition::new)
    }
}

/// Whether every key of the object is an operator (and there is at least one).
fn is_operator_object(members: &[(Cow<'_, str>, JsonTree<'_>)]) -> bool {
    !members.is_empty() && members.iter().all(|(k, _)| k.starts_with('$'))
}

/// Compiles a condition, consuming its JSON: literals and lists move into
/// the tree instead of being copied.
pub(crate) fn compile_condition(value: JsonTree<'_>, depth: usize) -> Cond {
    let JsonTree::Object(map) = value else {
        return Cond::Malformed;
    };
    if depth > MAX_DEPTH {
        return Cond::Malformed;
    }
    let mut parts: Vec<Cond> =
        compact::collect(map.into_iter().map(|(key, v)| compile_entry(key, v, depth)));
    if parts.len() == 1 {
        parts.pop().unwrap_or(Cond::All(Vec::new()))
    } else {
        Cond::All(parts)
    }
}

/// The operand of `$or`, `$nor` or `$and`: a list of conditions. An empty
/// object or string has no conditions either (JS reads its `length`, Python
/// iterates it); anything else is malformed.
fn compile_list(value: JsonTree<'_>, depth: usize) -> Option<Vec<Cond>> {
    match value {
        JsonTree::Array(items) => Some(compact::collect(
            items.into_iter().map(|c| compile_condition(c, depth + 1)),
        )),
        JsonTree::Object(map) if map.is_empty() => Some(Vec::new()),
        JsonTree::String(s) if s.is_empty() => Some(Vec::new()),
        _ => None,
    }
}

pub(crate) fn compile_entry(key: Cow<'_, str>, value: JsonTree<'_>, depth: usize) -> Cond {
    match &*key {
        "$or" => compile_list(value, depth).map_or(Cond::Malformed, Cond::Any),
        "$nor" => compile_list(value, depth).map_or(Cond::Malformed, Cond::None),
        "$and" => compile_list(value, depth).map_or(Cond::Malformed, Cond::All),
        "$not" => Cond::Not(Box::new(compile_condition(value, depth + 1))),
        "$savedGroup" => compile_group_ref(&value),
        _ => Cond::Field {
            path: Path::new(key.into_owned()),
            test: compile_value_test(value, depth + 1),
        },
    }
}

/// A `$savedGroup` reference. One that names no group by a string `id`
/// (or gives a non-string `attributeKey`) matches nobody, and `$not` of it
/// everyone, as in the Python SDK (JS, which reads `$savedGroup` as an
/// attribute name, gives the same).
fn compile_group_ref(value: &JsonTree<'_>) -> Cond {
    if !matches!(value, JsonTree::Object(_)) {
        return Cond::Never;
    }
    let Some(id) = value.get("id").and_then(JsonTree::as_str) else {
        return Cond::Never;
    };
    let attribute_key = match value.get("attributeKey") {
        None => None,
        Some(JsonTree::String(s)) => Some(Path::new(&**s)),
        Some(_) => return Cond::Never,
    };
    Cond::SavedGroup(GroupRef {
        id: id.to_owned(),
        attribute_key,
    })
}

fn compile_value_test(value: JsonTree<'_>, depth: usize) -> ValueTest {
    match value {
        JsonTree::Object(map) if map.is_empty() => ValueTest::Ops(Box::default()),
        JsonTree::Object(map) if is_operator_object(&map) && depth <= MAX_DEPTH => ValueTest::Ops(
            compact::collect(map.into_iter().map(|(op, v)| compile_op(&op, v, depth)))
                .into_boxed_slice(),
        ),
        JsonTree::Object(map) if is_operator_object(&map) => {
            ValueTest::Ops(Box::new([Op::Unknown]))
        }
        other => ValueTest::Literal(KeptValue::new(other.into_value())),
    }
}

/// A pattern operator. Only a string is a pattern: JS and Python throw on
/// any other operand, so the operator fails (as for an invalid pattern).
fn compile_regex(pattern: JsonTree<'_>, insensitive: bool, negate: bool) -> Op {
    let JsonTree::String(source) = pattern else {
        return Op::Never;
    };
    let regex = Box::new(LazyRegex {
        source: source.into_owned(),
        insensitive,
        compiled: OnceLock::new(),
    });
    if negate {
        Op::NotRegex(regex)
    } else {
        Op::Regex(regex)
    }
}

fn compile_op(op: &str, v: JsonTree<'_>, depth: usize) -> Op {
    let version = |cmp, v: JsonTree<'_>| {
        let v = v.into_value();
        Op::Version {
            cmp,
            expected: (v.is_string() || v.is_number()).then(|| js::padded_version(&v)),
            numeric: v.is_number(),
        }
    };
    let kept = |v: JsonTree<'_>| KeptValue::new(v.into_value());
    match op {
        "$eq" => Op::Eq(kept(v)),
        "$ne" => Op::Ne(kept(v)),
        "$lt" => Op::Cmp(CmpOp::Lt, kept(v)),
        "$lte" => Op::Cmp(CmpOp::Lte, kept(v)),
        "$gt" => Op::Cmp(CmpOp::Gt, kept(v)),
        "$gte" => Op::Cmp(CmpOp::Gte, kept(v)),
        "$veq" => version(CmpOp::Eq, v),
        "$vne" => version(CmpOp::Ne, v),
        "$vlt" => version(CmpOp::Lt, v),
        "$vlte" => version(CmpOp::Lte, v),
        "$vgt" => version(CmpOp::Gt, v),
        "$vgte" => version(CmpOp::Gte, v),
        "$regex" => compile_regex(v, false, false),
        "$regexi" => compile_regex(v, true, false),
        "$notRegex" => compile_regex(v, false, true),
        "$notRegexi" => compile_regex(v, true, true),
        "$in" | "$nin" | "$ini" | "$nini" => {
            let insensitive = op.ends_with('i');
            Op::In {
                values: match v {
                    JsonTree::Array(items) => Some(Box::new(ValueList::new(
                        items.into_iter().map(JsonTree::into_value),
                        insensitive,
                    ))),
                    _ => None,
                },
                negate: op.starts_with("$n"),
            }
        }
        "$all" | "$alli" => Op::All {
            tests: match v {
                JsonTree::Array(items) => Some(compact::collect(
                    items
                        .into_iter()
                        .map(|item| compile_value_test(item, depth + 1)),
                )),
                _ => None,
            },
            insensitive: op == "$alli",
        },
        "$elemMatch" => {
            let value_test = matches!(&v, JsonTree::Object(map)
                if is_operator_object(map) && !map.iter().any(|(k, _)| is_logical_key(k)));
            Op::ElemMatch(Box::new(if value_test {
                ElemTest::Value(compile_value_test(v, depth + 1))
            } else {
                ElemTest::Condition(compile_condition(v, depth + 1))
            }))
        }
        "$size" => Op::Size(Box::new(compile_value_test(v, depth + 1))),
        "$exists" => Op::Exists(js::truthy(&v.into_value())),
        "$type" => Op::Type(kept(v)),
        "$not" => Op::Not(Box::new(compile_value_test(v, depth + 1))),
        "$inGroup" | "$notInGroup" => Op::InGroup {
            id: match v {
                JsonTree::String(id) => Some(id.into_owned()),
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

/// Marks the paths that several of these conditions read (or one condition
/// reads twice): evaluating a feature remembers what those read. Paths
/// inside operators (`$elemMatch` conditions) read list items, not the
/// attributes, and are left alone. Returns whether any path repeats.
pub(crate) fn mark_repeated_paths(conditions: &mut [&mut Cond]) -> bool {
    let mut seen: Vec<(u32, usize)> = Vec::new();
    for cond in conditions.iter_mut() {
        visit_paths(cond, &mut |path| {
            let key = path.key();
            if key == 0 {
                return;
            }
            match seen.iter_mut().find(|(seen, _)| *seen == key) {
                Some((_, count)) => *count += 1,
                None => seen.push((key, 1)),
            }
        });
    }
    let repeated = |key: u32| seen.iter().any(|&(k, count)| k == key && count > 1);
    let mut any = false;
    for cond in conditions.iter_mut() {
        visit_paths(cond, &mut |path| {
            let key = path.key();
            path.cache_key = if repeated(key) { key } else { 0 };
            any |= path.repeated();
        });
    }
    any
}

fn visit_paths(cond: &mut Cond, f: &mut impl FnMut(&mut Path)) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) | Cond::None(parts) => {
            parts.iter_mut().for_each(|part| visit_paths(part, f));
        }
        Cond::Not(inner) => visit_paths(inner, f),
        Cond::Field { path, .. } => f(path),
        Cond::SavedGroup(_) | Cond::Never | Cond::Malformed => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field_paths(cond: &Cond) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        let mut cond = cond;
        let mut stack = vec![];
        loop {
            match cond {
                Cond::All(parts) | Cond::Any(parts) | Cond::None(parts) => stack.extend(parts),
                Cond::Not(inner) => stack.push(inner),
                Cond::Field { path, .. } => out.push((path.raw().to_string(), path.repeated())),
                Cond::SavedGroup(_) | Cond::Never | Cond::Malformed => {}
            }
            match stack.pop() {
                Some(next) => cond = next,
                None => break,
            }
        }
        out.sort();
        out
    }

    #[test]
    fn paths_read_more_than_once_are_marked() {
        let mut a = compile_condition(
            JsonTree::from(json!({"country": "FR", "company.size": {"$gt": 5}})),
            0,
        );
        let mut b = compile_condition(
            JsonTree::from(
                json!({"$or": [{"company.size": 1}, {"plan": "pro"}], "items": {"$elemMatch": {"country": "x"}}}),
            ),
            0,
        );
        let mut c = compile_condition(
            JsonTree::from(json!({"$not": {"country": "DE"}, "company.plan": "x"})),
            0,
        );
        assert!(mark_repeated_paths(&mut [&mut a, &mut b, &mut c]));
        let marked = |cond: &Cond| field_paths(cond);
        assert_eq!(
            marked(&a),
            [("company.size".into(), true), ("country".into(), true)]
        );
        // `items` once; the `country` inside `$elemMatch` reads an item,
        // not the attributes, and is not a path of the feature's conditions.
        assert_eq!(
            marked(&b),
            [
                ("company.size".into(), true),
                ("items".into(), false),
                ("plan".into(), false)
            ]
        );
        assert_eq!(
            marked(&c),
            [("company.plan".into(), false), ("country".into(), true)]
        );
        let mut lone = compile_condition(JsonTree::from(json!({"country": "FR"})), 0);
        assert!(!mark_repeated_paths(&mut [&mut lone]));
    }
}
