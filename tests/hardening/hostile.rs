//! Hostile shapes stay bounded: deep nesting gives an error or a non-match,
//! never a stack overflow; huge lists and long patterns evaluate; cycles end.

use growthbook::{eval_condition, Condition, FeatureSet, FeatureSource, GrowthBook, SavedGroups};
use serde_json::{json, Value};

fn nested(depth: usize, wrap: &str) -> String {
    format!(
        "{}{{}}{}",
        format!("{{\"{wrap}\": ").repeat(depth),
        "}".repeat(depth)
    )
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused_not_overflowed() {
    for wrap in ["$not", "$and"] {
        let condition = if wrap == "$and" {
            format!(
                "{}{{}}{}",
                "{\"$and\": [".repeat(10_000),
                "]}".repeat(10_000)
            )
        } else {
            nested(10_000, wrap)
        };
        let payload = format!("{{\"features\": {{\"f\": {{\"defaultValue\": 1, \"rules\": [{{\"condition\": {condition}, \"force\": 2}}]}}}}}}");
        let error = FeatureSet::from_json_str(&payload).unwrap_err();
        assert!(error.to_string().contains("recursion limit"), "{error}");
    }
}

#[test]
fn deep_conditions_built_in_code_do_not_match_and_do_not_overflow() {
    // Built and dropped on a thread with room for serde_json's recursive drop.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let mut condition = json!({"id": "1"});
            for _ in 0..5_000 {
                condition = json!({ "$not": condition });
            }
            assert!(!eval_condition(
                &json!({"id": "1"}),
                &condition,
                &Value::Null
            ));
            let compiled = Condition::new(condition);
            assert!(!compiled.matches(&json!({"id": "1"}), &SavedGroups::default()));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn huge_lists_and_long_patterns_evaluate() {
    let list: Vec<Value> = (0..200_000).map(|i| json!(format!("v{i}"))).collect();
    let condition = json!({"id": {"$in": list}});
    assert!(eval_condition(
        &json!({"id": "v199999"}),
        &condition,
        &Value::Null
    ));
    assert!(!eval_condition(
        &json!({"id": "x"}),
        &condition,
        &Value::Null
    ));

    // Over the regex size limit: compiling fails, so it never matches.
    let pattern = "(a|b|c|d|e|f|g|h)".repeat(20_000);
    let condition = json!({"id": {"$regex": pattern}});
    assert!(!eval_condition(
        &json!({"id": "abc"}),
        &condition,
        &Value::Null
    ));
}

#[test]
fn catastrophic_regexes_end() {
    let text = "a".repeat(5_000) + "!";
    let attributes = json!({ "s": text });
    // Linear without lookaround: the `regex` crate answers at once.
    let nested = json!({"s": {"$regex": "^(a+)+$"}});
    assert!(!eval_condition(&attributes, &nested, &Value::Null));
    // With lookaround it backtracks, up to a limit; past it neither
    // `$regex` nor `$notRegex` matches.
    let fancy = json!({"s": {"$regex": "^((?=a)a+)+$"}});
    assert!(!eval_condition(&attributes, &fancy, &Value::Null));
    let negated = json!({"s": {"$notRegex": "^((?=a)a+)+$"}});
    assert!(!eval_condition(&attributes, &negated, &Value::Null));
    // The same pattern still answers on input it can decide.
    assert!(eval_condition(&json!({"s": "ab"}), &negated, &Value::Null));
    assert!(eval_condition(&json!({"s": "aaa"}), &fancy, &Value::Null));
}

#[test]
fn prerequisite_cycles_and_long_chains_end() {
    let mut features = serde_json::Map::new();
    for i in 0..100 {
        let parent = format!("f{}", (i + 1) % 100);
        features.insert(
            format!("f{i}"),
            json!({"defaultValue": true, "rules": [{"parentConditions": [{"id": parent, "condition": {"value": true}}], "force": false}]}),
        );
    }
    let gb = GrowthBook::builder()
        .features_json(&json!({ "features": features }))
        .unwrap()
        .build();
    assert_eq!(
        gb.eval_feature("f0").source,
        FeatureSource::CyclicPrerequisite
    );
}

#[test]
fn a_multi_megabyte_payload_loads() {
    let features: serde_json::Map<String, Value> = (0..20_000)
        .map(|i| {
            (
                format!("feature-{i}"),
                json!({"defaultValue": i, "rules": [{"condition": {"country": {"$in": ["US", "CA"]}, "age": {"$gt": i}}, "force": -i}]}),
            )
        })
        .collect();
    let text = json!({ "features": features }).to_string();
    assert!(text.len() > 2_000_000);
    let set = FeatureSet::from_json_str(&text).unwrap();
    assert_eq!(set.len(), 20_000);
}
