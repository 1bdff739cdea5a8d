//! A dotted path into a string, number or bool finds nothing (JS's
//! `getPath` reads objects only); a use that a missing value satisfies
//! (`$exists: false`, `$eq: null`, `$ne`) asks nothing of the field's type,
//! so these build, and read through the struct as through its JSON.
use growthbook::{Attributes, GrowthBook};

#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/missing-paths.json", deny_missing)]
struct User<'a> {
    plan: u32,
    items: Vec<&'a str>,
    org: Org<'a>,
}

#[derive(Attributes)]
struct Org<'a> {
    size: u32,
    name: &'a str,
}

fn main() {
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/missing-paths.json")).unwrap();
    assert_eq!(User::check(&payload), Ok(()));
    let template = GrowthBook::builder().features_json(&payload).unwrap().build();
    let value = |user: &User<'_>| {
        let typed = template.with_typed_attributes(user);
        let json = template.with_attributes(typed.attributes_json().clone());
        let value = typed.feature_value("legacy-plans").into_owned();
        assert_eq!(value, json.feature_value("legacy-plans").into_owned());
        value
    };
    let org = || Org { size: 3, name: "Acme" };
    assert_eq!(value(&User { plan: 2, items: vec![], org: org() }), 3);
    assert_eq!(value(&User { plan: 2, items: vec!["a"], org: org() }), 2);
}
