use growthbook::Features;
use std::collections::HashMap;

#[derive(Features)]
#[growthbook(schema = "../../../../features.json")]
struct AppFeatures {
    search_page_size: String,
    button_color: bool,
    discount_rate: u32,
    max_cart_items: u8,
    pricing_config: Vec<u32>,
    rate_limits: HashMap<String, String>,
    dark_mode: Option<i64>,
}

// The accessors exist with the declared types despite the errors.
fn main() {
    let gb = growthbook::GrowthBook::builder().build();
    let flags = gb.features::<AppFeatures>();
    let _: String = flags.search_page_size();
    let _: bool = flags.button_color();
    let _: Option<i64> = flags.eval_dark_mode().value;
}
