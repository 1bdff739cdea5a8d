use growthbook::Attributes;

// With `deny_missing`, a dotted path the export uses (`company.plan`) that
// the nested struct lacks is an error too, and a nested enum must have one
// of the strings the export compares it with.
#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/nested-targeting.json", deny_missing)]
struct User<'a> {
    id: &'a str,
    company: Company<'a>,
}

#[derive(Attributes)]
struct Company<'a> {
    size: u32,
    address: Option<Address<'a>>,
    tier: Tier,
}

#[derive(Attributes)]
struct Address<'a> {
    zip: &'a str,
}

#[derive(Attributes)]
enum Tier {
    Free,
}

#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/nested-targeting.json")]
struct Member<'a> {
    id: &'a str,
    company: Firm,
}

// `company.plan` is compared with "business" and "enterprise".
#[derive(Attributes)]
struct Firm {
    size: u32,
    plan: Plan,
}

#[derive(Attributes)]
enum Plan {
    Starter,
    Pro,
}

fn main() {}
