use growthbook::Features;

#[derive(Features)]
#[growthbook(schema = "../../../../tests/ui/fixtures/rest-export.json")]
struct AppFeatures {
    ratio: u64,
    theme: f32,
    layout: String,
}

fn main() {}
