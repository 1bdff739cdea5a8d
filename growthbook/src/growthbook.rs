//! The [`GrowthBook`] instance: one user's attributes plus a shared feature
//! set, and the evaluation algorithm (features, rules, experiments, sticky
//! buckets, tracking).

use crate::condition::{Cond, EvalContext, Subject, REMOTE_GROUP_IDS_ATTRIBUTE};
use crate::experiment::{BanditAssignment, Experiment, ParentCondition};
use crate::features::{Bandit, Feature, FeatureSet, ForceRule, RuleAction};
use crate::hash::{self, PreparedSeed};
use crate::js;
use crate::result::{ExperimentRef, ExperimentResult, FeatureResult, FeatureSource};
use crate::sticky::{doc_key, StickyAssignmentsDocument, StickyBucketService};
use crate::typed::KeySlot;
use crate::user_hash::{IdMemo, UserHash};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

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
    /// Created on first use: most instances never track nor stick anything,
    /// and creating one should cost next to nothing (boxed, so that an
    /// instance stays small to create and move).
    state: OnceLock<Box<Mutex<State>>>,
    /// The user's `id`, prepared for hashing on first use; reset whenever
    /// `attributes` changes.
    id_memo: IdMemo,
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
            state: OnceLock::from(Box::new(Mutex::new(State {
                sticky_docs: self.sticky_docs,
                sticky_loaded: loaded,
                ..State::default()
            }))),
            id_memo: IdMemo::default(),
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
type Chain<'p> = crate::visiting::Visiting<'p>;

/// A feature's evaluation before any public result is built: `is_on` and
/// typed accessors need only the value, so nothing more is assembled.
struct Resolved<'a> {
    value: &'a Value,
    source: FeatureSource,
    rule_id: &'a str,
    /// The experiment rule that assigned the value.
    experiment: Option<RuleRun<'a>>,
}

impl<'a> Resolved<'a> {
    fn new(value: &'a Value, source: FeatureSource) -> Resolved<'a> {
        Resolved {
            value,
            source,
            rule_id: "",
            experiment: None,
        }
    }
}

/// An experiment rule as it ran for the user.
struct RuleRun<'a> {
    experiment: &'a Experiment,
    feature_key: &'a str,
    assignment: Assignment,
    routing: Option<Routing<'a>>,
}

/// How the user came out of an experiment.
#[derive(Debug, Clone, Copy)]
struct Assignment {
    /// The variation index, if any (may be out of range when forced).
    variation: Option<i64>,
    hash_used: bool,
    bucket: Option<f64>,
    sticky_bucket_used: bool,
    /// Whether the user was put in the experiment by hashing (tracked).
    track: bool,
}

impl Assignment {
    const NONE: Assignment = Assignment {
        variation: None,
        hash_used: false,
        bucket: None,
        sticky_bucket_used: false,
        track: false,
    };

    fn forced(variation: i64) -> Assignment {
        Assignment {
            variation: Some(variation),
            ..Assignment::NONE
        }
    }

    /// The assigned variation, when it is one of the experiment's.
    fn index(&self, exp: &Experiment) -> Option<usize> {
        self.variation
            .and_then(|v| usize::try_from(v).ok())
            .filter(|&v| v < exp.variations.len())
    }
}

