use growthbook::Features;

#[derive(Features)]
#[growthbook(schema = "../../../../features.json", rename = "x")]
#[growthbook(rename_all = "kebab")]
struct AppFeatures {
    #[growthbook(name = "dark-mode")]
    dark_mode: bool,
    #[growthbook(key = 3)]
    button_color: String,
}

fn main() {}
