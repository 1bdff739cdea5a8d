use growthbook::Features;

#[derive(Features)]
#[growthbook(schema = "../../../../features.json", rename = "x")]
#[growthbook(rename_all = "kebab")]
struct AppFeatures {
    #[growthbook(name = "dark-mode")]
    dark_mode: bool,
    #[growthbook(key = 3)]
    button_color: String,
    /// Not in the export: reported although the attributes above are wrong.
    buton_colour: String,
}

// Attribute errors, and the schema check after them, in one build; the
// struct stays usable.
fn main() {
    let gb = growthbook::GrowthBook::builder().build();
    let _: bool = gb.features::<AppFeatures>().dark_mode();
}
