//! Tracking: the experiment-viewed and feature-usage callbacks.

use crate::eval::instance::GrowthBook;
use crate::model::experiment::Experiment;
use crate::model::result::{ExperimentResult, FeatureResult};
use serde_json::Value;
use std::sync::Arc;

/// Called when a user is put in an experiment: `(experiment, result, user)`.
pub type ExperimentViewedCallback =
    Arc<dyn Fn(&Experiment, &ExperimentResult<'_>, UserContext<'_>) + Send + Sync>;

/// Called on every feature evaluation: `(feature_key, result, user)`.
pub type FeatureUsageCallback =
    Arc<dyn Fn(&str, &FeatureResult<'_>, UserContext<'_>) + Send + Sync>;

/// The user a callback is called for: the instance's attributes and URL, as
/// the JS SDK passes `user` to its tracking callback. Per-request instances
/// share one callback, so this is how it knows whom an exposure is for.
/// Borrowed: nothing is copied per call.
///
/// ```
/// use growthbook::GrowthBook;
/// use serde_json::json;
///
/// let template = GrowthBook::builder()
///     .on_experiment_viewed(|experiment, result, user| {
///         let user_id = user.attribute("id").and_then(|id| id.as_str()).unwrap_or("");
///         println!("{user_id} saw {} variation {}", experiment.key, result.key);
///     })
///     .build();
/// let gb = template.with_attributes(json!({"id": "user-42"}));
/// # let _ = gb;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct UserContext<'a> {
    attributes: &'a Value,
    url: Option<&'a str>,
}

impl<'a> UserContext<'a> {
    /// The instance's attributes (a JSON object).
    pub fn attributes(&self) -> &'a Value {
        self.attributes
    }

    /// One attribute, if set.
    pub fn attribute(&self, name: &str) -> Option<&'a Value> {
        self.attributes.get(name)
    }

    /// The instance's URL, if set.
    pub fn url(&self) -> Option<&'a str> {
        self.url
    }
}

impl<A: crate::attributes::Attributes> GrowthBook<A> {
    /// The user callbacks are called for.
    pub(crate) fn user_context(&self) -> UserContext<'_> {
        UserContext {
            attributes: self.attributes_json(),
            url: self.url.as_deref(),
        }
    }

    pub(crate) fn track(&self, exp: &Experiment, result: &ExperimentResult<'_>) {
        let Some(cb) = &self.shared.options.on_experiment_viewed else {
            return;
        };
        let key = (
            result.hash_attribute.to_string(),
            result.hash_value.to_js_string(),
            exp.key.clone(),
            result.variation_id,
        );
        if !self.lock().tracked.insert(key) {
            return;
        }
        cb(exp, result, self.user_context());
    }
}
