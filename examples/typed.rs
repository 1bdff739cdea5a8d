//! Typed flags and typed attributes: a struct declares the features the app
//! reads, another the attributes it sends, both checked against
//! `features.json` at compile time (misspell a key or an attribute, or change
//! a type, and the build fails); flags are read through typed, lazily
//! evaluated accessors over an instance whose attributes are the struct.
//!
//! Run with `cargo run --example typed`.

use growthbook::{Attributes, FeatureSet, Features, GrowthBook, TypedFeatures};
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

/// The attributes this service sends, borrowed from the request: building
/// one allocates nothing. Names are camelCase by default (`appVersion`).
#[derive(Attributes)]
#[growthbook(schema = "features.json")]
struct User<'a> {
    id: &'a str,
    country: Option<&'a str>,
    plan: Plan,
    app_version: Option<&'a str>,
    tags: &'a [&'a str],
}

/// A string attribute with a closed set of values ("free", "pro",
/// "enterprise"); this example only builds one of them.
#[allow(dead_code)]
#[derive(Attributes, Clone, Copy)]
enum Plan {
    Free,
    Pro,
    Enterprise,
}

fn main() -> Result<(), growthbook::Error> {
    let features = Arc::new(FeatureSet::from_json_str(include_str!("../features.json"))?);
    let template = GrowthBook::builder().features(features).build();
    let user = User {
        id: "u_1001",
        country: Some("FR"),
        plan: Plan::Enterprise,
        app_version: Some("3.4.0"),
        tags: &[],
    };
    let gb = template.with_typed_attributes(user);

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

    // The same contract test for attributes: every attribute the payload's
    // targeting uses that `User` lacks (here `email`, `region`...).
    let payload: serde_json::Value = serde_json::from_str(include_str!("../features.json"))
        .map_err(|e| growthbook::Error::InvalidJson(e.to_string()))?;
    if let Err(problems) = User::check(&payload) {
        println!("attributes the payload uses that User lacks:");
        for problem in problems {
            println!("  - {problem}");
        }
    }
    Ok(())
}
