//! What an evaluation returns: [`FeatureResult`] and [`ExperimentResult`].
//!
//! Results borrow from the feature set and the instance they came from, so
//! evaluating a flag copies nothing; call `into_owned` to keep one longer.

use crate::attributes::AttributeValue;
use crate::model::experiment::Experiment;
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// Why a feature has the value it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FeatureSource {
    /// The key is not in the feature set.
    UnknownFeature,
    /// No rule applied; the feature's default value.
    DefaultValue,
    /// A force (or rollout) rule applied.
    Force,
    /// An experiment rule assigned the value.
    Experiment,
    /// Forced by [`crate::GrowthBookBuilder::forced_features`].
    Override,
    /// A gating prerequisite failed.
    Prerequisite,
    /// Prerequisites form a cycle.
    CyclicPrerequisite,
}

impl FeatureSource {
    /// The spec's camelCase name (`"defaultValue"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            FeatureSource::UnknownFeature => "unknownFeature",
            FeatureSource::DefaultValue => "defaultValue",
            FeatureSource::Force => "force",
            FeatureSource::Experiment => "experiment",
            FeatureSource::Override => "override",
            FeatureSource::Prerequisite => "prerequisite",
            FeatureSource::CyclicPrerequisite => "cyclicPrerequisite",
        }
    }
}

/// The result of evaluating a feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeatureResult<'a> {
    /// The assigned value (`null` for an unknown feature).
    pub value: Cow<'a, Value>,
    /// The value is truthy (JS rules: `0`, `""`, `null`, `false` are off).
    pub on: bool,
    /// The opposite of `on`.
    pub off: bool,
    /// Why the value was assigned.
    pub source: FeatureSource,
    /// Id of the rule that assigned it (empty when none).
    pub rule_id: Cow<'a, str>,
    /// The experiment that assigned the value, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment: Option<ExperimentRef<'a>>,
    /// The result of that experiment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment_result: Option<ExperimentResult<'a>>,
}

impl<'a> FeatureResult<'a> {
    #[inline]
    pub(crate) fn new(value: Cow<'a, Value>, source: FeatureSource) -> FeatureResult<'a> {
        let on = crate::js::truthy(&value);
        FeatureResult {
            value,
            on,
            off: !on,
            source,
            rule_id: Cow::Borrowed(""),
            experiment: None,
            experiment_result: None,
        }
    }

    /// A copy that owns everything, detached from the instance.
    pub fn into_owned(self) -> FeatureResult<'static> {
        FeatureResult {
            value: Cow::Owned(self.value.into_owned()),
            on: self.on,
            off: self.off,
            source: self.source,
            rule_id: Cow::Owned(self.rule_id.into_owned()),
            experiment: self.experiment.map(ExperimentRef::into_owned),
            experiment_result: self.experiment_result.map(ExperimentResult::into_owned),
        }
    }
}

/// The experiment behind a result: borrowed from the feature set, or owned
/// when a contextual bandit changed its weights for this user. Derefs to
/// [`Experiment`]. (Boxed when owned, so that results stay small to move.)
#[derive(Debug, Clone, PartialEq)]
pub enum ExperimentRef<'a> {
    /// The experiment as defined in the feature set.
    Borrowed(&'a Experiment),
    /// An experiment built for this evaluation.
    Owned(Box<Experiment>),
}

impl ExperimentRef<'_> {
    /// A copy that owns the experiment.
    pub fn into_owned(self) -> ExperimentRef<'static> {
        match self {
            ExperimentRef::Borrowed(e) => ExperimentRef::Owned(Box::new(e.clone())),
            ExperimentRef::Owned(e) => ExperimentRef::Owned(e),
        }
    }
}

impl std::ops::Deref for ExperimentRef<'_> {
    type Target = Experiment;

    fn deref(&self) -> &Experiment {
        match self {
            ExperimentRef::Borrowed(e) => e,
            ExperimentRef::Owned(e) => e,
        }
    }
}

impl Serialize for ExperimentRef<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

