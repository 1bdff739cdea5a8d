//! Enums whose values include a string the export compares them with (any
//! one of a `$in`) build; `$ne`, and equality under `$not` or `$nor`
//! (excluding a value the enum lacks), ask for no value; `check` agrees,
//! and reports an enum that lacks every compared value.
use growthbook::attributes::AttributeProblem;
use growthbook::{Attributes, GrowthBook};

#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/enum-targeting.json", deny_missing)]
struct User {
    plan: Plan,
    region: Option<Region>,
}

#[derive(Attributes, Clone, Copy)]
#[growthbook(rename_all = "lowercase")]
enum Plan {
    Free,
    Pro,
    Enterprise,
}

#[derive(Attributes, Clone, Copy)]
enum Region {
    #[growthbook(rename = "eu-west")]
    EuWest,
    #[growthbook(rename = "antarctica")]
    Antarctica,
}

/// Not checked at build time: what `check` reports at run time.
#[derive(Attributes)]
struct Unchecked {
    plan: OldPlan,
}

#[derive(Attributes)]
#[growthbook(rename_all = "lowercase")]
enum OldPlan {
    Free,
}

fn main() {
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/enum-targeting.json")).unwrap();
    assert_eq!(User::check(&payload), Ok(()));
    let problems = Unchecked::check(&payload).unwrap_err();
    assert!(problems.iter().any(|p| matches!(p,
        AttributeProblem::NoSuchValue { attribute, usage, .. }
            if attribute == "plan" && usage == "== \"enterprise\"")));
    let template = GrowthBook::builder().features_json(&payload).unwrap().build();
    for (plan, region, on) in [
        (Plan::Free, None, false),
        (Plan::Enterprise, None, true),
        (Plan::Pro, Some(Region::Antarctica), false),
        (Plan::Free, Some(Region::EuWest), true),
    ] {
        let user = User { plan, region };
        assert_eq!(template.with_typed_attributes(&user).is_on("priority-support"), on);
    }
}
