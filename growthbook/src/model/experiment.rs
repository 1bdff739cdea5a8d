//! Experiments: the definition ([`Experiment`]) run by [`crate::GrowthBook::run`]
//! and by experiment rules of features, and its parts.

use crate::hash::{BucketRange, Namespace};
use crate::model::condition::Condition;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use std::sync::Arc;

/// A prerequisite: the feature `id` must evaluate to a value that passes
/// `condition` (written against `{"value": <feature value>}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParentCondition {
    /// Key of the prerequisite feature.
    pub id: String,
    /// Condition on `{"value": ...}` of the prerequisite.
    pub condition: Condition,
    /// When true, failing this prerequisite blocks the whole feature
    /// (source `prerequisite`) instead of skipping the rule.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub gate: bool,
}

/// A hash-range filter: the user is in only when the hash of `attribute`
/// with `seed` falls in one of `ranges`. Used for mutual exclusion.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// Attribute to hash (default `id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// The seed mixed into the hash, so that different filters bucket
    /// users independently.
    pub seed: String,
    /// Hash version (default 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash_version: Option<i64>,
    /// Accepted hash ranges.
    pub ranges: Vec<BucketRange>,
}

/// Per-variation metadata: `key`, `name`, `passthrough`, and any other
/// members as sent.
///
/// Stored compactly (a payload has one per variation of every experiment,
/// and a JSON map per variation cost four times the space): the string
/// `key` and `name` as fields, a boolean `passthrough` and anything else
/// (usually nothing) out of line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VariationMeta {
    key: Option<Box<str>>,
    name: Option<Box<str>>,
    rest: Option<Box<MetaRest>>,
}

/// The members of a [`VariationMeta`] that few variations have.
#[derive(Debug, Clone, PartialEq, Default)]
struct MetaRest {
    passthrough: Option<bool>,
    other: Box<[(Box<str>, Value)]>,
}

impl VariationMeta {
    /// The metadata of one variation, from its JSON object.
    pub fn new(members: Map<String, Value>) -> VariationMeta {
        VariationMeta::of(&members)
    }

    /// [`Self::new`] from a borrowed object (a payload's, read in place).
    pub(crate) fn of(members: &Map<String, Value>) -> VariationMeta {
        let mut meta = VariationMeta::default();
        let mut passthrough = None;
        let mut other = Vec::new();
        for (name, value) in members {
            match (name.as_str(), value) {
                ("key", Value::String(key)) => meta.key = Some(key.as_str().into()),
                ("name", Value::String(text)) => meta.name = Some(text.as_str().into()),
                ("passthrough", Value::Bool(flag)) => passthrough = Some(*flag),
                (_, value) => other.push((name.as_str().into(), value.clone())),
            }
        }
        if passthrough.is_some() || !other.is_empty() {
            meta.rest = Some(Box::new(MetaRest {
                passthrough,
                other: other.into_boxed_slice(),
            }));
        }
        meta
    }

    /// The variation's tracking key.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref().filter(|k| !k.is_empty())
    }

    /// The `key` member when it is a string, even an empty one (sticky
    /// buckets store variations by it).
    pub(crate) fn raw_key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The variation's display name.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref().filter(|k| !k.is_empty())
    }

    /// Whether users in this variation fall through to the next rule
    /// (holdout groups).
    pub fn passthrough(&self) -> bool {
        match self.rest.as_ref().and_then(|rest| rest.passthrough) {
            Some(passthrough) => passthrough,
            None => self.get("passthrough").is_some_and(crate::js::truthy),
        }
    }

    /// A member other than a string `key` or `name` or a boolean
    /// `passthrough` (those have their own accessors).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.other()
            .iter()
            .find(|(member, _)| &**member == name)
            .map(|(_, value)| value)
    }

    fn other(&self) -> &[(Box<str>, Value)] {
        self.rest.as_ref().map_or(&[], |rest| &rest.other)
    }

    /// The metadata as a JSON object (what it serializes as).
    pub fn to_json(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }
}

impl From<Map<String, Value>> for VariationMeta {
    fn from(members: Map<String, Value>) -> VariationMeta {
        VariationMeta::new(members)
    }
}

