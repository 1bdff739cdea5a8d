//! JSON attributes: `serde_json::Value` as [`Attributes`] (an object) and as
//! an [`AttributeList`] (an array).

use super::{AttributeList, AttributeValue, Attributes};
use crate::js;
use serde_json::Value;

impl Attributes for Value {
    /// A member of an object; any other value has no attributes.
    #[inline]
    fn attribute(&self, name: &str) -> Option<AttributeValue<'_>> {
        match self {
            Value::Object(map) => js::member(map, name).map(AttributeValue::json),
            _ => None,
        }
    }

    fn to_json(&self) -> Value {
        self.clone()
    }

    fn as_json(&self) -> Option<&Value> {
        Some(self)
    }
}

impl AttributeList for Value {
    /// An array's length; any other value is an empty list.
    fn len(&self) -> usize {
        self.as_array().map_or(0, Vec::len)
    }

    fn item(&self, index: usize) -> AttributeValue<'_> {
        self.get(index)
            .map_or(AttributeValue::Null, AttributeValue::json)
    }

    fn as_json(&self) -> Option<&Value> {
        Some(self)
    }
}
