//! The [`GrowthBook`] instance: one user's attributes plus a shared feature
//! set, and the evaluation algorithm (features, rules, experiments, sticky
//! buckets, tracking).

use crate::condition::{EvalContext, Subject, REMOTE_GROUP_IDS_ATTRIBUTE};
use crate::experiment::{BanditAssignment, Experiment, ParentCondition};
use crate::features::{Bandit, FeatureSet, ForceRule, RuleAction};
use crate::hash::{self, BucketRange};
use crate::js;
use crate::result::{ExperimentResult, FeatureResult, FeatureSource};
use crate::sticky::{doc_key, StickyAssignmentsDocument, StickyBucketService};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

/// Called when a user is put in an experiment: `(experiment, result)`.
pub type ExperimentViewedCallback = Arc<dyn Fn(&Experiment, &ExperimentResult<'_>) + Send + Sync>;

/// Called on every feature evaluation: `(feature_key, result)`.
pub type FeatureUsageCallback = Arc<dyn Fn(&str, &FeatureResult<'_>) + Send + Sync>;

static NULL: Value = Value::Null;
static EMPTY_STRING: Value = Value::String(String::new());

/// Options shared by every instance made from one builder.
#[derive(Clone, Default)]
struct Options {
    enabled: bool,
    qa_mode: bool,
    on_experiment_viewed: Option<ExperimentViewedCallback>,
    on_feature_usage: Option<FeatureUsageCallback>,
    sticky_bucket_service: Option<Arc<dyn StickyBucketService>>,
    forced_variations: HashMap<String, i64>,
    forced_features: HashMap<String, Value>,
}

/// Per-instance mutable state: which experiments were tracked, and the
/// sticky bucket documents seen so far.
#[derive(Default)]
struct State {
    /// (hash attribute, hash value, experiment key, variation) already tracked.
    tracked: HashSet<(String, String, String, usize)>,
    sticky_docs: HashMap<String, StickyAssignmentsDocument>,
    sticky_loaded: HashSet<String>,
}

/// Evaluates features and experiments for one user.
///
/// Creating one is cheap: the compiled [`FeatureSet`] and the options are
/// shared through `Arc`s, so the usual pattern is one instance per request
/// (see [`GrowthBook::with_attributes`]). `GrowthBook` is `Send + Sync`.
///
/// ```
/// use growthbook::GrowthBook;
/// use serde_json::json;
///
/// let gb = GrowthBook::builder()
///     .features_json(&json!({"features": {"dark-mode": {"defaultValue": true}}}))
///     .unwrap()
///     .attributes(json!({"id": "123"}))
///     .build();
/// assert!(gb.is_on("dark-mode"));
/// assert_eq!(gb.get_feature_value("missing", 7), 7);
/// ```
pub struct GrowthBook {
    features: Arc<FeatureSet>,
    attributes: Value,
    url: Option<String>,
    options: Arc<Options>,
    state: Mutex<State>,
}

impl fmt::Debug for GrowthBook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GrowthBook")
            .field("features", &self.features.len())
            .field("attributes", &self.attributes)
            .field("url", &self.url)
            .field("enabled", &self.options.enabled)
            .field("qa_mode", &self.options.qa_mode)
            .finish_non_exhaustive()
    }
}

/// Builds a [`GrowthBook`]; every option of the reference SDK's constructor.
#[derive(Clone)]
pub struct GrowthBookBuilder {
    features: Arc<FeatureSet>,
    attributes: Value,
    remote_group_ids: Option<Vec<String>>,
    url: Option<String>,
    options: Options,
    sticky_docs: HashMap<String, StickyAssignmentsDocument>,
}

impl Default for GrowthBookBuilder {
    fn default() -> Self {
        GrowthBookBuilder {
            features: Arc::new(FeatureSet::default()),
            attributes: Value::Object(Map::new()),
            remote_group_ids: None,
            url: None,
            options: Options {
                enabled: true,
                ..Options::default()
            },
            sticky_docs: HashMap::new(),
        }
    }
}

