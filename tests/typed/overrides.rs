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

/// An axum handler behind two flags, tested as its author would: the
/// handler takes the request's `GrowthBook` (an extractor builds it in the
/// app; the test hands it over with overrides).
mod checkout {
    use super::AppFeatures;
    use axum::extract::{Extension, Query};
    use axum::Json;
    use growthbook::GrowthBook;
    use serde_json::{json, Value};
    use std::collections::HashMap;
    use std::sync::Arc;

    /// The checkout page: the new flow behind `new-checkout`, showing at most
    /// `max-cart-items` items.
    pub async fn checkout_page(
        Extension(gb): Extension<Arc<GrowthBook>>,
        Query(params): Query<HashMap<String, usize>>,
    ) -> Json<Value> {
        let flags = gb.features::<AppFeatures>();
        let items = params.get("items").copied().unwrap_or(0);
        Json(json!({
            "flow": if flags.new_checkout() { "new" } else { "classic" },
            "shown": items.min(flags.max_items() as usize),
        }))
    }
}

#[tokio::test]
async fn the_new_checkout_shows_at_most_the_flagged_number_of_items() {
    use axum::extract::{Extension, Query};
    use std::sync::Arc;
    let request = |gb: GrowthBook| {
        let query = Query([("items".to_owned(), 10)].into_iter().collect());
        checkout::checkout_page(Extension(Arc::new(gb)), query)
    };
    let gb = AppFeatures::overrides()
        .new_checkout(true)
        .max_items(3)
        .growthbook()
        .build();
    let page = request(gb).await.0;
    assert_eq!(page, serde_json::json!({"flow": "new", "shown": 3}));
    let classic = AppFeatures::overrides().max_items(5).growthbook().build();
    let page = request(classic).await.0;
    assert_eq!(page, serde_json::json!({"flow": "classic", "shown": 5}));
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
