//! Saved groups: named lists of attribute values and reusable conditions that
//! targeting conditions refer to (`$inGroup`, `$notInGroup`, `$savedGroup`).

use crate::condition::{compile_condition, Cond, Path};
use serde_json::Value;

/// One entry of the payload's `savedGroups` object.
#[derive(Debug)]
pub(crate) enum SavedGroup {
    /// A bare array of values (the legacy form, for `$inGroup` only).
    Legacy(Vec<Value>),
    /// `{"type": "list", "attributeKey": "id", "values": [...]}`
    List {
        attribute_key: Path,
        values: Vec<Value>,
    },
    /// `{"type": "condition", "condition": {...}}`
    Condition(Cond),
    /// `{"type": "remote", "attributeKey": ...}`: membership is resolved by
    /// the server and passed in as the user's remote group ids.
    Remote { attribute_key: Path },
    /// An entry of a type this SDK does not know, or a malformed one: any
    /// condition that needs it fails closed.
    Unsupported,
}

/// The compiled saved groups of a payload, by id.
#[derive(Debug, Default)]
pub struct SavedGroups {
    groups: crate::features::FastMap<SavedGroup>,
}

impl SavedGroups {
    /// Compiles the payload's `savedGroups` object. Anything but an object
    /// gives no groups.
    pub fn from_json(value: &Value) -> SavedGroups {
        let groups = value
            .as_object()
            .map(|map| {
                map.iter()
                    .map(|(id, entry)| (id.clone(), compile_group(id, entry)))
                    .collect()
            })
            .unwrap_or_default();
        SavedGroups { groups }
    }

    pub(crate) fn get(&self, id: &str) -> Option<&SavedGroup> {
        self.groups.get(id)
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

fn compile_group(id: &str, entry: &Value) -> SavedGroup {
    let unsupported = |why: &str| {
        log::warn!(target: "growthbook", "saved group {id:?} {why}; conditions using it will not match");
        SavedGroup::Unsupported
    };
    let obj = match entry {
        Value::Array(values) => return SavedGroup::Legacy(values.clone()),
        Value::Object(obj) => obj,
        _ => return unsupported("is neither an object nor an array"),
    };
    let attribute_key = || {
        obj.get("attributeKey")
            .and_then(Value::as_str)
            .map(Path::new)
    };
    match obj.get("type").and_then(Value::as_str) {
        Some("list") => match (attribute_key(), obj.get("values").and_then(Value::as_array)) {
            (Some(attribute_key), Some(values)) => SavedGroup::List {
                attribute_key,
                values: values.clone(),
            },
            _ => unsupported("is a list without a string attributeKey and a values array"),
        },
        Some("condition") => match obj.get("condition") {
            Some(c @ Value::Object(_)) => SavedGroup::Condition(compile_condition(c.clone(), 1)),
            _ => unsupported("is a condition group without a condition object"),
        },
        Some("remote") => match attribute_key() {
            Some(attribute_key) => SavedGroup::Remote { attribute_key },
            None => unsupported("is a remote group without a string attributeKey"),
        },
        _ => SavedGroup::Unsupported,
    }
}