impl GrowthBookBuilder {
    /// Uses an already compiled, shared feature set.
    pub fn features(mut self, features: Arc<FeatureSet>) -> Self {
        self.features = features;
        self
    }

    /// Compiles a payload (`{"features": ..., "savedGroups": ..., ...}`).
    pub fn features_json(mut self, payload: &Value) -> Result<Self, crate::Error> {
        self.features = Arc::new(FeatureSet::from_json(payload)?);
        Ok(self)
    }

    /// User attributes, a JSON object (anything else counts as no attributes).
    pub fn attributes(mut self, attributes: Value) -> Self {
        self.attributes = attributes;
        self
    }

    /// Ids of the remote saved groups the user belongs to, as resolved by
    /// your server. Takes precedence over the `__gb_remoteGroupIds` attribute.
    pub fn remote_group_ids(mut self, ids: Vec<String>) -> Self {
        self.remote_group_ids = Some(ids);
        self
    }

    /// The URL of the current request (for `?experiment-key=N` overrides and
    /// URL-targeted experiments).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// `false` disables every experiment (features still evaluate).
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.options.enabled = enabled;
        self
    }

    /// In QA mode nobody is randomly assigned; only forced variations apply.
    pub fn qa_mode(mut self, qa_mode: bool) -> Self {
        self.options.qa_mode = qa_mode;
        self
    }

    /// Called once per experiment, variation and user when a user is put in
    /// an experiment: send it to your analytics.
    pub fn on_experiment_viewed(
        mut self,
        callback: impl Fn(&Experiment, &ExperimentResult<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.options.on_experiment_viewed = Some(Arc::new(callback));
        self
    }

    /// Called on every feature evaluation (except forced overrides).
    pub fn on_feature_usage(
        mut self,
        callback: impl Fn(&str, &FeatureResult<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.options.on_feature_usage = Some(Arc::new(callback));
        self
    }

    /// Persists variation assignments (see [`StickyBucketService`]).
    pub fn sticky_bucket_service(mut self, service: Arc<dyn StickyBucketService>) -> Self {
        self.options.sticky_bucket_service = Some(service);
        self
    }

    /// Sticky bucket documents already known for this user (saves lookups).
    pub fn sticky_bucket_assignment_docs(
        mut self,
        docs: HashMap<String, StickyAssignmentsDocument>,
    ) -> Self {
        self.sticky_docs = docs;
        self
    }

    /// Experiment key -> variation index, for QA.
    pub fn forced_variations(mut self, forced: HashMap<String, i64>) -> Self {
        self.options.forced_variations = forced;
        self
    }

    /// Feature key -> value, overriding evaluation entirely (source `override`).
    pub fn forced_features(mut self, forced: HashMap<String, Value>) -> Self {
        self.options.forced_features = forced;
        self
    }

    /// Builds the instance.
    pub fn build(self) -> GrowthBook {
        let attributes = effective_attributes(self.attributes, self.remote_group_ids.as_deref());
        let loaded = self.sticky_docs.keys().cloned().collect();
        GrowthBook {
            features: self.features,
            attributes,
            url: self.url,
            options: Arc::new(self.options),
            state: Mutex::new(State {
                sticky_docs: self.sticky_docs,
                sticky_loaded: loaded,
                ..State::default()
            }),
        }
    }
}

fn effective_attributes(attributes: Value, remote_group_ids: Option<&[String]>) -> Value {
    let mut attributes = match attributes {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            log::warn!(target: "growthbook", "attributes should be a JSON object, found {}; using none", crate::wire::kind(&other));
            Map::new()
        }
    };
    if let Some(ids) = remote_group_ids {
        attributes.insert(
            REMOTE_GROUP_IDS_ATTRIBUTE.to_owned(),
            Value::Array(ids.iter().cloned().map(Value::String).collect()),
        );
    }
    Value::Object(attributes)
}

