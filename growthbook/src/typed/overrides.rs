//! Typed flag overrides for tests: `AppFeatures::overrides().dark_mode(true)`
//! instead of a map of string keys and untyped values. The generated setters
//! take the field's own type under the struct's own keys, so a misspelled
//! flag or a value of the wrong type is a compile error.

use crate::{FeatureSet, GrowthBook, GrowthBookBuilder};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// A value a generated override setter accepts for a field of type `T`:
/// any `T` that serializes (implemented for every `T: Serialize`).
pub trait OverrideValue<T> {
    /// The value as JSON.
    fn into_json(self) -> Value;
}

impl<T: serde::Serialize> OverrideValue<T> for T {
    fn into_json(self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// `.button_color("red")` for a `String` field.
impl OverrideValue<String> for &str {
    fn into_json(self) -> Value {
        Value::String(self.to_owned())
    }
}

/// Forced values for some features of a typed features struct, built by its
/// generated `overrides()` builder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    values: HashMap<String, Value>,
}

impl Overrides {
    /// Sets one feature; used by generated setters.
    pub fn set(mut self, key: &str, value: Value) -> Overrides {
        self.values.insert(key.to_owned(), value);
        self
    }

    /// The forced values by feature key.
    pub fn values(&self) -> &HashMap<String, Value> {
        &self.values
    }

    /// A builder with no payload at all: every overridden flag has its
    /// value, every other one its declared default (an unknown feature
    /// falls back to it).
    pub fn builder(self) -> GrowthBookBuilder {
        GrowthBook::builder()
            .features(Arc::new(FeatureSet::default()))
            .overrides(self)
    }
}

impl GrowthBookBuilder {
    /// Forces features to typed values (see [`Overrides`]); adds to any
    /// [`Self::forced_features`].
    pub fn overrides(mut self, overrides: impl Into<Overrides>) -> Self {
        let overrides: Overrides = overrides.into();
        self.options.forced_features.extend(overrides.values);
        self
    }
}
