//! An OpenFeature evaluation context read as GrowthBook attributes, in
//! place: no JSON object is built per evaluation.

use growthbook::attributes::{AttributeValue, Attributes};
use open_feature::{EvaluationContext, EvaluationContextFieldValue};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The attributes of an evaluation context: its custom fields, and
/// `targeting_key` as `id` unless a custom field is named `id`.
pub(crate) struct ContextAttributes<'a> {
    context: &'a EvaluationContext,
    /// Date-time fields as RFC 3339 strings (made only when the context has
    /// any).
    dates: HashMap<&'a str, String>,
}

impl<'a> ContextAttributes<'a> {
    pub(crate) fn new(context: &'a EvaluationContext) -> ContextAttributes<'a> {
        let dates = context
            .custom_fields
            .iter()
            .filter_map(|(name, value)| match value {
                EvaluationContextFieldValue::DateTime(at) => at
                    .format(&time::format_description::well_known::Rfc3339)
                    .ok()
                    .map(|text| (name.as_str(), text)),
                _ => None,
            })
            .collect();
        ContextAttributes { context, dates }
    }

    fn field(
        &self,
        name: &str,
        value: &'a EvaluationContextFieldValue,
    ) -> Option<AttributeValue<'_>> {
        Some(match value {
            EvaluationContextFieldValue::Bool(b) => AttributeValue::Bool(*b),
            EvaluationContextFieldValue::Int(i) => AttributeValue::Number(*i as f64),
            EvaluationContextFieldValue::Float(f) => AttributeValue::Number(*f),
            EvaluationContextFieldValue::String(s) => AttributeValue::String(s),
            EvaluationContextFieldValue::DateTime(_) => {
                AttributeValue::String(self.dates.get(name)?)
            }
            // A struct field is read when it holds JSON.
            EvaluationContextFieldValue::Struct(any) => {
                AttributeValue::json(any.downcast_ref::<Value>()?)
            }
        })
    }
}

impl Attributes for ContextAttributes<'_> {
    fn attribute(&self, name: &str) -> Option<AttributeValue<'_>> {
        match self.context.custom_fields.get(name) {
            Some(value) => self.field(name, value),
            None if name == "id" => self
                .context
                .targeting_key
                .as_deref()
                .map(AttributeValue::String),
            None => None,
        }
    }

    fn to_json(&self) -> Value {
        let mut object = Map::new();
        if let Some(key) = &self.context.targeting_key {
            object.insert("id".to_owned(), Value::String(key.clone()));
        }
        for (name, value) in &self.context.custom_fields {
            if let Some(value) = self.field(name, value) {
                object.insert(name.clone(), value.to_json());
            }
        }
        Value::Object(object)
    }
}
