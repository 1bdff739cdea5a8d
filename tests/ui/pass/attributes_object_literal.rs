//! Object literals in conditions (`{"company": {"plan": "pro", ...}}`, and
//! through a dotted path) are checked against nested structs, whose braces
//! in the checks' messages are text, not format arguments; the structs
//! compare with the literals as their JSON does.
use growthbook::{Attributes, GrowthBook};

#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/object-literal-targeting.json", deny_missing)]
struct User<'a> {
    company: Company<'a>,
}

#[derive(Attributes)]
struct Company<'a> {
    plan: &'a str,
    seats: u32,
    address: Address<'a>,
}

#[derive(Attributes)]
struct Address<'a> {
    zip: &'a str,
}

fn main() {
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/object-literal-targeting.json")).unwrap();
    assert_eq!(User::check(&payload), Ok(()));
    let template = GrowthBook::builder().features_json(&payload).unwrap().build();
    for (plan, seats, zip, on) in [
        ("pro", 5, "10001", false),
        ("free", 5, "94000", true),
        ("free", 1, "10001", false),
    ] {
        let user = User {
            company: Company {
                plan,
                seats,
                address: Address { zip },
            },
        };
        let typed = template.with_typed_attributes(&user);
        let json = template.with_attributes(user.to_json());
        assert_eq!(typed.is_on("pro-offices"), on, "{plan} {seats} {zip}");
        assert_eq!(json.is_on("pro-offices"), on, "{plan} {seats} {zip}");
    }
}
