//! Every supported attribute field type, borrowing and owned, nested structs
//! and enums, checked against features.json (all of its attributes are
//! fields, so `deny_missing` holds).
use growthbook::{Attributes, GrowthBook};
use std::borrow::Cow;

#[derive(Attributes)]
#[growthbook(schema = "../../../../features.json", deny_missing)]
struct User<'a> {
    id: &'a str,
    email: Cow<'a, str>,
    country: Option<&'a str>,
    app_version: &'a str,
    device_id: Option<String>,
    region: Box<str>,
    plan: Plan,
    device: Option<Device>,
    account_age_days: u16,
    tags: &'a [&'a str],
    #[growthbook(skip)]
    _internal: u8,
    scores: Vec<f32>,
    beta: bool,
    company: Company<'a>,
    extra: serde_json::Value,
    counts: [i64; 2],
}

#[derive(Attributes)]
#[growthbook(rename_all = "snake_case")]
struct Company<'a> {
    legal_name: &'a str,
    size: Option<u64>,
}

#[derive(Attributes, Clone, Copy)]
enum Plan {
    Free,
    Pro,
    Enterprise,
}

#[derive(Attributes)]
#[growthbook(rename_all = "lowercase")]
enum Device {
    Ios,
    Android,
    #[growthbook(rename = "web-app")]
    Web,
}

fn main() {
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("../../../features.json")).unwrap();
    assert_eq!(User::check(&payload), Ok(()));
    assert_eq!(Plan::VALUES, ["free", "pro", "enterprise"]);
    let template = GrowthBook::builder().features_json(&payload).unwrap().build();
    let tags = ["student"];
    let user = User {
        id: "u1",
        email: Cow::Borrowed("a@acme.example"),
        country: Some("FR"),
        app_version: "3.3.0",
        device_id: None,
        region: "eu-west".into(),
        plan: Plan::Pro,
        device: Some(Device::Web),
        account_age_days: 3,
        tags: &tags,
        _internal: 0,
        scores: vec![1.5],
        beta: true,
        company: Company { legal_name: "Acme", size: Some(10) },
        extra: serde_json::json!({"a": 1}),
        counts: [1, 2],
    };
    let gb = template.with_typed_attributes(user);
    assert_eq!(gb.attributes_json()["device"], "web-app");
    assert_eq!(gb.attributes_json()["company"]["legal_name"], "Acme");
    let _ = gb.is_on("new-checkout");
}
