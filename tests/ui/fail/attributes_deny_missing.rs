use growthbook::Attributes;

// Every attribute features.json uses must be a field.
#[derive(Attributes)]
#[growthbook(schema = "../../../../features.json", deny_missing)]
struct User<'a> {
    id: &'a str,
    email: &'a str,
    country: Option<&'a str>,
    app_version: &'a str,
    device_id: Option<&'a str>,
    region: &'a str,
    plan: &'a str,
    device: &'a str,
    account_age_days: u32,
}

// No schema: nothing to check against.
#[derive(Attributes)]
#[growthbook(deny_missing, rename_all = "camel")]
struct Other {
    #[growthbook(renamed = "x")]
    x: u32,
}

#[derive(Attributes)]
struct Tuple(u32, u32);

fn main() {}
