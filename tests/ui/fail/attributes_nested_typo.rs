use growthbook::Attributes;

// A nested struct's field that the export never uses, but that is close to
// a dotted path the export does use (`company.size`, `company.address.zip`)
// and the struct lacks: "did you mean", as for top-level fields.
#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/nested-targeting.json")]
struct User<'a> {
    id: &'a str,
    company: Company<'a>,
}

#[derive(Attributes)]
struct Company<'a> {
    sise: u32,
    plan: &'a str,
    adress: Option<Address>,
}

#[derive(Attributes)]
struct Address {
    zip: String,
}

fn main() {}
