//! Typed flags: a struct declares the features the app reads, checked against
//! `features.json` at compile time (misspell a key or change a type and the
//! build fails), then read through typed, lazily evaluated accessors.
//!
//! Run with `cargo run --example typed`.

use growthbook::{FeatureSet, Features, GrowthBook, TypedFeatures};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

#[derive(Debug, Default, Deserialize, growthbook::FeatureValue)]
#[serde(rename_all = "camelCase")]
struct Pricing {
    currency: String,
    tiers: Vec<u32>,
    trial_days: u32,
}

/// The flags this service reads. Keys are the field names in kebab-case.
#[derive(Features)]
#[growthbook(schema = "features.json")]
struct AppFeatures {
    dark_mode: bool,
    button_color: String,
    #[growthbook(key = "max-cart-items", default = 50)]
    max_items: u32,
    discount_rate: f64,
    pricing_config: Pricing,
}

fn main() -> Result<(), growthbook::Error> {
    let features = Arc::new(FeatureSet::from_json_str(include_str!("../features.json"))?);
    let gb = GrowthBook::builder()
        .features(features)
        .attributes(json!({"id": "u_1001", "country": "FR", "plan": "enterprise"}))
        .build();

    // A view costs one reference; each accessor evaluates its feature when
    // called, so tracking fires only for what is read.
    let flags = gb.features::<AppFeatures>();
    println!("dark_mode      = {}", flags.dark_mode());
    println!("button_color   = {}", flags.button_color());
    println!("max_items      = {}", flags.max_items());
    println!("discount_rate  = {}", flags.discount_rate());
    let pricing = flags.pricing_config();
    println!(
        "pricing_config = {} {:?}, {}-day trial",
        pricing.currency, pricing.tiers, pricing.trial_days
    );
    let eval = flags.eval_button_color();
    println!(
        "button_color came from {} (rule {:?})",
        eval.result.source.as_str(),
        eval.result.rule_id
    );

    // The contract test to run in CI before publishing flags: does a payload
    // (the live one, or an export) still fit the types the code declares?
    let drifted = json!({"features": {
        "dark-mode": {"defaultValue": "on"},
        "max-cart-items": {"defaultValue": 12.5},
        "pricing-config": {"defaultValue": {"currency": "EUR"}}
    }});
    match AppFeatures::check(&drifted) {
        Ok(()) => println!("the drifted payload fits"),
        Err(problems) => {
            println!("the drifted payload does not fit the code:");
            for problem in problems {
                println!("  - {problem}");
            }
        }
    }
    println!("declared keys: {:?}", <AppFeatures as TypedFeatures>::KEYS);
    Ok(())
}
