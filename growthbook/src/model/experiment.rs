//! Experiments: the definition ([`Experiment`]) run by [`crate::GrowthBook::run`]
//! and by experiment rules of features, and its parts.

use crate::hash::{BucketRange, Namespace};
use crate::model::condition::Condition;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

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

/// Per-variation metadata (`key`, `name`, `passthrough`), kept as sent.
///
/// The accessors scan the (few) members rather than hash the name: every
/// experiment result reads all three.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VariationMeta(pub Map<String, Value>);

impl VariationMeta {
    /// The variation's tracking key.
    pub fn key(&self) -> Option<&str> {
        crate::js::member(&self.0, "key")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())
    }

    /// The variation's display name.
    pub fn name(&self) -> Option<&str> {
        crate::js::member(&self.0, "name")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())
    }

    /// Whether users in this variation fall through to the next rule
    /// (holdout groups).
    pub fn passthrough(&self) -> bool {
        crate::js::member(&self.0, "passthrough").is_some_and(crate::js::truthy)
    }
}

impl Serialize for VariationMeta {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
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
    /// The values to choose between (any JSON).
    pub variations: Vec<Value>,
    /// Traffic split; must match `variations` and sum to 1, else equal.
    pub weights: Option<Vec<f64>>,
    /// `Some(false)` excludes everyone.
    pub active: Option<bool>,
    /// Share of eligible users included, in `[0, 1]` (default 1).
    pub coverage: Option<f64>,
    /// Explicit bucket ranges; override `weights` and `coverage`.
    pub ranges: Option<Vec<BucketRange>>,
    /// Targeting condition.
    pub condition: Option<Condition>,
    /// Prerequisite features.
    pub parent_conditions: Option<Vec<ParentCondition>>,
    /// Mutual-exclusion namespace.
    pub namespace: Option<Namespace>,
    /// Everyone included gets this variation index.
    pub force: Option<i64>,
    /// Attribute to bucket on (default `id`).
    pub hash_attribute: Option<String>,
    /// Attribute to bucket on when `hash_attribute` is missing (used with
    /// sticky bucketing).
    pub fallback_attribute: Option<String>,
    /// Hash algorithm version, 1 (default) or 2.
    pub hash_version: Option<i64>,
    /// Per-variation metadata.
    pub meta: Option<Vec<VariationMeta>>,
    /// Hash-range filters (replace `namespace`).
    pub filters: Option<Vec<Filter>>,
    /// Hash seed (default: `key`).
    pub seed: Option<String>,
    /// Human-readable name.
    pub name: Option<String>,
    /// The experiment phase the payload describes (reported back with
    /// exposures; not used for bucketing).
    pub phase: Option<String>,
    /// Opt out of sticky bucketing.
    pub disable_sticky_bucketing: Option<bool>,
    /// Sticky-bucket version; bumping it re-buckets everyone.
    pub bucket_version: Option<i64>,
    /// Users with sticky buckets below this version are excluded.
    pub min_bucket_version: Option<i64>,
    /// Keep the current query string on URL redirects.
    pub persist_query_string: Option<bool>,
    /// URL targeting of auto experiments.
    pub url_patterns: Option<Vec<UrlPattern>>,
    /// `draft` and `stopped` experiments include nobody.
    pub status: Option<String>,
    /// Set on an experiment a contextual bandit routed (feature rules only).
    pub contextual_bandit: Option<BanditAssignment>,
}

impl Experiment {
    /// An experiment with the given key and variations and every option unset.
    pub fn new(key: impl Into<String>, variations: Vec<Value>) -> Experiment {
        Experiment {
            key: key.into(),
            variations,
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
        map.serialize_entry("variations", &self.variations)?;
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
            "urlPatterns" => self.url_patterns,
            "status" => self.status,
            "contextualBandit" => self.contextual_bandit,
        );
        if let Some(ns) = &self.namespace {
            map.serialize_entry("namespace", &ns.to_json())?;
        }
        map.end()
    }
}
