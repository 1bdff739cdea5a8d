//! An [OpenFeature](https://openfeature.dev) provider for GrowthBook:
//! register [`GrowthBookProvider`] with the `open-feature` crate and
//! evaluate flags through the vendor-neutral client API, locally, with
//! growthbook-rs.
//!
//! ```
//! use growthbook::FeatureSet;
//! use growthbook_openfeature::GrowthBookProvider;
//! use open_feature::{EvaluationContext, OpenFeature};
//! use std::sync::Arc;
//!
//! # tokio_test(async {
//! let features = Arc::new(FeatureSet::from_json_str(
//!     r#"{"features": {"new-checkout": {"defaultValue": false,
//!         "rules": [{"condition": {"country": "FR"}, "force": true}]}}}"#,
//! )?);
//! let mut api = OpenFeature::default();
//! api.set_provider(GrowthBookProvider::new(features)).await;
//! let client = api.create_client();
//! let context = EvaluationContext::default()
//!     .with_targeting_key("user-1")
//!     .with_custom_field("country", "FR");
//! assert!(client.get_bool_value("new-checkout", Some(&context), None).await.unwrap());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # });
//! # fn tokio_test<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```
//!
//! - The evaluation context becomes the attributes, read in place (no JSON
//!   is built): `targeting_key` is `id` unless the context sets `id`; every
//!   custom field keeps its type (a date-time is its RFC 3339 string; a
//!   struct field holding a `serde_json::Value` is that value, one holding
//!   an OpenFeature `StructValue` the same object).
//! - Results: the value in the requested type, or `TYPE_MISMATCH` (an
//!   integer request on `1.5`, a string request on `true`); `FLAG_NOT_FOUND`
//!   for an unknown feature; the reason from the source (force and
//!   prerequisites: `TARGETING_MATCH`, experiment: `SPLIT` with the
//!   variation key as variant, default value: `DEFAULT`, forced value:
//!   `STATIC`); `flag_metadata` with `ruleId`, `experimentKey`,
//!   `inExperiment` and `prerequisite` (`failed` when a gate prerequisite
//!   decided). A `null` value (a failed gate) is `false` to a bool request
//!   and `TYPE_MISMATCH` to others, whose default the caller then uses. Experiment exposures reach `on_experiment_viewed` of the
//!   template instance.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod context;

use crate::context::ContextAttributes;
use async_trait::async_trait;
use growthbook::remote::FeatureRepository;
use growthbook::{FeatureResult, FeatureSet, FeatureSource, GrowthBook};
use open_feature::provider::{
    FeatureProvider, ProviderMetadata, ProviderStatus, ResolutionDetails,
};
use open_feature::{
    EvaluationContext, EvaluationError, EvaluationErrorCode, EvaluationReason, EvaluationResult,
    FlagMetadata, StructValue, Value as OfValue,
};
use serde_json::Value;
use std::sync::{Arc, RwLock};

/// A GrowthBook feature source for OpenFeature.
pub struct GrowthBookProvider {
    source: Source,
    /// The instance per-evaluation instances are made from (its options:
    /// tracking callbacks, sticky buckets, forced values), moved to the
    /// repository's features when they change.
    template: RwLock<GrowthBook>,
    metadata: ProviderMetadata,
}

enum Source {
    Fixed,
    Remote(FeatureRepository),
}

impl GrowthBookProvider {
    /// A provider over a fixed feature set.
    pub fn new(features: Arc<FeatureSet>) -> GrowthBookProvider {
        GrowthBookProvider::from_template(GrowthBook::builder().features(features).build())
    }

    /// A provider over a template instance: its features and options
    /// (tracking callbacks, sticky bucket service, forced values) apply to
    /// every evaluation; its attributes do not (the evaluation context
    /// gives them).
    pub fn from_template(template: GrowthBook) -> GrowthBookProvider {
        GrowthBookProvider {
            source: Source::Fixed,
            template: RwLock::new(template),
            metadata: ProviderMetadata::new("GrowthBook"),
        }
    }

    /// A provider over a repository: `NotReady` until its first load,
    /// `Error` if that failed, `Ready` after; later refreshes are picked up
    /// by the next evaluation.
    pub fn from_repository(repository: FeatureRepository) -> GrowthBookProvider {
        GrowthBookProvider::from_repository_and_template(repository, GrowthBook::builder().build())
    }

    /// [`Self::from_repository`] with a template's options.
    pub fn from_repository_and_template(
        repository: FeatureRepository,
        template: GrowthBook,
    ) -> GrowthBookProvider {
        GrowthBookProvider {
            source: Source::Remote(repository),
            template: RwLock::new(template),
            metadata: ProviderMetadata::new("GrowthBook"),
        }
    }

