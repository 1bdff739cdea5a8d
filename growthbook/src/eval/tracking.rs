//! Tracking: the experiment-viewed and feature-usage callbacks.

use crate::eval::instance::GrowthBook;
use crate::js;
use crate::model::experiment::Experiment;
use crate::model::result::{ExperimentResult, FeatureResult};
use std::sync::Arc;

/// Called when a user is put in an experiment: `(experiment, result)`.
pub type ExperimentViewedCallback = Arc<dyn Fn(&Experiment, &ExperimentResult<'_>) + Send + Sync>;

/// Called on every feature evaluation: `(feature_key, result)`.
pub type FeatureUsageCallback = Arc<dyn Fn(&str, &FeatureResult<'_>) + Send + Sync>;

impl GrowthBook {
    pub(crate) fn track(&self, exp: &Experiment, result: &ExperimentResult<'_>) {
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
}
