//! GrowthBook's attribute list (REST `GET /api/v1/attributes`): the
//! attributes an organization declares, with their types. Code generation
//! makes a typed attributes struct from it.

use crate::ExportError;
use serde_json::Value;

/// The attributes of an attribute list, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeList {
    /// One entry per attribute.
    pub attributes: Vec<AttributeSpec>,
}

/// One declared attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeSpec {
    /// The attribute's name (`property`), as conditions use it.
    pub property: String,
    /// Its type.
    pub datatype: AttributeType,
    /// Its description, if any.
    pub description: Option<String>,
    /// Whether experiments may hash it (`hashAttribute`).
    pub hash_attribute: bool,
    /// Whether it is archived (retired).
    pub archived: bool,
    /// Its format hint (`version`, `date`, `isoCountryCode`...), if any.
    pub format: Option<String>,
}

/// GrowthBook's attribute data types.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttributeType {
    /// `boolean`.
    Boolean,
    /// `number`.
    Number,
    /// `string`.
    String,
    /// `secureString`: a string the SDK hashes (SHA-256) before comparing.
    SecureString,
    /// `enum`, with its values.
    Enum(Vec<String>),
    /// `string[]`.
    StringList,
    /// `number[]`.
    NumberList,
    /// `secureString[]`.
    SecureStringList,
    /// A datatype this version does not know (GrowthBook may add some):
    /// read as any JSON value rather than refused.
    Other(String),
}

impl AttributeList {
    /// Parses an attribute list from its JSON text.
    pub fn from_json_str(text: &str) -> Result<AttributeList, ExportError> {
        let value: Value = serde_json::from_str(text).map_err(ExportError::Json)?;
        AttributeList::from_json(&value)
    }

    /// Reads `{"attributes": [...]}` (the REST response) or a bare list.
    pub fn from_json(value: &Value) -> Result<AttributeList, ExportError> {
        let format = |what: String| ExportError::Format(what);
        let items = match value {
            Value::Array(items) => items,
            Value::Object(root) => match root.get("attributes") {
                Some(Value::Array(items)) => items,
                _ => {
                    return Err(format(
                        "an attribute list is {\"attributes\": [...]} (GET /api/v1/attributes) or a JSON array"
                            .to_owned(),
                    ))
                }
            },
            _ => return Err(format("an attribute list is a JSON object or array".to_owned())),
        };
        let attributes = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let at = |what: &str| format(format!("attributes[{i}]: {what}"));
                let property = item
                    .get("property")
                    .and_then(Value::as_str)
                    .ok_or_else(|| at("no string `property`"))?;
                let datatype = item
                    .get("datatype")
                    .and_then(Value::as_str)
                    .unwrap_or("string");
                let datatype = match datatype {
                    "boolean" => AttributeType::Boolean,
                    "number" => AttributeType::Number,
                    "string" => AttributeType::String,
                    "secureString" => AttributeType::SecureString,
                    "string[]" => AttributeType::StringList,
                    "number[]" => AttributeType::NumberList,
                    "secureString[]" => AttributeType::SecureStringList,
                    "enum" => AttributeType::Enum(enum_values(item.get("enum"))),
                    other => AttributeType::Other(other.to_owned()),
                };
                let text = |key: &str| {
                    item.get(key)
                        .and_then(Value::as_str)
                        .filter(|s| !s.trim().is_empty())
                        .map(str::to_owned)
                };
                Ok(AttributeSpec {
                    property: property.to_owned(),
                    datatype,
                    description: text("description"),
                    hash_attribute: item.get("hashAttribute") == Some(&Value::Bool(true)),
                    archived: item.get("archived") == Some(&Value::Bool(true)),
                    format: text("format"),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(AttributeList { attributes })
    }
}

/// An enum's values: GrowthBook stores them comma-separated (a list is
/// accepted too).
fn enum_values(value: Option<&Value>) -> Vec<String> {
    let values: Vec<String> = match value {
        Some(Value::String(text)) => text.split(',').map(|v| v.trim().to_owned()).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|v| v.trim().to_owned())
            .collect(),
        _ => Vec::new(),
    };
    let mut unique: Vec<String> = Vec::new();
    for value in values.into_iter().filter(|v| !v.is_empty()) {
        if !unique.contains(&value) {
            unique.push(value);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_rest_attribute_list() {
        let list = AttributeList::from_json(&json!({"attributes": [
            {"property": "id", "datatype": "string", "hashAttribute": true},
            {"property": "plan", "datatype": "enum", "enum": "free, pro,enterprise,pro"},
            {"property": "tags", "datatype": "string[]", "archived": true, "description": "Labels"}
        ]}))
        .unwrap();
        assert_eq!(list.attributes.len(), 3);
        assert!(list.attributes[0].hash_attribute);
        assert_eq!(
            list.attributes[1].datatype,
            AttributeType::Enum(vec!["free".into(), "pro".into(), "enterprise".into()])
        );
        assert!(list.attributes[2].archived);
        assert_eq!(list.attributes[2].description.as_deref(), Some("Labels"));
        // A datatype GrowthBook may add later is kept, not refused.
        let newer = AttributeList::from_json(&json!([{"property": "x", "datatype": "date"}]));
        assert_eq!(
            newer.unwrap().attributes[0].datatype,
            AttributeType::Other("date".into())
        );
        let bad = AttributeList::from_json(&json!([{"datatype": "string"}]));
        assert!(bad
            .unwrap_err()
            .to_string()
            .contains("no string `property`"));
    }
}
