use growthbook::Features;

#[derive(Features)]
#[growthbook(schema = "../../../../features.json")]
struct AppFeatures {
    buton_color: String,
    #[growthbook(key = "dark_mode")]
    dark: bool,
    checkout_redesign: bool,
}

fn main() {}
