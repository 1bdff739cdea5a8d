//! The [`GrowthBook`] instance: one user's attributes over a shared, compiled
//! feature set, and its public API (the reference SDK's `is_on`,
//! `get_feature_value`, `eval_feature`, `run`, ...).

use crate::attributes::Attributes;
use crate::eval::attribute_memo::AttributeMemo;
use crate::eval::builder::{effective_attributes, GrowthBookBuilder, Options};
use crate::eval::condition::EvalContext;
use crate::eval::sticky::StickyAssignmentsDocument;
use crate::eval::subject::{Paths, Subject};
use crate::eval::user_hash::HashMemo;
use crate::js;
use crate::model::condition::Cond;
use crate::model::experiment::Experiment;
use crate::model::features::{Feature, FeatureSet};
use crate::model::result::{ExperimentResult, FeatureResult, FeatureSource};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// What instances made from one template share.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) features: Arc<FeatureSet>,
    pub(crate) options: Options,
    /// No forced values and no usage callback: rule-less and unknown
    /// features answer at once (see `GrowthBook::plain`). Kept up to date by
    /// [`Shared::new`] and [`GrowthBook::set_forced_features`].
    pub(crate) plain: bool,
}

impl Shared {
    pub(crate) fn new(features: Arc<FeatureSet>, options: Options) -> Shared {
        let plain = Shared::plain(&options);
        Shared {
            features,
            options,
            plain,
        }
    }

    fn plain(options: &Options) -> bool {
        options.forced_features.is_empty() && options.on_feature_usage.is_none()
    }
}

/// Per-instance mutable state: which experiments were tracked, and the
/// sticky bucket documents seen so far.
#[derive(Default)]
pub(crate) struct State {
    /// (hash attribute, hash value, experiment key, variation) already tracked.
    pub(crate) tracked: HashSet<(String, String, String, usize)>,
    pub(crate) sticky_docs: HashMap<String, StickyAssignmentsDocument>,
    pub(crate) sticky_loaded: HashSet<String>,
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
pub struct GrowthBook<A = Value> {
    /// The feature set and options, shared by every instance made from one
    /// template (one reference count to touch per instance).
    pub(crate) shared: Arc<Shared>,
    pub(crate) attributes: A,
    pub(crate) url: Option<String>,
    /// Created on first use: most instances never track nor stick anything,
    /// and creating one should cost next to nothing (boxed, so that an
    /// instance stays small to create and move).
    pub(crate) state: OnceLock<Box<Mutex<State>>>,
    /// The user's `id`, prepared for hashing on first use; reset whenever
    /// `attributes` changes.
    pub(crate) hash_memo: HashMemo,
    /// Where paths lead in `attributes`; reset whenever they change.
    pub(crate) attribute_memo: AttributeMemo,
    /// Attributes that are not JSON, as JSON, made on first use (for
    /// tracking callbacks); reset whenever they change.
    pub(crate) attributes_json: OnceLock<Box<Value>>,
}

impl<A: Attributes> fmt::Debug for GrowthBook<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GrowthBook")
            .field("features", &self.shared.features.len())
            .field("attributes", self.attributes_json())
            .field("url", &self.url)
            .field("enabled", &self.shared.options.enabled)
            .field("qa_mode", &self.shared.options.qa_mode)
            .finish_non_exhaustive()
    }
}

impl GrowthBook {
    /// Starts a builder with the defaults: enabled, no features, no attributes.
    pub fn builder() -> GrowthBookBuilder {
        GrowthBookBuilder::default()
    }

    /// Replaces the user's attributes.
    pub fn set_attributes(&mut self, attributes: Value) {
        self.attributes = effective_attributes(attributes, None);
        self.hash_memo = HashMemo::default();
        self.attribute_memo = AttributeMemo::default();
    }
}

impl<A: Attributes> GrowthBook<A> {
    /// A new instance for another user, sharing this one's features and
    /// options (callbacks, sticky bucket service, forced values). Cheap: no
    /// feature is copied. Tracking state starts empty.
    pub fn with_attributes(&self, attributes: Value) -> GrowthBook {
        self.with_typed_attributes(effective_attributes(attributes, None))
    }

