//! Feature evaluation: a feature's rules in order (JS SDK `evalFeature`):
//! prerequisites, filters, force and rollout rules, experiment rules.

use crate::eval::experiment::{Routing, RuleRun};
use crate::eval::instance::GrowthBook;
use crate::eval::subject::{PathCache, Paths, Subject};
use crate::eval::NULL;
use crate::hash::{self};
use crate::model::experiment::ParentCondition;
use crate::model::feature_table::KeySlot;
use crate::model::features::{Bandit, Feature, ForceRule, RuleAction};
use crate::model::result::{FeatureResult, FeatureSource};
use serde_json::Value;
use std::borrow::Cow;

/// Features being evaluated up the prerequisite chain, to detect cycles.
pub(crate) type Chain<'p> = crate::visiting::Visiting<'p>;

/// A feature's evaluation before any public result is built: `is_on` and
/// typed accessors need only the value, so nothing more is assembled.
pub(crate) struct Resolved<'a> {
    pub(crate) value: &'a Value,
    pub(crate) source: FeatureSource,
    pub(crate) rule_id: &'a str,
    /// The experiment rule that assigned the value.
    pub(crate) experiment: Option<RuleRun<'a>>,
}

impl<'a> Resolved<'a> {
    pub(crate) fn new(value: &'a Value, source: FeatureSource) -> Resolved<'a> {
        Resolved {
            value,
            source,
            rule_id: "",
            experiment: None,
        }
    }
}

impl<A: crate::attributes::Attributes> GrowthBook<A> {
    /// The feature's value and source, reporting the usage: what `is_on`,
    /// `get_feature_value` and typed accessors need, without building a
    /// [`FeatureResult`] unless a usage callback wants one.
    pub(crate) fn value_of(&self, key: &str) -> (&Value, FeatureSource) {
        self.value_of_found(key, self.lookup(key))
    }

    /// The feature with this key in the feature set, with its key as stored.
    #[inline]
    pub(crate) fn lookup(&self, key: &str) -> Option<(&str, &Feature)> {
        self.shared
            .features
            .features
            .get(key)
            .map(|(_, k, f)| (k, f))
    }

    /// Calls the feature-usage callback, if any, and returns value and source.
    pub(crate) fn report_usage<'a>(
        &'a self,
        key: &str,
        resolved: Resolved<'a>,
    ) -> (&'a Value, FeatureSource) {
        let (value, source) = (resolved.value, resolved.source);
        if source != FeatureSource::Override {
            if let Some(cb) = &self.shared.options.on_feature_usage {
                cb(key, &self.feature_result(&resolved), self.user_context());
            }
        }
        (value, source)
    }

    /// The public result of a resolved feature.
    #[inline]
    pub(crate) fn feature_result<'a>(&'a self, resolved: &Resolved<'a>) -> FeatureResult<'a> {
        // Each arm one struct literal, so that the result is written where
        // the caller wants it rather than built and copied (it is 400
        // bytes; a shared base through `..` measured 16-38 instructions
        // more per evaluation).
        let on = crate::js::truthy(resolved.value);
        match &resolved.experiment {
            None => FeatureResult {
                value: Cow::Borrowed(resolved.value),
                on,
                off: !on,
                source: resolved.source,
                rule_id: Cow::Borrowed(resolved.rule_id),
                experiment: None,
                experiment_result: None,
            },
            Some(run) => {
                let (experiment, result) = self.experiment_details(run);
                FeatureResult {
                    value: Cow::Borrowed(resolved.value),
                    on,
                    off: !on,
                    source: resolved.source,
                    rule_id: Cow::Borrowed(resolved.rule_id),
                    experiment: Some(experiment),
                    experiment_result: Some(result),
                }
            }
        }
    }

    /// Looks a feature up and runs its rules.
    pub(crate) fn resolve_key<'a>(&'a self, key: &str, chain: Option<&Chain<'_>>) -> Resolved<'a> {
        self.resolve(key, self.lookup(key), chain)
    }

    /// Evaluates a feature whose position `slot` remembers (typed accessors),
    /// looking it up by key only when the position is stale.
    #[inline]
    pub(crate) fn value_of_slot(&self, slot: &KeySlot) -> (&Value, FeatureSource) {
        let table = &self.shared.features.features;
        let key = slot.key();
        let found = match slot.position(table.id).and_then(|i| table.at(i)) {
            Some(found) => Some(found),
            None => table.get(key).map(|(i, k, f)| {
                slot.remember(table.id, i);
                (k, f)
            }),
        };
        self.value_of_found(key, found)
    }

