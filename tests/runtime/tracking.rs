//! The tracking callback fires once per (experiment, variation, user) per
//! instance; the feature-usage callback fires on every evaluation.

use growthbook::{Experiment, FeatureSet, GrowthBook};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Log = Arc<Mutex<Vec<(String, usize, String)>>>;

fn tracked_instance(payload: &Value, attributes: Value) -> (GrowthBook, Log) {
    let log: Log = Arc::default();
    let sink = Arc::clone(&log);
    let gb = GrowthBook::builder()
        .features_json(payload)
        .unwrap()
        .attributes(attributes)
        .on_experiment_viewed(move |exp, result, _user| {
            sink.lock().unwrap().push((
                exp.key.clone(),
                result.variation_id,
                result.hash_value.to_string(),
            ));
        })
        .build();
    (gb, log)
}

fn experiment_payload() -> Value {
    json!({"features": {"color": {"defaultValue": "blue", "rules": [
        {"key": "color-test", "variations": ["blue", "green"], "hashAttribute": "id"}
    ]}}})
}

#[test]
fn repeated_evaluations_track_once() {
    let (gb, log) = tracked_instance(&experiment_payload(), json!({"id": "user-1"}));
    for _ in 0..5 {
        gb.eval_feature("color");
        gb.is_on("color");
        gb.get_feature_value("color", String::new());
    }
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].0, "color-test");
    assert_eq!(log[0].2, "\"user-1\"");
}

#[test]
fn another_user_or_variation_tracks_again() {
    let (mut gb, log) = tracked_instance(&experiment_payload(), json!({"id": "user-1"}));
    gb.eval_feature("color");
    gb.set_attributes(json!({"id": "user-2"}));
    gb.eval_feature("color");
    gb.eval_feature("color");
    // New weights put user-1 in the other variation: that is a new assignment.
    let first = log.lock().unwrap()[0].1;
    let mut weights = [0.0, 0.0];
    weights[1 - first] = 1.0;
    let reweighted = json!({"features": {"color": {"defaultValue": "blue", "rules": [
        {"key": "color-test", "variations": ["blue", "green"], "weights": weights}
    ]}}});
    gb.set_features(Arc::new(FeatureSet::from_json(&reweighted).unwrap()));
    gb.set_attributes(json!({"id": "user-1"}));
    gb.eval_feature("color");
    gb.eval_feature("color");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(log[2].1, 1 - first);
}

#[test]
fn forced_variations_are_not_tracked() {
    let (mut gb, log) = tracked_instance(&experiment_payload(), json!({"id": "user-1"}));
    gb.set_forced_variations(HashMap::from([("color-test".to_string(), 1)]));
    assert_eq!(gb.get_feature_value("color", String::new()), "green");
    assert!(log.lock().unwrap().is_empty());
}

#[test]
fn users_outside_the_experiment_are_not_tracked() {
    let payload = json!({"features": {"f": {"defaultValue": 0, "rules": [
        {"key": "e", "variations": [0, 1], "coverage": 0.0}
    ]}}});
    let (gb, log) = tracked_instance(&payload, json!({"id": "user-1"}));
    gb.eval_feature("f");
    // No hash attribute: not in the experiment either.
    let (anonymous, anonymous_log) = tracked_instance(&experiment_payload(), json!({}));
    anonymous.eval_feature("color");
    assert!(log.lock().unwrap().is_empty());
    assert!(anonymous_log.lock().unwrap().is_empty());
}

#[test]
fn inline_experiments_track_once_per_instance() {
    let (gb, log) = tracked_instance(&json!({"features": {}}), json!({"id": "user-3"}));
    let exp = Experiment::new("inline", vec![json!(0), json!(1)]);
    let first = gb.run(&exp);
    assert!(first.in_experiment);
    gb.run(&exp);
    // A fresh instance for the same user tracks again: dedupe is per instance.
    let again = gb.with_attributes(json!({"id": "user-3"}));
    assert_eq!(log.lock().unwrap().len(), 1);
    again.run(&exp);
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[test]
fn feature_usage_is_reported_on_every_evaluation() {
    let seen: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let sink = Arc::clone(&seen);
    let gb = GrowthBook::builder()
        .features_json(&json!({"features": {"a": {"defaultValue": 1}, "b": {"defaultValue": "x"}}}))
        .unwrap()
        .on_feature_usage(move |key, result, _user| {
            sink.lock()
                .unwrap()
                .push((key.to_string(), result.value.clone().into_owned()))
        })
        .build();
    gb.is_on("a");
    gb.get_feature_value("b", String::new());
    gb.eval_feature("a");
    gb.eval_feature("missing");
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            ("a".to_string(), json!(1)),
            ("b".to_string(), json!("x")),
            ("a".to_string(), json!(1)),
            ("missing".to_string(), json!(null)),
        ]
    );
}

#[test]
fn the_shared_callback_is_told_which_user_each_exposure_is_for() {
    /// (experiment key, user id, URL) per exposure.
    type Exposures = Arc<Mutex<Vec<(String, String, Option<String>)>>>;
    let seen: Exposures = Arc::default();
    let sink = Arc::clone(&seen);
    let usage: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let usage_sink = Arc::clone(&usage);
    let template = GrowthBook::builder()
        .features_json(&experiment_payload())
        .unwrap()
        .url("https://shop.example/checkout")
        .on_experiment_viewed(move |exp, _, user| {
            let id = user.attribute("id").and_then(Value::as_str).unwrap_or("");
            sink.lock().unwrap().push((
                exp.key.clone(),
                id.to_owned(),
                user.url().map(str::to_owned),
            ));
        })
        .on_feature_usage(move |key, _, user| {
            let id = user.attributes()["id"].as_str().unwrap_or("").to_owned();
            usage_sink.lock().unwrap().push((key.to_owned(), id));
        })
        .build();
    // Two requests, two users, one callback.
    for id in ["user-1", "user-2"] {
        let gb = template.with_attributes(json!({ "id": id }));
        gb.eval_feature("color");
    }
    let seen = seen.lock().unwrap();
    let users: Vec<&str> = seen.iter().map(|(_, id, _)| id.as_str()).collect();
    assert_eq!(users, ["user-1", "user-2"]);
    assert!(seen.iter().all(|(key, _, url)| key == "color-test"
        && url.as_deref() == Some("https://shop.example/checkout")));
    let usage = usage.lock().unwrap();
    assert_eq!(
        *usage,
        [
            ("color".to_owned(), "user-1".to_owned()),
            ("color".to_owned(), "user-2".to_owned())
        ]
    );
}