/// Features being evaluated up the prerequisite chain, to detect cycles.
struct Chain<'p> {
    key: &'p str,
    parent: Option<&'p Chain<'p>>,
}

impl Chain<'_> {
    fn contains(chain: Option<&Chain<'_>>, key: &str) -> bool {
        let mut cur = chain;
        while let Some(c) = cur {
            if c.key == key {
                return true;
            }
            cur = c.parent;
        }
        false
    }
}

/// How a contextual bandit routed an experiment rule.
struct Routing<'a> {
    weights: &'a [f64],
    leaf_id: i64,
    bandit_version: Option<i64>,
}

impl GrowthBook {
    /// Starts a builder with the defaults: enabled, no features, no attributes.
    pub fn builder() -> GrowthBookBuilder {
        GrowthBookBuilder::default()
    }

    /// A new instance for another user, sharing this one's features and
    /// options (callbacks, sticky bucket service, forced values). Cheap: no
    /// feature is copied. Tracking state starts empty.
    pub fn with_attributes(&self, attributes: Value) -> GrowthBook {
        GrowthBook {
            features: Arc::clone(&self.features),
            attributes: effective_attributes(attributes, None),
            url: self.url.clone(),
            options: Arc::clone(&self.options),
            state: Mutex::new(State::default()),
        }
    }

    /// The shared feature set (the reference SDK's `get_features`).
    pub fn feature_set(&self) -> &Arc<FeatureSet> {
        &self.features
    }

    /// Replaces the feature set (e.g. after a refresh).
    pub fn set_features(&mut self, features: Arc<FeatureSet>) {
        self.features = features;
    }

    /// The user's attributes.
    pub fn attributes(&self) -> &Value {
        &self.attributes
    }

    /// Replaces the user's attributes.
    pub fn set_attributes(&mut self, attributes: Value) {
        self.attributes = effective_attributes(attributes, None);
    }

    /// The current URL, if set.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// Sets the current URL.
    pub fn set_url(&mut self, url: impl Into<String>) {
        self.url = Some(url.into());
    }

    /// Sets forced variations (experiment key -> index).
    pub fn set_forced_variations(&mut self, forced: HashMap<String, i64>) {
        Arc::make_mut(&mut self.options).forced_variations = forced;
    }

    /// Sets forced feature values.
    pub fn set_forced_features(&mut self, forced: HashMap<String, Value>) {
        Arc::make_mut(&mut self.options).forced_features = forced;
    }

    /// Whether the feature's value is truthy.
    pub fn is_on(&self, key: &str) -> bool {
        self.eval_feature(key).on
    }

    /// Whether the feature's value is falsy (or the feature is unknown).
    pub fn is_off(&self, key: &str) -> bool {
        self.eval_feature(key).off
    }

    /// The feature's value as `T`, or `fallback` when the feature is unknown,
    /// `null`, or its value does not deserialize into `T` (logged).
    pub fn get_feature_value<T: DeserializeOwned>(&self, key: &str, fallback: T) -> T {
        let result = self.eval_feature(key);
        if result.value.is_null() {
            return fallback;
        }
        match T::deserialize(result.value.as_ref()) {
            Ok(v) => v,
            Err(e) => {
                log::warn!(target: "growthbook", "feature {key:?}: value {} does not fit the requested type ({e}); using the fallback", result.value);
                fallback
            }
        }
    }

