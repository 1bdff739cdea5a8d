use growthbook::Attributes;

// Field types that can never satisfy how features.json tests them.
#[derive(Attributes)]
#[growthbook(schema = "../../../../features.json")]
struct User<'a> {
    id: &'a str,
    // `$lt: 7`: only a number.
    account_age_days: &'a str,
    // `$elemMatch`: only a list.
    tags: Option<&'a str>,
    // `$vgte: "3.2.0"`: only a version string.
    app_version: u32,
    // `== "FR"` and `$in` of strings: never a bool.
    country: bool,
    // Fine: strings.
    email: String,
    region: std::borrow::Cow<'a, str>,
}

fn main() {}
