//! Nested structs whose fields fit the dotted paths an export targets
//! (`company.size`, `company.plan`, `company.address.zip`) build, and
//! evaluate through those paths.
use growthbook::{Attributes, GrowthBook};

#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/nested-targeting.json", deny_missing)]
struct User<'a> {
    id: &'a str,
    company: Company<'a>,
}

#[derive(Attributes)]
struct Company<'a> {
    size: u32,
    plan: Plan,
    address: Option<Address<'a>>,
    // Not targeted: any type.
    #[growthbook(untargeted)]
    founded: &'a str,
}

#[derive(Attributes)]
#[growthbook(rename_all = "lowercase")]
enum Plan {
    Starter,
    Business,
}

#[derive(Attributes)]
struct Address<'a> {
    zip: &'a str,
}

fn main() {
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nested-targeting.json")).unwrap();
    assert_eq!(User::check(&payload), Ok(()));
    let template = GrowthBook::builder().features_json(&payload).unwrap().build();
    let user = |size, plan, zip: Option<&'static str>| User {
        id: "u1",
        company: Company {
            size,
            plan,
            address: zip.map(|zip| Address { zip }),
            founded: "1999",
        },
    };
    let on = |user: User<'_>| template.with_typed_attributes(user).is_on("enterprise-sso");
    assert!(on(user(800, Plan::Starter, None)));
    assert!(on(user(10, Plan::Business, None)));
    assert!(on(user(10, Plan::Starter, Some("94103"))));
    assert!(!on(user(10, Plan::Starter, Some("10001"))));
    assert!(!on(user(10, Plan::Starter, None)));
}