impl Serialize for VariationMeta {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        if let Some(key) = &self.key {
            map.serialize_entry("key", key)?;
        }
        if let Some(name) = &self.name {
            map.serialize_entry("name", name)?;
        }
        if let Some(passthrough) = self.rest.as_ref().and_then(|rest| rest.passthrough) {
            map.serialize_entry("passthrough", &passthrough)?;
        }
        for (name, value) in self.other() {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// A URL targeting pattern of an auto experiment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UrlPattern {
    /// `simple` (wildcards) or `regex`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The URL pattern: wildcards (`*`) for `simple`, a JS regular
    /// expression for `regex`.
    pub pattern: String,
    /// `false` for an exclusion pattern.
    pub include: bool,
}

/// The contextual-bandit leaf an experiment was routed through.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BanditAssignment {
    /// Id of the matched leaf (`-1` for the fallback to marginal weights).
    pub leaf_id: i64,
    /// The weights of that leaf.
    pub variation_weights: Vec<f64>,
    /// The bandit definition's version, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandit_version: Option<i64>,
}

/// An experiment definition. Only `key` and `variations` are required; every
/// other field is optional and absent unless set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Experiment {
    /// Globally unique tracking key.
    pub key: String,
    /// The values to choose between (any JSON). Shared: a compiled feature
    /// set keeps one copy of equal values (a control variation is usually
    /// the feature's default), so a variation is an `Arc`.
    pub variations: Vec<Arc<Value>>,
    /// Traffic split; must match `variations` and sum to 1, else equal.
    pub weights: Option<Box<[f64]>>,
    /// `Some(false)` excludes everyone.
    pub active: Option<bool>,
    /// Share of eligible users included, in `[0, 1]` (default 1).
    pub coverage: Option<f64>,
    /// Explicit bucket ranges; override `weights` and `coverage`.
    pub ranges: Option<Box<[BucketRange]>>,
    /// Targeting condition.
    pub condition: Option<Condition>,
    /// Prerequisite features.
    pub parent_conditions: Option<Box<[ParentCondition]>>,
    /// Mutual-exclusion namespace.
    pub namespace: Option<Namespace>,
    /// Everyone included gets this variation index.
    pub force: Option<i64>,
    /// Attribute to bucket on (default `id`).
    pub hash_attribute: Option<Box<str>>,
    /// Attribute to bucket on when `hash_attribute` is missing (used with
    /// sticky bucketing).
    pub fallback_attribute: Option<Box<str>>,
    /// Hash algorithm version, 1 (default) or 2.
    pub hash_version: Option<i64>,
    /// Per-variation metadata.
    pub meta: Option<Box<[VariationMeta]>>,
    /// Hash-range filters (replace `namespace`).
    pub filters: Option<Box<[Filter]>>,
    /// Hash seed (default: `key`).
    pub seed: Option<Box<str>>,
    /// Human-readable name.
    pub name: Option<Box<str>>,
    /// The experiment phase the payload describes (reported back with
    /// exposures; not used for bucketing).
    pub phase: Option<Box<str>>,
    /// Opt out of sticky bucketing.
    pub disable_sticky_bucketing: Option<bool>,
    /// Sticky-bucket version; bumping it re-buckets everyone.
    pub bucket_version: Option<i64>,
    /// Users with sticky buckets below this version are excluded.
    pub min_bucket_version: Option<i64>,
    /// Keep the current query string on URL redirects.
    pub persist_query_string: Option<bool>,
    /// An auto experiment the app starts itself: [`GrowthBook::url_redirect`]
    /// does not run it.
    ///
    /// [`GrowthBook::url_redirect`]: crate::GrowthBook::url_redirect
    pub manual: Option<bool>,
    /// URL targeting of auto experiments.
    pub url_patterns: Option<Box<[UrlPattern]>>,
    /// The reference SDKs' older targeting options of inline experiments
    /// (`url`, `groups`); boxed, as feature rules never have them.
    pub legacy: Option<Box<LegacyTargeting>>,
    /// `draft` and `stopped` experiments include nobody.
    pub status: Option<Box<str>>,
    /// Set on an experiment a contextual bandit routed (feature rules only).
    /// (Boxed: only routed experiments have one.)
    pub contextual_bandit: Option<Box<BanditAssignment>>,
}

/// Targeting options of inline experiments that the reference SDKs keep
/// from their first versions (`Experiment(url=..., groups=...)` in Python).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyTargeting {
    /// A JS regular expression that the current URL (or its path) must
    /// match. Without a URL (the builder's `url`) nobody is included; a
    /// pattern that does not compile targets every URL.
    pub url: Option<String>,
    /// Only users in one of these groups (the builder's `groups`) are
    /// included; an empty list includes nobody.
    pub groups: Option<Vec<String>>,
}