/// The result of running an experiment for one user.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExperimentResult<'a> {
    /// Whether the user is part of the experiment.
    pub in_experiment: bool,
    /// Index of the assigned variation (0 when not in the experiment).
    pub variation_id: usize,
    /// Value of the assigned variation.
    pub value: Cow<'a, Value>,
    /// Whether the variation was assigned by hashing (not forced).
    pub hash_used: bool,
    /// The attribute used for hashing.
    pub hash_attribute: Cow<'a, str>,
    /// Its value for this user (`""` when missing).
    pub hash_value: HashValue<'a>,
    /// The feature this experiment ran for, if any.
    pub feature_id: Option<Cow<'a, str>>,
    /// Variation key (from `meta`, else the index as a string).
    pub key: Cow<'a, str>,
    /// Variation name from `meta`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Cow<'a, str>>,
    /// The user's hash bucket, when hashing was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<f64>,
    /// True for a passthrough (holdout) variation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passthrough: Option<bool>,
    /// Whether a stored sticky bucket decided the variation.
    pub sticky_bucket_used: bool,
    /// Contextual bandit leaf, when a bandit routed the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaf_id: Option<i64>,
    /// That leaf's weights.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variation_weights: Option<Vec<f64>>,
    /// The bandit definition's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandit_version: Option<i64>,
}

impl ExperimentResult<'_> {
    /// A copy that owns everything, detached from the instance.
    pub fn into_owned(self) -> ExperimentResult<'static> {
        ExperimentResult {
            in_experiment: self.in_experiment,
            variation_id: self.variation_id,
            value: Cow::Owned(self.value.into_owned()),
            hash_used: self.hash_used,
            hash_attribute: Cow::Owned(self.hash_attribute.into_owned()),
            hash_value: self.hash_value.into_owned(),
            feature_id: self.feature_id.map(|f| Cow::Owned(f.into_owned())),
            key: Cow::Owned(self.key.into_owned()),
            name: self.name.map(|n| Cow::Owned(n.into_owned())),
            bucket: self.bucket,
            passthrough: self.passthrough,
            sticky_bucket_used: self.sticky_bucket_used,
            leaf_id: self.leaf_id,
            variation_weights: self.variation_weights,
            bandit_version: self.bandit_version,
        }
    }
}

/// The value a user was hashed by, as an [`ExperimentResult`] reports it: a
/// string or a number (`""` when the user had none), borrowed from the
/// instance's attributes, JSON or typed, so that a result copies nothing.
/// It compares, prints and serializes as that JSON value.
#[derive(Clone)]
pub struct HashValue<'a>(HashRepr<'a>);

#[derive(Clone)]
enum HashRepr<'a> {
    Json(&'a Value),
    /// Read from a payload (`tracks`) or detached from its instance: rare,
    /// so boxed, keeping results small.
    Owned(Box<Value>),
    String(&'a str),
    Number(f64),
}

/// The hash value reported when a user has no hash attribute.
static EMPTY: Value = Value::String(String::new());

impl<'a> HashValue<'a> {
    /// `""`: the user has no value for the hash attribute.
    pub(crate) fn empty() -> HashValue<'a> {
        HashValue(HashRepr::Json(&EMPTY))
    }

    /// A JSON value of the attributes.
    pub(crate) fn json(value: &'a Value) -> HashValue<'a> {
        HashValue(HashRepr::Json(value))
    }

    /// An owned JSON value.
    pub(crate) fn owned(value: Value) -> HashValue<'a> {
        HashValue(HashRepr::Owned(Box::new(value)))
    }

    /// An attribute value of any representation.
    pub(crate) fn attribute(value: AttributeValue<'a>) -> HashValue<'a> {
        match value {
            AttributeValue::String(s) => HashValue(HashRepr::String(s)),
            AttributeValue::Number(f) => HashValue(HashRepr::Number(f)),
            other => HashValue::owned(other.to_json()),
        }
    }

    /// The value as an attribute value (what hashing and sticky buckets
    /// read).
    pub(crate) fn view(&self) -> AttributeValue<'_> {
        match &self.0 {
            HashRepr::Json(value) => AttributeValue::json(value),
            HashRepr::Owned(value) => AttributeValue::json(value),
            HashRepr::String(s) => AttributeValue::String(s),
            HashRepr::Number(f) => AttributeValue::Number(*f),
        }
    }

    /// The value as JS converts it to a string (tracking keys).
    pub(crate) fn to_js_string(&self) -> String {
        match &self.0 {
            HashRepr::Json(value) => crate::js::to_js_string(value),
            HashRepr::Owned(value) => crate::js::to_js_string(value),
            HashRepr::String(s) => (*s).to_owned(),
            HashRepr::Number(f) => crate::js::number_to_string(*f),
        }
    }

    /// The value as JSON.
    pub fn to_json(&self) -> Value {
        match &self.0 {
            HashRepr::Json(value) => (*value).clone(),
            HashRepr::Owned(value) => value.as_ref().clone(),
            _ => self.view().to_json(),
        }
    }

    /// The value when it is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self.view() {
            AttributeValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value when it is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self.view() {
            AttributeValue::Number(f) => Some(f),
            _ => None,
        }
    }

    /// A copy that owns its value.
    pub fn into_owned(self) -> HashValue<'static> {
        HashValue(match self.0 {
            HashRepr::Json(value) => HashRepr::Owned(Box::new(value.clone())),
            HashRepr::Owned(value) => HashRepr::Owned(value),
            HashRepr::String(s) => HashRepr::Owned(Box::new(Value::String(s.to_owned()))),
            HashRepr::Number(f) => HashRepr::Number(f),
        })
    }
}

