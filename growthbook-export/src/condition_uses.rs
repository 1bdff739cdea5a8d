//! The attributes one condition tests (MongoDB-style JSON), and which kinds
//! and values of each could ever satisfy it: literals, operators, `$not`
//! and `$nor` (which ask nothing of what they negate), `$elemMatch` items,
//! and saved groups (`$inGroup`, `$savedGroup`) read through the export's
//! `savedGroups`.

use crate::kinds::AttributeKinds;
use crate::targeting::{array, push_equal, AttributeUse, LIST_ITEMS};
use serde_json::{Map, Value};

/// Where a condition sits: its place as messages name it, and the export's
/// saved groups, which `$inGroup` reads its values from.
pub(crate) struct Location<'a> {
    pub(crate) text: String,
    pub(crate) groups: Option<&'a Map<String, Value>>,
}

impl Location<'_> {
    /// The values of the saved group `id`, if the export has it as a list
    /// (or as a legacy bare array).
    fn group_values(&self, id: &Value) -> Option<&[Value]> {
        let group = self.groups?.get(id.as_str()?)?;
        match group {
            Value::Array(values) => Some(values),
            Value::Object(_) if group.get("type").and_then(Value::as_str) == Some("list") => {
                Some(group.get("values")?.as_array()?)
            }
            _ => None,
        }
    }
}

/// Walks a condition (MongoDB-style JSON) for the attributes it tests.
/// `negated`: under `$not` or `$nor`, where a test that can never hold
/// makes the condition always pass (excluding a value an enum no longer
/// has is harmless; a number is never a string, `$not: {"$type":
/// "string"}`), so it asks no value and no kind of the attribute.
pub(crate) fn condition_uses(
    condition: &Value,
    location: &Location<'_>,
    uses: &mut Vec<AttributeUse>,
    negated: bool,
) {
    let Value::Object(entries) = condition else {
        return;
    };
    for (key, value) in entries {
        match key.as_str() {
            "$or" | "$and" => {
                for part in array(Some(value)) {
                    condition_uses(part, location, uses, negated);
                }
            }
            "$nor" => {
                for part in array(Some(value)) {
                    condition_uses(part, location, uses, !negated);
                }
            }
            "$not" => condition_uses(value, location, uses, !negated),
            // A `$savedGroup` reference is checked where the group is,
            // unless it tests another attribute against the group's list.
            "$savedGroup" => {
                if let Some(attribute) = value.get("attributeKey").and_then(Value::as_str) {
                    let values = value.get("id").and_then(|id| location.group_values(id));
                    let (kinds, equals) = match values {
                        Some(values) if !negated => (membership_kinds(values), strings(values)),
                        _ => (AttributeKinds::ANY, Vec::new()),
                    };
                    let usage = format!("$savedGroup: {value}");
                    push_equal(uses, attribute, &location.text, usage, kinds, equals);
                }
            }
            key if key.starts_with('$') => {}
            path => value_uses(path, value, location, uses, negated),
        }
    }
}

