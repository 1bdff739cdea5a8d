use growthbook::Features;

#[derive(Features)]
struct AppFeatures {
    dark_mode: bool,
    #[growthbook(key = "dark-mode")]
    dark: bool,
}

fn main() {}
