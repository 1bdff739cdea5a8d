//! The experiment algorithm (JS SDK `runExperiment`) and the results it
//! reports.

use crate::attributes::AttributeValue;
use crate::eval::compare;
use crate::eval::instance::GrowthBook;
use crate::eval::rules::{Chain, ParentCheck};
use crate::eval::sticky::StickyLookup;
use crate::eval::user_hash::{Lookup, UserHash};
use crate::eval::NULL;
use crate::hash::{self, PreparedSeed};
use crate::js;
use crate::model::experiment::{BanditAssignment, Experiment};
use crate::model::result::{ExperimentRef, ExperimentResult, HashValue};
use serde_json::Value;
use std::borrow::Cow;

/// An experiment rule as it ran for the user.
pub(crate) struct RuleRun<'a> {
    pub(crate) experiment: &'a Experiment,
    pub(crate) feature_key: &'a str,
    pub(crate) assignment: Assignment,
    pub(crate) routing: Option<Routing<'a>>,
}

/// How the user came out of an experiment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Assignment {
    /// The variation index, if any (may be out of range when forced).
    pub(crate) variation: Option<i64>,
    pub(crate) hash_used: bool,
    pub(crate) bucket: Option<f64>,
    pub(crate) sticky_bucket_used: bool,
    /// Whether the user was put in the experiment by hashing (tracked).
    pub(crate) track: bool,
}

impl Assignment {
    const NONE: Assignment = Assignment {
        variation: None,
        hash_used: false,
        bucket: None,
        sticky_bucket_used: false,
        track: false,
    };

    pub(crate) fn forced(variation: i64) -> Assignment {
        Assignment {
            variation: Some(variation),
            ..Assignment::NONE
        }
    }

    /// The assigned variation, when it is one of the experiment's.
    pub(crate) fn index(&self, exp: &Experiment) -> Option<usize> {
        self.variation
            .and_then(|v| usize::try_from(v).ok())
            .filter(|&v| v < exp.variations.len())
    }
}

/// The variation key of a variation without `meta`: its index.
pub(crate) fn index_key(index: usize) -> Cow<'static, str> {
    const KEYS: [&str; 16] = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
    ];
    match KEYS.get(index) {
        Some(key) => Cow::Borrowed(key),
        None => Cow::Owned(index.to_string()),
    }
}

/// How a contextual bandit routed an experiment rule.
pub(crate) struct Routing<'a> {
    /// The leaf's weights; `None` for the fallback leaf, which keeps the
    /// experiment's own.
    pub(crate) weights: Option<&'a [f64]>,
    pub(crate) leaf_id: i64,
    pub(crate) bandit_version: Option<i64>,
}

