use growthbook::Attributes;

// An object literal reached through a dotted path (`company.address`) needs
// an object there: a string field cannot equal `{"zip": "94000"}`.
#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/object-literal-targeting.json")]
struct User<'a> {
    company: Company<'a>,
}

#[derive(Attributes)]
struct Company<'a> {
    plan: &'a str,
    seats: u32,
    address: &'a str,
}

fn main() {}
