use growthbook::{FeatureSet, GrowthBook};
use serde_json::json;
use std::sync::Arc;

growthbook::include_features!(pub AppFlags, "features.json");

mod default_name {
    growthbook::include_features!("tests/typed/awkward-keys.json");
}

#[test]
fn generated_accessors_agree_with_the_string_key_api() {
    let features =
        Arc::new(FeatureSet::from_json_str(include_str!("../../features.json")).unwrap());
    for i in 0..200 {
        let country = ["FR", "US", "DE"][i % 3];
        let gb = GrowthBook::builder()
            .features(Arc::clone(&features))
            .attributes(json!({"id": format!("u{i}"), "country": country, "plan": "enterprise"}))
            .build();
        let flags = gb.features::<AppFlags>();
        assert_eq!(
            flags.button_color(),
            gb.get_feature_value("button-color", String::new())
        );
        assert_eq!(
            flags.max_cart_items(),
            gb.get_feature_value("max-cart-items", 0i64)
        );
        assert_eq!(
            flags.discount_rate(),
            gb.get_feature_value("discount-rate", 0.0)
        );
        assert_eq!(flags.dark_mode(), gb.is_on("dark-mode"));
        assert_eq!(flags.pricing_config(), *gb.feature_value("pricing-config"));
    }
    assert_eq!(AppFlags::KEYS.len(), features.len());
}

#[test]
fn export_defaults_are_the_fallbacks() {
    let gb = GrowthBook::builder().build();
    let flags = gb.features::<AppFlags>();
    assert_eq!(flags.button_color(), "blue");
    assert_eq!(flags.max_cart_items(), 50);
    assert_eq!(flags.pricing_config()["currency"], "USD");
}

#[test]
fn awkward_keys_become_identifiers() {
    use default_name::Features;
    assert_eq!(
        Features::KEYS,
        [
            "new-checkout.v2",
            "2fa",
            "type",
            "new_checkout_v2",
            "checkout-layout"
        ]
    );
    let gb = GrowthBook::builder()
        .features_json(&json!({"features": {"2fa": {"defaultValue": "totp"}}}))
        .unwrap()
        .build();
    let flags = gb.features::<Features>();
    assert_eq!(flags._2fa(), "totp");
    assert!(!flags.new_checkout_v2());
    assert_eq!(flags.type_(), 3);
    #[allow(deprecated)]
    let retired = flags.new_checkout_v2_2();
    assert_eq!(retired, 0.5);
}

#[test]
fn json_features_with_a_schema_are_typed_as_structs() {
    use default_name::{CheckoutLayout, CheckoutLayoutTheme, Features};
    let gb = GrowthBook::builder().build();
    // The export's default, deserialized into the generated struct.
    let layout: CheckoutLayout = gb.features::<Features>().checkout_layout();
    assert_eq!(
        layout,
        CheckoutLayout {
            columns: 3,
            sidebar: None,
            theme: Some(CheckoutLayoutTheme {
                accent: "#fff".into()
            }),
            steps: vec!["cart".into()],
        }
    );
    let live = GrowthBook::builder()
        .features_json(&json!({"features": {"checkout-layout": {"defaultValue": {"columns": 1, "sidebar": true, "steps": []}}}}))
        .unwrap()
        .build();
    let layout = live.features::<Features>().checkout_layout();
    assert_eq!(
        (layout.columns, layout.sidebar, layout.theme),
        (1, Some(true), None)
    );
}

mod large_integers {
    growthbook::include_features!(pub Limits, "tests/typed/large-integers.json");
}

/// Integers past `i64` read whole: `u64` when no value is negative, `f64`
/// (a JS number) when one is; `i64` otherwise.
#[test]
fn integers_past_i64_get_a_type_that_holds_them() {
    use large_integers::Limits;
    let gb = GrowthBook::builder().build();
    let defaults = gb.features::<Limits>();
    let (bytes, offset, retries): (u64, f64, i64) = (
        defaults.max_upload_bytes(),
        defaults.offset(),
        defaults.retries(),
    );
    assert_eq!(bytes, u64::MAX);
    assert_eq!(offset, u64::MAX as f64);
    assert_eq!(retries, 3);
    let gb = GrowthBook::builder()
        .features_json(&serde_json::from_str(include_str!("large-integers.json")).unwrap())
        .unwrap()
        .build();
    let flags = gb.features::<Limits>();
    assert_eq!(
        (flags.max_upload_bytes(), flags.offset(), flags.retries()),
        (10_485_760, -1.0, -1)
    );
}

mod simple_schemas {
    growthbook::include_features!(pub Catalog, "tests/typed/simple-schemas.json");
}

/// GrowthBook's simple schemas type JSON features as the JSON Schemas they
/// stand for: an object as a struct, a list of objects as a `Vec` of one.
#[test]
fn simple_schemas_type_json_features() {
    use simple_schemas::{Banner, Catalog, PlansItem};
    let gb = GrowthBook::builder().build();
    let catalog = gb.features::<Catalog>();
    let plans: Vec<PlansItem> = catalog.plans();
    assert_eq!(
        plans,
        [
            PlansItem {
                name: "free".into(),
                seats: 1,
                trial: None
            },
            PlansItem {
                name: "pro".into(),
                seats: 10,
                trial: Some(true)
            },
        ]
    );
    let banner: Banner = catalog.banner();
    assert_eq!((banner.text.as_str(), banner.ratio), ("Hello", Some(0.5)));
}