impl<A: crate::attributes::Attributes> GrowthBook<A> {
    /// The experiment (with a bandit's routing applied) and its result.
    pub(crate) fn experiment_details<'a>(
        &'a self,
        run: &RuleRun<'a>,
    ) -> (ExperimentRef<'a>, ExperimentResult<'a>) {
        let exp = run.experiment;
        let mut result = self.experiment_result(exp, &run.assignment, Some(run.feature_key));
        let Some(routing) = &run.routing else {
            return (ExperimentRef::Borrowed(exp), result);
        };
        // The weights the user was bucketed with, reported as the variation
        // weights: the fallback leaf's are the experiment's own, else equal
        // ones (JS `experiment.weights ?? getEqualWeights(n)`).
        let variation_weights = match routing.weights.or(exp.weights.as_deref()) {
            Some(weights) => weights.to_vec(),
            None => crate::hash::get_equal_weights(exp.variations.len() as i64),
        };
        let experiment = Experiment {
            weights: routing
                .weights
                .map(Into::into)
                .or_else(|| exp.weights.clone()),
            contextual_bandit: result.hash_used.then(|| {
                Box::new(BanditAssignment {
                    leaf_id: routing.leaf_id,
                    variation_weights: variation_weights.clone(),
                    bandit_version: routing.bandit_version,
                })
            }),
            ..exp.clone()
        };
        if result.hash_used {
            result.leaf_id = Some(routing.leaf_id);
            result.variation_weights = Some(variation_weights);
            result.bandit_version = routing.bandit_version;
        }
        (ExperimentRef::Owned(Box::new(experiment)), result)
    }

    /// The hash attribute and value, falling back to `fallback` when the
    /// primary attribute is missing.
    pub(crate) fn hash_attribute<'a>(
        &'a self,
        attribute: Option<&'a str>,
        fallback: Option<&'a str>,
    ) -> (&'a str, Option<AttributeValue<'a>>) {
        self.identifying(attribute.unwrap_or("id"), fallback, |v| {
            compare::is_hashable(v).then_some(v)
        })
    }

    /// `attribute`, else `fallback`, whichever first identifies the user (a
    /// non-empty string or a non-zero number), as `identify` reads it: the
    /// rule every use of a hash attribute shares.
    #[inline]
    fn identifying<'a, T>(
        &'a self,
        attribute: &'a str,
        fallback: Option<&'a str>,
        identify: impl Fn(AttributeValue<'a>) -> Option<T>,
    ) -> (&'a str, Option<T>) {
        let found = |name: &'a str| self.attributes.attribute(name).and_then(&identify);
        if let Some(v) = found(attribute) {
            return (attribute, Some(v));
        }
        if let Some(fallback) = fallback {
            if let Some(v) = found(fallback) {
                return (fallback, Some(v));
            }
        }
        (attribute, None)
    }

    /// A hash value as results report it, borrowed from the attributes
    /// (JSON or typed): a result copies nothing.
    fn reported_hash_value<'a>(
        &'a self,
        attribute: &str,
        value: Option<AttributeValue<'a>>,
    ) -> HashValue<'a> {
        let Some(value) = value else {
            return HashValue::empty();
        };
        // The JSON value itself where the attributes are JSON (a scan, not
        // a hash of the name), so that a number keeps its JSON form.
        match self
            .attributes
            .as_json()
            .and_then(Value::as_object)
            .and_then(|map| js::member(map, attribute))
        {
            Some(json) => HashValue::json(json),
            None => HashValue::attribute(value),
        }
    }

    /// The hash string of `attribute` (default `id`), or of `fallback` when
    /// that is missing; `None` when the user has neither.
    #[inline(always)]
    pub(crate) fn user_hash<'a>(
        &'a self,
        attribute: Option<&'a str>,
        fallback: Option<&'a str>,
    ) -> Option<UserHash<'a>> {
        let attribute = attribute.unwrap_or("id");
        match self.hash_memo.get(&self.attributes, attribute) {
            Lookup::Hashed(value) => Some(UserHash::Memoized(value)),
            Lookup::Absent if fallback.is_none() => None,
            Lookup::Absent | Lookup::Unknown => self.user_hash_of_attributes(attribute, fallback),
        }
    }

    /// [`Self::user_hash`] read from the attributes (not memoized).
    #[inline(never)]
    fn user_hash_of_attributes<'a>(
        &'a self,
        attribute: &'a str,
        fallback: Option<&'a str>,
    ) -> Option<UserHash<'a>> {
        // Each value's hash string built once.
        let (_, hash) = self.identifying(attribute, fallback, compare::hash_string);
        hash.map(UserHash::Attribute)
    }

    pub(crate) fn sticky_enabled(&self, disabled_by_experiment: bool) -> bool {
        self.shared.options.sticky_bucket_service.is_some() && !disabled_by_experiment
    }

    /// The experiment algorithm, in the order of the JS SDK's
    /// `runExperiment` (spec: "run" and "stickyBucket" sections): how the
    /// user comes out, before any result struct is built (the caller builds
    /// one only when it needs it).
    /// `prepared_seed` is the experiment's seed prepared for hashing, when
    /// the experiment was compiled from a rule.
    #[inline(always)]
    pub(crate) fn run_experiment(
        &self,
        exp: &Experiment,
        feature_id: Option<&str>,
        weights_override: Option<&[f64]>,
        prepared_seed: Option<&PreparedSeed>,
    ) -> Assignment {
        let not_in = |_: &Self, why: &str| {
            log::debug!(target: "growthbook", "experiment {:?}: not in experiment, {why}", exp.key);
            Assignment::NONE
        };
        let num_variations = exp.variations.len();

        // Fewer than two variations: nothing to assign.
        if num_variations < 2 {
            return not_in(self, "fewer than two variations");
        }
        // The SDK is disabled (`enabled: false`).
        if !self.shared.options.enabled {
            return not_in(self, "the SDK is disabled");
        }
        // URL targeting (`urlPatterns`, auto experiments): before any
        // override, and whatever a sticky bucket says (JS step 2.6).
        if let Some(patterns) = &exp.url_patterns {
            if !crate::url::is_url_targeted(self.url.as_deref().unwrap_or(""), patterns) {
                return not_in(self, "the URL is not targeted");
            }
        }
        // Forced by the URL's query string (`?my-experiment=1`).
        if let Some(url) = &self.url {
            if let Some(v) = hash::get_query_string_override(&exp.key, url, num_variations) {
                return Assignment::forced(v as i64);
            }
        }
        // Forced by the builder's `forced_variations`.
        if !self.shared.options.forced_variations.is_empty() {
            if let Some(&v) = self.shared.options.forced_variations.get(&exp.key) {
                return Assignment::forced(v);
            }
        }
        // Draft or inactive experiments include nobody.
        if exp.status.as_deref() == Some("draft") || exp.active == Some(false) {
            return not_in(self, "the experiment is a draft or inactive");
        }
        // The user must have a hash attribute. The fallback attribute
        // counts only with sticky bucketing (JS `_runExperiment`).
        let sticky = self.sticky_enabled(exp.sticky_bucketing_disabled());
        let fallback = if sticky {
            exp.fallback_attribute.as_deref()
        } else {
            None
        };
        let Some(user) = self.user_hash(exp.hash_attribute.as_deref(), fallback) else {
            return not_in(self, "no hash attribute");
        };

        let mut sticky_variation = None;
        let mut version_blocked = false;
        if sticky {
            match self.sticky_bucket_variation(exp) {
                StickyLookup::Found(v) => sticky_variation = Some(v),
                StickyLookup::Blocked => version_blocked = true,
                StickyLookup::None => {}
            }
        }

        // Targeting is skipped when a sticky bucket already decided.
        if sticky_variation.is_none() {
            // Mutual exclusion: hash-range filters, else the namespace.
            if let Some(filters) = &exp.filters {
                if self.is_filtered_out(filters) {
                    return not_in(self, "filtered out");
                }
            } else if let Some(ns) = &exp.namespace {
                if !hash::in_namespace_input(user.input(), ns) {
                    return not_in(self, "outside the namespace");
                }
            }
            // The targeting condition.
            if let Some(c) = &exp.condition {
                if !self.passes(c.compiled()) {
                    return not_in(self, "the targeting condition fails");
                }
            }
            // Prerequisite features (`parentConditions`).
            if let Some(parents) = &exp.parent_conditions {
                for parent in parents {
                    let root = Chain::new("", None);
                    if self.parent_passes(parent, &root) != ParentCheck::Pass {
                        return not_in(self, "a prerequisite fails");
                    }
                }
            }
            // The user must be in one of the experiment's groups (so an
            // empty list includes nobody, as in JS).
            if let Some(groups) = exp.legacy.as_ref().and_then(|l| l.groups.as_deref()) {
                let member = |g: &str| self.shared.options.groups.get(g) == Some(&true);
                if !groups.iter().any(|g| member(g)) {
                    return not_in(self, "the user is in none of its groups");
                }
            }
        }
        // Legacy URL targeting (`url`), whatever a sticky bucket says.
        if let Some(pattern) = exp.legacy.as_ref().and_then(|l| l.url.as_deref()) {
            if !crate::url::matches_legacy_pattern(self.url.as_deref(), pattern) {
                return not_in(self, "the URL does not match its `url` pattern");
            }
        }

        // Hash the user and pick the variation (a sticky bucket wins).
        let version = exp.hash_version.unwrap_or(1);
        let Some(n) = hash::hash_seeded(exp.hash_seed(), prepared_seed, user.input(), version)
        else {
            return not_in(self, "the hash version is unknown");
        };
        let assigned = match (sticky_variation, &exp.ranges) {
            (Some(v), _) => Some(v),
            (None, Some(ranges)) => hash::choose_variation(n, ranges),
            (None, None) => hash::bucket_ranges(
                num_variations,
                exp.coverage.unwrap_or(1.0),
                weights_override.or(exp.weights.as_deref()),
            )
            .position(|range| hash::in_range(n, range)),
        };
        // A sticky bucket below `minBucketVersion` unenrolls the user.
        if version_blocked {
            return Assignment {
                sticky_bucket_used: true,
                ..Assignment::NONE
            };
        }
        // Outside every bucket range (coverage).
        let Some(assigned) = assigned else {
            return not_in(self, "not in any bucket range");
        };
        // The experiment forces a variation (`force`).
        if let Some(force) = exp.force {
            return Assignment::forced(force);
        }
        // QA mode and stopped experiments include nobody.
        if self.shared.options.qa_mode || exp.status.as_deref() == Some("stopped") {
            return not_in(self, "QA mode or a stopped experiment");
        }
        // In the experiment: a tracked assignment.
        let assignment = Assignment {
            variation: Some(assigned as i64),
            hash_used: true,
            bucket: Some(n),
            sticky_bucket_used: sticky_variation.is_some(),
            track: true,
        };

        // Persist the assignment as a sticky bucket.
        if sticky {
            self.save_sticky_bucket(exp, &self.experiment_result(exp, &assignment, feature_id));
        }
        assignment
    }

    /// The full result of an assignment.
    pub(crate) fn experiment_result<'a>(
        &'a self,
        exp: &'a Experiment,
        assignment: &Assignment,
        feature_id: Option<&'a str>,
    ) -> ExperimentResult<'a> {
        let index = assignment.index(exp);
        let (in_experiment, index) = (index.is_some(), index.unwrap_or(0));
        let fallback = if self.sticky_enabled(exp.sticky_bucketing_disabled()) {
            exp.fallback_attribute.as_deref()
        } else {
            None
        };
        let (hash_attribute, hash_value) =
            self.hash_attribute(exp.hash_attribute.as_deref(), fallback);
        let meta = exp.variation_meta(index);
        ExperimentResult {
            in_experiment,
            variation_id: index,
            value: exp
                .variations
                .get(index)
                .map_or(Cow::Borrowed(&NULL), |v| Cow::Borrowed(&**v)),
            hash_used: assignment.hash_used,
            hash_attribute: Cow::Borrowed(hash_attribute),
            hash_value: self.reported_hash_value(hash_attribute, hash_value),
            feature_id: feature_id.map(Cow::Borrowed),
            key: match meta.and_then(|m| m.key()) {
                Some(k) => Cow::Borrowed(k),
                None => index_key(index),
            },
            name: meta.and_then(|m| m.name()).map(Cow::Borrowed),
            bucket: assignment.bucket,
            passthrough: meta.filter(|m| m.passthrough()).map(|_| true),
            sticky_bucket_used: assignment.sticky_bucket_used,
            leaf_id: None,
            variation_weights: None,
            bandit_version: None,
        }
    }
}
