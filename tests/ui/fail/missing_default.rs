use growthbook::Features;

#[derive(serde::Deserialize)]
struct Checkout {
    steps: u32,
}

#[derive(Features)]
struct AppFeatures {
    checkout: Checkout,
    #[growthbook(default = "fifty")]
    max_items: u32,
}

fn main() {}
