use growthbook::{FeatureSet, FeatureSource, Features, GrowthBook, TypedFeatures};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(
    Debug, Clone, PartialEq, Default, Deserialize, growthbook::FeatureValue, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub struct Pricing {
    currency: String,
    tiers: Vec<u32>,
    trial_days: u32,
}

/// The features this app uses, checked against the export at compile time.
#[derive(Debug, Features)]
#[growthbook(schema = "features.json")]
pub struct AppFeatures {
    dark_mode: bool,
    new_checkout: bool,
    /// The call-to-action colour.
    button_color: String,
    #[growthbook(key = "max-cart-items", default = 50)]
    max_items: u32,
    search_page_size: Option<u8>,
    discount_rate: f64,
    pricing_config: Pricing,
    onboarding_steps: HashMap<String, Vec<String>>,
    rate_limits: Value,
}

fn example() -> Arc<FeatureSet> {
    Arc::new(FeatureSet::from_json_str(include_str!("../../features.json")).unwrap())
}

fn users() -> Vec<Value> {
    (0..300)
        .map(|i| {
            let country = ["US", "FR", "DE", "CA"][i % 4];
            let plan = ["free", "pro", "enterprise"][i % 3];
            let app_version = ["2.9.0", "3.2.0", "3.5.1"][i % 3];
            json!({
                "id": format!("user-{i}"),
                "country": country,
                "plan": plan,
                "appVersion": app_version,
                "accountAgeDays": i % 10,
                "tags": if i % 7 == 0 { json!(["student"]) } else { json!([]) },
            })
        })
        .collect()
}

#[test]
fn typed_accessors_agree_with_the_string_key_api() {
    let features = example();
    for attributes in users() {
        let gb = GrowthBook::builder()
            .features(Arc::clone(&features))
            .attributes(attributes)
            .build();
        let flags = gb.features::<AppFeatures>();
        assert_eq!(flags.dark_mode(), gb.is_on("dark-mode"));
        assert_eq!(
            flags.new_checkout(),
            gb.get_feature_value("new-checkout", false)
        );
        assert_eq!(
            flags.button_color(),
            gb.get_feature_value("button-color", String::new())
        );
        assert_eq!(
            flags.max_items(),
            gb.get_feature_value("max-cart-items", 0u32)
        );
        assert_eq!(
            flags.search_page_size(),
            gb.get_feature_value("search-page-size", None)
        );
        assert_eq!(
            flags.discount_rate(),
            gb.get_feature_value("discount-rate", -1.0)
        );
        assert_eq!(
            flags.pricing_config(),
            gb.get_feature_value("pricing-config", Pricing::default())
        );
        assert_eq!(flags.rate_limits(), *gb.feature_value("rate-limits"));
        assert_eq!(
            json!(flags.onboarding_steps()["steps"]),
            gb.feature_value("onboarding-steps")["steps"]
        );
        let eval = flags.eval_button_color();
        assert_eq!(eval.result, gb.eval_feature("button-color"));
        assert!(!eval.defaulted);
    }
}

#[test]
fn keys_follow_kebab_case_and_overrides() {
    assert_eq!(
        AppFeatures::KEYS,
        [
            "dark-mode",
            "new-checkout",
            "button-color",
            "max-cart-items",
            "search-page-size",
            "discount-rate",
            "pricing-config",
            "onboarding-steps",
            "rate-limits"
        ]
    );
    assert_eq!(<AppFeatures as TypedFeatures>::KEYS, AppFeatures::KEYS);
}

#[test]
fn tracking_fires_only_for_features_read() {
    let tracked = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&tracked);
    let used = Arc::new(Mutex::new(Vec::new()));
    let used_sink = Arc::clone(&used);
    let gb = GrowthBook::builder()
        .features(example())
        .attributes(json!({"id": "user-5", "country": "US", "appVersion": "3.3.0"}))
        .on_experiment_viewed(move |exp, _, _| sink.lock().unwrap().push(exp.key.clone()))
        .on_feature_usage(move |key, _, _| used_sink.lock().unwrap().push(key.to_string()))
        .build();
    let flags = AppFeatures::view(&gb);
    assert!(
        used.lock().unwrap().is_empty(),
        "creating a view evaluates nothing"
    );
    flags.new_checkout();
    assert_eq!(*used.lock().unwrap(), ["new-checkout"]);
    assert_eq!(*tracked.lock().unwrap(), ["new-checkout-2026q4"]);
    let snapshot = flags.snapshot();
    assert_eq!(used.lock().unwrap().len(), 1 + AppFeatures::KEYS.len());
    assert_eq!(snapshot.button_color, flags.button_color());
}