/// The uses of the attribute at `path` by a value test: a literal or an
/// operator object.
fn value_uses(
    path: &str,
    test: &Value,
    location: &Location<'_>,
    uses: &mut Vec<AttributeUse>,
    negated: bool,
) {
    let operators = match test {
        Value::Object(ops) if ops.keys().next().is_some_and(|k| k.starts_with('$')) => ops,
        literal => {
            let usage = format!("== {literal}");
            let (kinds, equals) = if negated {
                (AttributeKinds::ANY, Vec::new())
            } else {
                (
                    AttributeKinds::of_literal(literal),
                    strings(std::slice::from_ref(literal)),
                )
            };
            push_equal(uses, path, &location.text, usage, kinds, equals);
            return;
        }
    };
    for (op, operand) in operators {
        let kinds = match op.as_str() {
            "$not" => {
                // What `$not` negates still names the attribute.
                value_uses(path, operand, location, uses, !negated);
                continue;
            }
            _ if negated => AttributeKinds::ANY,
            "$eq" => AttributeKinds::of_literal(operand),
            "$gt" | "$gte" | "$lt" | "$lte" => match operand {
                Value::Number(_) => AttributeKinds::NUMBER,
                Value::String(_) => AttributeKinds::STRING,
                _ => AttributeKinds::ANY,
            },
            "$veq" | "$vgt" | "$vgte" | "$vlt" | "$vlte" => match operand {
                Value::Number(_) => AttributeKinds::NUMBER,
                _ => AttributeKinds::STRING,
            },
            "$regex" | "$regexi" => AttributeKinds::STRING,
            "$in" | "$ini" => membership_kinds(array(Some(operand))),
            // The group's values, when the export has the group.
            "$inGroup" => location
                .group_values(operand)
                .map_or(AttributeKinds::ANY, membership_kinds),
            "$elemMatch" | "$size" | "$all" | "$alli" => AttributeKinds::LIST,
            // JS's `typeof`-like names; "null" (missing) fits anything.
            "$type" => match operand.as_str() {
                Some("string") => AttributeKinds::STRING,
                Some("number") => AttributeKinds::NUMBER,
                Some("boolean") => AttributeKinds::BOOL,
                Some("array") => AttributeKinds::LIST,
                Some("object") => AttributeKinds::OBJECT,
                _ => AttributeKinds::ANY,
            },
            // `$ne`, `$nin`, `$notRegex`, `$exists`, `$vne`, `$inGroup`...
            // can hold for any kind.
            _ => AttributeKinds::ANY,
        };
        let equals = match op.as_str() {
            _ if negated => Vec::new(),
            "$eq" => strings(std::slice::from_ref(operand)),
            "$in" => strings(array(Some(operand))),
            "$inGroup" => strings(location.group_values(operand).unwrap_or_default()),
            _ => Vec::new(),
        };
        let usage = format!("{op}: {operand}");
        push_equal(uses, path, &location.text, usage, kinds, equals);
        if op == "$elemMatch" {
            item_uses(path, operand, location, uses, negated);
        }
    }
}

/// The uses of the items of the list at `path` by `$elemMatch`: an
/// operator object tests each item as a value (`{"$gt": 10}`), anything
/// else is a condition on each item's attributes (`{"sku": "A1"}`), as the
/// JS SDK's `elemMatch` reads it. Recorded under `path.[]`.
fn item_uses(
    path: &str,
    test: &Value,
    location: &Location<'_>,
    uses: &mut Vec<AttributeUse>,
    negated: bool,
) {
    let mut inner = Vec::new();
    match test {
        Value::Object(ops) if !ops.is_empty() && ops.keys().all(|k| k.starts_with('$')) => {
            value_uses("", test, location, &mut inner, negated);
        }
        condition => condition_uses(condition, location, &mut inner, negated),
    }
    let usage = format!("$elemMatch: {test}");
    for item in inner {
        let item_path = [path, LIST_ITEMS, &item.path]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(".");
        push_equal(
            uses,
            &item_path,
            &location.text,
            usage.clone(),
            item.path_kinds,
            item.equals,
        );
    }
}

