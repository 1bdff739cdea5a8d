//! Malformed payloads: wrong types anywhere give a clear error or a skipped
//! rule, never a panic, and never disturb the other features.

use crate::instance;
use growthbook::{Error, FeatureSet, FeatureSource, GrowthBook};
use serde_json::{json, Value};
use std::sync::Arc;

/// Values of every JSON type, to put where another type belongs.
fn wrong_values() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5e300),
        json!("x"),
        json!([]),
        json!([1, "a", null]),
        json!({}),
        json!({"$or": 1}),
    ]
}

/// Every path (object keys and array indexes) inside a JSON value.
fn paths(value: &Value, prefix: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                prefix.push(json!(k));
                out.push(prefix.clone());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(json!(i));
                out.push(prefix.clone());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn slot<'a>(value: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(i) => &mut v[i.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

fn users() -> Vec<Value> {
    vec![
        json!({"id": "u_1001", "country": "FR", "plan": "enterprise", "region": "eu-west"}),
        json!({"id": "user-7", "email": "a@acme.example", "country": "US", "appVersion": "3.3.0", "tags": ["student"]}),
        json!({"id": "user-8", "device": "ios", "appVersion": "2.0.0", "accountAgeDays": 1}),
    ]
}

fn evaluate_all(features: &Arc<FeatureSet>) -> Vec<(String, Value, FeatureSource)> {
    let mut keys: Vec<&str> = features.keys().collect();
    keys.sort();
    let mut out = Vec::new();
    for user in users() {
        let gb = GrowthBook::builder()
            .features(Arc::clone(features))
            .attributes(user)
            .build();
        for key in &keys {
            let r = gb.eval_feature(key);
            out.push((key.to_string(), r.value.into_owned(), r.source));
        }
    }
    out
}

/// Features whose value may legitimately change when `mutated` changes:
/// itself and the features that use it as a prerequisite or a saved group.
fn affected_by(mutated: &[Value]) -> Vec<&'static str> {
    match mutated.first().and_then(Value::as_str) {
        Some("features") => match mutated.get(1).and_then(Value::as_str) {
            Some("new-checkout") => vec!["new-checkout", "ai-assistant"],
            Some(key) => vec![Box::leak(key.to_owned().into_boxed_str())],
            None => vec!["*"],
        },
        Some("savedGroups") => vec!["dark-mode"],
        _ => vec![],
    }
}

#[test]
fn wrong_types_at_every_position_never_panic_nor_spread() {
    let original: Value = serde_json::from_str(include_str!("../../features.json")).unwrap();
    let baseline = evaluate_all(&Arc::new(FeatureSet::from_json(&original).unwrap()));
    let mut all_paths = Vec::new();
    paths(&original, &mut Vec::new(), &mut all_paths);
    assert!(all_paths.len() > 200, "only {} paths", all_paths.len());

    let mut tried = 0;
    for path in &all_paths {
        for wrong in wrong_values() {
            let mut payload = original.clone();
            *slot(&mut payload, path) = wrong.clone();
            // Only a `features` member that is no object makes the payload
            // unusable (an error that says so); anything inside loads.
            let features = match FeatureSet::from_json(&payload) {
                Ok(features) => Arc::new(features),
                Err(e) => {
                    assert_eq!(path, &[json!("features")], "{path:?} = {wrong}: {e}");
                    assert!(
                        e.to_string().contains("`features` "),
                        "{path:?} = {wrong}: {e}"
                    );
                    continue;
                }
            };
            let results = evaluate_all(&features);
            // Read from its text (streamed, never a JSON value), the same
            // payload compiles to the same answers.
            let from_text = FeatureSet::from_json_str(&payload.to_string()).unwrap();
            assert_eq!(
                evaluate_all(&Arc::new(from_text)),
                results,
                "{path:?} = {wrong}: text and value disagree"
            );
            tried += 1;
            let affected = affected_by(path);
            if affected.contains(&"*") {
                continue;
            }
            for (before, after) in baseline.iter().zip(&results) {
                if !affected.contains(&before.0.as_str()) {
                    assert_eq!(
                        before, after,
                        "setting {path:?} to {wrong} changed feature {}",
                        before.0
                    );
                }
            }
        }
    }
    assert!(tried > 2000);
}

