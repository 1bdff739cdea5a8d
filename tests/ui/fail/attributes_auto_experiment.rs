use growthbook::Attributes;

// An SDK payload's auto experiments (`experiments`: visual editor and URL
// redirect tests) are targeting too: their conditions and `hashAttribute`,
// like a rule's `filters`, are checked against the struct.
#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/auto-experiments.json")]
struct Visitor<'a> {
    device_id: &'a str,
    url_path: u32,
    visits: &'a str,
    company_ld: &'a str,
}

fn main() {}