/// The string literals among `values`.
fn strings(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The kinds that can be in a list of literals: an attribute of one of them,
/// or a list (whose items are tested).
pub(crate) fn membership_kinds(values: &[Value]) -> AttributeKinds {
    values
        .iter()
        .map(AttributeKinds::of_literal)
        .fold(AttributeKinds::LIST, AttributeKinds::union)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targeting::{attribute_uses, display_path};
    use serde_json::json;

    #[test]
    fn string_equality_is_recorded_for_closed_sets() {
        let export = json!({"features": {"f": {"rules": [
            {"condition": {"plan": "pro", "tier": {"$in": ["a", 1, "b"], "$ne": "c"}}},
            {"condition": {"$not": {"plan": {"$eq": "team"}}, "age": 3, "x": {"$regex": "y"}}},
            {"condition": {"$nor": [{"plan": "old"}], "tier": {"$not": {"$in": ["z"]}}}},
            {"condition": {"$not": {"$nor": [{"plan": "gold"}]}}}
        ]}}});
        let equals: Vec<(String, Vec<String>)> = attribute_uses(export.as_object().unwrap())
            .into_iter()
            .map(|u| (u.usage, u.equals))
            .collect();
        let strings = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            equals,
            [
                ("== \"pro\"".to_owned(), strings(&["pro"])),
                ("$in: [\"a\",1,\"b\"]".to_owned(), strings(&["a", "b"])),
                ("$ne: \"c\"".to_owned(), vec![]),
                // Under `$not` or `$nor`, equality asks no value...
                ("$eq: \"team\"".to_owned(), vec![]),
                ("== 3".to_owned(), vec![]),
                ("$regex: \"y\"".to_owned(), vec![]),
                ("== \"old\"".to_owned(), vec![]),
                ("$in: [\"z\"]".to_owned(), vec![]),
                // ...but negated twice it does.
                ("== \"gold\"".to_owned(), strings(&["gold"])),
            ]
        );
    }

    #[test]
    fn negated_tests_ask_no_kind_and_negated_twice_do() {
        let export = json!({"features": {"f": {"rules": [
            {"condition": {"age": {"$not": {"$regex": "^1"}}, "id": {"$not": {"$type": "string"}}}},
            {"condition": {"$nor": [{"tags": {"$size": 0}}, {"plan": 3}]}},
            {"condition": {"$not": {"$not": {"score": {"$gt": 1}}}, "n": {"$not": {"$not": {"$regex": "x"}}}}}
        ]}}});
        let kinds: Vec<(String, AttributeKinds)> = attribute_uses(export.as_object().unwrap())
            .into_iter()
            .map(|u| (u.attribute, u.kinds))
            .collect();
        let named = |name: &str| kinds.iter().find(|(n, _)| n == name).map(|(_, k)| *k);
        for name in ["age", "id", "tags", "plan"] {
            assert_eq!(named(name), Some(AttributeKinds::ANY), "{name}");
        }
        assert_eq!(named("score"), Some(AttributeKinds::NUMBER));
        assert_eq!(named("n"), Some(AttributeKinds::STRING));
    }

    #[test]
    fn in_group_asks_what_the_groups_values_are() {
        let export = json!({
            "features": {"f": {"rules": [
                {"condition": {"id": {"$inGroup": "numbers"}, "plan": {"$inGroup": "plans"}}},
                {"condition": {"a": {"$inGroup": "absent"}, "b": {"$notInGroup": "plans"}}},
                {"condition": {"$not": {"c": {"$inGroup": "numbers"}}}}
            ]}},
            "savedGroups": {
                "numbers": [1, 2, 3],
                "plans": {"type": "list", "attributeKey": "plan", "values": ["pro", "team"]}
            }
        });
        let found: Vec<(String, AttributeKinds, Vec<String>)> =
            attribute_uses(export.as_object().unwrap())
                .into_iter()
                .filter(|u| u.location.starts_with("feature"))
                .map(|u| (u.attribute, u.kinds, u.equals))
                .collect();
        let strings = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let list = AttributeKinds::LIST;
        assert_eq!(
            found,
            [
                ("id".to_owned(), list.union(AttributeKinds::NUMBER), vec![]),
                (
                    "plan".to_owned(),
                    list.union(AttributeKinds::STRING),
                    strings(&["pro", "team"])
                ),
                // A group the export lacks, `$notInGroup`, and `$not` ask nothing.
                ("a".to_owned(), AttributeKinds::ANY, vec![]),
                ("b".to_owned(), AttributeKinds::ANY, vec![]),
                ("c".to_owned(), AttributeKinds::ANY, vec![]),
            ]
        );
    }

    #[test]
    fn a_saved_group_reference_with_its_own_attribute_uses_it() {
        let export = json!({
            "features": {"f": {"rules": [
                {"condition": {"$savedGroup": {"id": "ids", "attributeKey": "backupId"}}},
                {"condition": {"$savedGroup": {"id": "ids"}}},
                {"condition": {"$not": {"$savedGroup": {"id": "ids", "attributeKey": "other"}}}}
            ]}},
            "savedGroups": {"ids": {"type": "list", "attributeKey": "id", "values": ["u_1", "u_2"]}}
        });
        let found: Vec<(String, String, AttributeKinds, Vec<String>)> =
            attribute_uses(export.as_object().unwrap())
                .into_iter()
                .map(|u| (u.attribute, u.location, u.kinds, u.equals))
                .collect();
        let ids = AttributeKinds::LIST.union(AttributeKinds::STRING);
        let strings = vec!["u_1".to_owned(), "u_2".to_owned()];
        assert_eq!(
            found,
            [
                (
                    "backupId".to_owned(),
                    "feature \"f\" rule 1".to_owned(),
                    ids,
                    strings
                ),
                (
                    "other".to_owned(),
                    "feature \"f\" rule 3".to_owned(),
                    AttributeKinds::ANY,
                    vec![]
                ),
                // The group's own attribute, where the group is.
                (
                    "id".to_owned(),
                    "saved group \"ids\"".to_owned(),
                    ids,
                    vec![]
                ),
            ]
        );
    }

    #[test]
    fn elem_match_tests_each_item() {
        let found: Vec<(String, String, AttributeKinds, AttributeKinds, Vec<String>)> =
            attribute_uses(
                json!({"features": {"f": {"rules": [{"condition": {
                    "tags": {"$elemMatch": {"$regex": "^a"}},
                    "items": {"$elemMatch": {"sku": "A1", "qty": {"$gte": 2}, "$or": [{"kind.name": "x"}]}},
                    "grid": {"$elemMatch": {"$elemMatch": {"$eq": 1}}}
                }}]}}})
                .as_object()
                .unwrap(),
            )
            .into_iter()
            .map(|u| (u.attribute, u.path, u.kinds, u.path_kinds, u.equals))
            .collect();
        // Object key order depends on serde_json's `preserve_order`, which
        // the workspace turns on and this crate alone does not.
        let mut found = found;
        found.sort_by(|a, b| a.1.cmp(&b.1));
        let (list, string, number) = (
            AttributeKinds::LIST,
            AttributeKinds::STRING,
            AttributeKinds::NUMBER,
        );
        let row = |a: &str, p: &str, k, pk, e: &[&str]| {
            (
                a.to_owned(),
                p.to_owned(),
                k,
                pk,
                e.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            found,
            [
                // Nested `$elemMatch`: items of items.
                row("grid", "grid", list, list, &[]),
                row("grid", "grid.[]", list, list, &[]),
                row("grid", "grid.[].[]", list, number, &[]),
                // A condition on each item's attributes.
                row("items", "items", list, list, &[]),
                row("items", "items.[].kind.name", list, string, &["x"]),
                row("items", "items.[].qty", list, number, &[]),
                row("items", "items.[].sku", list, string, &["A1"]),
                // An operator on each item.
                row("tags", "tags", list, list, &[]),
                row("tags", "tags.[]", list, string, &[]),
            ]
        );
        assert_eq!(display_path("grid.[].[]"), "grid[][]");
        let export = json!({"features": {"f": {"rules": [{"condition": {"grid": {"$elemMatch": {"$size": 2}}}}]}}});
        let items: Vec<bool> = attribute_uses(export.as_object().unwrap())
            .iter()
            .map(AttributeUse::tests_items)
            .collect();
        assert_eq!(items, [false, true]);
        assert_eq!(display_path("items.[].sku"), "items[].sku");
        assert_eq!(display_path("company.plan"), "company.plan");
    }
}
