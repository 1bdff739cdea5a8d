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

/// Dotted properties are nested attributes (`company.plan` is `plan` in the
/// object `company`, as GrowthBook's SDKs read conditions): the generated
/// struct nests them, so they reach the targeting that tests them.
mod nested {
    use growthbook::{Attributes, GrowthBook};
    use serde_json::json;

    growthbook::include_attributes!(pub Account, "tests/typed/nested-attributes.json");

    #[test]
    fn dotted_properties_are_nested_structs() {
        let payload = json!({"features": {
            "seats-upsell": {"defaultValue": "none", "rules": [
                {"condition": {"company.plan": "free", "company.seats": {"$gte": 10}}, "force": "upgrade"},
                {"condition": {"company.address.country": {"$in": ["FR", "DE"]}}, "force": "eu"},
                {"condition": {"company": {"$exists": true}}, "force": "company"},
                {"condition": {"org": {"$regex": "^acme"}}, "force": "acme"}
            ]}
        }});
        assert_eq!(Account::check(&payload), Ok(()));
        let template = GrowthBook::builder()
            .features_json(&payload)
            .unwrap()
            .build();
        let company = |plan, seats, country| AccountCompany {
            plan: Some(plan),
            seats: Some(seats),
            address: Some(AccountCompanyAddress {
                country,
                ..Default::default()
            }),
            ..Default::default()
        };
        let cases = [
            (
                Some(company(CompanyPlan::Free, 12.0, None)),
                None,
                "upgrade",
            ),
            (
                Some(company(CompanyPlan::Pro, 12.0, Some("FR"))),
                None,
                "eu",
            ),
            (
                Some(company(CompanyPlan::Pro, 2.0, Some("US"))),
                None,
                "company",
            ),
            (None, Some("acme-corp"), "acme"),
            (None, None, "none"),
        ];
        for (company, org, expected) in cases {
            let account = Account {
                id: Some("a-1"),
                company,
                org,
                ..Default::default()
            };
            let typed = template.with_typed_attributes(account);
            let by_json = template.with_attributes(typed.attributes_json().clone());
            assert_eq!(
                typed.feature_value("seats-upsell").into_owned(),
                json!(expected)
            );
            assert_eq!(
                by_json.feature_value("seats-upsell").into_owned(),
                json!(expected)
            );
        }
        let account = Account {
            company: Some(company(CompanyPlan::Enterprise, 3.0, Some("DE"))),
            org_name: Some("flat"),
            ..Default::default()
        };
        assert_eq!(
            account.to_json(),
            json!({
                "company": {"plan": "enterprise", "seats": 3, "address": {"country": "DE"}},
                "org.name": "flat"
            })
        );
    }
}
