//! A feature whose rules read the same attribute paths again (evaluation
//! remembers what a repeated path read, within one feature): the answers are
//! those of reading every path afresh, for JSON and typed attributes,
//! nested and missing attributes, and paths inside `$elemMatch` items that
//! share a name with a top-level attribute.

use growthbook::{Attributes, GrowthBook};
use serde_json::{json, Value};

fn payload() -> Value {
    json!({"features": {
        "tiers": {"defaultValue": "none", "rules": [
            {"id": "huge", "condition": {"company.size": {"$gt": 10000}}, "force": "huge"},
            {"id": "sku-a", "condition": {"items": {"$elemMatch": {"sku": "A"}}, "sku": "top"}, "force": "item-a"},
            {"id": "eu-pro", "condition": {"country": {"$in": ["FR", "DE"]}, "plan": "pro"}, "force": "eu-pro"},
            {"id": "big", "condition": {"company.size": {"$gt": 100}}, "force": "big"},
            {"id": "missing-plan", "condition": {"$or": [{"plan": {"$exists": false}}, {"plan": "none"}]}, "force": "no-plan"},
            {"id": "eu", "condition": {"$not": {"country": {"$nin": ["FR", "DE"]}}}, "force": "eu"},
            {"id": "top-sku", "condition": {"sku": "top"}, "force": "top-sku"},
            {"id": "rest", "condition": {"company.size": {"$exists": true}}, "force": "has-size"}
        ]}
    }})
}

#[derive(Attributes)]
struct User<'a> {
    id: &'a str,
    country: Option<&'a str>,
    plan: Option<&'a str>,
    sku: Option<&'a str>,
    company: Option<Company>,
    items: Vec<Item<'a>>,
}

#[derive(Attributes)]
struct Company {
    size: u32,
}

#[derive(Attributes)]
struct Item<'a> {
    sku: &'a str,
}

#[test]
fn repeated_paths_answer_as_fresh_reads() {
    let template = GrowthBook::builder()
        .features_json(&payload())
        .unwrap()
        .build();
    let cases: Vec<(User<'_>, &str)> = vec![
        (
            User {
                id: "1",
                country: Some("FR"),
                plan: Some("pro"),
                sku: None,
                company: Some(Company { size: 50_000 }),
                items: vec![],
            },
            "huge",
        ),
        (
            User {
                id: "2",
                country: Some("FR"),
                plan: Some("pro"),
                sku: Some("top"),
                company: None,
                items: vec![Item { sku: "A" }],
            },
            "item-a",
        ),
        (
            User {
                id: "3",
                country: Some("DE"),
                plan: Some("pro"),
                sku: Some("top"),
                company: None,
                items: vec![Item { sku: "B" }],
            },
            "eu-pro",
        ),
        (
            User {
                id: "4",
                country: Some("US"),
                plan: Some("pro"),
                sku: None,
                company: Some(Company { size: 500 }),
                items: vec![],
            },
            "big",
        ),
        (
            User {
                id: "5",
                country: Some("US"),
                plan: None,
                sku: None,
                company: Some(Company { size: 5 }),
                items: vec![],
            },
            "no-plan",
        ),
        (
            User {
                id: "6",
                country: Some("DE"),
                plan: Some("free"),
                sku: None,
                company: None,
                items: vec![],
            },
            "eu",
        ),
        (
            User {
                id: "7",
                country: None,
                plan: Some("free"),
                sku: Some("top"),
                company: None,
                items: vec![Item { sku: "top" }],
            },
            "top-sku",
        ),
        (
            User {
                id: "8",
                country: None,
                plan: Some("free"),
                sku: None,
                company: Some(Company { size: 1 }),
                items: vec![],
            },
            "has-size",
        ),
        (
            User {
                id: "9",
                country: None,
                plan: Some("free"),
                sku: None,
                company: None,
                items: vec![],
            },
            "none",
        ),
    ];
    for (user, expected) in cases {
        let json = user.to_json();
        let typed = template
            .with_typed_attributes(&user)
            .feature_value("tiers")
            .into_owned();
        let from_json = template
            .with_attributes(json.clone())
            .feature_value("tiers")
            .into_owned();
        assert_eq!(typed, json!(expected), "typed {json}");
        assert_eq!(from_json, json!(expected), "JSON {json}");
        // The same instance, evaluated again, still answers the same.
        let gb = template.with_attributes(json.clone());
        for _ in 0..3 {
            assert_eq!(*gb.feature_value("tiers"), json!(expected), "again {json}");
        }
    }
}
