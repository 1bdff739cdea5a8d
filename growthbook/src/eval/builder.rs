//! [`GrowthBookBuilder`]: every option of the reference SDK's constructor.

use crate::eval::instance::{GrowthBook, Shared, State};
use crate::eval::sticky::{StickyAssignmentsDocument, StickyBucketService};
use crate::eval::tracking::{ExperimentViewedCallback, FeatureUsageCallback, UserContext};
use crate::eval::user_hash::HashMemo;
use crate::model::condition::REMOTE_GROUP_IDS_ATTRIBUTE;
use crate::model::experiment::Experiment;
use crate::model::features::FeatureSet;
use crate::model::result::{ExperimentResult, FeatureResult};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Options shared by every instance made from one builder.
#[derive(Clone, Default)]
pub(crate) struct Options {
    pub(crate) enabled: bool,
    pub(crate) qa_mode: bool,
    pub(crate) on_experiment_viewed: Option<ExperimentViewedCallback>,
    pub(crate) on_feature_usage: Option<FeatureUsageCallback>,
    pub(crate) sticky_bucket_service: Option<Arc<dyn StickyBucketService>>,
    pub(crate) forced_variations: HashMap<String, i64>,
    pub(crate) forced_features: HashMap<String, Value>,
    pub(crate) groups: HashMap<String, bool>,
}

/// Builds a [`GrowthBook`]; every option of the reference SDK's constructor.
#[derive(Clone)]
pub struct GrowthBookBuilder {
    pub(crate) features: Arc<FeatureSet>,
    pub(crate) attributes: Value,
    pub(crate) remote_group_ids: Option<Vec<String>>,
    pub(crate) url: Option<String>,
    pub(crate) options: Options,
    pub(crate) sticky_docs: HashMap<String, StickyAssignmentsDocument>,
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
    /// an experiment: send it to your analytics. The third argument is the
    /// user (see [`UserContext`]), since every instance made from this
    /// builder shares the callback.
    pub fn on_experiment_viewed(
        mut self,
        callback: impl Fn(&Experiment, &ExperimentResult<'_>, UserContext<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.options.on_experiment_viewed = Some(Arc::new(callback));
        self
    }

    /// Called on every feature evaluation (except forced overrides), with
    /// the user it was evaluated for.
    pub fn on_feature_usage(
        mut self,
        callback: impl Fn(&str, &FeatureResult<'_>, UserContext<'_>) + Send + Sync + 'static,
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

    /// Group name -> membership, for inline experiments that name `groups`
    /// (an experiment with groups includes only users in one of them).
    pub fn groups(mut self, groups: HashMap<String, bool>) -> Self {
        self.options.groups = groups;
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
            shared: Arc::new(Shared::new(self.features, self.options)),
            attributes,
            url: self.url,
            state: OnceLock::from(Box::new(Mutex::new(State {
                sticky_docs: self.sticky_docs,
                sticky_loaded: loaded,
                ..State::default()
            }))),
            hash_memo: HashMemo::default(),
            attribute_memo: crate::eval::attribute_memo::AttributeMemo::default(),
            attributes_json: OnceLock::new(),
        }
    }
}

pub(crate) fn effective_attributes(
    attributes: Value,
    remote_group_ids: Option<&[String]>,
) -> Value {
    let mut attributes = match attributes {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            log::warn!(target: "growthbook", "attributes should be a JSON object, found {}; using none", crate::compile::wire::kind(&other));
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
