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
//!     .on_experiment_viewed(|exp, result, _user| {
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
// On docs.rs, every item behind a cargo feature says which.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The runtime in layers that import only downwards: `model` (compiled,
// immutable types) <- `compile` (payload -> model, the cold path) <- `eval`
// (the hot path). Around them: `remote`, `typed`, `prune`/`reduce`,
// `decrypt`, `hash`, `js`, `url`.
pub mod attributes;
mod compile;
mod const_str;
mod eval;
mod model;

mod decrypt;
mod error;
pub mod hash;
mod js;
mod prune;
mod reduce;
#[cfg(feature = "remote")]
pub mod remote;
pub mod testing;
pub mod typed;
mod url;
mod visiting;

pub use crate::attributes::Attributes;
pub use crate::decrypt::{decrypt, decrypt_payload};
pub use crate::error::{DecryptError, Error};
pub use crate::eval::builder::GrowthBookBuilder;
pub use crate::eval::condition::eval_condition;
pub use crate::eval::instance::GrowthBook;
pub use crate::eval::redirect::UrlRedirect;
pub use crate::eval::sticky::{
    InMemoryStickyBucketService, StickyAssignmentsDocument, StickyBucketService,
};
pub use crate::eval::tracking::{ExperimentViewedCallback, FeatureUsageCallback, UserContext};
pub use crate::hash::Namespace;
pub use crate::js::padded_version_string;
pub use crate::model::condition::Condition;
pub use crate::model::experiment::{
    BanditAssignment, Experiment, Filter, LegacyTargeting, ParentCondition, UrlPattern,
    VariationMeta,
};
pub use crate::model::features::FeatureSet;
pub use crate::model::result::{
    ExperimentRef, ExperimentResult, FeatureResult, FeatureSource, HashValue,
};
pub use crate::model::saved_groups::SavedGroups;
pub use crate::prune::{prune_condition, Pruned};
pub use crate::reduce::{reduce_payload, PayloadFilter, Prerequisites, ReduceOptions};
pub use crate::typed::{TypedFeatures, TypedResult};

/// `#[derive(Features)]`: typed, compile-time checked feature accessors (see
/// the [`typed`] module).
#[cfg(feature = "macros")]
pub use growthbook_macros::Features;

/// `#[derive(Attributes)]`: targeting attributes as a struct, evaluated
/// without building JSON (see the [`attributes`] module).
#[cfg(feature = "macros")]
pub use growthbook_macros::Attributes;

/// `include_attributes!("attributes.json")`: a typed attributes struct
/// generated from GrowthBook's attribute list.
#[cfg(feature = "macros")]
pub use growthbook_macros::include_attributes;

/// `#[derive(FeatureValue)]`: the JSON shape of a serde type, so that
/// `#[derive(Features)]` can check an export's values against it at compile
/// time (see [`typed::FeatureValue`]).
#[cfg(feature = "macros")]
pub use growthbook_macros::FeatureValue;

/// `include_features!("features.json")`: a typed features struct generated
/// from a GrowthBook export.
#[cfg(feature = "macros")]
pub use growthbook_macros::include_features;

/// The JSON types of this crate's API (attributes, feature values and
/// payloads are `serde_json::Value`s), re-exported so that your code and
/// generated code name the same version.
pub use serde_json;

/// What generated code needs; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;

    /// The value a typed feature field falls back to (its type's
    /// `Default`), named so that a type without one gets an error that
    /// says what to do.
    #[diagnostic::on_unimplemented(
        message = "feature field type `{Self}` has no fallback value",
        label = "no `Default` for `{Self}`",
        note = "a feature field falls back to this value when the feature is unknown or its value does not fit: derive or implement `Default` for `{Self}`, or give the field `#[growthbook(default = ...)]`"
    )]
    pub trait FallbackValue {
        /// The fallback value.
        fn fallback() -> Self;
    }

    impl<T: Default> FallbackValue for T {
        #[inline]
        fn fallback() -> T {
            T::default()
        }
    }
}