#[test]
fn a_payload_without_usable_features_is_an_error_that_says_what_it_is() {
    let cases = [
        (
            r#"{"features": 5}"#,
            "`features` should be an object of feature definitions, found a number",
        ),
        (
            r#"{"features": [{"id": "dark-mode", "valueType": "boolean"}]}"#,
            "`features` is an array: this is a REST API export (GET /api/v1/features), not an SDK payload",
        ),
        (
            r#"{"dark-mode": {"defaultValue": true}, "banner": {"rules": []}}"#,
            "this is a map of feature definitions (what the Python SDK's `features=` takes), not an SDK payload: compile it with `FeatureSet::from_features_map`",
        ),
        (
            r#"{"encryptedFeatures": "abc.def"}"#,
            "the payload is encrypted (`encryptedFeatures`): decrypt it first",
        ),
        (
            r#"{"features": null, "encryptedFeatures": "abc.def"}"#,
            "the payload is encrypted",
        ),
        (
            r#"{"savedGroups": {}, "dateUpdated": "2026-01-01"}"#,
            "the payload has no `features` member (it has `savedGroups`, `dateUpdated`)",
        ),
        ("{}", "the payload has no `features` member (it has no members)"),
    ];
    for (payload, message) in cases {
        for err in [
            FeatureSet::from_json_str(payload).unwrap_err(),
            FeatureSet::from_json(&serde_json::from_str(payload).unwrap()).unwrap_err(),
        ] {
            assert!(
                matches!(err, Error::InvalidPayload(_)),
                "{payload}: {err:?}"
            );
            assert!(err.to_string().contains(message), "{payload}: {err}");
        }
    }
    // The bare map has its own constructor.
    let map = json!({"dark-mode": {"defaultValue": true}});
    let set = FeatureSet::from_features_map(&map).unwrap();
    assert_eq!(set.default_value("dark-mode"), Some(&json!(true)));
    assert!(FeatureSet::from_features_map(&json!([1]))
        .unwrap_err()
        .to_string()
        .contains("found an array"));
}

#[test]
fn a_payload_that_is_not_an_object_is_a_clear_error() {
    for bad in [json!(null), json!([]), json!("features"), json!(3)] {
        let err = FeatureSet::from_json(&bad).unwrap_err();
        assert!(matches!(err, Error::InvalidPayload(_)), "{err:?}");
        assert!(err.to_string().contains("should be a JSON object"), "{err}");
    }
    let err = FeatureSet::from_json_str("{\"features\": {").unwrap_err();
    assert!(matches!(err, Error::InvalidJson(_)));
    assert!(err.to_string().contains("line 1"), "{err}");
}

/// Every way in (text, JSON value, serde) reads a payload the same way:
/// features, defaults, errors.
#[test]
fn payload_text_and_json_values_read_alike() {
    let example = include_str!("../../features.json");
    let texts = [
        example,
        r#"{"features": {"a": {"defaultValue": 1}, "a": {"defaultValue": 2}}}"#,
        r#"{"features": {"a": {"defaultValue": 1}}, "features": {"b": {"defaultValue": 2}}}"#,
        r#"{"features": null, "encryptedFeatures": "x.y"}"#,
        r#"{"encryptedFeatures": "x.y"}"#,
        r#"{"features": [1, {"a": 2}], "dateUpdated": "2026-01-01"}"#,
        r#"{"features": "on"}"#,
        r#"{"features": 3.5, "savedGroups": {"g": [1]}}"#,
        r#"{"features": {"a": 7}}"#,
        r#"{}"#,
        r#"[{"features": {}}]"#,
        r#""features""#,
        r#"null"#,
        r#"-1"#,
        r#"{"features": {}} trailing"#,
        r#"{"features": {"a": {"defaultValue": 1}},}"#,
    ];
    let describe = |set: Result<FeatureSet, Error>| match set {
        Ok(set) => {
            let mut defaults: Vec<String> = set
                .defaults()
                .map(|(key, value)| format!("{key}={value}"))
                .collect();
            defaults.sort();
            format!("ok {:?} {defaults:?}", set.date_updated())
        }
        Err(Error::InvalidJson(_)) => "invalid JSON".to_owned(),
        Err(err) => format!("error {err}"),
    };
    for text in texts {
        let from_text = describe(FeatureSet::from_json_str(text));
        let from_value = describe(match serde_json::from_str::<Value>(text) {
            Ok(value) => FeatureSet::from_value(value),
            Err(e) => Err(Error::InvalidJson(e.to_string())),
        });
        let from_serde = describe(
            serde_json::from_str::<FeatureSet>(text).map_err(|e| Error::InvalidJson(e.to_string())),
        );
        assert_eq!(from_text, from_value, "{text}");
        if from_value.starts_with("ok") || from_value == "invalid JSON" {
            assert_eq!(from_serde, from_value, "{text}");
        }
    }
    let last_wins = FeatureSet::from_json_str(texts[1]).unwrap();
    assert_eq!(last_wins.len(), 1);
    assert_eq!(last_wins.default_value("a"), Some(&json!(2)));
}

