//! The repository's `features.json` evaluates as its rules say.

use crate::example_features;
use growthbook::{FeatureSource, GrowthBook};
use serde_json::{json, Value};

fn user(attributes: Value) -> GrowthBook {
    GrowthBook::builder()
        .features(example_features())
        .attributes(attributes)
        .build()
}

#[test]
fn every_value_type_is_present() {
    let features = example_features();
    let mut kinds = std::collections::HashSet::new();
    for key in features.keys() {
        let kind = match features.default_value(key) {
            Some(Value::Bool(_)) => "bool",
            Some(Value::String(_)) => "string",
            Some(Value::Number(_)) => "number",
            Some(Value::Object(_)) => "json",
            other => panic!("unexpected default of {key}: {other:?}"),
        };
        kinds.insert(kind);
    }
    assert_eq!(kinds.len(), 4);
}

#[test]
fn force_rules_follow_their_conditions() {
    let fr = user(json!({"id": "u_9", "country": "FR"}));
    assert_eq!(fr.get_feature_value("button-color", String::new()), "bleu");
    assert_eq!(fr.feature_value("pricing-config")["currency"], "EUR");

    let enterprise = user(json!({"id": "u_9", "plan": "enterprise", "region": "eu-west"}));
    assert_eq!(enterprise.get_feature_value("max-cart-items", 0), 500);
    assert_eq!(
        enterprise.get_feature_value("support-email", String::new()),
        "priority@acme.example"
    );
    // The maintenance banner spares enterprise customers.
    assert!(enterprise.is_off("maintenance-banner"));
    assert!(
        user(json!({"id": "u_9", "plan": "pro", "region": "eu-west"})).is_on("maintenance-banner")
    );

    let newcomer = user(json!({"id": "u_9", "accountAgeDays": 2}));
    assert_eq!(newcomer.get_feature_value("max-cart-items", 0), 10);
    assert_eq!(
        newcomer.get_feature_value("rate-limits", json!(null))["requestsPerMinute"],
        60
    );

    let student = user(json!({"id": "u_9", "tags": ["student", "eu"]}));
    assert_eq!(student.get_feature_value("discount-rate", 0.0), 0.15);

    let old_app = user(json!({"id": "u_9", "device": "ios", "appVersion": "2.9.10"}));
    assert_eq!(
        old_app.get_feature_value("checkout-headline", String::new()),
        "Finish checkout"
    );
    let new_app = user(json!({"id": "u_9", "device": "ios", "appVersion": "3.0.0"}));
    assert_eq!(
        new_app.get_feature_value("checkout-headline", String::new()),
        "Complete your order"
    );
}

#[test]
fn saved_group_members_get_dark_mode() {
    let result = user(json!({"id": "u_2040"}))
        .eval_feature("dark-mode")
        .into_owned();
    assert!(result.on);
    assert_eq!(result.rule_id, "fr_dark_beta");
}

#[test]
fn rollout_covers_about_a_quarter_of_users() {
    let features = example_features();
    let gb = GrowthBook::builder().features(features).build();
    let on = (0..4000)
        .filter(|i| {
            gb.with_attributes(json!({"id": format!("user-{i}")}))
                .is_on("dark-mode")
        })
        .count();
    assert!(
        (800..1200).contains(&on),
        "{on} of 4000 users in a 25% rollout"
    );
}

#[test]
fn experiment_rules_split_users_and_respect_targeting() {
    let gb = GrowthBook::builder().features(example_features()).build();
    let mut seen = std::collections::HashMap::new();
    for i in 0..2000 {
        let user = gb.with_attributes(
            json!({"id": format!("user-{i}"), "country": "US", "appVersion": "3.2.0"}),
        );
        let result = user.eval_feature("new-checkout");
        *seen
            .entry((result.source, result.value.into_owned()))
            .or_insert(0) += 1;
    }
    // 80% coverage, 50/50: both variations, and users outside coverage get the default.
    let in_true = seen
        .get(&(FeatureSource::Experiment, json!(true)))
        .copied()
        .unwrap_or(0);
    let in_false = seen
        .get(&(FeatureSource::Experiment, json!(false)))
        .copied()
        .unwrap_or(0);
    let default = seen
        .get(&(FeatureSource::DefaultValue, json!(false)))
        .copied()
        .unwrap_or(0);
    assert!((700..900).contains(&in_true), "{seen:?}");
    assert!((700..900).contains(&in_false), "{seen:?}");
    assert!((300..500).contains(&default), "{seen:?}");

    // Outside the targeted countries or on an old app: never in the experiment.
    for attrs in [
        json!({"id": "user-1", "country": "DE", "appVersion": "3.2.0"}),
        json!({"id": "user-1", "country": "US", "appVersion": "3.1.9"}),
    ] {
        assert_eq!(
            gb.with_attributes(attrs)
                .eval_feature("new-checkout")
                .source,
            FeatureSource::DefaultValue
        );
    }
}

#[test]
fn namespaced_experiments_never_share_a_user() {
    let gb = GrowthBook::builder().features(example_features()).build();
    for i in 0..3000 {
        let user = gb.with_attributes(json!({"id": format!("user-{i}")}));
        let in_button = user.eval_feature("button-color").source == FeatureSource::Experiment;
        let in_page_size =
            user.eval_feature("search-page-size").source == FeatureSource::Experiment;
        assert!(
            !(in_button && in_page_size),
            "user-{i} is in both homepage-tests experiments"
        );
    }
}

#[test]
fn prerequisite_gates_the_assistant() {
    // Internal users get new-checkout, so the gate opens; pro plan turns it on.
    let internal = user(json!({"id": "u_9", "email": "ops@acme.example", "plan": "pro"}));
    assert!(internal.is_on("ai-assistant"));
    // Outside the checkout experiment's targeting, the gate stays shut.
    let outsider =
        user(json!({"id": "u_9", "email": "x@example.com", "country": "DE", "plan": "pro"}));
    let result = outsider.eval_feature("ai-assistant");
    assert_eq!(result.source, FeatureSource::Prerequisite);
    assert!(result.off);
}
