use growthbook::Attributes;

// Types the syntax does not reveal are checked through their
// `ToAttribute::KINDS`: a nested struct where features.json compares a
// string.
#[derive(Attributes)]
#[growthbook(schema = "../../../../features.json")]
struct User<'a> {
    id: &'a str,
    plan: Plan<'a>,
    // Fine: an enum reads as a string.
    device: Device,
}

#[derive(Attributes)]
struct Plan<'a> {
    name: &'a str,
}

#[derive(Attributes)]
enum Device {
    Ios,
    Android,
    Web,
}

fn main() {}