/// Definitions and rules read straight from text keep JSON object
/// semantics: a repeated member replaces the earlier one, escaped names are
/// names, unknown members are ignored, and anything but an object or a list
/// where one belongs is skipped alike.
#[test]
fn definitions_and_rules_from_text_read_as_json_objects() {
    let texts = [
        r#"{"f": {"defaultValue": 1, "rules": [{"force": 2}, {"force": 3}]}}"#,
        r#"{"f": {"defaultValue": 1, "defaultValue": 5, "rules": [{"force": 2, "force": 3}]}}"#,
        r#"{"f": {"rules": [{"force": 2}], "rules": null, "defaultValue": 1}}"#,
        r#"{"f": {"defaultValue": 1, "rules": [{"for\u0063e": 4, "\u0069d": "r"}]}}"#,
        r#"{"f": {"defaultValue": 1, "rules": [7, "x", null, [], {"force": 8}]}}"#,
        r#"{"f": {"defaultValue": 1, "rules": {"force": 2}}}"#,
        r#"{"f": {"defaultValue": 1, "rules": "none"}}"#,
        r#"{"f": {"defaultValue": 1, "rules": [{"condition": {"country": "FR"}, "force": 2, "extra": {"a": [1]}}]}}"#,
        r#"{"f": {"defaultValue": 1, "rules": [{"condition": {"country": "US"}, "force": 2, "condition": {"country": "FR"}}]}}"#,
        r#"{"f": {"defaultValue": 1, "rules": [{"variations": [1, 2], "coverage": "all"}, {"force": 9}]}}"#,
        r#"{"f": {"defaultValue": 1, "rules": [{"variations": [10, 20], "weights": [0.5, 0.5], "key": "exp", "hashAttribute": "id"}]}}"#,
        r#"{"f": 3}"#,
        r#"{"f": [{"defaultValue": 1}]}"#,
        r#"{"f": {"value": 1, "rules": []}}"#,
    ];
    for text in texts {
        let value: Value = serde_json::from_str(text).unwrap();
        let from_text = FeatureSet::from_json_str(&format!(r#"{{"features": {text}}}"#)).unwrap();
        let from_value = FeatureSet::from_features_map(&value).unwrap();
        assert_eq!(
            evaluate_all(&Arc::new(from_text)),
            evaluate_all(&Arc::new(from_value)),
            "{text}"
        );
    }
    let escaped = FeatureSet::from_json_str(
        r#"{"features": {"f": {"defaultValue": 1, "rules": [{"for\u0063e": 4}]}}}"#,
    )
    .unwrap();
    let gb = GrowthBook::builder().features(Arc::new(escaped)).build();
    assert_eq!(gb.feature_value("f").into_owned(), json!(4));
    let repeated = FeatureSet::from_json_str(
        r#"{"features": {"f": {"defaultValue": 1, "rules": [{"force": 2, "force": 3}]}}}"#,
    )
    .unwrap();
    let gb = GrowthBook::builder().features(Arc::new(repeated)).build();
    assert_eq!(gb.feature_value("f").into_owned(), json!(3));
}

#[test]
fn an_encrypted_payload_must_be_decrypted_first() {
    let err = FeatureSet::from_json(&json!({"encryptedFeatures": "abc.def"})).unwrap_err();
    assert!(err.to_string().contains("decrypt_payload"), "{err}");
}

#[test]
fn a_malformed_rule_is_skipped_and_the_next_rule_applies() {
    let payload = json!({"features": {"f": {"defaultValue": 0, "rules": [
        {"force": 1, "coverage": "all of them"},
        {"force": 2, "condition": "country = US"},
        {"force": 3, "range": [0.5]},
        {"variations": "abc"},
        "not a rule",
        {"force": 4, "hashAttribute": 7},
        {"force": 5}
    ]}}});
    let gb = instance(&payload, json!({"id": "1"}));
    assert_eq!(gb.get_feature_value("f", 0), 5);
}

#[test]
fn invalid_regexes_never_match_and_never_panic() {
    for pattern in ["(", "[a-", "\\", "a{99999999}", "(?<name", "*"] {
        let payload = json!({"features": {"f": {"defaultValue": "default", "rules": [
            {"condition": {"name": {"$regex": pattern}}, "force": "regex"},
            {"condition": {"name": {"$notRegex": pattern}}, "force": "notRegex"}
        ]}}});
        let gb = instance(&payload, json!({"id": "1", "name": "(a[b\\*"}));
        assert_eq!(
            gb.get_feature_value("f", String::new()),
            "default",
            "pattern {pattern:?}"
        );
    }
}

#[test]
fn attributes_of_the_wrong_shape_count_as_none() {
    let payload = json!({"features": {"f": {"defaultValue": 1, "rules": [{"condition": {"id": {"$exists": false}}, "force": 2}]}}});
    for attributes in [json!(null), json!([1, 2]), json!("id=1"), json!(7)] {
        let gb = instance(&payload, attributes);
        assert_eq!(gb.get_feature_value("f", 0), 2);
        assert_eq!(gb.attributes(), &json!({}));
    }
}

#[test]
fn typed_reads_of_values_that_do_not_fit_fall_back() {
    let payload = json!({"features": {"n": {"defaultValue": "twelve"}, "s": {"defaultValue": 12}, "neg": {"defaultValue": -3}}});
    let gb = instance(&payload, json!({}));
    assert_eq!(gb.get_feature_value("n", 7u32), 7);
    assert_eq!(
        gb.get_feature_value("s", String::from("fallback")),
        "fallback"
    );
    assert_eq!(gb.get_feature_value("neg", 1u8), 1);
    assert_eq!(gb.get_feature_value("neg", 1i8), -3);
    assert_eq!(gb.get_feature_value("missing", 9), 9);
}
