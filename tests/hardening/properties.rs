//! Property tests (proptest): arbitrary JSON anywhere in a payload, arbitrary
//! conditions against arbitrary attributes, arbitrary experiments.

use growthbook::{eval_condition, prune_condition, Experiment, FeatureSet, GrowthBook};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Arbitrary JSON, biased toward the shapes payloads use.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        prop_oneof![
            Just("id".to_owned()),
            Just("$in".to_owned()),
            Just("$regex".to_owned()),
            Just("1.2.3".to_owned()),
            Just("(".to_owned()),
            "[a-z$.]{0,8}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((operator_or_key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Object keys: condition operators, payload field names, attribute names.
fn operator_or_key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "$eq",
            "$ne",
            "$lt",
            "$gt",
            "$in",
            "$nin",
            "$all",
            "$elemMatch",
            "$size",
            "$exists",
            "$type",
            "$not",
            "$and",
            "$or",
            "$nor",
            "$regex",
            "$vgt",
            "$veq",
            "$inGroup",
            "$savedGroup",
            "id",
            "country",
            "tags",
            "defaultValue",
            "rules",
            "force",
            "condition",
            "variations",
            "weights",
            "coverage",
            "hashAttribute",
            "namespace",
            "key",
            "seed",
            "hashVersion",
            "parentConditions",
            "filters",
            "ranges",
            "meta",
        ])
        .prop_map(str::to_owned),
        "[a-z]{1,6}",
    ]
}

fn attributes() -> impl Strategy<Value = Value> {
    prop::collection::vec((operator_or_key(), json_value()), 0..6)
        .prop_map(|entries| Value::Object(entries.into_iter().collect()))
}

