//! What an export's targeting asks of attributes: every attribute that a
//! condition, a saved group, a `hashAttribute` or a `fallbackAttribute`
//! names, and which kinds of value could ever satisfy that use. The
//! attributes derive checks a struct against this at compile time, and the
//! generated `check(&payload)` at run time. This module walks the export
//! (rules, auto experiments, saved groups); `condition_uses` reads each
//! condition.

use crate::condition_uses::{condition_uses, membership_kinds, Location};
use crate::kinds::AttributeKinds;
use serde_json::{Map, Value};

/// The path step that stands for every item of a list, in the paths of
/// [`AttributeUse`]: `items.[].sku` is what `{"items": {"$elemMatch":
/// {"sku": ...}}}` tests. Not a JS path step (`items.sku` reads no item).
pub const LIST_ITEMS: &str = "[]";

/// A use's path as messages show it: list items as `[]` after the list
/// (`items[].sku`, `tags[]`).
pub fn display_path(path: &str) -> String {
    path.replace(&format!(".{LIST_ITEMS}"), LIST_ITEMS)
}

/// One place where the export uses an attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeUse {
    /// The top-level attribute (`company` for `company.plan`).
    pub attribute: String,
    /// The path as written (`company.plan`), with [`LIST_ITEMS`] for the
    /// items `$elemMatch` tests (`items.[].sku`).
    pub path: String,
    /// Where: `feature "checkout" rule 2`, `saved group "beta-testers"`...
    pub location: String,
    /// How, as written: `$gt: 18`, `== "US"`, `hashAttribute`.
    pub usage: String,
    /// The kinds of the top-level attribute that could ever satisfy this use
    /// (any kind when the use says nothing about it).
    pub kinds: AttributeKinds,
    /// The kinds of the value at the whole path that could satisfy this use
    /// (`company.plan`'s, where `kinds` is `company`'s); the same as `kinds`
    /// for a path of one part.
    pub path_kinds: AttributeKinds,
    /// The strings the value at the path must equal one of for this use to
    /// pass (`== "pro"`, `$eq`, `$in`), which an attribute with a closed
    /// set of values (an enum) must share; empty when the use asks for no
    /// such equality.
    pub equals: Vec<String>,
}

impl AttributeUse {
    /// Whether this use tests a list's items (`items.[]...`, under
    /// `$elemMatch`). What it asks of the attribute itself, that it be a
    /// list, the `$elemMatch` use of the list beside it asks already: a
    /// check of the top-level attribute reads that one.
    pub fn tests_items(&self) -> bool {
        self.path.split('.').nth(1) == Some(LIST_ITEMS)
    }
}

/// The distinct places of `uses` (their `location`s), in the order first
/// used: a rule that uses an attribute twice (`$elemMatch`: the list and
/// its items) is one place.
pub fn places<'u>(uses: impl IntoIterator<Item = &'u AttributeUse>) -> Vec<&'u str> {
    let mut places: Vec<&str> = Vec::new();
    for usage in uses {
        if !places.contains(&usage.location.as_str()) {
            places.push(&usage.location);
        }
    }
    places
}

/// Every attribute use in an export's JSON (SDK payload or REST API list).
pub(crate) fn attribute_uses(root: &Map<String, Value>) -> Vec<AttributeUse> {
    let mut uses = Vec::new();
    let groups = root.get("savedGroups").and_then(Value::as_object);
    match root.get("features") {
        Some(Value::Object(features)) => {
            for (key, def) in features {
                for (i, rule) in array(def.get("rules")).iter().enumerate() {
                    let location = Location {
                        text: format!("feature {key:?} rule {}", i + 1),
                        groups,
                    };
                    rule_uses(rule, &location, &mut uses);
                }
            }
        }
        Some(Value::Array(features)) => {
            for def in features {
                let key = def.get("id").and_then(Value::as_str).unwrap_or("?");
                let environments = def.get("environments").and_then(Value::as_object);
                for (env, env_def) in environments.into_iter().flatten() {
                    for (i, rule) in array(env_def.get("rules")).iter().enumerate() {
                        let location = Location {
                            text: format!("feature {key:?} rule {} in {env}", i + 1),
                            groups,
                        };
                        rule_uses(rule, &location, &mut uses);
                    }
                }
            }
        }
        _ => {}
    }
    // An SDK payload's auto experiments (visual editor, URL redirects):
    // targeted and hashed as experiment rules are.
    for (i, experiment) in array(root.get("experiments")).iter().enumerate() {
        let text = match experiment.get("key").and_then(Value::as_str) {
            Some(key) => format!("experiment {key:?}"),
            None => format!("experiment {}", i + 1),
        };
        rule_uses(experiment, &Location { text, groups }, &mut uses);
    }
    for (id, group) in groups.into_iter().flatten() {
        let location = Location {
            text: format!("saved group {id:?}"),
            groups,
        };
        match group.get("type").and_then(Value::as_str) {
            Some("list") => {
                if let Some(key) = group.get("attributeKey").and_then(Value::as_str) {
                    let values = array(group.get("values"));
                    let usage = "is in the list".to_owned();
                    push(
                        &mut uses,
                        key,
                        &location.text,
                        usage,
                        membership_kinds(values),
                    );
                }
            }
            Some("condition") => {
                if let Some(condition) = group.get("condition") {
                    condition_uses(&parsed(condition), &location, &mut uses, false);
                }
            }
            _ => {}
        }
    }
    uses
}

