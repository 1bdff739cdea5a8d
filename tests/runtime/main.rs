//! Behaviour of the runtime evaluator that the spec corpus does not cover:
//! malformed payloads, tracking, the builder, threads, decryption errors,
//! logging, and the repository's `features.json`.

mod builder;
mod concurrency;
mod decrypt;
mod example_payload;
mod hashing;
mod logging;
mod malformed;
mod repeated_paths;
mod tracking;

use growthbook::{FeatureSet, GrowthBook};
use serde_json::Value;
use std::sync::Arc;

/// The repository's realistic export.
pub fn example_features() -> Arc<FeatureSet> {
    let text = include_str!("../../features.json");
    Arc::new(FeatureSet::from_json_str(text).expect("features.json compiles"))
}

/// An instance for one user on a payload.
pub fn instance(payload: &Value, attributes: Value) -> GrowthBook {
    GrowthBook::builder()
        .features_json(payload)
        .expect("payload compiles")
        .attributes(attributes)
        .build()
}
