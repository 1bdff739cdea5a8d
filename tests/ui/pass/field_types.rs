use growthbook::{Features, GrowthBook};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Default, Deserialize, growthbook::FeatureValue)]
#[serde(rename_all = "camelCase")]
struct Pricing {
    currency: String,
    tiers: Vec<u32>,
    trial_days: u32,
}

#[derive(Debug, Default, Deserialize, growthbook::FeatureValue)]
#[serde(rename_all = "lowercase")]
enum Color {
    #[default]
    Blue,
    Green,
    Orange,
    Bleu,
}

/// Every kind of field type, checked against the export.
#[derive(Features)]
#[growthbook(schema = "../../../../features.json")]
pub struct AppFeatures {
    dark_mode: bool,
    #[growthbook(key = "button-color")]
    button_color_enum: Color,
    max_cart_items: u16,
    discount_rate: f64,
    search_page_size: Option<u8>,
    pricing_config: Pricing,
    onboarding_steps: HashMap<String, Vec<String>>,
    rate_limits: BTreeMap<String, u32>,
    #[growthbook(key = "checkout-headline", default = "Checkout")]
    headline: String,
    #[growthbook(key = "support-email", default = Some("help@example.com".to_string()))]
    support: Option<String>,
}

/// The same features read as other types that fit them.
#[derive(Features)]
#[growthbook(schema = "../../../../features.json")]
pub struct OtherTypes {
    button_color: std::borrow::Cow<'static, str>,
    #[growthbook(key = "max-cart-items")]
    max_cart_items_i64: i64,
    #[growthbook(key = "search-page-size")]
    page_size_f32: f32,
    #[growthbook(key = "pricing-config")]
    pricing_raw: serde_json::Value,
    #[growthbook(key = "dark-mode")]
    dark_mode_opt: Option<bool>,
}

/// Without a schema, any key and any deserializable type is accepted.
#[derive(Features)]
#[growthbook(rename_all = "camelCase")]
struct Unchecked {
    some_new_flag: Vec<(String, u8)>,
    #[growthbook(default = 7)]
    r#type: usize,
}

fn main() {
    let gb = GrowthBook::builder().build();
    let flags = gb.features::<AppFeatures>();
    let _: bool = flags.dark_mode();
    let _: Color = flags.button_color_enum();
    let _: Option<u8> = flags.search_page_size();
    let _: Pricing = flags.pricing_config();
    let _: growthbook::TypedResult<'_, Color> = flags.eval_button_color_enum();
    let _: AppFeatures = flags.snapshot();
    let other = gb.features::<OtherTypes>();
    let _: i64 = other.max_cart_items_i64();
    let unchecked = Unchecked::view(&gb);
    assert_eq!(unchecked.r#type(), 7);
    assert_eq!(Unchecked::KEYS, ["someNewFlag", "type"]);
    let _ = unchecked.eval_type();
}