#[test]
fn values_of_the_wrong_type_fall_back_without_panicking() {
    let drifted = json!({"features": {
        "dark-mode": {"defaultValue": "yes"},
        "max-cart-items": {"defaultValue": -4},
        "search-page-size": {"defaultValue": 1000},
        "pricing-config": {"defaultValue": {"currency": 3}},
        "button-color": {"defaultValue": null}
    }});
    let gb = GrowthBook::builder()
        .features_json(&drifted)
        .unwrap()
        .build();
    let flags = gb.features::<AppFeatures>();
    assert!(!flags.dark_mode());
    assert_eq!(flags.max_items(), 50, "the declared default");
    assert_eq!(flags.search_page_size(), None);
    assert_eq!(flags.pricing_config(), Pricing::default());
    assert_eq!(flags.button_color(), "");
    let eval = flags.eval_max_items();
    assert!(eval.defaulted);
    assert_eq!(eval.result.source, FeatureSource::DefaultValue);
    // Unknown features (not in this payload) use the default too.
    assert_eq!(flags.discount_rate(), 0.0);
    assert_eq!(
        flags.eval_discount_rate().result.source,
        FeatureSource::UnknownFeature
    );
}

#[test]
fn check_reports_every_value_that_does_not_fit() {
    let payload: Value = serde_json::from_str(include_str!("../../features.json")).unwrap();
    assert_eq!(AppFeatures::check(&payload), Ok(()));

    let drifted = json!({"features": {
        "dark-mode": {"defaultValue": false, "rules": [{"force": "on"}]},
        "max-cart-items": {"defaultValue": 1.5},
        "pricing-config": {"defaultValue": {"currency": "USD", "tiers": [], "trialDays": 3},
                           "rules": [{"variations": [{"currency": "EUR"}]}]}
    }});
    let report = AppFeatures::check(&drifted).unwrap_err();
    let lines: Vec<String> = report.iter().map(ToString::to_string).collect();
    assert!(
        lines.iter().any(|l| l.starts_with(
            "feature \"dark-mode\": the value of rule 1, \"on\", does not fit `bool`"
        )),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l
            .starts_with("feature \"max-cart-items\": the default value, 1.5, does not fit `u32`")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("pricing-config\": variation 0 of rule 1")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("\"new-checkout\" (`bool`) is not in the payload")),
        "{lines:#?}"
    );
}

