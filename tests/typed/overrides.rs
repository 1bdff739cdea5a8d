//! Typed overrides: the way a user tests code behind flags.

use crate::derive::AppFeatures;
use growthbook::testing::{features, Exposures};
use growthbook::{FeatureSource, GrowthBook};

#[test]
fn overrides_force_typed_values_without_any_payload() {
    let gb = AppFeatures::overrides()
        .new_checkout(true)
        .max_items(3)
        .button_color("red")
        .growthbook()
        .build();
    let flags = gb.features::<AppFeatures>();
    assert!(flags.new_checkout());
    assert_eq!(flags.max_items(), 3);
    assert_eq!(flags.button_color(), "red");
    // Everything else: the declared default.
    assert!(!flags.dark_mode());
    assert_eq!(flags.discount_rate(), 0.0);
    assert_eq!(
        flags.eval_max_items().result.source,
        FeatureSource::Override
    );
}

#[test]
fn overrides_sit_on_top_of_a_payload() {
    let gb = GrowthBook::builder()
        .features(features(include_str!("../../features.json")))
        .overrides(AppFeatures::overrides().dark_mode(true))
        .build();
    let flags = gb.features::<AppFeatures>();
    assert!(flags.dark_mode(), "overridden");
    assert_eq!(flags.button_color(), "blue", "from the payload");
}

/// A handler behind a flag, tested as its author would.
mod checkout {
    use super::AppFeatures;
    use growthbook::GrowthBook;

    /// The page a request gets: the new checkout behind `new-checkout`, with
    /// at most `max-cart-items` items.
    pub fn checkout_page(gb: &GrowthBook, items: usize) -> String {
        let flags = gb.features::<AppFeatures>();
        let shown = items.min(flags.max_items() as usize);
        if flags.new_checkout() {
            format!("new checkout, {shown} items")
        } else {
            format!("classic checkout, {shown} items")
        }
    }
}

#[test]
fn the_new_checkout_shows_at_most_the_flagged_number_of_items() {
    let gb = AppFeatures::overrides()
        .new_checkout(true)
        .max_items(3)
        .growthbook()
        .build();
    assert_eq!(checkout::checkout_page(&gb, 10), "new checkout, 3 items");
    let classic = AppFeatures::overrides().max_items(5).growthbook().build();
    assert_eq!(
        checkout::checkout_page(&classic, 10),
        "classic checkout, 5 items"
    );
}

#[test]
fn exposures_are_recorded_for_assertions() {
    let exposures = Exposures::new();
    let gb = exposures
        .record(GrowthBook::builder())
        .features(features(
            r#"{"layout": {"defaultValue": "a", "rules": [
                {"key": "layout-test", "variations": ["a", "b"], "weights": [0, 1]}]}}"#,
        ))
        .attributes(serde_json::json!({"id": "user-7"}))
        .build();
    assert_eq!(gb.get_feature_value("layout", String::new()), "b");
    exposures.assert_exposed("layout-test", 1);
    exposures.assert_not_exposed("other-test");
    assert_eq!(exposures.all()[0].user_id.as_deref(), Some("user-7"));
}
