use growthbook::{Features, GrowthBook};

#[derive(Features)]
struct AppFeatures {
    color: String,
    /// `eval_color()` is the details accessor of `color`.
    eval_color: bool,
    /// `snapshot()` is a method of every view.
    snapshot: u32,
}

fn main() {
    let gb = GrowthBook::builder().build();
    let flags = gb.features::<AppFeatures>();
    let _: String = flags.color();
    let _: bool = flags.eval_color();
    let _: u32 = flags.snapshot();
}