impl PartialEq for HashValue<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self.view(), other.view()) {
            (AttributeValue::String(a), AttributeValue::String(b)) => a == b,
            (AttributeValue::Number(a), AttributeValue::Number(b)) => a == b,
            _ => self.to_json() == other.to_json(),
        }
    }
}

impl PartialEq<Value> for HashValue<'_> {
    fn eq(&self, other: &Value) -> bool {
        self.view().strict_equals(other) || self.to_json() == *other
    }
}

/// The JSON text (`"u-1"`, `42`).
impl fmt::Display for HashValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            HashRepr::Json(value) => write!(f, "{value}"),
            HashRepr::Owned(value) => write!(f, "{value}"),
            HashRepr::String(s) => write!(f, "{}", Value::from(*s)),
            HashRepr::Number(_) => write!(f, "{}", self.to_json()),
        }
    }
}

impl fmt::Debug for HashValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HashValue({self})")
    }
}

impl Serialize for HashValue<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            HashRepr::Json(value) => value.serialize(serializer),
            HashRepr::Owned(value) => value.serialize(serializer),
            HashRepr::String(s) => serializer.serialize_str(s),
            HashRepr::Number(_) => self.to_json().serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hash_values_read_as_the_json_value_whatever_holds_them() {
        let from_json = json!("u-1");
        let views = [
            HashValue::json(&from_json),
            HashValue::attribute(AttributeValue::String("u-1")),
            HashValue::attribute(AttributeValue::String("u-1")).into_owned(),
        ];
        for value in &views {
            assert_eq!(*value, views[0]);
            assert_eq!(*value, json!("u-1"));
            assert_ne!(*value, json!("u-2"));
            assert_eq!(value.to_string(), "\"u-1\"");
            assert_eq!(serde_json::to_value(value).unwrap(), json!("u-1"));
            assert_eq!(value.as_str(), Some("u-1"));
            assert_eq!(value.to_js_string(), "u-1");
        }
        let number = HashValue::attribute(AttributeValue::Number(42.0));
        assert_eq!(number, json!(42));
        assert_eq!(number, HashValue::owned(json!(42)));
        assert_eq!(number.to_string(), "42");
        assert_eq!(serde_json::to_value(&number).unwrap(), json!(42));
        assert_eq!(number.as_f64(), Some(42.0));
        assert_eq!(number.as_str(), None);
        let fraction = HashValue::attribute(AttributeValue::Number(0.5));
        assert_eq!(fraction.to_string(), "0.5");
        assert_eq!(fraction.to_js_string(), "0.5");
        assert_ne!(fraction, number);
        assert_eq!(HashValue::empty(), json!(""));
        assert_ne!(HashValue::empty(), number);
    }
}