fn evaluate_all(features: &Arc<FeatureSet>, attributes: &Value) -> Vec<Value> {
    let gb = GrowthBook::builder()
        .features(Arc::clone(features))
        .attributes(attributes.clone())
        .build();
    let mut keys: Vec<&str> = features.keys().collect();
    keys.sort_unstable();
    keys.iter()
        .map(|key| serde_json::to_value(gb.eval_feature(key)).unwrap_or(Value::Null))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any feature definitions and saved groups load, and every feature
    /// evaluates, the same way twice.
    #[test]
    fn any_payload_loads_and_evaluates_deterministically(
        definitions in prop::collection::vec(("[a-c]{1,2}", json_value()), 0..5),
        groups in json_value(),
        attributes in attributes(),
    ) {
        let payload = json!({
            "features": definitions.into_iter().collect::<Map<_, _>>(),
            "savedGroups": groups,
        });
        let features = Arc::new(FeatureSet::from_json(&payload).expect("an object payload loads"));
        let first = evaluate_all(&features, &attributes);
        let second = evaluate_all(&features, &attributes);
        prop_assert_eq!(first, second);
    }

    /// Rules of every shape inside a well-formed feature.
    #[test]
    fn any_rule_evaluates(rules in prop::collection::vec(json_value(), 0..4), attributes in attributes()) {
        let payload = json!({"features": {"f": {"defaultValue": 1, "rules": rules}}});
        let features = Arc::new(FeatureSet::from_json(&payload).expect("loads"));
        let results = evaluate_all(&features, &attributes);
        prop_assert_eq!(results.len(), 1);
    }

    /// Conditions never panic, and pruning never panics either.
    #[test]
    fn any_condition_evaluates(condition in json_value(), attributes in attributes(), groups in json_value()) {
        let once = eval_condition(&attributes, &condition, &groups);
        prop_assert_eq!(once, eval_condition(&attributes, &condition, &groups));
        let _ = prune_condition(&condition, &attributes, &groups);
    }

    /// Any experiment runs; the same user gets the same variation from any
    /// instance.
    #[test]
    fn any_experiment_runs_deterministically(definition in json_value(), id in "[a-z0-9]{0,12}") {
        let mut definition = definition;
        if let Some(map) = definition.as_object_mut() {
            map.insert("key".into(), json!("exp"));
            map.entry("variations").or_insert(json!([0, 1, 2]));
        }
        if let Ok(experiment) = Experiment::from_json(&definition) {
            let attributes = json!({"id": id});
            let a = GrowthBook::builder().attributes(attributes.clone()).build();
            let b = GrowthBook::builder().attributes(attributes).build();
            let (ra, rb) = (a.run(&experiment), b.run(&experiment));
            prop_assert_eq!((ra.in_experiment, ra.variation_id), (rb.in_experiment, rb.variation_id));
        }
    }
    /// URLs and URL patterns of any text (the current URL comes from the
    /// request; patterns and redirects from the payload) never panic, in
    /// targeting, legacy `url` patterns, query-string overrides and
    /// redirects, and decide the same way twice.
    #[test]
    fn any_url_and_pattern_is_read_without_panicking(
        url in url_like(),
        patterns in prop::collection::vec((prop::sample::select(vec!["simple", "regex"]), url_like(), any::<bool>()), 0..3),
        target in url_like(),
        persist in any::<bool>(),
    ) {
        let patterns: Vec<Value> = patterns
            .into_iter()
            .map(|(kind, pattern, include)| json!({"type": kind, "pattern": pattern, "include": include}))
            .collect();
        let payload = json!({"experiments": [
            {"key": "auto", "variations": [{}, {"urlRedirect": target.clone()}], "weights": [0, 1],
             "urlPatterns": patterns, "persistQueryString": persist},
        ]});
        let build = || GrowthBook::builder()
            .features_json(&payload)
            .expect("an object payload loads")
            .attributes(json!({"id": "1"}))
            .url(url.clone())
            .build();
        prop_assert_eq!(build().url_redirect(), build().url_redirect());
        let mut inline = Experiment::new("auto", vec![json!(0), json!(1)]);
        inline.legacy = Some(Box::new(growthbook::LegacyTargeting { url: Some(target.clone()), groups: None }));
        let (first, second) = (build(), build());
        let (a, b) = (first.run(&inline), second.run(&inline));
        prop_assert_eq!((a.in_experiment, a.variation_id), (b.in_experiment, b.variation_id));
        let _ = growthbook::hash::get_query_string_override("auto", &url, 3);
        let _ = growthbook::decrypt(&url, &target);
    }
}

/// Text shaped like URLs and patterns: schemes, slashes of both kinds,
/// dots, `%` escapes, queries, fragments, ports, wildcards, non-ASCII.
fn url_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "https://",
            "http://",
            "//",
            "/",
            "\\",
            "a",
            "Z",
            ".",
            "..",
            "%",
            "%2e",
            "%zz",
            "?",
            "&",
            "=",
            "#",
            ":",
            "8080",
            "@",
            "*",
            "_____",
            " ",
            "\t",
            "é",
            "😀",
            "[",
            "]",
            "0x1",
            "+",
            "-",
            "$",
            "(",
            "^",
            "www.example.com",
        ]),
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

#[test]
fn the_same_user_gets_the_same_variation_on_every_thread() {
    let features = Arc::new(
        FeatureSet::from_json(&json!({"features": {"f": {"defaultValue": 0, "rules": [
            {"key": "threads", "variations": [0, 1, 2, 3], "hashVersion": 2}
        ]}}}))
        .unwrap(),
    );
    let expected: Vec<Value> = (0..500)
        .map(|i| {
            let gb = GrowthBook::builder()
                .features(features.clone())
                .attributes(json!({"id": format!("u{i}")}))
                .build();
            gb.feature_value("f").into_owned()
        })
        .collect();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for (i, value) in expected.iter().enumerate() {
                    let gb = GrowthBook::builder()
                        .features(features.clone())
                        .attributes(json!({"id": format!("u{i}")}))
                        .build();
                    assert_eq!(&*gb.feature_value("f"), value);
                }
            });
        }
    });
}
