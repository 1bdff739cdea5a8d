//! Helpers for testing code that reads flags: a feature set from inline
//! JSON in one call, and a recorder of experiment exposures to assert on.
//! With a typed features struct, `AppFeatures::overrides()` forces flags to
//! typed values (see [`crate::typed::Overrides`]).
//!
//! ```
//! use growthbook::testing::{features, Exposures};
//! use growthbook::GrowthBook;
//!
//! let exposures = Exposures::new();
//! let gb = exposures
//!     .record(GrowthBook::builder())
//!     .features(features(r#"{"features": {"layout": {"defaultValue": "a",
//!         "rules": [{"key": "layout-test", "variations": ["a", "b"], "weights": [0, 1]}]}}}"#))
//!     .attributes(serde_json::json!({"id": "u1"}))
//!     .build();
//! assert_eq!(gb.get_feature_value("layout", String::new()), "b");
//! exposures.assert_exposed("layout-test", 1);
//! ```

use crate::{FeatureSet, GrowthBookBuilder};
use std::sync::{Arc, Mutex};

/// A feature set from JSON written in a test (an SDK payload, or a bare map
/// of feature definitions). Panics, with the reason, on JSON that is none.
#[track_caller]
pub fn features(json: &str) -> Arc<FeatureSet> {
    let set = FeatureSet::from_json_str(json).or_else(|payload_error| {
        let map: serde_json::Value =
            serde_json::from_str(json).map_err(|_| payload_error.to_string())?;
        FeatureSet::from_features_map(&map).map_err(|_| payload_error.to_string())
    });
    match set {
        Ok(set) => Arc::new(set),
        Err(why) => panic!("growthbook::testing::features: {why}"),
    }
}

/// One experiment exposure, as the tracking callback saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    /// The experiment key.
    pub experiment: String,
    /// The variation index.
    pub variation: usize,
    /// The variation key.
    pub variation_key: String,
    /// The user's `id` attribute, if a string.
    pub user_id: Option<String>,
}

/// Records every exposure of the instances it is installed on.
#[derive(Debug, Clone, Default)]
pub struct Exposures(Arc<Mutex<Vec<Exposure>>>);

impl Exposures {
    /// An empty record.
    pub fn new() -> Exposures {
        Exposures::default()
    }

    /// Installs the recorder as the builder's tracking callback.
    pub fn record(&self, builder: GrowthBookBuilder) -> GrowthBookBuilder {
        let sink = Arc::clone(&self.0);
        builder.on_experiment_viewed(move |experiment, result, user| {
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(Exposure {
                    experiment: experiment.key.clone(),
                    variation: result.variation_id,
                    variation_key: result.key.to_string(),
                    user_id: user
                        .attribute("id")
                        .and_then(|id| id.as_str())
                        .map(str::to_owned),
                });
        })
    }

    /// Every exposure so far, in order.
    pub fn all(&self) -> Vec<Exposure> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Panics unless the experiment was viewed with this variation.
    #[track_caller]
    pub fn assert_exposed(&self, experiment: &str, variation: usize) {
        let all = self.all();
        assert!(
            all.iter()
                .any(|e| e.experiment == experiment && e.variation == variation),
            "expected an exposure to {experiment:?} variation {variation}; recorded: {all:?}"
        );
    }

    /// Panics if the experiment was viewed at all.
    #[track_caller]
    pub fn assert_not_exposed(&self, experiment: &str) {
        let all = self.all();
        assert!(
            all.iter().all(|e| e.experiment != experiment),
            "expected no exposure to {experiment:?}; recorded: {all:?}"
        );
    }
}
