use growthbook::{Features, GrowthBook};

#[derive(Features)]
#[growthbook(schema = "../../../../features.json")]
struct AppFeatures {
    buton_color: String,
    #[growthbook(key = "dark_mode")]
    dark: bool,
    checkout_redesign: bool,
}

// The accessors exist despite the errors: using them adds no error.
fn main() {
    let gb = GrowthBook::builder().build();
    let flags = gb.features::<AppFeatures>();
    let _: String = flags.buton_color();
    let _: bool = flags.dark();
    let _ = flags.eval_checkout_redesign().value;
    let _: AppFeatures = flags.snapshot();
    let _ = AppFeatures::check(&serde_json::json!({}));
}
