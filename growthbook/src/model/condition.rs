//! Compiled targeting conditions: the operator tree a condition's
//! MongoDB-style JSON becomes (see `compile::condition`), which evaluation
//! (`eval::condition`) only walks.
//!
//! Dotted paths are split, regexes prepared (compiled on first use), version
//! strings padded and literal types fixed at compile time. Malformed input
//! compiles to a node that makes evaluation *fail closed*.

use crate::js::regex::JsRegex;
use crate::model::kept_value::KeptValue;
use crate::model::value_list::ValueList;
use serde_json::Value;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Attribute name that carries the ids of the remote saved groups a user is in.
pub(crate) const REMOTE_GROUP_IDS_ATTRIBUTE: &str = "__gb_remoteGroupIds";

/// A targeting condition, compiled from its JSON form.
///
/// Cheap to clone (the compiled tree is shared). Serializes back to the JSON it
/// was built from, which it keeps as compact text (a parsed JSON tree costs
/// several times more memory).
#[derive(Clone)]
pub struct Condition {
    pub(crate) raw: Arc<str>,
    pub(crate) compiled: Arc<Cond>,
}

impl Condition {
    /// The JSON this condition was compiled from.
    pub fn to_json(&self) -> Value {
        serde_json::from_str(&self.raw).unwrap_or(Value::Null)
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
    /// A test that is false for everyone, and can be negated like any
    /// other (a `$savedGroup` reference without a string `id`).
    Never,
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
/// a single key, which is looked up as is; only dotted ones are split (and
/// keep the rest of their parts out of line, so that conditions stay small).
#[derive(Debug, Clone)]
pub(crate) struct Path {
    /// The first part: the whole path for a single key.
    first: Box<str>,
    /// The rest of a dotted path; `None` for a single key.
    nested: Option<Box<NestedPath>>,
    /// The id of the first part (the top-level attribute name), the same
    /// for every path of this process that starts with it: instances
    /// remember where that attribute sits in their attributes by this id
    /// (see `eval::attribute_memo`).
    pub(crate) id: u32,
    /// The id of the whole path when another condition of the same feature
    /// reads it too, so that remembering what it read pays (set by
    /// `compile::condition::mark_repeated_paths`); 0 otherwise. One
    /// evaluation remembers what such a path read by it (`eval::PathCache`).
    pub(crate) cache_key: u32,
}

#[derive(Debug, Clone)]
struct NestedPath {
    raw: Box<str>,
    /// The id of the whole path.
    key: u32,
    /// The parts after the first.
    rest: Box<[PathPart]>,
}

impl Path {
    pub(crate) fn new(raw: impl Into<String>) -> Path {
        let raw: String = raw.into();
        if !raw.contains('.') {
            // A single key, kept as given.
            let first = raw.into_boxed_str();
            return Path {
                id: attribute_id(&first),
                first,
                nested: None,
                cache_key: 0,
            };
        }
        let mut parts = raw.split('.');
        let first: Box<str> = parts.next().unwrap_or("").into();
        let id = attribute_id(&first);
        let rest: Box<[PathPart]> = parts
            .map(|name| PathPart {
                name: Box::from(name),
                id: attribute_id(name),
            })
            .collect();
        let nested = (!rest.is_empty()).then(|| {
            Box::new(NestedPath {
                key: attribute_id(&raw),
                raw: raw.into_boxed_str(),
                rest,
            })
        });
        Path {
            first,
            nested,
            id,
            cache_key: 0,
        }
    }

    /// The path as written.
    pub(crate) fn raw(&self) -> &str {
        match &self.nested {
            Some(nested) => &nested.raw,
            None => &self.first,
        }
    }

    /// The id of the whole path (the same as `id` for a single key).
    pub(crate) fn key(&self) -> u32 {
        match &self.nested {
            Some(nested) => nested.key,
            None => self.id,
        }
    }

    /// Whether what this path reads is remembered within one evaluation.
    #[inline(always)]
    pub(crate) fn repeated(&self) -> bool {
        self.cache_key != 0
    }

    /// The first part: the top-level attribute.
    #[inline(always)]
    pub(crate) fn first(&self) -> &str {
        &self.first
    }

    /// The parts after the first.
    #[inline(always)]
    pub(crate) fn rest(&self) -> &[PathPart] {
        match &self.nested {
            Some(nested) => &nested.rest,
            None => &[],
        }
    }
}

/// One part of a dotted path, with its attribute id, so that a nested
/// struct resolves it to a field once, as the top level does.
#[derive(Debug, Clone)]
pub(crate) struct PathPart {
    pub(crate) name: Box<str>,
    pub(crate) id: u32,
}

/// The process-wide id of an attribute name (interned while compiling; a
/// payload names few distinct attributes). Past `u32::MAX` names, new ones
/// share id 0, which the memo never trusts for more than a hint.
fn attribute_id(name: &str) -> u32 {
    use std::collections::HashMap;
    use std::sync::Mutex;
    type Ids = HashMap<Box<str>, u32, foldhash::fast::RandomState>;
    static IDS: Mutex<Option<Ids>> = Mutex::new(None);
    let mut ids = IDS.lock().unwrap_or_else(|e| e.into_inner());
    let ids = ids.get_or_insert_with(Ids::default);
    if let Some(&id) = ids.get(name) {
        return id;
    }
    let id = u32::try_from(ids.len() + 1).unwrap_or(0);
    ids.insert(name.into(), id);
    id
}

/// A test applied to one attribute value.
#[derive(Debug)]
pub(crate) enum ValueTest {
    /// A literal: equal in type and value (arrays and objects structurally).
    /// `"attr": 5` does not match `"5"`, and `null` matches a missing attribute.
    Literal(KeptValue),
    /// An operator object: every operator must pass (`{}` has none and passes).
    Ops(Box<[Op]>),
}

/// One `$operator` of an operator object.
#[derive(Debug)]
pub(crate) enum Op {
    Eq(KeptValue),
    Ne(KeptValue),
    Cmp(CmpOp, KeptValue),
    /// `None` when the pattern is not a valid regex: never matches. (Boxed:
    /// regexes are rare, and an `Op` is as large as its largest variant.)
    Regex(Box<LazyRegex>),
    NotRegex(Box<LazyRegex>),
    In {
        /// `None` when the operand is no list (never matches); case-folded
        /// for `$ini`/`$nini`.
        values: Option<Box<ValueList>>,
        negate: bool,
    },
    All {
        tests: Option<Vec<ValueTest>>,
        insensitive: bool,
    },
    ElemMatch(Box<ElemTest>),
    Size(Box<ValueTest>),
    Exists(bool),
    Type(KeptValue),
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
    /// [`Unresolvable`](crate::eval::condition::Unresolvable)).
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
    pub(crate) fn holds(self, ord: std::cmp::Ordering) -> bool {
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

/// A regex compiled on first use, then kept: payloads often carry many
/// patterns that most users never reach, and compiling them all would
/// dominate loading. `None` when the pattern is invalid (never matches).
#[derive(Debug)]
pub(crate) struct LazyRegex {
    pub(crate) source: String,
    pub(crate) insensitive: bool,
    pub(crate) compiled: OnceLock<Option<JsRegex>>,
}

impl LazyRegex {
    pub(crate) fn get(&self) -> Option<&JsRegex> {
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