/// The variation key of a variation without `meta`: its index.
fn index_key(index: usize) -> Cow<'static, str> {
    const KEYS: [&str; 16] = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
    ];
    match KEYS.get(index) {
        Some(key) => Cow::Borrowed(key),
        None => Cow::Owned(index.to_string()),
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
            state: OnceLock::new(),
            id_memo: IdMemo::default(),
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
        self.id_memo = IdMemo::default();
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
        js::truthy(self.value_of(key).0)
    }

    /// Whether the feature's value is falsy (or the feature is unknown).
    pub fn is_off(&self, key: &str) -> bool {
        !self.is_on(key)
    }

    /// The feature's value as `T`, or `fallback` when the feature is unknown,
    /// `null`, or its value does not deserialize into `T` (logged).
    pub fn get_feature_value<T: DeserializeOwned>(&self, key: &str, fallback: T) -> T {
        let (value, _) = self.value_of(key);
        if value.is_null() {
            return fallback;
        }
        match T::deserialize(value) {
            Ok(v) => v,
            Err(e) => {
                log::warn!(target: "growthbook", "feature {key:?}: value {value} does not fit the requested type ({e}); using the fallback");
                fallback
            }
        }
    }

    /// The feature's raw JSON value (`null` when unknown), borrowed.
    pub fn feature_value(&self, key: &str) -> Cow<'_, Value> {
        Cow::Borrowed(self.value_of(key).0)
    }

    /// Evaluates a feature and says why it has its value.
    #[inline]
    pub fn eval_feature(&self, key: &str) -> FeatureResult<'_> {
        let resolved = self.eval_feature_in(key, None);
        let source = resolved.source;
        let result = self.feature_result(resolved);
        if source != FeatureSource::Override {
            if let Some(cb) = &self.options.on_feature_usage {
                cb(key, &result);
            }
        }
        result
    }

    /// The feature's value and source, reporting the usage: what `is_on`,
    /// `get_feature_value` and typed accessors need, without building a
    /// [`FeatureResult`] unless a usage callback wants one.
    pub(crate) fn value_of(&self, key: &str) -> (&Value, FeatureSource) {
        let found = self.features.features.get(key).map(|(_, k, f)| (k, f));
        self.value_found(key, found)
    }

    /// Calls the feature-usage callback, if any, and returns value and source.
    fn report_usage<'a>(&'a self, key: &str, resolved: Resolved<'a>) -> (&'a Value, FeatureSource) {
        let (value, source) = (resolved.value, resolved.source);
        if source != FeatureSource::Override {
            if let Some(cb) = &self.options.on_feature_usage {
                cb(key, &self.feature_result(resolved));
            }
        }
        (value, source)
    }

    /// The public result of a resolved feature.
    #[inline]
    fn feature_result<'a>(&'a self, resolved: Resolved<'a>) -> FeatureResult<'a> {
        let mut result = FeatureResult::new(Cow::Borrowed(resolved.value), resolved.source);
        result.rule_id = Cow::Borrowed(resolved.rule_id);
        if let Some(run) = &resolved.experiment {
            let (experiment, experiment_result) = self.experiment_details(run);
            result.experiment = Some(experiment);
            result.experiment_result = Some(experiment_result);
        }
        result
    }

    /// The experiment (with a bandit's routing applied) and its result.
    fn experiment_details<'a>(
        &'a self,
        run: &RuleRun<'a>,
    ) -> (ExperimentRef<'a>, ExperimentResult<'a>) {
        let exp = run.experiment;
        let mut result = self.result(exp, &run.assignment, Some(run.feature_key));
        let Some(routing) = &run.routing else {
            return (ExperimentRef::Borrowed(exp), result);
        };
        let experiment = Experiment {
            weights: Some(routing.weights.to_vec()),
            contextual_bandit: result.hash_used.then(|| BanditAssignment {
                leaf_id: routing.leaf_id,
                variation_weights: routing.weights.to_vec(),
                bandit_version: routing.bandit_version,
            }),
            ..exp.clone()
        };
        if result.hash_used {
            result.leaf_id = Some(routing.leaf_id);
            result.variation_weights = Some(routing.weights.to_vec());
            result.bandit_version = routing.bandit_version;
        }
        (ExperimentRef::Owned(Box::new(experiment)), result)
    }

    /// Runs an experiment directly (not through a feature).
    pub fn run<'a>(&'a self, experiment: &'a Experiment) -> ExperimentResult<'a> {
        let assignment = self.run_experiment(experiment, None, None, None);
        let result = self.result(experiment, &assignment, None);
        if assignment.track {
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
        self.state
            .get_or_init(Box::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner())
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
        self.cond_passes(condition.compiled())
    }

    fn cond_passes(&self, cond: &Cond) -> bool {
        self.eval_ctx().matches(cond, self.subject())
    }

    fn eval_feature_in<'a>(&'a self, key: &str, chain: Option<&Chain<'_>>) -> Resolved<'a> {
        let found = self.features.features.get(key).map(|(_, k, f)| (k, f));
        self.eval_found(key, found, chain)
    }

    /// Evaluates a feature whose position `slot` remembers (typed accessors),
    /// looking it up by key only when the position is stale.
    #[inline]
    pub(crate) fn value_at(&self, slot: &KeySlot) -> (&Value, FeatureSource) {
        let table = &self.features.features;
        let key = slot.key();
        let found = match slot.position(table.id).and_then(|i| table.at(i)) {
            Some(found) => Some(found),
            None => table.get(key).map(|(i, k, f)| {
                slot.remember(table.id, i);
                (k, f)
            }),
        };
        self.value_found(key, found)
    }

    /// Value and source of a feature already looked up, reporting the usage.
    #[inline]
    fn value_found<'a>(
        &'a self,
        key: &str,
        found: Option<(&'a str, &'a Feature)>,
    ) -> (&'a Value, FeatureSource) {
        // The commonest flag, a plain default, needs no rule machinery.
        if let Some((_, feature)) = found {
            let plain = feature.rules.is_empty()
                && self.options.forced_features.is_empty()
                && self.options.on_feature_usage.is_none();
            if plain {
                return (&feature.default_value, FeatureSource::DefaultValue);
            }
        }
        let resolved = self.eval_found(key, found, None);
        self.report_usage(key, resolved)
    }

    fn eval_found<'a>(
        &'a self,
        key: &str,
        found: Option<(&'a str, &'a Feature)>,
        chain: Option<&Chain<'_>>,
    ) -> Resolved<'a> {
        if Chain::contains(chain, key) {
            log::warn!(target: "growthbook", "feature {key:?}: prerequisite cycle detected");
            return Resolved::new(&NULL, FeatureSource::CyclicPrerequisite);
        }
        if !self.options.forced_features.is_empty() {
            if let Some(forced) = self.options.forced_features.get(key) {
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

        'rules: for rule in &feature.rules {
            for parent in &rule.parent_conditions {
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
            if let Some(filters) = &rule.filters {
                if self.is_filtered_out(filters) {
                    continue;
                }
            }
            match &rule.action {
                RuleAction::Nothing => {}
                RuleAction::Force(force) => {
                    if let Some(c) = &force.condition {
                        if !self.cond_passes(c) {
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
                    return Resolved {
                        rule_id: &rule.id,
                        ..Resolved::new(&force.value, FeatureSource::Force)
                    };
                }
                RuleAction::Experiment(exp_rule) => {
                    if let Some(resolved) =
                        self.eval_experiment_rule(key, feature_key, rule, exp_rule)
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
    /// [`Self::eval_found`] stay small.)
    #[inline(never)]
    fn eval_experiment_rule<'a>(
        &'a self,
        key: &str,
        feature_key: &'a str,
        rule: &'a crate::features::Rule,
        exp_rule: &'a crate::features::ExperimentRule,
    ) -> Option<Resolved<'a>> {
        let exp = &exp_rule.experiment;
        let bandit = exp_rule
            .bandit_ref
            .as_deref()
            .and_then(|id| self.features.bandits.get(id));
        let routing = bandit.map(|b| self.route(b, exp));
        let assignment = self.run_experiment(
            exp,
            Some(feature_key),
            routing.as_ref().map(|r| r.weights),
            Some(&exp_rule.prepared_seed),
        );
        let run = RuleRun {
            experiment: exp,
            feature_key,
            assignment,
            routing,
        };
        if assignment.track && self.options.on_experiment_viewed.is_some() {
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
    /// the rule's own (marginal) weights as leaf `-1`.
    fn route<'a>(&'a self, bandit: &'a Bandit, exp: &'a Experiment) -> Routing<'a> {
        let leaf = bandit
            .leaves
            .iter()
            .find(|leaf| self.cond_passes(&leaf.condition));
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
            Subject::Parent(parent_result.value),
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

    /// The hash string of `attribute` (default `id`), or of `fallback` when
    /// that is missing; `None` when the user has neither.
    fn user_hash<'a>(
        &'a self,
        attribute: Option<&'a str>,
        fallback: Option<&'a str>,
    ) -> Option<UserHash<'a>> {
        let attribute = attribute.unwrap_or("id");
        if attribute == "id" {
            if let Some(id) = self.id_memo.get(&self.attributes) {
                return Some(UserHash::Id(id));
            }
        }
        let (_, value) = self.hash_attribute(Some(attribute), fallback);
        value.and_then(js::hash_string).map(UserHash::Attribute)
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
        let Some(user) = self.user_hash(rule.hash_attribute.as_deref(), fallback) else {
            return false;
        };
        let seed = rule.seed.as_deref().unwrap_or(feature_key);
        let version = rule.hash_version.unwrap_or(1);
        let prepared = rule.prepared_seed.as_ref();
        let Some(n) = hash::hash_seeded(seed, prepared, user.input(), version) else {
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

    /// The experiment algorithm: how the user comes out, before any result
    /// struct is built (the caller builds one only when it needs it).
    /// `prepared_seed` is the experiment's seed prepared for hashing, when
    /// the experiment was compiled from a rule.
    #[inline(always)]
    fn run_experiment(
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
                return Assignment::forced(v as i64);
            }
        }
        // 4. Forced in the context.
        if !self.options.forced_variations.is_empty() {
            if let Some(&v) = self.options.forced_variations.get(&exp.key) {
                return Assignment::forced(v);
            }
        }
        // 5. Draft or inactive.
        if exp.status.as_deref() == Some("draft") || exp.active == Some(false) {
            return not_in(self, "the experiment is a draft or inactive");
        }
        // 6. The user must have a hash attribute. The fallback attribute
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
            // 7. Filters or namespace.
            if let Some(filters) = &exp.filters {
                if self.is_filtered_out(filters) {
                    return not_in(self, "filtered out");
                }
            } else if let Some(ns) = &exp.namespace {
                if !hash::in_namespace_input(user.input(), ns) {
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
                    let root = Chain::new("", None);
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
        // 9.5. A sticky bucket of a blocked version excludes the user.
        if version_blocked {
            return Assignment {
                sticky_bucket_used: true,
                ..Assignment::NONE
            };
        }
        // 10. Not in any range.
        let Some(assigned) = assigned else {
            return not_in(self, "not in any bucket range");
        };
        // 11. Forced variation.
        if let Some(force) = exp.force {
            return Assignment::forced(force);
        }
        // 12. QA mode and stopped experiments.
        if self.options.qa_mode || exp.status.as_deref() == Some("stopped") {
            return not_in(self, "QA mode or a stopped experiment");
        }
        // 13. In the experiment.
        let assignment = Assignment {
            variation: Some(assigned as i64),
            hash_used: true,
            bucket: Some(n),
            sticky_bucket_used: sticky_variation.is_some(),
            track: true,
        };

        // 13.5. Persist the sticky bucket.
        if sticky {
            self.save_sticky_bucket(exp, &self.result(exp, &assignment, feature_id));
        }
        assignment
    }

    /// The full result of an assignment.
    fn result<'a>(
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
                .map_or(Cow::Borrowed(&NULL), Cow::Borrowed),
            hash_used: assignment.hash_used,
            hash_attribute: Cow::Borrowed(hash_attribute),
            hash_value: Cow::Borrowed(hash_value.unwrap_or(&EMPTY_STRING)),
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
    /// (the primary wins). As in JS `getStickyBucketAssignments`, both
    /// default to `id`: an experiment hashed on `email` without a
    /// `fallbackAttribute` still finds assignments stored under the `id`.
    fn sticky_assignments(&self, exp: &Experiment) -> HashMap<String, String> {
        let mut merged = HashMap::new();
        let mut state = self.lock();
        // The fallback identity defaults to `id`, whose document JS reads
        // only when it is in memory: loaded because some rule of the
        // payload buckets on `id`, or given to the builder.
        let fallback = exp.fallback_attribute.as_deref();
        let load_id = self.features.sticky_attributes.iter().any(|a| a == "id");
        let identities = [
            (exp.hash_attribute.as_deref().unwrap_or("id"), true),
            (fallback.unwrap_or("id"), fallback.is_some() || load_id),
        ];
        let mut keys = Vec::new();
        for (attribute, load) in identities {
            if let Some(value) = self.hash_value_of(attribute).and_then(js::hash_string) {
                if load {
                    self.load_sticky_doc(&mut state, attribute, &value);
                }
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
