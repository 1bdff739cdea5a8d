use growthbook::GrowthBook;

growthbook::include_features!(pub AppFlags, "../../../../features.json");

mod rest {
    growthbook::include_features!("../../../../tests/ui/fixtures/rest-export.json");
}

fn main() {
    let gb = GrowthBook::builder().build();
    let flags = gb.features::<AppFlags>();
    let _: String = flags.button_color();
    let _: i64 = flags.max_cart_items();
    let _: f64 = flags.discount_rate();
    let _: serde_json::Value = flags.pricing_config();
    let _: AppFlags = flags.snapshot();

    let rest = gb.features::<rest::Features>();
    let _: i64 = rest.page_size();
    let _: f64 = rest.ratio();
    let _: String = rest.theme();
    let _: serde_json::Value = rest.layout();
}
