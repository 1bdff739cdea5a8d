use growthbook::Features;

#[derive(Features)]
struct AppFeatures {
    dark_mode: bool,
    #[growthbook(key = "max-cart-items")]
    max_items: u32,
}

fn main() {
    // A misspelled flag is a missing method.
    let _ = AppFeatures::overrides().dark_mod(true);
    // A value of another type does not fit the setter.
    let _ = AppFeatures::overrides().dark_mode("yes");
    let _ = AppFeatures::overrides().max_items(1.5);
}
