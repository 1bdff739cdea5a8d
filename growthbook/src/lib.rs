//! # growthbook
//!
//! [GrowthBook](https://www.growthbook.io) feature flags and A/B tests for
//! Rust, evaluated locally: no network call per flag.
//!
//! - A payload is parsed and compiled once into a [`FeatureSet`] (conditions
//!   become operator trees, paths split, regexes compiled on first use) and shared by
//!   `Arc` between per-request [`GrowthBook`] instances.
//! - Behaviour follows the GrowthBook SDK specification (the JS SDK's
//!   conformance corpus, run by this crate's tests).
//! - Evaluation never panics and never blocks on I/O; malformed payload parts
//!   are skipped and logged on the `growthbook` log target.
//!
//! ```
//! use growthbook::{Experiment, GrowthBook};
//! use serde_json::json;
//!
//! let payload = json!({
//!     "features": {
//!         "button-color": {
//!             "defaultValue": "blue",
//!             "rules": [{"condition": {"country": "FR"}, "force": "bleu"}]
//!         }
//!     }
//! });
//! let gb = GrowthBook::builder()
//!     .features_json(&payload)?
//!     .attributes(json!({"id": "123", "country": "FR"}))
//!     .on_experiment_viewed(|exp, result| {
//!         println!("{} -> {}", exp.key, result.key);
//!     })
//!     .build();
//!
//! assert_eq!(gb.get_feature_value("button-color", String::new()), "bleu");
//!
//! let exp = Experiment::new("my-test", vec![json!("A"), json!("B")]);
//! let result = gb.run(&exp);
//! assert!(result.in_experiment);
//! # Ok::<(), growthbook::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod condition;
mod decrypt;
mod error;
mod experiment;
mod feature_table;
mod features;
mod growthbook;
pub mod hash;
mod js;
mod js_regex;
mod payload_de;
mod prune;
mod reduce;
#[cfg(feature = "remote")]
pub mod remote;
mod result;
mod saved_groups;
mod sticky;
pub mod typed;
mod url;
mod user_hash;
mod visiting;
mod wire;

pub use crate::condition::{eval_condition, Condition};
pub use crate::decrypt::{decrypt, decrypt_payload};
pub use crate::error::{DecryptError, Error};
pub use crate::experiment::{
    BanditAssignment, Experiment, Filter, ParentCondition, UrlPattern, VariationMeta,
};
pub use crate::features::FeatureSet;
pub use crate::growthbook::{
    ExperimentViewedCallback, FeatureUsageCallback, GrowthBook, GrowthBookBuilder,
};
pub use crate::hash::Namespace;
pub use crate::prune::{prune_condition, Pruned};
pub use crate::reduce::{reduce_payload, PayloadFilter, Prerequisites, ReduceOptions};
pub use crate::result::{ExperimentRef, ExperimentResult, FeatureResult, FeatureSource};
pub use crate::saved_groups::SavedGroups;
pub use crate::sticky::{
    InMemoryStickyBucketService, StickyAssignmentsDocument, StickyBucketService,
};
pub use crate::typed::{TypedFeatures, TypedResult};
pub use crate::url::UrlRedirect;

/// `#[derive(Features)]`: typed, compile-time checked feature accessors (see
/// the [`typed`] module).
#[cfg(feature = "macros")]
pub use growthbook_macros::Features;

/// `#[derive(FeatureValue)]`: the JSON shape of a serde type, so that
/// `#[derive(Features)]` can check an export's values against it at compile
/// time (see [`typed::FeatureValue`]).
#[cfg(feature = "macros")]
pub use growthbook_macros::FeatureValue;

/// `include_features!("features.json")`: a typed features struct generated
/// from a GrowthBook export.
#[cfg(feature = "macros")]
pub use growthbook_macros::include_features;

/// What generated code needs; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;
}