impl Experiment {
    /// An experiment with the given key and variations and every option unset.
    pub fn new(key: impl Into<String>, variations: Vec<Value>) -> Experiment {
        Experiment {
            key: key.into(),
            variations: variations.into_iter().map(Arc::new).collect(),
            ..Experiment::default()
        }
    }

    /// The seed used for hashing: `seed`, else `key`.
    pub fn hash_seed(&self) -> &str {
        self.seed.as_deref().unwrap_or(&self.key)
    }

    /// Metadata of variation `index`, if any.
    pub fn variation_meta(&self, index: usize) -> Option<&VariationMeta> {
        self.meta.as_ref().and_then(|m| m.get(index))
    }

    pub(crate) fn sticky_bucketing_disabled(&self) -> bool {
        self.disable_sticky_bucketing == Some(true)
    }
}

impl Serialize for Experiment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("key", &self.key)?;
        map.serialize_entry("variations", &Variations(&self.variations))?;
        macro_rules! opt {
            ($($name:literal => $field:expr),* $(,)?) => {$(
                if let Some(v) = &$field { map.serialize_entry($name, v)?; }
            )*};
        }
        opt!(
            "weights" => self.weights,
            "active" => self.active,
            "coverage" => self.coverage,
            "ranges" => self.ranges,
            "condition" => self.condition,
            "parentConditions" => self.parent_conditions,
            "force" => self.force,
            "hashAttribute" => self.hash_attribute,
            "fallbackAttribute" => self.fallback_attribute,
            "hashVersion" => self.hash_version,
            "meta" => self.meta,
            "filters" => self.filters,
            "seed" => self.seed,
            "name" => self.name,
            "phase" => self.phase,
            "disableStickyBucketing" => self.disable_sticky_bucketing,
            "bucketVersion" => self.bucket_version,
            "minBucketVersion" => self.min_bucket_version,
            "persistQueryString" => self.persist_query_string,
            "manual" => self.manual,
            "urlPatterns" => self.url_patterns,
            "status" => self.status,
            "contextualBandit" => self.contextual_bandit,
        );
        if let Some(ns) = &self.namespace {
            map.serialize_entry("namespace", &ns.to_json())?;
        }
        if let Some(legacy) = &self.legacy {
            opt!("url" => legacy.url, "groups" => legacy.groups);
        }
        map.end()
    }
}

/// Shared variations serialized as the JSON array they are.
struct Variations<'a>(&'a [Arc<Value>]);

impl Serialize for Variations<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|v| &**v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meta(value: Value) -> VariationMeta {
        match value {
            Value::Object(map) => VariationMeta::new(map),
            _ => unreachable!("an object"),
        }
    }

    #[test]
    fn variation_meta_reads_key_name_and_passthrough() {
        let m = meta(json!({"key": "b", "name": "Blue", "passthrough": true}));
        assert_eq!(
            (m.key(), m.name(), m.passthrough()),
            (Some("b"), Some("Blue"), true)
        );
        // Empty strings are no key or name, but a sticky bucket can still
        // store the variation under an empty key.
        let m = meta(json!({"key": "", "name": ""}));
        assert_eq!((m.key(), m.name(), m.raw_key()), (None, None, Some("")));
        // Members of other types are kept, and read as JS would.
        let m = meta(json!({"key": 7, "passthrough": 1, "color": "red"}));
        assert_eq!((m.key(), m.raw_key()), (None, None));
        assert!(m.passthrough());
        assert!(!meta(json!({"passthrough": 0})).passthrough());
        assert_eq!(m.get("color"), Some(&json!("red")));
        assert_eq!(m.get("key"), Some(&json!(7)));
    }

    #[test]
    fn variation_meta_serializes_every_member() {
        for value in [
            json!({"key": "b", "name": "Blue", "passthrough": false}),
            json!({"key": 7, "passthrough": 1, "color": {"hex": "#f00"}}),
            json!({}),
        ] {
            let m = meta(value.clone());
            assert_eq!(serde_json::to_value(&m).unwrap(), value);
            assert_eq!(Value::Object(m.to_json()), value);
            assert_eq!(VariationMeta::from(m.to_json()), m);
        }
    }
}
