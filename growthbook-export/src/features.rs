//! The features of an export: the SDK payload (`{"features": {"key":
//! {"defaultValue": ..., "rules": [...]}}}`) or the REST API feature list
//! (`{"features": [{"id": ..., "valueType": ..., "defaultValue": "<string>"}]}`).

use crate::json_schema::json_schema;
use crate::targeting::AttributeUse;
use serde_json::Value;
use std::fmt;

/// The features of an export, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// One entry per feature.
    pub features: Vec<FeatureSpec>,
    /// Every use of an attribute by the export's targeting (conditions,
    /// saved groups, hash attributes), in file order.
    pub attribute_uses: Vec<AttributeUse>,
}

/// What an export says about one feature.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureSpec {
    /// The feature key.
    pub key: String,
    /// The declared value type (REST exports), authoritative when present.
    pub value_type: Option<ValueType>,
    /// The default value.
    pub default_value: Value,
    /// Every value the feature can take: the default first, then every rule
    /// value (force values, experiment variations).
    pub values: Vec<ValueAt>,
    /// The feature's description, if any.
    pub description: Option<String>,
    /// Whether the feature is archived (retired).
    pub archived: bool,
    /// The tags GrowthBook shows the feature under (written into the
    /// generated accessor's documentation).
    pub tags: Vec<String>,
    /// The JSON Schema of a JSON feature's values, when the export has one
    /// enabled (REST API `jsonSchema`).
    pub json_schema: Option<Value>,
}

/// One value of a feature and where the export has it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueAt {
    /// Where, in words: "the default value", "the value of rule 2 in
    /// production"...
    pub location: String,
    /// The value, parsed per the feature's value type in REST exports.
    pub value: Value,
}

impl ValueAt {
    fn new(location: impl Into<String>, value: Value) -> ValueAt {
        ValueAt {
            location: location.into(),
            value,
        }
    }
}

/// GrowthBook's four value types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// `true` / `false`.
    Boolean,
    /// Text.
    String,
    /// A number.
    Number,
    /// Any JSON.
    Json,
}

/// The type of a feature's values, declared or inferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Every value is a boolean.
    Boolean,
    /// Every value is a string.
    String,
    /// Every value is a number; `integral` when each is an integer.
    Number {
        /// Whether every value is an integer.
        integral: bool,
    },
    /// Objects and arrays (or a declared JSON feature).
    Json,
    /// Values of different JSON types, or none at all.
    Mixed,
}

impl Kind {
    /// "a boolean", "a string"...: for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Boolean => "a boolean",
            Kind::String => "a string",
            Kind::Number { .. } => "a number",
            Kind::Json => "a JSON value",
            Kind::Mixed => "of mixed types",
        }
    }
}

/// Why an export cannot be read.
#[derive(Debug)]
pub enum ExportError {
    /// The text is not JSON.
    Json(serde_json::Error),
    /// The JSON is not the GrowthBook export expected (a features export, or
    /// an attribute list).
    Format(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Json(e) => write!(f, "not valid JSON: {e}"),
            ExportError::Format(e) => write!(f, "not a GrowthBook export: {e}"),
        }
    }
}

impl std::error::Error for ExportError {}

impl Export {
    /// Parses an export from its JSON text.
    /// SDK payload features keep their order in the file.
    pub fn from_json_str(text: &str) -> Result<Export, ExportError> {
        let value: Value = serde_json::from_str(text).map_err(ExportError::Json)?;
        let mut export = Export::from_json(&value)?;
        if let Ok(order) = serde_json::from_str::<file_order::FeatureKeys>(text) {
            let position = |key: &str| order.0.iter().position(|k| k == key);
            export.features.sort_by_key(|f| position(&f.key));
        }
        Ok(export)
    }