/// The array `value` holds, or none.
pub(crate) fn array(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A condition as REST exports write it (JSON text) or as payloads do.
fn parsed(condition: &Value) -> Value {
    match condition {
        Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        other => other.clone(),
    }
}

fn rule_uses(rule: &Value, location: &Location<'_>, uses: &mut Vec<AttributeUse>) {
    if let Some(condition) = rule.get("condition") {
        condition_uses(&parsed(condition), location, uses, false);
    }
    for (field, usage) in [
        ("hashAttribute", "hashAttribute"),
        ("fallbackAttribute", "fallbackAttribute"),
    ] {
        if let Some(attribute) = rule.get(field).and_then(Value::as_str) {
            let hashable = AttributeKinds::STRING.union(AttributeKinds::NUMBER);
            push(uses, attribute, &location.text, usage.to_owned(), hashable);
        }
    }
    // Filters hash an attribute of their own (mutually exclusive
    // experiments).
    for filter in array(rule.get("filters")) {
        if let Some(attribute) = filter.get("attribute").and_then(Value::as_str) {
            let hashable = AttributeKinds::STRING.union(AttributeKinds::NUMBER);
            push(
                uses,
                attribute,
                &location.text,
                "filters".to_owned(),
                hashable,
            );
        }
    }
}

pub(crate) fn push(
    uses: &mut Vec<AttributeUse>,
    path: &str,
    location: &str,
    usage: String,
    kinds: AttributeKinds,
) {
    push_equal(uses, path, location, usage, kinds, Vec::new());
}

/// [`push`] for a use that passes only when the value equals one of
/// `equals`.
pub(crate) fn push_equal(
    uses: &mut Vec<AttributeUse>,
    path: &str,
    location: &str,
    usage: String,
    kinds: AttributeKinds,
    equals: Vec<String>,
) {
    let mut parts = path.split('.');
    let attribute = parts.next().unwrap_or(path);
    // A nested path says what the top-level attribute holds: a list for
    // `tags.length` or `items.0`, an object otherwise; unless a missing
    // value satisfies the use (`"plan.tier": {"$exists": false}`, `$ne`,
    // `$eq: null`: any value's), which a number holding no `tier` does.
    let path_kinds = kinds;
    let kinds = match parts.next() {
        None => kinds,
        Some(_) if kinds == AttributeKinds::ANY => kinds,
        Some(LIST_ITEMS) => AttributeKinds::LIST,
        Some(step) if step == "length" || step.bytes().all(|b| b.is_ascii_digit()) => {
            AttributeKinds::LIST.union(AttributeKinds::OBJECT)
        }
        Some(_) => AttributeKinds::OBJECT,
    };
    uses.push(AttributeUse {
        attribute: attribute.to_owned(),
        path: path.to_owned(),
        location: location.to_owned(),
        usage,
        kinds,
        path_kinds,
        equals,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn uses(export: Value) -> Vec<(String, String, String, AttributeKinds)> {
        attribute_uses(export.as_object().unwrap())
            .into_iter()
            .map(|u| (u.attribute, u.location, u.usage, u.kinds))
            .collect()
    }

    #[test]
    fn sdk_payload_uses() {
        let found = uses(json!({
            "features": {"f": {"rules": [
                {"condition": {"age": {"$gt": 18}, "$or": [{"country": "US"}, {"tags": {"$elemMatch": {"$eq": "x"}}}]}},
                {"hashAttribute": "deviceId", "fallbackAttribute": "id"},
                {"condition": {"company.plan": {"$in": ["pro"]}, "tags.length": {"$gte": 2}}}
            ]}},
            "savedGroups": {"g": {"type": "list", "attributeKey": "email", "values": ["a@b"]}}
        }));
        let kinds = |name: &str| -> Vec<AttributeKinds> {
            found.iter().filter(|u| u.0 == name).map(|u| u.3).collect()
        };
        assert_eq!(kinds("age"), [AttributeKinds::NUMBER]);
        assert_eq!(kinds("country"), [AttributeKinds::STRING]);
        assert_eq!(
            kinds("tags"),
            [
                // `$elemMatch`: the list, then each item.
                AttributeKinds::LIST,
                AttributeKinds::LIST,
                AttributeKinds::LIST.union(AttributeKinds::OBJECT)
            ]
        );
        assert_eq!(kinds("company"), [AttributeKinds::OBJECT]);
        let typed = uses(json!({"features": {"f": {"rules": [{"condition": {
            "a": {"$type": "string"}, "b": {"$type": "number"}, "c": {"$type": "boolean"},
            "d": {"$type": "array"}, "e": {"$type": "object"}, "f": {"$type": "null"}
        }}]}}}));
        assert_eq!(
            typed.iter().map(|u| u.3).collect::<Vec<_>>(),
            [
                AttributeKinds::STRING,
                AttributeKinds::NUMBER,
                AttributeKinds::BOOL,
                AttributeKinds::LIST,
                AttributeKinds::OBJECT,
                AttributeKinds::ANY
            ]
        );
        assert_eq!(
            kinds("email"),
            [AttributeKinds::STRING.union(AttributeKinds::LIST)]
        );
        assert_eq!(
            kinds("deviceId"),
            [AttributeKinds::STRING.union(AttributeKinds::NUMBER)]
        );
        // A nested use that a missing value satisfies asks nothing of the
        // top-level attribute: a number holds no `tier`, which passes.
        let missing = uses(json!({"features": {"f": {"rules": [{"condition": {
            "plan.tier": {"$exists": false}, "org.name": {"$ne": "x"}, "items.0": {"$eq": null},
            "plan.seats": {"$gt": 1}
        }}]}}}));
        // By usage: key order depends on serde_json's `preserve_order`.
        let kinds_of = |usage: &str| missing.iter().find(|u| u.2 == usage).map(|u| u.3);
        assert_eq!(kinds_of("$exists: false"), Some(AttributeKinds::ANY));
        assert_eq!(kinds_of("$ne: \"x\""), Some(AttributeKinds::ANY));
        assert_eq!(kinds_of("$eq: null"), Some(AttributeKinds::ANY));
        assert_eq!(kinds_of("$gt: 1"), Some(AttributeKinds::OBJECT));
        let age = found.iter().find(|u| u.0 == "age").unwrap();
        assert_eq!(
            (age.1.as_str(), age.2.as_str()),
            ("feature \"f\" rule 1", "$gt: 18")
        );
    }

    #[test]
    fn auto_experiments_and_filters_are_uses() {
        let found = uses(json!({
            "features": {"f": {"rules": [
                {"variations": [0, 1], "filters": [{"attribute": "companyId", "seed": "s", "ranges": [[0, 0.5]]}]}
            ]}},
            "experiments": [
                {"key": "hero", "hashAttribute": "deviceId", "condition": {"urlPath": {"$regex": "^/shop"}}, "variations": [{}, {}]},
                {"fallbackAttribute": "id", "variations": [{}, {}]}
            ]
        }));
        let hashable = AttributeKinds::STRING.union(AttributeKinds::NUMBER);
        assert_eq!(
            found,
            [
                (
                    "companyId".into(),
                    "feature \"f\" rule 1".into(),
                    "filters".into(),
                    hashable
                ),
                (
                    "urlPath".into(),
                    "experiment \"hero\"".into(),
                    "$regex: \"^/shop\"".into(),
                    AttributeKinds::STRING
                ),
                (
                    "deviceId".into(),
                    "experiment \"hero\"".into(),
                    "hashAttribute".into(),
                    hashable
                ),
                (
                    "id".into(),
                    "experiment 2".into(),
                    "fallbackAttribute".into(),
                    hashable
                ),
            ]
        );
    }

    #[test]
    fn rest_export_conditions_are_json_text() {
        let found = uses(
            json!({"features": [{"id": "f", "environments": {"production": {"rules": [
                {"type": "force", "condition": "{\"loggedIn\": true}", "value": "1"}
            ]}}}]}),
        );
        assert_eq!(
            found,
            [(
                "loggedIn".into(),
                "feature \"f\" rule 1 in production".into(),
                "== true".into(),
                AttributeKinds::BOOL
            )]
        );
    }
}
