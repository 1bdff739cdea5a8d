//! The feature set: a payload compiled once (see `compile::features`), then
//! shared behind an `Arc` by every [`crate::GrowthBook`] instance that uses it.

use crate::hash::{BucketRange, PreparedSeed};
use crate::model::condition::Cond;
use crate::model::experiment::{Experiment, Filter, ParentCondition};
use crate::model::feature_table::FeatureTable;
use crate::model::kept_value::KeptValue;
use crate::model::result::ExperimentResult;
use crate::model::saved_groups::SavedGroups;
use crate::model::FastMap;
use serde_json::Value;

/// A compiled, immutable set of features, auto experiments, saved groups and
/// contextual bandits.
///
/// Build it once per payload ([`FeatureSet::from_json`] /
/// [`FeatureSet::from_json_str`]), wrap it in an `Arc`, and hand it to as
/// many [`crate::GrowthBook`] instances as you like.
#[derive(Debug, Default)]
pub struct FeatureSet {
    pub(crate) features: FeatureTable,
    pub(crate) experiments: Vec<Experiment>,
    pub(crate) saved_groups: SavedGroups,
    pub(crate) bandits: FastMap<Bandit>,
    /// Every attribute an experiment may bucket on (for sticky bucketing).
    pub(crate) sticky_attributes: Vec<String>,
    pub(crate) date_updated: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Feature {
    pub(crate) default_value: KeptValue,
    pub(crate) rules: Box<[Rule]>,
    /// Whether its force rules' conditions read some attribute path more
    /// than once: evaluation then remembers what paths read.
    pub(crate) repeats_paths: bool,
}

#[derive(Debug)]
pub(crate) struct Rule {
    // Boxed slices rather than vectors: a payload has thousands of rules,
    // kept as long as the set.
    pub(crate) id: Box<str>,
    /// Prerequisites, hash filters and tracked results: few rules have
    /// them, so they are kept out of line.
    pub(crate) extras: Option<Box<RuleExtras>>,
    pub(crate) action: RuleAction,
}

/// What few rules have: prerequisite features and hash filters, checked
/// before the rule's action, and the results a force rule reports to the
/// tracking callback when it applies (`tracks`).
#[derive(Debug)]
pub(crate) struct RuleExtras {
    pub(crate) parent_conditions: Box<[ParentCondition]>,
    pub(crate) filters: Option<Box<[Filter]>>,
    pub(crate) tracks: Box<[(Experiment, ExperimentResult<'static>)]>,
}

#[derive(Debug)]
pub(crate) enum RuleAction {
    /// Assign a fixed value (optionally to a rollout share).
    Force(Box<ForceRule>),
    /// Run an experiment.
    Experiment(Box<ExperimentRule>),
    /// Neither: only its prerequisites (gates) matter.
    Nothing,
}

#[derive(Debug)]
pub(crate) struct ForceRule {
    pub(crate) value: KeptValue,
    pub(crate) condition: Option<Cond>,
    /// The share of users the value goes to; `None` for everyone (most
    /// force rules: kept out of line so that they stay small).
    pub(crate) rollout: Option<Box<Rollout>>,
}

/// How a force rule picks its share of users (`coverage` or `range`).
#[derive(Debug)]
pub(crate) struct Rollout {
    pub(crate) share: Share,
    pub(crate) seed: Option<Box<str>>,
    pub(crate) hash_attribute: Option<Box<str>>,
    pub(crate) fallback_attribute: Option<Box<str>>,
    /// `hashVersion`, 1 when absent.
    pub(crate) hash_version: i64,
    pub(crate) disable_sticky_bucketing: bool,
    /// The seed (`seed`, else the feature key) prepared for the hash
    /// version.
    pub(crate) prepared_seed: PreparedSeed,
}

/// Which users a rollout includes, by their hash.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Share {
    /// Those whose hash falls in the range (a rule's `range`, which wins
    /// over its `coverage`).
    Range(BucketRange),
    /// Those whose hash is below the coverage.
    Coverage(f64),
}

impl Share {
    /// A rule's share; `None` when it has neither (everyone is included).
    pub(crate) fn of(range: Option<BucketRange>, coverage: Option<f64>) -> Option<Share> {
        match (range, coverage) {
            (Some(range), _) => Some(Share::Range(range)),
            (None, Some(coverage)) => Some(Share::Coverage(coverage)),
            (None, None) => None,
        }
    }

    /// Whether a user with hash `n` is included.
    #[inline]
    pub(crate) fn includes(self, n: f64) -> bool {
        match self {
            Share::Range(range) => crate::hash::in_range(n, range),
            Share::Coverage(coverage) => n < coverage,
        }
    }
}

#[derive(Debug)]
pub(crate) struct ExperimentRule {
    pub(crate) experiment: Experiment,
    /// The experiment's hash seed prepared for its hash version.
    pub(crate) prepared_seed: PreparedSeed,
    /// What few experiment rules have (out of line: a set keeps one rule
    /// per experiment).
    pub(crate) routing: Option<Box<ExperimentRouting>>,
}

/// How an experiment rule hands users on: through a contextual bandit,
/// or to the next rule for passthrough (holdout) variations.
#[derive(Debug)]
pub(crate) struct ExperimentRouting {
    pub(crate) bandit_ref: Option<Box<str>>,
    /// Which variations pass through to the next rule (empty when none
    /// does), read once from `meta` rather than on every evaluation.
    pub(crate) passthrough: Box<[bool]>,
}

impl ExperimentRule {
    /// The contextual bandit that routes this rule, if any.
    pub(crate) fn bandit_ref(&self) -> Option<&str> {
        self.routing.as_ref()?.bandit_ref.as_deref()
    }

    /// Whether users assigned variation `index` go on to the next rule.
    pub(crate) fn passes_through(&self, index: usize) -> bool {
        self.routing
            .as_ref()
            .and_then(|routing| routing.passthrough.get(index).copied())
            .unwrap_or(false)
    }
}

/// A contextual bandit: the first leaf whose condition matches the user
/// decides the variation weights.
#[derive(Debug)]
pub(crate) struct Bandit {
    pub(crate) version: Option<i64>,
    pub(crate) leaves: Vec<BanditLeaf>,
}

#[derive(Debug)]
pub(crate) struct BanditLeaf {
    pub(crate) leaf_id: i64,
    pub(crate) condition: Cond,
    pub(crate) weights: Vec<f64>,
}

impl FeatureSet {
    /// The feature keys and their default values, for listing flags.
    pub fn defaults(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.features.iter().map(|(k, f)| (k, &*f.default_value))
    }

    /// Whether the set has a feature with this key.
    pub fn contains(&self, key: &str) -> bool {
        self.features.position(key).is_some()
    }

    /// The feature keys (in no particular order).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.features.iter().map(|(k, _)| k)
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether there are no features.
    pub fn is_empty(&self) -> bool {
        self.features.len() == 0
    }

    /// The auto experiments of the payload.
    pub fn experiments(&self) -> &[Experiment] {
        &self.experiments
    }

    /// The payload's `dateUpdated`, if present.
    pub fn date_updated(&self) -> Option<&str> {
        self.date_updated.as_deref()
    }

    /// The default value of a feature.
    pub fn default_value(&self, key: &str) -> Option<&Value> {
        self.features.get(key).map(|(_, _, f)| &*f.default_value)
    }
}
