#![deny(deprecated)]

use growthbook::{Features, GrowthBook};

#[derive(Features)]
#[growthbook(schema = "../../../../tests/ui/fixtures/rest-export.json")]
struct AppFeatures {
    checkout_v1: bool,
    page_size: u32,
}

fn main() {
    let gb = GrowthBook::builder().build();
    let flags = gb.features::<AppFeatures>();
    let _ = flags.page_size();
    let _ = flags.checkout_v1();
}
