//! Newtypes (`struct UserId(String)`) read as the value they hold, as serde
//! writes them: their kinds, nested fields and enum values are the inner
//! type's, so `#[growthbook(schema)]` sees through them.
use growthbook::{Attributes, GrowthBook};

#[derive(Attributes, serde::Serialize)]
struct UserId<'a>(&'a str);

#[derive(Attributes, serde::Serialize)]
#[serde(transparent)]
struct Days(u16);

#[derive(Attributes, serde::Serialize)]
struct Tagged<T>(T);

#[derive(Attributes, serde::Serialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
enum Plan {
    Free,
    Pro,
    Enterprise,
}

#[derive(Attributes, serde::Serialize)]
struct PlanName(Plan);

#[derive(Attributes, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[growthbook(schema = "../../../../features.json")]
struct User<'a> {
    id: UserId<'a>,
    account_age_days: Days,
    tags: Vec<Tagged<&'a str>>,
    country: Option<Tagged<&'a str>>,
    plan: PlanName,
}

fn main() {
    assert_eq!(<PlanName as growthbook::attributes::ToAttribute>::VALUES, Some(Plan::VALUES));
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("../../../features.json")).unwrap();
    let template = GrowthBook::builder().features_json(&payload).unwrap().build();
    let user = User {
        id: UserId("u1"),
        account_age_days: Days(3),
        tags: vec![Tagged("student")],
        country: Some(Tagged("FR")),
        plan: PlanName(Plan::Enterprise),
    };
    let json = serde_json::to_value(&user).unwrap();
    let typed = template.with_typed_attributes(&user);
    assert_eq!(typed.attributes_json(), &json);
    let by_json = template.with_attributes(json);
    for key in template.feature_set().keys() {
        assert_eq!(typed.feature_value(key), by_json.feature_value(key), "{key}");
    }
}
