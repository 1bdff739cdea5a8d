//! `include_attributes!` on the repository's attributes.json: a struct that
//! covers every attribute features.json targets (the contract check passes),
//! evaluated like its JSON.

use growthbook::{Attributes, GrowthBook};
use serde_json::json;

growthbook::include_attributes!(pub User, "attributes.json");

#[test]
fn the_generated_struct_fits_the_export_and_evaluates_like_json() {
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("../../features.json")).unwrap();
    // The attribute list declares every attribute features.json uses.
    assert_eq!(User::check(&payload), Ok(()));
    assert_eq!(Plan::VALUES, ["free", "pro", "enterprise"]);
    assert_eq!(
        Region::VALUES,
        ["us-east", "us-west", "eu-west", "ap-south"]
    );

    let template = GrowthBook::builder()
        .features_json(&payload)
        .unwrap()
        .build();
    let tags = ["student"];
    let user = User {
        id: Some("u_1001"),
        country: Some("FR"),
        plan: Some(Plan::Enterprise),
        region: Some(Region::EuWest),
        app_version: Some("3.4.0"),
        tags: Some(&tags),
        account_age_days: Some(3.0),
        ..Default::default()
    };
    let json = json!({
        "id": "u_1001", "country": "FR", "plan": "enterprise", "region": "eu-west",
        "appVersion": "3.4.0", "tags": ["student"], "accountAgeDays": 3
    });
    let typed = template.with_typed_attributes(user);
    assert_eq!(
        typed.attributes_json(),
        &json!({
            "id": "u_1001", "country": "FR", "region": "eu-west", "plan": "enterprise",
            "appVersion": "3.4.0", "accountAgeDays": 3, "tags": ["student"]
        })
    );
    let by_json = template.with_attributes(json);
    for key in template.feature_set().keys() {
        assert_eq!(
            serde_json::to_value(typed.eval_feature(key)).unwrap(),
            serde_json::to_value(by_json.eval_feature(key)).unwrap(),
            "{key}"
        );
    }
    assert_eq!(typed.get_feature_value("max-cart-items", 0), 500);
}

#[test]
fn archived_attributes_are_deprecated() {
    #[allow(deprecated)]
    let user = User {
        legacy_tier: Some(2.0),
        ..Default::default()
    };
    assert_eq!(user.to_json(), json!({"legacyTier": 2}));
}
