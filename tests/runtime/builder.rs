//! Every builder option does what the reference SDK's constructor option does.

use growthbook::{Experiment, FeatureSet, FeatureSource, GrowthBook, InMemoryStickyBucketService};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

fn payload() -> Value {
    json!({"features": {
        "flag": {"defaultValue": false, "rules": [{"condition": {"beta": true}, "force": true}]},
        "exp": {"defaultValue": "default", "rules": [{"key": "exp-test", "variations": ["a", "b", "c"]}]}
    }})
}

fn builder() -> growthbook::GrowthBookBuilder {
    GrowthBook::builder().features_json(&payload()).unwrap()
}

#[test]
fn defaults_are_enabled_with_no_features() {
    let gb = GrowthBook::builder().build();
    assert!(gb.feature_set().is_empty());
    assert_eq!(gb.attributes(), &json!({}));
    assert_eq!(gb.url(), None);
    assert_eq!(gb.eval_feature("x").source, FeatureSource::UnknownFeature);
    assert!(gb.is_off("x"));
}

#[test]
fn disabled_instances_run_no_experiment_but_still_force() {
    let gb = builder()
        .enabled(false)
        .attributes(json!({"id": "1", "beta": true}))
        .build();
    assert!(gb.is_on("flag"));
    let result = gb.eval_feature("exp");
    assert_eq!(result.source, FeatureSource::DefaultValue);
    assert!(
        !gb.run(&Experiment::new("inline", vec![json!(0), json!(1)]))
            .in_experiment
    );
}

#[test]
fn qa_mode_assigns_nobody_but_honours_forced_variations() {
    let gb = builder()
        .qa_mode(true)
        .attributes(json!({"id": "1"}))
        .build();
    assert_eq!(gb.eval_feature("exp").source, FeatureSource::DefaultValue);
    let gb = builder()
        .qa_mode(true)
        .attributes(json!({"id": "1"}))
        .forced_variations(HashMap::from([("exp-test".to_string(), 2)]))
        .build();
    assert_eq!(gb.get_feature_value("exp", String::new()), "c");
}

#[test]
fn url_query_string_forces_a_variation() {
    let gb = builder()
        .attributes(json!({"id": "1"}))
        .url("https://shop.example/?exp-test=1")
        .build();
    let result = gb.eval_feature("exp");
    assert_eq!(*result.value, json!("b"));
    assert!(!result.experiment_result.as_ref().unwrap().hash_used);
    let mut gb = gb;
    gb.set_url("https://shop.example/?exp-test=0");
    assert_eq!(gb.url(), Some("https://shop.example/?exp-test=0"));
    assert_eq!(gb.get_feature_value("exp", String::new()), "a");
}

#[test]
fn forced_features_override_evaluation() {
    let mut gb = builder()
        .forced_features(HashMap::from([("flag".to_string(), json!("forced"))]))
        .build();
    let result = gb.eval_feature("flag");
    assert_eq!(*result.value, json!("forced"));
    assert_eq!(result.source, FeatureSource::Override);
    gb.set_forced_features(HashMap::new());
    assert_eq!(gb.eval_feature("flag").source, FeatureSource::DefaultValue);
}

#[test]
fn setters_replace_features_and_attributes() {
    let mut gb = builder().build();
    assert!(gb.is_off("flag"));
    gb.set_attributes(json!({"beta": true}));
    assert_eq!(gb.attributes(), &json!({"beta": true}));
    assert!(gb.is_on("flag"));
    let other = Arc::new(
        FeatureSet::from_json(&json!({"features": {"other": {"defaultValue": 3}}})).unwrap(),
    );
    gb.set_features(Arc::clone(&other));
    assert!(Arc::ptr_eq(gb.feature_set(), &other));
    assert_eq!(
        gb.eval_feature("flag").source,
        FeatureSource::UnknownFeature
    );
    assert_eq!(gb.get_feature_value("other", 0), 3);
}

#[test]
fn instances_share_the_feature_set() {
    let features = Arc::new(FeatureSet::from_json(&payload()).unwrap());
    let template = GrowthBook::builder()
        .features(Arc::clone(&features))
        .build();
    let a = template.with_attributes(json!({"id": "a"}));
    let b = GrowthBook::builder()
        .features(Arc::clone(&features))
        .build();
    assert!(Arc::ptr_eq(a.feature_set(), &features));
    assert!(Arc::ptr_eq(b.feature_set(), &features));
    // `features`, the template (whose features and options `a` shares
    // through one reference) and `b`.
    assert_eq!(Arc::strong_count(&features), 3);
}

#[test]
fn sticky_buckets_keep_a_user_in_their_variation() {
    let service = Arc::new(InMemoryStickyBucketService::new());
    let with_weights = |weights: Value| {
        json!({"features": {"f": {"defaultValue": "none", "rules": [
            {"key": "sticky-exp", "variations": ["a", "b"], "weights": weights, "meta": [{"key": "a"}, {"key": "b"}]}
        ]}}})
    };
    let first = GrowthBook::builder()
        .features_json(&with_weights(json!([1.0, 0.0])))
        .unwrap()
        .attributes(json!({"id": "user-1"}))
        .sticky_bucket_service(service.clone())
        .build();
    assert_eq!(first.get_feature_value("f", String::new()), "a");
    assert_eq!(service.all().len(), 1);

    // The weights change: a new user gets "b", the first keeps "a".
    let later = |id: &str| {
        GrowthBook::builder()
            .features_json(&with_weights(json!([0.0, 1.0])))
            .unwrap()
            .attributes(json!({"id": id}))
            .sticky_bucket_service(service.clone())
            .build()
    };
    let returning = later("user-1");
    let result = returning.eval_feature("f");
    assert_eq!(*result.value, json!("a"));
    assert!(
        result
            .experiment_result
            .as_ref()
            .unwrap()
            .sticky_bucket_used
    );
    assert_eq!(later("user-2").get_feature_value("f", String::new()), "b");
}

#[test]
fn remote_group_ids_put_the_user_in_remote_groups() {
    let payload = json!({
        "features": {"f": {"defaultValue": false, "rules": [{"condition": {"$savedGroup": {"id": "grp_remote"}}, "force": true}]}},
        "savedGroups": {"grp_remote": {"type": "remote", "attributeKey": "id"}}
    });
    let member = GrowthBook::builder()
        .features_json(&payload)
        .unwrap()
        .attributes(json!({"id": "1"}))
        .remote_group_ids(vec!["grp_remote".into()])
        .build();
    assert!(member.is_on("f"));
    let outsider = GrowthBook::builder()
        .features_json(&payload)
        .unwrap()
        .attributes(json!({"id": "1"}))
        .build();
    assert!(outsider.is_off("f"));
}

#[test]
fn a_feature_set_deserializes_inside_a_config() {
    #[derive(serde::Deserialize)]
    struct Config {
        flags: FeatureSet,
    }
    let config: Config = serde_json::from_value(json!({"flags": payload()})).unwrap();
    assert_eq!(config.flags.len(), 2);
    let err = serde_json::from_value::<Config>(json!({"flags": [1]}))
        .err()
        .unwrap();
    assert!(err.to_string().contains("should be a JSON object"), "{err}");
}
