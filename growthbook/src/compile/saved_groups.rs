//! Compiling a payload's `savedGroups` object.

use crate::compile::condition::compile_condition;
use crate::compile::json_tree::JsonTree;
use crate::model::condition::Path;
use crate::model::saved_groups::{SavedGroup, SavedGroups};
use crate::model::value_list::ValueList;
use serde_json::Value;

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
}

fn compile_group(id: &str, entry: &Value) -> SavedGroup {
    let malformed = |why: &str| {
        log::warn!(target: "growthbook", "saved group {id:?} {why}; conditions using it will not match");
        SavedGroup::Malformed
    };
    let obj = match entry {
        Value::Array(values) => return SavedGroup::Legacy(ValueList::of(values, false)),
        Value::Object(obj) => obj,
        _ => return malformed("is neither an object nor an array"),
    };
    let attribute_key = || {
        obj.get("attributeKey")
            .and_then(Value::as_str)
            .map(Path::new)
    };
    match obj.get("type").and_then(Value::as_str) {
        Some("list") => match obj.get("values").and_then(Value::as_array) {
            Some(values) => SavedGroup::List {
                attribute_key: attribute_key(),
                values: ValueList::of(values, false),
            },
            None => malformed("is a list without a values array"),
        },
        Some("condition") => match obj.get("condition") {
            Some(c @ Value::Object(_)) => {
                SavedGroup::Condition(compile_condition(JsonTree::borrowed(c), 1))
            }
            _ => malformed("is a condition group without a condition object"),
        },
        Some("remote") => match attribute_key() {
            Some(attribute_key) => SavedGroup::Remote { attribute_key },
            None => malformed("is a remote group without a string attributeKey"),
        },
        _ => {
            log::warn!(target: "growthbook", "saved group {id:?} has a type this SDK does not know; conditions using it will not match");
            SavedGroup::Unsupported
        }
    }
}