    /// The feature's raw JSON value (`null` when unknown), borrowed.
    pub fn feature_value(&self, key: &str) -> Cow<'_, Value> {
        self.eval_feature(key).value
    }

    /// Evaluates a feature and says why it has its value.
    pub fn eval_feature(&self, key: &str) -> FeatureResult<'_> {
        let result = self.eval_feature_in(key, None);
        if result.source != FeatureSource::Override {
            if let Some(cb) = &self.options.on_feature_usage {
                cb(key, &result);
            }
        }
        result
    }

    /// Runs an experiment directly (not through a feature).
    pub fn run<'a>(&'a self, experiment: &'a Experiment) -> ExperimentResult<'a> {
        let (result, track) = self.run_experiment(experiment, None, None);
        if track {
            self.track(experiment, &result);
        }
        result
    }

    /// The sticky bucket documents for this user's identities, loading any
    /// not yet loaded from the sticky bucket service.
    pub fn sticky_bucket_assignment_docs(&self) -> HashMap<String, StickyAssignmentsDocument> {
        for attr in &self.features.sticky_attributes {
            if let Some(value) = self.hash_value_of(attr) {
                let value = js::hash_string(value).unwrap_or_default();
                let mut state = self.lock();
                self.load_sticky_doc(&mut state, attr, &value);
            }
        }
        self.lock().sticky_docs.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a callback panicked; the state is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn subject(&self) -> Subject<'_> {
        Subject::Value(&self.attributes)
    }

    fn eval_ctx(&self) -> EvalContext<'_> {
        EvalContext {
            groups: &self.features.saved_groups,
        }
    }

    fn condition_passes(&self, condition: &crate::Condition) -> bool {
        self.eval_ctx()
            .matches(condition.compiled(), self.subject())
    }

    fn eval_feature_in<'a>(&'a self, key: &str, chain: Option<&Chain<'_>>) -> FeatureResult<'a> {
        if Chain::contains(chain, key) {
            log::warn!(target: "growthbook", "feature {key:?}: prerequisite cycle detected");
            return FeatureResult::new(Cow::Borrowed(&NULL), FeatureSource::CyclicPrerequisite);
        }
        if let Some(forced) = self.options.forced_features.get(key) {
            return FeatureResult::new(Cow::Borrowed(forced), FeatureSource::Override);
        }
        let Some((feature_key, feature)) = self.features.features.get_key_value(key) else {
            log::debug!(target: "growthbook", "feature {key:?} is unknown");
            return FeatureResult::new(Cow::Borrowed(&NULL), FeatureSource::UnknownFeature);
        };
        let here = Chain { key, parent: chain };

        'rules: for rule in &feature.rules {
            for parent in &rule.parent_conditions {
                match self.parent_passes(parent, &here) {
                    ParentCheck::Pass => {}
                    ParentCheck::Cycle => {
                        return FeatureResult::new(
                            Cow::Borrowed(&NULL),
                            FeatureSource::CyclicPrerequisite,
                        );
                    }
                    ParentCheck::Fail if parent.gate => {
                        log::debug!(target: "growthbook", "feature {key:?}: blocked by prerequisite {:?}", parent.id);
                        return FeatureResult::new(
                            Cow::Borrowed(&NULL),
                            FeatureSource::Prerequisite,
                        );
                    }
                    ParentCheck::Fail => continue 'rules,
                }
            }
            if let Some(filters) = &rule.filters {
                if self.is_filtered_out(filters) {
                    continue;
                }
            }
            match &rule.action {
                RuleAction::Nothing => {}
                RuleAction::Force(force) => {
                    if let Some(c) = &force.condition {
                        if !self.condition_passes(c) {
                            continue;
                        }
                    }
                    if !self.included_in_rollout(force, feature_key) {
                        continue;
                    }
                    for (exp, res) in &force.tracks {
                        self.track(exp, res);
                    }
                    log::debug!(target: "growthbook", "feature {key:?}: forced by rule {:?}", rule.id);
                    let mut result =
                        FeatureResult::new(Cow::Borrowed(&force.value), FeatureSource::Force);
                    result.rule_id = Cow::Borrowed(&rule.id);
                    return result;
                }
                RuleAction::Experiment(exp_rule) => {
                    let exp = &exp_rule.experiment;
                    let bandit = exp_rule
                        .bandit_ref
                        .as_deref()
                        .and_then(|id| self.features.bandits.get(id));
                    let routing = bandit.map(|b| self.route(b, exp));
                    let (result, track) = self.run_experiment(
                        exp,
                        Some(feature_key),
                        routing.as_ref().map(|r| r.weights),
                    );
                    let experiment = match &routing {
                        None => Cow::Borrowed(exp),
                        Some(routing) => Cow::Owned(Experiment {
                            weights: Some(routing.weights.to_vec()),
                            contextual_bandit: result.hash_used.then(|| BanditAssignment {
                                leaf_id: routing.leaf_id,
                                variation_weights: routing.weights.to_vec(),
                                bandit_version: routing.bandit_version,
                            }),
                            ..exp.clone()
                        }),
                    };
                    let mut result = result;
                    if let (Some(routing), true) = (&routing, result.hash_used) {
                        result.leaf_id = Some(routing.leaf_id);
                        result.variation_weights = Some(routing.weights.to_vec());
                        result.bandit_version = routing.bandit_version;
                    }
                    if track {
                        self.track(&experiment, &result);
                    }
                    if result.in_experiment && result.passthrough != Some(true) {
                        log::debug!(target: "growthbook", "feature {key:?}: experiment {:?} assigned variation {}", exp.key, result.variation_id);
                        let mut out =
                            FeatureResult::new(result.value.clone(), FeatureSource::Experiment);
                        out.rule_id = Cow::Borrowed(&rule.id);
                        out.experiment = Some(experiment);
                        out.experiment_result = Some(result);
                        return out;
                    }
                }
            }
        }
        FeatureResult::new(
            Cow::Borrowed(&feature.default_value),
            FeatureSource::DefaultValue,
        )
    }

    /// The bandit leaf for this user: the first whose condition matches, else
    /// the rule's own (marginal) weights as leaf `-1`.
    fn route<'a>(&'a self, bandit: &'a Bandit, exp: &'a Experiment) -> Routing<'a> {
        let leaf = bandit
            .leaves
            .iter()
            .find(|leaf| self.condition_passes(&leaf.condition));
        match leaf {
            Some(leaf) => Routing {
                weights: &leaf.weights,
                leaf_id: leaf.leaf_id,
                bandit_version: bandit.version,
            },
            None => Routing {
                weights: exp.weights.as_deref().unwrap_or(&[]),
                leaf_id: -1,
                bandit_version: bandit.version,
            },
        }
    }

    fn parent_passes(&self, parent: &ParentCondition, chain: &Chain<'_>) -> ParentCheck {
        let parent_result = self.eval_feature_in(&parent.id, Some(chain));
        if parent_result.source == FeatureSource::CyclicPrerequisite {
            return ParentCheck::Cycle;
        }
        let passes = self.eval_ctx().matches(
            parent.condition.compiled(),
            Subject::Parent(&parent_result.value),
        );
        if passes {
            ParentCheck::Pass
        } else {
            ParentCheck::Fail
        }
    }

    /// The attribute value used for hashing, if it identifies a user (a
    /// non-empty string or a non-zero number).
    fn hash_value_of(&self, attribute: &str) -> Option<&Value> {
        self.attributes
            .get(attribute)
            .filter(|v| js::hash_string(v).is_some())
    }

    /// The hash attribute and value, falling back to `fallback` when the
    /// primary attribute is missing.
    fn hash_attribute<'a>(
        &'a self,
        attribute: Option<&'a str>,
        fallback: Option<&'a str>,
    ) -> (&'a str, Option<&'a Value>) {
        let attribute = attribute.unwrap_or("id");
        if let Some(v) = self.hash_value_of(attribute) {
            return (attribute, Some(v));
        }
        if let Some(fallback) = fallback {
            if let Some(v) = self.hash_value_of(fallback) {
                return (fallback, Some(v));
            }
        }
        (attribute, None)
    }

    fn sticky_enabled(&self, disabled_by_experiment: bool) -> bool {
        self.options.sticky_bucket_service.is_some() && !disabled_by_experiment
    }

    fn included_in_rollout(&self, rule: &ForceRule, feature_key: &str) -> bool {
        if rule.range.is_none() && rule.coverage.is_none() {
            return true;
        }
        let fallback = if self.sticky_enabled(rule.disable_sticky_bucketing) {
            rule.fallback_attribute.as_deref()
        } else {
            None
        };
        let (_, value) = self.hash_attribute(rule.hash_attribute.as_deref(), fallback);
        let Some(value) = value.and_then(js::hash_string) else {
            return false;
        };
        let seed = rule.seed.as_deref().unwrap_or(feature_key);
        let Some(n) = hash::hash(seed, &value, rule.hash_version.unwrap_or(1)) else {
            return false;
        };
        match (rule.range, rule.coverage) {
            (Some(range), _) => hash::in_range(n, range),
            (None, Some(coverage)) => n < coverage,
            (None, None) => true,
        }
    }

    fn is_filtered_out(&self, filters: &[crate::experiment::Filter]) -> bool {
        filters.iter().any(|filter| {
            let (_, value) = self.hash_attribute(filter.attribute.as_deref(), None);
            let Some(value) = value.and_then(js::hash_string) else {
                return true;
            };
            match hash::hash(&filter.seed, &value, filter.hash_version.unwrap_or(2)) {
                None => true,
                Some(n) => !filter.ranges.iter().any(|r| hash::in_range(n, *r)),
            }
        })
    }

    /// The experiment algorithm. Returns the result and whether it should be
    /// tracked (the caller tracks, so it can pass the final experiment).
    fn run_experiment<'a>(
        &'a self,
        exp: &'a Experiment,
        feature_id: Option<&'a str>,
        weights_override: Option<&'a [f64]>,
    ) -> (ExperimentResult<'a>, bool) {
        let not_in = |this: &'a Self, why: &str| {
            log::debug!(target: "growthbook", "experiment {:?}: not in experiment, {why}", exp.key);
            (
                this.result(exp, None, false, feature_id, None, false),
                false,
            )
        };
        let num_variations = exp.variations.len();

        // 1. Fewer than two variations: nothing to assign.
        if num_variations < 2 {
            return not_in(self, "fewer than two variations");
        }
        // 2. Globally disabled.
        if !self.options.enabled {
            return not_in(self, "the SDK is disabled");
        }
        // 3. Forced from the query string.
        if let Some(url) = &self.url {
            if let Some(v) = hash::get_query_string_override(&exp.key, url, num_variations) {
                return (
                    self.result(exp, Some(v as i64), false, feature_id, None, false),
                    false,
                );
            }
        }
        // 4. Forced in the context.
        if let Some(&v) = self.options.forced_variations.get(&exp.key) {
            return (
                self.result(exp, Some(v), false, feature_id, None, false),
                false,
            );
        }
        // 5. Draft or inactive.
        if exp.status.as_deref() == Some("draft") || exp.active == Some(false) {
            return not_in(self, "the experiment is a draft or inactive");
        }
        // 6. The user must have a hash attribute.
        let (_, hash_value) = self.hash_attribute(
            exp.hash_attribute.as_deref(),
            exp.fallback_attribute.as_deref(),
        );
        let Some(hash_value) = hash_value.and_then(js::hash_string) else {
            return not_in(self, "no hash attribute");
        };

        let sticky = self.sticky_enabled(exp.sticky_bucketing_disabled());
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
            // 7. Filters or namespace.
            if let Some(filters) = &exp.filters {
                if self.is_filtered_out(filters) {
                    return not_in(self, "filtered out");
                }
            } else if let Some(ns) = &exp.namespace {
                if !hash::in_namespace(&hash_value, ns) {
                    return not_in(self, "outside the namespace");
                }
            }
            // 8. Targeting condition.
            if let Some(c) = &exp.condition {
                if !self.condition_passes(c) {
                    return not_in(self, "the targeting condition fails");
                }
            }
            // 8.05. Prerequisites.
            if let Some(parents) = &exp.parent_conditions {
                for parent in parents {
                    let root = Chain {
                        key: "",
                        parent: None,
                    };
                    if self.parent_passes(parent, &root) != ParentCheck::Pass {
                        return not_in(self, "a prerequisite fails");
                    }
                }
            }
            // 8.2. URL targeting.
            if let Some(patterns) = &exp.url_patterns {
                if !crate::url::is_url_targeted(self.url.as_deref().unwrap_or(""), patterns) {
                    return not_in(self, "the URL is not targeted");
                }
            }
        }

        // 9. Hash and pick the variation.
        let Some(n) = hash::hash(exp.hash_seed(), &hash_value, exp.hash_version.unwrap_or(1))
        else {
            return not_in(self, "the hash version is unknown");
        };
        let assigned = match sticky_variation {
            Some(v) => Some(v),
            None => {
                let ranges: Cow<'_, [BucketRange]> = match &exp.ranges {
                    Some(r) => Cow::Borrowed(r),
                    None => Cow::Owned(hash::get_bucket_ranges(
                        num_variations,
                        exp.coverage.unwrap_or(1.0),
                        weights_override.or(exp.weights.as_deref()),
                    )),
                };
                hash::choose_variation(n, &ranges)
            }
        };
        // 9.5. A sticky bucket of a blocked version excludes the user.
        if version_blocked {
            return (self.result(exp, None, false, feature_id, None, true), false);
        }
        // 10. Not in any range.
        let Some(assigned) = assigned else {
            return not_in(self, "not in any bucket range");
        };
        // 11. Forced variation.
        if let Some(force) = exp.force {
            return (
                self.result(exp, Some(force), false, feature_id, None, false),
                false,
            );
        }
        // 12. QA mode and stopped experiments.
        if self.options.qa_mode || exp.status.as_deref() == Some("stopped") {
            return not_in(self, "QA mode or a stopped experiment");
        }
        // 13. In the experiment.
        let result = self.result(
            exp,
            Some(assigned as i64),
            true,
            feature_id,
            Some(n),
            sticky_variation.is_some(),
        );

        // 13.5. Persist the sticky bucket.
        if sticky {
            self.save_sticky_bucket(exp, &result);
        }
        (result, true)
    }

    fn result<'a>(
        &'a self,
        exp: &'a Experiment,
        variation: Option<i64>,
        hash_used: bool,
        feature_id: Option<&'a str>,
        bucket: Option<f64>,
        sticky_bucket_used: bool,
    ) -> ExperimentResult<'a> {
        let (in_experiment, index) = match variation {
            Some(v) if v >= 0 && (v as usize) < exp.variations.len() => (true, v as usize),
            _ => (false, 0),
        };
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
                .map_or(Cow::Borrowed(&NULL), Cow::Borrowed),
            hash_used,
            hash_attribute: Cow::Borrowed(hash_attribute),
            hash_value: Cow::Borrowed(hash_value.unwrap_or(&EMPTY_STRING)),
            feature_id: feature_id.map(Cow::Borrowed),
            key: match meta.and_then(|m| m.key()) {
                Some(k) => Cow::Borrowed(k),
                None => Cow::Owned(index.to_string()),
            },
            name: meta.and_then(|m| m.name()).map(Cow::Borrowed),
            bucket,
            passthrough: meta.filter(|m| m.passthrough()).map(|_| true),
            sticky_bucket_used,
            leaf_id: None,
            variation_weights: None,
            bandit_version: None,
        }
    }

    fn track(&self, exp: &Experiment, result: &ExperimentResult<'_>) {
        let Some(cb) = &self.options.on_experiment_viewed else {
            return;
        };
        let key = (
            result.hash_attribute.to_string(),
            js::to_js_string(&result.hash_value),
            exp.key.clone(),
            result.variation_id,
        );
        if !self.lock().tracked.insert(key) {
            return;
        }
        cb(exp, result);
    }

    // -- sticky buckets ----------------------------------------------------

    fn load_sticky_doc(&self, state: &mut State, attribute: &str, value: &str) {
        let key = doc_key(attribute, value);
        if state.sticky_loaded.contains(&key) {
            return;
        }
        state.sticky_loaded.insert(key.clone());
        if let Some(service) = &self.options.sticky_bucket_service {
            if let Some(doc) = service.get_assignments(attribute, value) {
                state.sticky_docs.insert(key, doc);
            }
        }
    }

    /// The merged assignments of the user's primary and fallback identities
    /// (the primary wins).
    fn sticky_assignments(&self, exp: &Experiment) -> HashMap<String, String> {
        let mut merged = HashMap::new();
        let mut state = self.lock();
        let identities = [
            Some(exp.hash_attribute.as_deref().unwrap_or("id")),
            exp.fallback_attribute.as_deref(),
        ];
        let mut keys = Vec::new();
        for attribute in identities.into_iter().flatten() {
            if let Some(value) = self.hash_value_of(attribute).and_then(js::hash_string) {
                self.load_sticky_doc(&mut state, attribute, &value);
                keys.push(doc_key(attribute, &value));
            }
        }
        // Fallback first, so that the primary identity overrides it.
        for key in keys.iter().rev() {
            if let Some(doc) = state.sticky_docs.get(key) {
                merged.extend(doc.assignments.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        merged
    }

    fn sticky_bucket_variation(&self, exp: &Experiment) -> StickyLookup {
        let assignments = self.sticky_assignments(exp);
        let min_version = exp.min_bucket_version.unwrap_or(0);
        for v in 0..min_version.max(0) {
            if assignments.contains_key(&sticky_key(&exp.key, v)) {
                return StickyLookup::Blocked;
            }
        }
        let Some(variation_key) =
            assignments.get(&sticky_key(&exp.key, exp.bucket_version.unwrap_or(0)))
        else {
            return StickyLookup::None;
        };
        let index =
            exp.meta.as_deref().unwrap_or(&[]).iter().position(|m| {
                m.0.get("key").and_then(Value::as_str) == Some(variation_key.as_str())
            });
        match index {
            Some(i) => StickyLookup::Found(i),
            None => StickyLookup::None,
        }
    }

    fn save_sticky_bucket(&self, exp: &Experiment, result: &ExperimentResult<'_>) {
        let Some(service) = &self.options.sticky_bucket_service else {
            return;
        };
        let attribute_value = js::hash_string(&result.hash_value)
            .unwrap_or_default()
            .into_owned();
        let key = doc_key(&result.hash_attribute, &attribute_value);
        let bucket_key = sticky_key(&exp.key, exp.bucket_version.unwrap_or(0));
        let doc = {
            let mut state = self.lock();
            let doc = state
                .sticky_docs
                .entry(key)
                .or_insert_with(|| StickyAssignmentsDocument {
                    attribute_name: result.hash_attribute.to_string(),
                    attribute_value,
                    assignments: Default::default(),
                });
            if doc.assignments.get(&bucket_key).map(String::as_str) == Some(&*result.key) {
                return;
            }
            doc.assignments.insert(bucket_key, result.key.to_string());
            doc.clone()
        };
        service.save_assignments(&doc);
    }
}

fn sticky_key(experiment_key: &str, bucket_version: i64) -> String {
    format!("{experiment_key}__{bucket_version}")
}

#[derive(Debug, PartialEq, Eq)]
enum ParentCheck {
    Pass,
    Fail,
    Cycle,
}

enum StickyLookup {
    Found(usize),
    Blocked,
    None,
}