    /// Reads an export in either format.
    pub fn from_json(value: &Value) -> Result<Export, ExportError> {
        let format = |what: &str| ExportError::Format(what.to_owned());
        let root = value.as_object().ok_or_else(|| match value {
            Value::Array(_) => format(
                "expected a JSON object, found a list; a list of features (the REST API's) \
                 goes under a `features` key: {\"features\": [...]}",
            ),
            _ => format(
                "expected a JSON object: an SDK payload ({\"features\": {...}}) or a REST \
                 API export ({\"features\": [...]})",
            ),
        })?;
        let attribute_uses = crate::targeting::attribute_uses(root);
        match root.get("features") {
            Some(Value::Object(features)) => Ok(Export {
                features: features.iter().map(|(key, def)| sdk_feature(key, def)).collect(),
                attribute_uses,
            }),
            Some(Value::Array(features)) => features
                .iter()
                .enumerate()
                .map(|(i, def)| rest_feature(i, def))
                .collect::<Result<_, _>>()
                .map(|features| Export {
                    features,
                    attribute_uses,
                }),
            Some(_) => Err(format("`features` must be an object (SDK payload) or an array (REST API)")),
            None if root.contains_key("encryptedFeatures") => Err(format(
                "the payload is encrypted (`encryptedFeatures`); export it unencrypted or decrypt it first",
            )),
            None if root.get("attributes").is_some_and(Value::is_array) => Err(format(
                "this is an attribute list (GET /api/v1/attributes), not a features export; \
                 check against the features export (SDK payload or REST feature list), and \
                 generate a struct from the attribute list with `include_attributes!`",
            )),
            None => Err(format("there is no `features` key")),
        }
    }

    /// The feature with this key.
    pub fn get(&self, key: &str) -> Option<&FeatureSpec> {
        self.features.iter().find(|f| f.key == key)
    }

    /// The attributes the export's targeting uses, each once, in file order.
    pub fn attributes(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for name in self.attribute_uses.iter().map(|u| u.attribute.as_str()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// The key closest to `key` (for "did you mean" hints), if any is close.
    pub fn closest_key(&self, key: &str) -> Option<&str> {
        crate::closest(key, self.features.iter().map(|f| f.key.as_str()))
    }
}

impl FeatureSpec {
    /// The declared value type if any, otherwise the type inferred from the
    /// values.
    pub fn kind(&self) -> Kind {
        let values = || {
            self.values
                .iter()
                .map(|v| &v.value)
                .filter(|v| !v.is_null())
        };
        let integral = || values().all(|v| v.is_i64() || v.is_u64());
        match self.value_type {
            Some(ValueType::Boolean) => return Kind::Boolean,
            Some(ValueType::String) => return Kind::String,
            Some(ValueType::Number) => {
                return Kind::Number {
                    integral: integral(),
                }
            }
            Some(ValueType::Json) => return Kind::Json,
            None => {}
        }
        let mut kinds = values().map(|v| match v {
            Value::Bool(_) => Kind::Boolean,
            Value::String(_) => Kind::String,
            Value::Number(_) => Kind::Number { integral: true },
            _ => Kind::Json,
        });
        let Some(first) = kinds.next() else {
            return Kind::Mixed;
        };
        if !kinds.all(|k| k == first) {
            return Kind::Mixed;
        }
        match first {
            Kind::Number { .. } => Kind::Number {
                integral: integral(),
            },
            other => other,
        }
    }
}

fn sdk_feature(key: &str, def: &Value) -> FeatureSpec {
    let default_value = def.get("defaultValue").cloned().unwrap_or(Value::Null);
    let mut values = vec![ValueAt::new("the default value", default_value.clone())];
    let rules = def
        .get("rules")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (i, rule) in rules.iter().enumerate() {
        let n = i + 1;
        if let Some(force) = rule.get("force") {
            values.push(ValueAt::new(
                format!("the value of rule {n}"),
                force.clone(),
            ));
        }
        let variations = rule
            .get("variations")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (j, variation) in variations.iter().enumerate() {
            values.push(ValueAt::new(
                format!("variation {j} of rule {n}"),
                variation.clone(),
            ));
        }
    }
    let metadata = def.get("metadata");
    FeatureSpec {
        key: key.to_owned(),
        value_type: def
            .get("valueType")
            .and_then(Value::as_str)
            .and_then(value_type),
        default_value,
        values,
        description: text(
            def.get("description")
                .or_else(|| metadata.and_then(|m| m.get("description"))),
        ),
        archived: def.get("archived") == Some(&Value::Bool(true)),
        tags: strings(
            def.get("tags")
                .or_else(|| metadata.and_then(|m| m.get("tags"))),
        ),
        json_schema: json_schema(def.get("jsonSchema")),
    }
}

fn rest_feature(index: usize, def: &Value) -> Result<FeatureSpec, ExportError> {
    let format = |what: String| ExportError::Format(format!("features[{index}]: {what}"));
    let def = def
        .as_object()
        .ok_or_else(|| format("expected an object".into()))?;
    let key = def
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| format("no string `id`".into()))?;
    let value_type = match def.get("valueType").and_then(Value::as_str) {
        Some(name) => Some(value_type(name).ok_or_else(|| {
            format(format!(
                "feature {key:?} has valueType {name:?}; expected boolean, string, number or json"
            ))
        })?),
        None => None,
    };
    let parse = |raw: &Value| parse_rest_value(raw, value_type);
    let default_value = def.get("defaultValue").map_or(Value::Null, parse);
    let mut values = vec![ValueAt::new("the default value", default_value.clone())];
    let environments = def.get("environments").and_then(Value::as_object);
    for (env_name, env) in environments.into_iter().flatten() {
        if let Some(default) = env.get("defaultValue") {
            values.push(ValueAt::new(
                format!("the default value in {env_name}"),
                parse(default),
            ));
        }
        let rules = env
            .get("rules")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (i, rule) in rules.iter().enumerate() {
            let n = i + 1;
            if let Some(value) = rule.get("value") {
                values.push(ValueAt::new(
                    format!("the value of rule {n} in {env_name}"),
                    parse(value),
                ));
            }
            for list in ["values", "variations"] {
                let variations = rule
                    .get(list)
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice);
                for (j, variation) in variations.iter().enumerate() {
                    if let Some(value) = variation.get("value") {
                        values.push(ValueAt::new(
                            format!("variation {j} of rule {n} in {env_name}"),
                            parse(value),
                        ));
                    }
                }
            }
        }
    }
    Ok(FeatureSpec {
        key: key.to_owned(),
        value_type,
        default_value,
        values,
        description: text(def.get("description")),
        archived: def.get("archived") == Some(&Value::Bool(true)),
        tags: strings(def.get("tags")),
        json_schema: json_schema(def.get("jsonSchema")),
    })
}

