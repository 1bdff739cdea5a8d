use growthbook::Attributes;

// An enum reads as a closed set of strings: compared with strings it does
// not have (`== "enterprise"`, `$in: ["eu-west", "eu-central"]` with a
// misspelt rename), the test never passes.
#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/enum-targeting.json")]
struct User {
    plan: Plan,
    region: Option<Region>,
}

#[derive(Attributes)]
#[growthbook(rename_all = "lowercase")]
enum Plan {
    Free,
    Pro,
}

#[derive(Attributes)]
enum Region {
    #[growthbook(rename = "eu_west")]
    EuWest,
    #[growthbook(rename = "us-east")]
    UsEast,
}

fn main() {}
