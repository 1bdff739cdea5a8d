//! JSON Schemas of declared feature types (with the `schema` cargo feature):
//! a field whose type implements `schemars::JsonSchema` gets its schema in
//! `TypedFeatures::json_schemas`; other fields are left out.
//!
//! Generated code asks `(&&SchemaProbe::<T>::new()).json_schema()`: method
//! resolution picks [`ViaJsonSchema`] when `T: JsonSchema` and falls back to
//! [`NoJsonSchema`] otherwise (autoref specialization), so one expansion
//! works for every field type.

use serde_json::Value;
use std::marker::PhantomData;

/// Stands for the type `T` in a method-resolution probe.
pub struct SchemaProbe<T>(PhantomData<T>);

impl<T> SchemaProbe<T> {
    /// A probe for `T`.
    pub const fn new() -> Self {
        SchemaProbe(PhantomData)
    }
}

impl<T> Default for SchemaProbe<T> {
    fn default() -> Self {
        SchemaProbe::new()
    }
}

/// The schema of a type that implements `JsonSchema`.
pub trait ViaJsonSchema {
    /// `T`'s JSON Schema.
    fn json_schema(&self) -> Option<Value>;
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> ViaJsonSchema for &SchemaProbe<T> {
    fn json_schema(&self) -> Option<Value> {
        let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
        serde_json::to_value(schema).ok()
    }
}

/// The fallback for types without a schema.
pub trait NoJsonSchema {
    /// `None`.
    fn json_schema(&self) -> Option<Value>;
}

impl<T> NoJsonSchema for SchemaProbe<T> {
    fn json_schema(&self) -> Option<Value> {
        None
    }
}
