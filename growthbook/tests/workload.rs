//! The benchmark workload returns the expected value and source for every
//! (case, user) pair, so the benchmarks never time a wrong answer.

use growthbook::{FeatureSet, GrowthBook};
use serde_json::Value;
use std::sync::Arc;

const WORKLOAD: &str = include_str!("../benches/data/workload.json");
const EXPECTED: &str = include_str!("../benches/data/expected.json");

growthbook::include_features!(pub WorkloadFeatures, "benches/data/workload.json");

#[test]
fn every_case_returns_the_expected_value_and_source() {
    let workload: Value = serde_json::from_str(WORKLOAD).unwrap();
    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    let users = workload["users"].as_array().unwrap();
    let cases = workload["cases"].as_array().unwrap();
    assert_eq!(users.len(), 100);
    assert_eq!(cases.len(), 7);
    // Compiled from a JSON value and straight from the text: the same answers.
    let compiled = [
        FeatureSet::from_json(&workload).unwrap(),
        FeatureSet::from_json_str(WORKLOAD).unwrap(),
    ];
    let mut checked = 0;
    for (features, case) in compiled
        .map(Arc::new)
        .iter()
        .flat_map(|features| cases.iter().map(move |case| (features, case)))
    {
        assert_eq!(features.len(), 1006);
        let name = case["name"].as_str().unwrap();
        let key = case["featureKey"].as_str().unwrap();
        let answers = expected["cases"][name].as_array().unwrap();
        assert_eq!(answers.len(), users.len(), "{name}");
        for (user, answer) in users.iter().zip(answers) {
            let gb = GrowthBook::builder()
                .features(Arc::clone(features))
                .attributes(user.clone())
                .build();
            let result = gb.eval_feature(key);
            assert_eq!(*result.value, answer["value"], "{name} for {user}");
            assert_eq!(
                result.source.as_str(),
                answer["source"],
                "{name} for {user}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 1400);
}

#[test]
fn typed_accessors_agree_on_the_workload() {
    let workload: Value = serde_json::from_str(WORKLOAD).unwrap();
    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    let features = Arc::new(FeatureSet::from_json(&workload).unwrap());
    for (i, user) in workload["users"].as_array().unwrap().iter().enumerate() {
        let gb = GrowthBook::builder()
            .features(Arc::clone(&features))
            .attributes(user.clone())
            .build();
        let flags = gb.features::<WorkloadFeatures>();
        let answer = |case: &str| expected["cases"][case][i]["value"].clone();
        assert_eq!(Value::from(flags.dark_mode()), answer("default_only"));
        assert_eq!(
            Value::from(flags.checkout_banner_text()),
            answer("force_condition")
        );
        assert_eq!(Value::from(flags.new_search()), answer("rollout"));
        assert_eq!(
            Value::from(flags.pricing_page_layout()),
            answer("experiment")
        );
        assert_eq!(
            Value::from(flags.beta_dashboard()),
            answer("complex_condition")
        );
        assert_eq!(flags.checkout_config(), answer("json_value"));
    }
}