fn value_type(name: &str) -> Option<ValueType> {
    match name {
        "boolean" => Some(ValueType::Boolean),
        "string" => Some(ValueType::String),
        "number" => Some(ValueType::Number),
        "json" => Some(ValueType::Json),
        _ => None,
    }
}

/// REST values are strings to parse per the value type (a value that does
/// not parse stays a string, which then fails the type check).
fn parse_rest_value(raw: &Value, value_type: Option<ValueType>) -> Value {
    let Value::String(s) = raw else {
        return raw.clone();
    };
    match value_type {
        Some(ValueType::Boolean) => match s.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => raw.clone(),
        },
        Some(ValueType::Number) => match serde_json::from_str::<serde_json::Number>(s.trim()) {
            Ok(n) => Value::Number(n),
            Err(_) => raw.clone(),
        },
        Some(ValueType::Json) => serde_json::from_str(s).unwrap_or_else(|_| raw.clone()),
        Some(ValueType::String) | None => raw.clone(),
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The keys of an SDK payload's `features` object in file order (a
/// `serde_json::Value` object may not keep it).
mod file_order {
    use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
    use std::fmt;

    pub(super) struct FeatureKeys(pub(super) Vec<String>);

    struct Keys;

    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            let mut keys = Vec::new();
            while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                keys.push(key);
            }
            Ok(keys)
        }
    }

    struct Root;

    impl<'de> Visitor<'de> for Root {
        type Value = FeatureKeys;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a features payload")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FeatureKeys, A::Error> {
            let mut keys = Vec::new();
            while let Some(name) = map.next_key::<String>()? {
                if name == "features" {
                    keys = map.next_value_seed(KeysSeed)?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(FeatureKeys(keys))
        }
    }

    struct KeysSeed;

    impl<'de> serde::de::DeserializeSeed<'de> for KeysSeed {
        type Value = Vec<String>;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
            d.deserialize_map(Keys)
        }
    }

    impl<'de> Deserialize<'de> for FeatureKeys {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FeatureKeys, D::Error> {
            d.deserialize_map(Root)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sdk_payload_kinds_are_inferred_from_every_value() {
        // Not in alphabetical order: the file's order is kept.
        let text = r#"{"features": {
            "b": {"defaultValue": false, "rules": [{"force": true}]},
            "n": {"defaultValue": 1, "rules": [{"variations": [2, 3]}]},
            "f": {"defaultValue": 1, "rules": [{"force": 0.5}]},
            "m": {"defaultValue": 1, "rules": [{"force": "x"}]},
            "j": {"defaultValue": {"a": 1}}
        }}"#;
        let export = Export::from_json_str(text).unwrap();
        let keys: Vec<&str> = export.features.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["b", "n", "f", "m", "j"]);
        let kinds: Vec<Kind> = export.features.iter().map(FeatureSpec::kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Boolean,
                Kind::Number { integral: true },
                Kind::Number { integral: false },
                Kind::Mixed,
                Kind::Json
            ]
        );
    }

    #[test]
    fn rest_values_are_parsed_per_value_type() {
        let export = Export::from_json(&json!({"features": [
            {"id": "limit", "valueType": "number", "defaultValue": "50", "archived": true, "description": "Max",
             "environments": {"production": {"rules": [{"type": "force", "value": "7.5"}]}}},
            {"id": "cfg", "valueType": "json", "defaultValue": "{\"a\": [1]}", "tags": ["t"]},
            {"id": "on", "valueType": "boolean", "defaultValue": "true",
             "environments": {"dev": {"rules": [{"type": "experiment", "values": [{"value": "false", "weight": 0.5}]}]}}}
        ]}))
        .unwrap();
        let limit = export.get("limit").unwrap();
        let values: Vec<&Value> = limit.values.iter().map(|v| &v.value).collect();
        assert_eq!(values, [&json!(50), &json!(7.5)]);
        assert_eq!(
            limit.values[1].location,
            "the value of rule 1 in production"
        );
        assert_eq!(limit.kind(), Kind::Number { integral: false });
        assert!(limit.archived);
        assert_eq!(limit.description.as_deref(), Some("Max"));
        assert_eq!(export.get("cfg").unwrap().default_value, json!({"a": [1]}));
        let on: Vec<&Value> = export
            .get("on")
            .unwrap()
            .values
            .iter()
            .map(|v| &v.value)
            .collect();
        assert_eq!(on, [&json!(true), &json!(false)]);
    }

    #[test]
    fn closest_key_suggests_near_misses_only() {
        let export =
            Export::from_json(&json!({"features": {"button-color": {}, "dark-mode": {}}})).unwrap();
        assert_eq!(export.closest_key("buton-color"), Some("button-color"));
        assert_eq!(export.closest_key("dark_mode"), Some("dark-mode"));
        assert_eq!(export.closest_key("checkout"), None);
    }

    #[test]
    fn bad_exports_say_why() {
        for (input, needle) in [
            (
                "[]",
                "found a list; a list of features (the REST API's) goes under a `features` key",
            ),
            ("3", "expected a JSON object: an SDK payload"),
            ("{}", "no `features` key"),
            ("{\"features\": 3}", "must be an object"),
            ("{\"encryptedFeatures\": \"x\"}", "encrypted"),
            (
                "{\"attributes\": [{\"property\": \"id\"}]}",
                "this is an attribute list",
            ),
            (
                "{\"features\": [{\"valueType\": \"string\"}]}",
                "features[0]: no string `id`",
            ),
            (
                "{\"features\": [{\"id\": \"x\", \"valueType\": \"text\"}]}",
                "valueType \"text\"",
            ),
        ] {
            let err = Export::from_json_str(input).unwrap_err().to_string();
            assert!(err.contains(needle), "{input}: {err}");
        }
        assert!(Export::from_json_str("{")
            .unwrap_err()
            .to_string()
            .contains("line 1"));
    }
}