#[test]
fn check_reads_a_rest_api_export_too() {
    // The REST API lists features with string values parsed per valueType,
    // and rules per environment: the same model the derive checks against.
    let rest = json!({"features": [
        {"id": "dark-mode", "valueType": "boolean", "defaultValue": "false",
         "environments": {"production": {"rules": [{"type": "force", "value": "true"}]}}},
        {"id": "button-color", "valueType": "string", "defaultValue": "blue"},
        {"id": "max-cart-items", "valueType": "number", "defaultValue": "50",
         "environments": {"dev": {"rules": [{"type": "force", "value": "2.5"}]}}},
        {"id": "new-checkout", "valueType": "boolean", "defaultValue": "false"},
        {"id": "pricing-config", "valueType": "json",
         "defaultValue": "{\"currency\": \"USD\", \"tiers\": [1], \"trialDays\": 3}"},
        {"id": "discount-rate", "valueType": "number", "defaultValue": "0.1"},
        {"id": "search-page-size", "valueType": "number", "defaultValue": "20"},
        {"id": "onboarding-steps", "valueType": "json", "defaultValue": "{\"free\": [\"welcome\"]}"},
        {"id": "rate-limits", "valueType": "json", "defaultValue": "{}"}
    ]});
    let report = AppFeatures::check(&rest).unwrap_err();
    let lines: Vec<String> = report.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "feature \"max-cart-items\": the value of rule 1 in dev, 2.5, does not fit `u32`: invalid type: floating point `2.5`, expected u32"
        ],
        "only the one value that does not fit"
    );
    let mut fixed = rest.clone();
    fixed["features"][2]["environments"]["dev"]["rules"][0]["value"] = json!("3");
    assert_eq!(AppFeatures::check(&fixed), Ok(()));
}

#[test]
fn check_says_when_a_payload_is_no_export() {
    for (payload, reason) in [
        (json!({"encryptedFeatures": "abc"}), "encrypted"),
        (json!({"features": 5}), "`features` must be an object"),
        (json!([1, 2]), "expected a JSON object"),
    ] {
        let report = AppFeatures::check(&payload).unwrap_err();
        assert_eq!(report.len(), 1);
        let line = report[0].to_string();
        assert!(
            line.starts_with("the payload is not a GrowthBook export"),
            "{line}"
        );
        assert!(line.contains(reason), "{line}");
    }
}

#[derive(Features)]
#[growthbook(rename_all = "snake_case", view = Flags)]
struct SnakeFeatures {
    beta_banner: bool,
}

#[test]
fn rename_all_and_view_name() {
    assert_eq!(SnakeFeatures::KEYS, ["beta_banner"]);
    let gb = GrowthBook::builder()
        .features_json(&json!({"features": {"beta_banner": {"defaultValue": true}}}))
        .unwrap()
        .build();
    let flags: Flags<'_> = gb.features::<SnakeFeatures>();
    assert!(flags.beta_banner());
}

/// A type without a JSON Schema: its feature is left out of `json_schemas`.
#[derive(Debug, Default, Deserialize, growthbook::FeatureValue)]
struct Limits {
    burst: u32,
}

#[derive(Features)]
#[growthbook(schema = "features.json")]
struct SchemaFeatures {
    dark_mode: bool,
    pricing_config: Pricing,
    rate_limits: Limits,
}

#[test]
fn json_schemas_cover_the_types_that_have_one() {
    let schemas: HashMap<&str, Value> = SchemaFeatures::json_schemas().into_iter().collect();
    assert_eq!(schemas.len(), 2, "{schemas:?}");
    assert_eq!(schemas["dark-mode"]["type"], "boolean");
    let pricing = &schemas["pricing-config"];
    assert_eq!(pricing["type"], "object");
    assert_eq!(pricing["properties"]["trialDays"]["type"], "integer");
    assert!(!schemas.contains_key("rate-limits"));
    let gb = GrowthBook::builder().features(example()).build();
    // No `plan` attribute: the free-tier rule applies.
    assert_eq!(gb.features::<SchemaFeatures>().rate_limits().burst, 10);
}

#[test]
fn a_remembered_position_is_only_trusted_for_its_feature_set() {
    #[derive(Features)]
    struct Two {
        b: u32,
    }
    // "b" sits at a different position in each set.
    let first = GrowthBook::builder()
        .features_json(&json!({"features": {"a": {"defaultValue": 1}, "b": {"defaultValue": 2}}}))
        .unwrap()
        .build();
    let second = GrowthBook::builder()
        .features_json(&json!({"features": {"b": {"defaultValue": 3}}}))
        .unwrap()
        .build();
    for _ in 0..3 {
        assert_eq!(first.features::<Two>().b(), 2);
        assert_eq!(second.features::<Two>().b(), 3);
    }
}