    /// A new instance for another user whose attributes are a
    /// `#[derive(Attributes)]` struct (or any other [`Attributes`]), sharing
    /// this one's features and options. The struct usually borrows from the
    /// request, so that this allocates nothing:
    ///
    /// ```
    /// use growthbook::{Attributes, GrowthBook};
    ///
    /// #[derive(Attributes)]
    /// struct User<'a> {
    ///     id: &'a str,
    ///     country: Option<&'a str>,
    ///     logged_in: bool, // attribute "loggedIn"
    /// }
    ///
    /// let template = GrowthBook::builder()
    ///     .features_json(&serde_json::json!({"features": {"eu-banner": {
    ///         "defaultValue": false,
    ///         "rules": [{"condition": {"country": {"$in": ["FR", "DE"]}, "loggedIn": true}, "force": true}]
    ///     }}}))?
    ///     .build();
    /// let gb = template.with_typed_attributes(User { id: "u1", country: Some("FR"), logged_in: true });
    /// assert!(gb.is_on("eu-banner"));
    /// # Ok::<(), growthbook::Error>(())
    /// ```
    pub fn with_typed_attributes<B: Attributes>(&self, attributes: B) -> GrowthBook<B> {
        GrowthBook {
            shared: Arc::clone(&self.shared),
            attributes,
            url: self.url.clone(),
            state: OnceLock::new(),
            hash_memo: HashMemo::default(),
            attribute_memo: AttributeMemo::default(),
            attributes_json: OnceLock::new(),
        }
    }

    /// The shared feature set (the reference SDK's `get_features`).
    pub fn feature_set(&self) -> &Arc<FeatureSet> {
        &self.shared.features
    }

    /// Replaces the feature set (e.g. after a refresh).
    pub fn set_features(&mut self, features: Arc<FeatureSet>) {
        Arc::make_mut(&mut self.shared).features = features;
    }

    /// The user's attributes.
    pub fn attributes(&self) -> &A {
        &self.attributes
    }

    /// The user's attributes as a JSON object (made on first use when they
    /// are not JSON already).
    pub fn attributes_json(&self) -> &Value {
        match self.attributes.as_json() {
            Some(json) => json,
            None => self
                .attributes_json
                .get_or_init(|| Box::new(self.attributes.to_json())),
        }
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
        Arc::make_mut(&mut self.shared).options.forced_variations = forced;
    }

    /// Sets forced feature values.
    pub fn set_forced_features(&mut self, forced: HashMap<String, Value>) {
        let shared = Arc::make_mut(&mut self.shared);
        shared.options.forced_features = forced;
        shared.plain = Shared::plain(&shared.options);
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
    pub fn get_feature_value<T: DeserializeOwned + 'static>(&self, key: &str, fallback: T) -> T {
        let (value, _) = self.value_of(key);
        if value.is_null() {
            return fallback;
        }
        match crate::typed::from_value(value) {
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
    #[inline(always)]
    pub fn eval_feature(&self, key: &str) -> FeatureResult<'_> {
        let found = self.lookup(key);
        // A feature without rules, or an unknown one, in the caller (small
        // enough to inline); the rest out of line.
        match self.plain(key, found) {
            Some((value, source)) => FeatureResult::new(Cow::Borrowed(value), source),
            None => self.eval_found(key, found),
        }
    }

    /// [`Self::eval_feature`] of a feature whose rules must run.
    #[inline(never)]
    fn eval_found<'a>(
        &'a self,
        key: &str,
        found: Option<(&'a str, &'a Feature)>,
    ) -> FeatureResult<'a> {
        let resolved = self.resolve(key, found, None);
        if resolved.source != FeatureSource::Override {
            if let Some(cb) = &self.shared.options.on_feature_usage {
                let result = self.feature_result(&resolved);
                cb(key, &result, self.user_context());
                return result;
            }
        }
        // Returned as built: the caller's result is written in place, not
        // copied (it is 400 bytes).
        self.feature_result(&resolved)
    }

    /// Runs an experiment directly (not through a feature).
    pub fn run<'a>(&'a self, experiment: &'a Experiment) -> ExperimentResult<'a> {
        let assignment = self.run_experiment(experiment, None, None, None);
        let result = self.experiment_result(experiment, &assignment, None);
        if assignment.track {
            self.track(experiment, &result);
        }
        result
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a callback panicked; the state is still usable.
        self.state
            .get_or_init(Box::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn subject(&self) -> Subject<'_, A> {
        match self.attributes.as_json() {
            Some(json) => Subject::Json(json, Some(&self.attribute_memo)),
            None => Subject::Typed(&self.attributes),
        }
    }

    pub(crate) fn eval_ctx(&self) -> EvalContext<'_> {
        EvalContext {
            groups: &self.shared.features.saved_groups,
            paths: Paths::None,
        }
    }

    /// Whether this user passes a compiled condition.
    pub(crate) fn passes(&self, cond: &Cond) -> bool {
        self.eval_ctx().matches(cond, self.subject())
    }

    /// [`Self::passes`], reading attributes through one evaluation's cache.
    pub(crate) fn passes_with<'s>(&'s self, cond: &Cond, cache: Paths<'s>) -> bool {
        let ctx = EvalContext {
            paths: cache,
            ..self.eval_ctx()
        };
        ctx.matches(cond, self.subject())
    }
}
