//! The quick start of the GrowthBook SDK docs, in Rust: user attributes, a
//! tracking callback, `is_on` and `get_feature_value`, on the repository's
//! `features.json` export.
//!
//! Run with `cargo run --example basic`.

use growthbook::{FeatureSet, GrowthBook};
use serde_json::json;
use std::sync::Arc;

fn main() -> Result<(), growthbook::Error> {
    // Parse and compile the payload once; every per-request instance shares it.
    let features = Arc::new(FeatureSet::from_json_str(include_str!("../features.json"))?);

    // User attributes for targeting and experimentation.
    let attributes = json!({
        "id": "u_5",
        "email": "jane@example.com",
        "country": "US",
        "plan": "pro",
        "appVersion": "3.4.1",
        "deviceId": "d-7f3a"
    });

    let gb = GrowthBook::builder()
        .features(Arc::clone(&features))
        .attributes(attributes)
        .on_experiment_viewed(|experiment, result, _user| {
            // Use whatever event tracking system you want.
            println!(
                "track: Experiment Viewed {{experimentId: {:?}, variationId: {}}}",
                experiment.key, result.key
            );
        })
        .build();

    // Simple on/off feature gating.
    if gb.is_on("dark-mode") {
        println!("dark-mode is on");
    }
    if gb.is_on("new-checkout") {
        println!("new-checkout is on");
    }

    // The value of a feature, with a fallback of the type you want back.
    let color: String = gb.get_feature_value("button-color", "blue".to_string());
    let max_items: u32 = gb.get_feature_value("max-cart-items", 50);
    let discount: f64 = gb.get_feature_value("discount-rate", 0.0);
    println!("button-color = {color}");
    println!("max-cart-items = {max_items}");
    println!("discount-rate = {discount}");

    // JSON features deserialize into your own types.
    #[derive(serde::Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct Pricing {
        currency: String,
        tiers: Vec<u32>,
        trial_days: u32,
    }
    let pricing: Pricing = gb.get_feature_value("pricing-config", Pricing::default());
    println!(
        "pricing-config = {} {:?}, {}-day trial",
        pricing.currency, pricing.tiers, pricing.trial_days
    );

    // Why a feature has its value.
    let result = gb.eval_feature("ai-assistant");
    println!(
        "ai-assistant = {} (source: {}, rule: {:?})",
        result.value,
        result.source.as_str(),
        result.rule_id
    );
    Ok(())
}
