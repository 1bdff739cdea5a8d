//! Instances and feature sets are shared across threads safely.

use crate::example_features;
use growthbook::{FeatureSet, GrowthBook};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[test]
fn public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<GrowthBook>();
    send_sync::<FeatureSet>();
    send_sync::<growthbook::Experiment>();
    send_sync::<growthbook::FeatureResult<'static>>();
    send_sync::<growthbook::ExperimentResult<'static>>();
    send_sync::<growthbook::Error>();
}

fn evaluate(features: &Arc<FeatureSet>, user: usize) -> Vec<Value> {
    let country = ["US", "FR", "DE"][user % 3];
    let gb = GrowthBook::builder()
        .features(Arc::clone(features))
        .attributes(
            json!({"id": format!("user-{user}"), "country": country, "appVersion": "3.3.0"}),
        )
        .build();
    let mut keys: Vec<&str> = features.keys().collect();
    keys.sort();
    keys.iter()
        .map(|k| gb.feature_value(k).into_owned())
        .collect()
}

#[test]
fn threads_sharing_a_feature_set_agree_with_one_thread() {
    let features = example_features();
    let expected: Vec<Vec<Value>> = (0..400).map(|u| evaluate(&features, u)).collect();
    let expected = Arc::new(expected);
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let features = Arc::clone(&features);
            let expected = Arc::clone(&expected);
            std::thread::spawn(move || {
                for u in (0..400).rev().filter(|u| u % 8 == t || u % 3 == 0) {
                    assert_eq!(
                        evaluate(&features, u),
                        expected[u],
                        "user {u} on thread {t}"
                    );
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("no thread panicked");
    }
}

#[test]
fn one_instance_shared_by_threads_tracks_each_assignment_once() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let gb = Arc::new(
        GrowthBook::builder()
            .features_json(&json!({"features": {
                "a": {"defaultValue": 0, "rules": [{"key": "exp-a", "variations": [0, 1]}]},
                "b": {"defaultValue": 0, "rules": [{"key": "exp-b", "variations": [0, 1, 2]}]}
            }}))
            .unwrap()
            .attributes(json!({"id": "shared-user"}))
            .on_experiment_viewed(move |_, _, _| {
                counter.fetch_add(1, Ordering::SeqCst);
            })
            .build(),
    );
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..200 {
                    gb.eval_feature("a");
                    gb.eval_feature("b");
                }
            });
        }
    });
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}