    /// Evaluates `key` for the context and turns the result into
    /// resolution details with `convert`.
    fn resolve<T>(
        &self,
        key: &str,
        context: &EvaluationContext,
        convert: impl FnOnce(&Value) -> Option<T>,
        expected: &str,
    ) -> EvaluationResult<ResolutionDetails<T>> {
        let read = || self.template.read().unwrap_or_else(|e| e.into_inner());
        let mut template = read();
        if let Source::Remote(repository) = &self.source {
            let Some(features) = repository.features() else {
                return Err(error(
                    EvaluationErrorCode::ProviderNotReady,
                    "no features loaded yet",
                ));
            };
            // A refresh since the last evaluation: move the template to it.
            if !Arc::ptr_eq(template.feature_set(), &features) {
                drop(template);
                self.template
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .set_features(features);
                template = read();
            }
        }
        let gb = template.with_typed_attributes(ContextAttributes::new(context));
        let result = gb.eval_feature(key);
        if result.source == FeatureSource::UnknownFeature {
            return Err(error(
                EvaluationErrorCode::FlagNotFound,
                format!("no feature {key:?}"),
            ));
        }
        let Some(value) = convert(&result.value) else {
            return Err(error(
                EvaluationErrorCode::TypeMismatch,
                format!("feature {key:?} is {}, not {expected}", result.value),
            ));
        };
        Ok(details(value, &result))
    }
}

fn error(code: EvaluationErrorCode, message: impl Into<String>) -> EvaluationError {
    EvaluationError {
        code,
        message: Some(message.into()),
    }
}

/// The resolution details of a result whose value converted.
fn details<T>(value: T, result: &FeatureResult<'_>) -> ResolutionDetails<T> {
    let reason = match result.source {
        FeatureSource::Force | FeatureSource::Prerequisite => EvaluationReason::TargetingMatch,
        FeatureSource::Experiment => EvaluationReason::Split,
        FeatureSource::DefaultValue => EvaluationReason::Default,
        FeatureSource::Override => EvaluationReason::Static,
        FeatureSource::CyclicPrerequisite => EvaluationReason::Error,
        FeatureSource::UnknownFeature => EvaluationReason::Unknown,
    };
    let mut metadata = FlagMetadata::default();
    if !result.rule_id.is_empty() {
        metadata.add_value("ruleId", result.rule_id.to_string());
    }
    if result.source == FeatureSource::Prerequisite {
        metadata.add_value("prerequisite", "failed");
    }
    let mut variant = None;
    if let Some(experiment) = &result.experiment_result {
        metadata.add_value("inExperiment", experiment.in_experiment);
        variant = Some(experiment.key.to_string());
    }
    if let Some(experiment) = &result.experiment {
        metadata.add_value("experimentKey", experiment.key.clone());
    }
    ResolutionDetails {
        value,
        variant,
        reason: Some(reason),
        flag_metadata: Some(metadata),
    }
}

/// A JSON value as OpenFeature's (integers stay integers).
fn to_openfeature(value: &Value) -> OfValue {
    match value {
        Value::Null => OfValue::Struct(StructValue::default()),
        Value::Bool(b) => OfValue::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => OfValue::Int(i),
            None => OfValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => OfValue::String(s.clone()),
        Value::Array(items) => OfValue::Array(items.iter().map(to_openfeature).collect()),
        Value::Object(map) => OfValue::Struct(StructValue {
            fields: map
                .iter()
                .map(|(k, v)| (k.clone(), to_openfeature(v)))
                .collect(),
        }),
    }
}

#[async_trait]
impl FeatureProvider for GrowthBookProvider {
    async fn initialize(&mut self, _context: &EvaluationContext) {
        if let Source::Remote(repository) = &self.source {
            // A failure is logged by the repository and shows in `status`.
            let _ = repository.load_features().await;
        }
    }

    fn status(&self) -> ProviderStatus {
        match &self.source {
            Source::Fixed => ProviderStatus::Ready,
            Source::Remote(repository) if repository.features().is_some() => ProviderStatus::Ready,
            Source::Remote(repository) if repository.last_error().is_some() => {
                ProviderStatus::Error
            }
            Source::Remote(_) => ProviderStatus::NotReady,
        }
    }

    fn metadata(&self) -> &ProviderMetadata {
        &self.metadata
    }

    async fn resolve_bool_value(
        &self,
        flag_key: &str,
        context: &EvaluationContext,
    ) -> EvaluationResult<ResolutionDetails<bool>> {
        // `null` (a gate prerequisite failed, or no default value) is off,
        // as GrowthBook's `is_on` reads it.
        self.resolve(
            flag_key,
            context,
            |v| {
                if v.is_null() {
                    Some(false)
                } else {
                    v.as_bool()
                }
            },
            "a bool",
        )
    }

    async fn resolve_int_value(
        &self,
        flag_key: &str,
        context: &EvaluationContext,
    ) -> EvaluationResult<ResolutionDetails<i64>> {
        self.resolve(flag_key, context, Value::as_i64, "an integer")
    }

    async fn resolve_float_value(
        &self,
        flag_key: &str,
        context: &EvaluationContext,
    ) -> EvaluationResult<ResolutionDetails<f64>> {
        self.resolve(flag_key, context, Value::as_f64, "a number")
    }

    async fn resolve_string_value(
        &self,
        flag_key: &str,
        context: &EvaluationContext,
    ) -> EvaluationResult<ResolutionDetails<String>> {
        self.resolve(
            flag_key,
            context,
            |v| v.as_str().map(str::to_owned),
            "a string",
        )
    }

    async fn resolve_struct_value(
        &self,
        flag_key: &str,
        context: &EvaluationContext,
    ) -> EvaluationResult<ResolutionDetails<StructValue>> {
        self.resolve(
            flag_key,
            context,
            |v| match to_openfeature(v) {
                OfValue::Struct(value) if v.is_object() => Some(value),
                _ => None,
            },
            "an object",
        )
    }
}
