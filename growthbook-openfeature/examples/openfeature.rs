//! GrowthBook behind the OpenFeature API: register the provider, then
//! evaluate through the vendor-neutral client.
//!
//! `cargo run -p growthbook-openfeature --example openfeature`

use growthbook::FeatureSet;
use growthbook_openfeature::GrowthBookProvider;
use open_feature::{EvaluationContext, OpenFeature};
use std::sync::Arc;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let features = Arc::new(FeatureSet::from_json_str(include_str!(
        "../../features.json"
    ))?);
    // The process-wide API, as an application uses it.
    let mut api = OpenFeature::singleton_mut().await;
    api.set_provider(GrowthBookProvider::new(features)).await;
    let client = api.create_client();

    let context = EvaluationContext::default()
        .with_targeting_key("u_1001")
        .with_custom_field("country", "FR")
        .with_custom_field("plan", "enterprise");
    let color = client
        .get_string_details("button-color", Some(&context), None)
        .await
        .map_err(|e| format!("button-color: {}", e.code))?;
    println!(
        "button-color = {} (reason {:?}, rule {:?})",
        color.value,
        color.reason,
        color.flag_metadata.values.get("ruleId")
    );
    let max_items = client
        .get_int_value("max-cart-items", Some(&context), None)
        .await
        .unwrap_or(50);
    println!("max-cart-items = {max_items}");
    match client
        .get_int_value("no-such-flag", Some(&context), None)
        .await
    {
        Ok(value) => println!("no-such-flag = {value}"),
        Err(e) => println!("no-such-flag: {} (the caller uses its default)", e.code),
    }
    Ok(())
}
