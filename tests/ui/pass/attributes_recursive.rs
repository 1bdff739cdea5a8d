//! A struct that holds itself (a tree) builds, with and without a schema;
//! its nested fields are not checked (a table cannot contain itself), the
//! rest is.
use growthbook::{Attributes, GrowthBook};

#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/tree-targeting.json", deny_missing)]
struct Person {
    name: String,
    reports: Vec<Person>,
    manager: Option<Box<Self>>,
}

fn main() {
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/tree-targeting.json")).unwrap();
    assert_eq!(Person::check(&payload), Ok(()));
    let template = GrowthBook::builder().features_json(&payload).unwrap().build();
    let person = |name: &str, reports| Person {
        name: name.to_owned(),
        reports,
        manager: None,
    };
    let lead = person("lead", vec![person("dev-1", vec![]), person("qa-1", vec![])]);
    assert!(template.with_typed_attributes(&lead).is_on("team-lead"));
    let alone = person("lead", vec![person("qa-1", vec![])]);
    assert!(!template.with_typed_attributes(&alone).is_on("team-lead"));
}
