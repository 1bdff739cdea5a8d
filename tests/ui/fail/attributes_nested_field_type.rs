use growthbook::Attributes;

// A dotted path (`company.size`, `company.address.zip`) is checked against
// the nested struct's field: a string compared with `$gte: 500`, a number
// matched with `$regex`.
#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/nested-targeting.json")]
struct User<'a> {
    id: &'a str,
    company: Company<'a>,
}

#[derive(Attributes)]
struct Company<'a> {
    size: &'a str,
    plan: &'a str,
    address: Option<Address>,
}

#[derive(Attributes)]
struct Address {
    zip: u32,
}

fn main() {}
