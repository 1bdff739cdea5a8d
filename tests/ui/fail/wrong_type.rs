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

fn main() {}