    /// Value and source of a feature already looked up, reporting the usage.
    #[inline]
    pub(crate) fn value_of_found<'a>(
        &'a self,
        key: &str,
        found: Option<(&'a str, &'a Feature)>,
    ) -> (&'a Value, FeatureSource) {
        if let Some(plain) = self.plain(key, found) {
            return plain;
        }
        let resolved = self.resolve(key, found, None);
        self.report_usage(key, resolved)
    }

    /// The commonest flags need no rule machinery: a feature without rules,
    /// or an unknown one, when no forced value or usage callback can change
    /// the outcome. Their value and source at once; `None` for the others.
    #[inline]
    pub(crate) fn plain<'a>(
        &self,
        key: &str,
        found: Option<(&'a str, &'a Feature)>,
    ) -> Option<(&'a Value, FeatureSource)> {
        if !self.shared.plain {
            return None;
        }
        match found {
            Some((_, feature)) if feature.rules.is_empty() => {
                Some((&feature.default_value, FeatureSource::DefaultValue))
            }
            None => {
                log::debug!(target: "growthbook", "feature {key:?} is unknown");
                Some((&NULL, FeatureSource::UnknownFeature))
            }
            Some(_) => None,
        }
    }

    /// Runs a feature's rules (JS SDK `evalFeature`): a forced override
    /// first, then each rule in order (prerequisites, filters, condition,
    /// rollout, experiment), else the default value.
    pub(crate) fn resolve<'a>(
        &'a self,
        key: &str,
        found: Option<(&'a str, &'a Feature)>,
        chain: Option<&Chain<'_>>,
    ) -> Resolved<'a> {
        if Chain::contains(chain, key) {
            log::warn!(target: "growthbook", "feature {key:?}: prerequisite cycle detected");
            return Resolved::new(&NULL, FeatureSource::CyclicPrerequisite);
        }
        if !self.shared.options.forced_features.is_empty() {
            if let Some(forced) = self.shared.options.forced_features.get(key) {
                return Resolved::new(forced, FeatureSource::Override);
            }
        }
        let Some((feature_key, feature)) = found else {
            log::debug!(target: "growthbook", "feature {key:?} is unknown");
            return Resolved::new(&NULL, FeatureSource::UnknownFeature);
        };
        if feature.rules.is_empty() {
            return Resolved::new(&feature.default_value, FeatureSource::DefaultValue);
        }
        let here = Chain::new(key, chain);
        // Rules often test the same attributes: each such path is read once.
        let (json_paths, typed_paths);
        let paths = if !feature.repeats_paths {
            Paths::None
        } else if self.attributes.as_json().is_some() {
            json_paths = PathCache::new();
            Paths::Json(&json_paths)
        } else {
            typed_paths = PathCache::new();
            Paths::Typed(&typed_paths)
        };

        'rules: for rule in &feature.rules {
            if let Some(extras) = &rule.extras {
                for parent in &extras.parent_conditions {
                    match self.parent_passes(parent, &here) {
                        ParentCheck::Pass => {}
                        ParentCheck::Cycle => {
                            return Resolved::new(&NULL, FeatureSource::CyclicPrerequisite);
                        }
                        ParentCheck::Fail if parent.gate => {
                            log::debug!(target: "growthbook", "feature {key:?}: blocked by prerequisite {:?}", parent.id);
                            return Resolved::new(&NULL, FeatureSource::Prerequisite);
                        }
                        ParentCheck::Fail => continue 'rules,
                    }
                }
                if let Some(filters) = &extras.filters {
                    if self.is_filtered_out(filters) {
                        continue;
                    }
                }
            }
            match &rule.action {
                RuleAction::Nothing => {}
                RuleAction::Force(force) => {
                    if let Some(c) = &force.condition {
                        if !self.passes_with(c, paths) {
                            continue;
                        }
                    }
                    if !self.included_in_rollout(force, feature_key) {
                        continue;
                    }
                    for (exp, res) in rule.extras.iter().flat_map(|extras| &extras.tracks) {
                        self.track(exp, res);
                    }
                    log::debug!(target: "growthbook", "feature {key:?}: forced by rule {:?}", rule.id);
                    return Resolved {
                        rule_id: &rule.id,
                        ..Resolved::new(&force.value, FeatureSource::Force)
                    };
                }
                RuleAction::Experiment(exp_rule) => {
                    if let Some(resolved) =
                        self.run_experiment_rule(key, feature_key, rule, exp_rule)
                    {
                        return resolved;
                    }
                }
            }
        }
        Resolved::new(&feature.default_value, FeatureSource::DefaultValue)
    }

    /// An experiment rule: the assigned variation, or `None` to go on with
    /// the next rule. (Kept out of line so that the common paths of
    /// [`Self::resolve`] stay small.)
    #[inline(never)]
    pub(crate) fn run_experiment_rule<'a>(
        &'a self,
        key: &str,
        feature_key: &'a str,
        rule: &'a crate::model::features::Rule,
        exp_rule: &'a crate::model::features::ExperimentRule,
    ) -> Option<Resolved<'a>> {
        let exp = &exp_rule.experiment;
        let bandit = exp_rule
            .bandit_ref()
            .and_then(|id| self.shared.features.bandits.get(id));
        let routing = bandit.map(|b| self.route(b));
        let assignment = self.run_experiment(
            exp,
            Some(feature_key),
            routing.as_ref().and_then(|r| r.weights),
            Some(&exp_rule.prepared_seed),
        );
        let run = RuleRun {
            experiment: exp,
            feature_key,
            assignment,
            routing,
        };
        if assignment.track && self.shared.options.on_experiment_viewed.is_some() {
            let (experiment, result) = self.experiment_details(&run);
            self.track(&experiment, &result);
        }
        let index = assignment.index(exp)?;
        if exp_rule.passes_through(index) {
            return None;
        }
        log::debug!(target: "growthbook", "feature {key:?}: experiment {:?} assigned variation {index}", exp.key);
        Some(Resolved {
            value: &exp.variations[index],
            source: FeatureSource::Experiment,
            rule_id: &rule.id,
            experiment: Some(run),
        })
    }

    /// The bandit leaf for this user: the first whose condition matches, else
    /// leaf `-1`, which keeps the rule's own (marginal) weights.
    pub(crate) fn route<'a>(&'a self, bandit: &'a Bandit) -> Routing<'a> {
        let leaf = bandit
            .leaves
            .iter()
            .find(|leaf| self.passes(&leaf.condition));
        match leaf {
            Some(leaf) => Routing {
                weights: Some(&leaf.weights),
                leaf_id: leaf.leaf_id,
                bandit_version: bandit.version,
            },
            None => Routing {
                weights: None,
                leaf_id: -1,
                bandit_version: bandit.version,
            },
        }
    }

    pub(crate) fn parent_passes(&self, parent: &ParentCondition, chain: &Chain<'_>) -> ParentCheck {
        let parent_result = self.resolve_key(&parent.id, Some(chain));
        if parent_result.source == FeatureSource::CyclicPrerequisite {
            return ParentCheck::Cycle;
        }
        let passes = self.eval_ctx().matches(
            parent.condition.compiled(),
            Subject::parent(parent_result.value),
        );
        if passes {
            ParentCheck::Pass
        } else {
            ParentCheck::Fail
        }
    }

    pub(crate) fn included_in_rollout(&self, rule: &ForceRule, feature_key: &str) -> bool {
        let Some(rollout) = &rule.rollout else {
            return true;
        };
        let fallback = if self.sticky_enabled(rollout.disable_sticky_bucketing) {
            rollout.fallback_attribute.as_deref()
        } else {
            None
        };
        let Some(user) = self.user_hash(rollout.hash_attribute.as_deref(), fallback) else {
            return false;
        };
        let seed = rollout.seed.as_deref().unwrap_or(feature_key);
        let version = rollout.hash_version;
        let prepared = Some(&rollout.prepared_seed);
        hash::hash_seeded(seed, prepared, user.input(), version)
            .is_some_and(|n| rollout.share.includes(n))
    }

    pub(crate) fn is_filtered_out(&self, filters: &[crate::model::experiment::Filter]) -> bool {
        filters.iter().any(|filter| {
            let Some(user) = self.user_hash(filter.attribute.as_deref(), None) else {
                return true;
            };
            let version = filter.hash_version.unwrap_or(2);
            match hash::hash_seeded(&filter.seed, None, user.input(), version) {
                None => true,
                Some(n) => !filter.ranges.iter().any(|r| hash::in_range(n, *r)),
            }
        })
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ParentCheck {
    Pass,
    Fail,
    Cycle,
}
