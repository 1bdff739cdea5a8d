//! A JSON feature's schema as the export gives it (REST API `jsonSchema`),
//! read as a JSON Schema: written out (`"schema"`, as text or an object) or
//! GrowthBook's simple schema (`"schemaType": "simple"`, a list of typed
//! fields), which codegen types the feature by.

use serde_json::Value;

/// `jsonSchema: {"enabled": true, "schema": "<JSON Schema as text>"}` (the
/// schema may also be an object), or GrowthBook's simple schema
/// (`"schemaType": "simple"`: a list of typed fields), as the JSON Schema it
/// stands for.
pub(crate) fn json_schema(value: Option<&Value>) -> Option<Value> {
    let value = value?;
    if value.get("enabled") == Some(&Value::Bool(false)) {
        return None;
    }
    if value.get("schemaType").and_then(Value::as_str) == Some("simple") {
        return simple_schema(value.get("simple")?);
    }
    match value.get("schema")? {
        Value::String(text) => serde_json::from_str(text).ok(),
        schema @ Value::Object(_) => Some(schema.clone()),
        _ => None,
    }
}

/// The JSON Schema of a simple schema: `{"type": "object" | "object[]" |
/// "primitive" | "primitive[]", "fields": [{"key", "type": "integer" |
/// "float" | "string" | "boolean", "required", "enum", "description"}]}`
/// (a primitive is its first field).
fn simple_schema(simple: &Value) -> Option<Value> {
    let fields = simple.get("fields")?.as_array()?;
    let object = || {
        let properties: serde_json::Map<String, Value> = fields
            .iter()
            .filter_map(|f| Some((f.get("key")?.as_str()?.to_owned(), simple_field(f)?)))
            .collect();
        let required: Vec<&Value> = fields
            .iter()
            .filter(|f| f.get("required") == Some(&Value::Bool(true)))
            .filter_map(|f| f.get("key"))
            .collect();
        serde_json::json!({"type": "object", "properties": properties, "required": required})
    };
    let array = |items: Value| serde_json::json!({"type": "array", "items": items});
    match simple.get("type")?.as_str()? {
        "object" => Some(object()),
        "object[]" => Some(array(object())),
        "primitive" => simple_field(fields.first()?),
        "primitive[]" => Some(array(simple_field(fields.first()?)?)),
        _ => None,
    }
}

/// One field of a simple schema as a JSON Schema (string enums kept).
fn simple_field(field: &Value) -> Option<Value> {
    let kind = match field.get("type")?.as_str()? {
        "integer" => "integer",
        "float" => "number",
        "string" => "string",
        "boolean" => "boolean",
        _ => return None,
    };
    let mut schema = serde_json::json!({ "type": kind });
    let values = field.get("enum").and_then(Value::as_array);
    if let Some(values) = values.filter(|v| kind == "string" && !v.is_empty()) {
        schema["enum"] = Value::Array(values.clone());
    }
    if let Some(description) = field.get("description").filter(|d| d.as_str() != Some("")) {
        schema["description"] = description.clone();
    }
    Some(schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn simple_schemas_read_as_json_schemas() {
        let simple = |kind: &str| {
            json_schema(Some(
                &json!({"enabled": true, "schemaType": "simple", "simple": {
                    "type": kind,
                    "fields": [
                        {"key": "seats", "type": "integer", "required": true, "enum": [], "description": ""},
                        {"key": "tier", "type": "string", "required": false, "enum": ["a", "b"], "description": "The tier."},
                        {"key": "ratio", "type": "float", "required": false, "enum": []}
                    ]
                }}),
            ))
        };
        let object = json!({"type": "object", "required": ["seats"], "properties": {
            "seats": {"type": "integer"},
            "tier": {"type": "string", "enum": ["a", "b"], "description": "The tier."},
            "ratio": {"type": "number"}
        }});
        assert_eq!(simple("object"), Some(object.clone()));
        assert_eq!(
            simple("object[]"),
            Some(json!({"type": "array", "items": object}))
        );
        assert_eq!(simple("primitive"), Some(json!({"type": "integer"})));
        assert_eq!(
            simple("primitive[]"),
            Some(json!({"type": "array", "items": {"type": "integer"}}))
        );
        assert_eq!(simple("map"), None);
    }
}
