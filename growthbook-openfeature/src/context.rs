//! An OpenFeature evaluation context read as GrowthBook attributes, in
//! place: no JSON object is built per evaluation.

use growthbook::attributes::{AttributeValue, Attributes};
use open_feature::{EvaluationContext, EvaluationContextFieldValue, StructValue, Value as OfValue};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The attributes of an evaluation context: its custom fields, and
/// `targeting_key` as `id` unless a custom field is named `id`.
pub(crate) struct ContextAttributes<'a> {
    context: &'a EvaluationContext,
    /// Fields that are not read in place, converted once: date-times as
    /// RFC 3339 strings, OpenFeature struct values as JSON (made only when
    /// the context has such fields).
    converted: HashMap<&'a str, Value>,
}

impl<'a> ContextAttributes<'a> {
    pub(crate) fn new(context: &'a EvaluationContext) -> ContextAttributes<'a> {
        let converted = context
            .custom_fields
            .iter()
            .filter_map(|(name, value)| match value {
                EvaluationContextFieldValue::DateTime(at) => at
                    .format(&time::format_description::well_known::Rfc3339)
                    .ok()
                    .map(|text| (name.as_str(), Value::String(text))),
                EvaluationContextFieldValue::Struct(any) => any
                    .downcast_ref::<StructValue>()
                    .map(|value| (name.as_str(), struct_to_json(value))),
                _ => None,
            })
            .collect();
        ContextAttributes { context, converted }
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
                AttributeValue::json(self.converted.get(name)?)
            }
            // A struct field is read when it holds JSON (in place) or an
            // OpenFeature struct value (converted).
            EvaluationContextFieldValue::Struct(any) => match any.downcast_ref::<Value>() {
                Some(json) => AttributeValue::json(json),
                None => AttributeValue::json(self.converted.get(name)?),
            },
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

/// An OpenFeature struct value as JSON.
fn struct_to_json(value: &StructValue) -> Value {
    Value::Object(
        value
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), value_to_json(v)))
            .collect(),
    )
}

fn value_to_json(value: &OfValue) -> Value {
    match value {
        OfValue::Bool(b) => Value::Bool(*b),
        OfValue::Int(i) => Value::from(*i),
        OfValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        OfValue::String(s) => Value::String(s.clone()),
        OfValue::Array(items) => Value::Array(items.iter().map(value_to_json).collect()),
        OfValue::Struct(inner) => struct_to_json(inner),
    }
}
