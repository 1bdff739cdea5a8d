//! A struct that already serializes to the attributes JSON reads the same
//! once it derives `Attributes`: without a `#[growthbook(...)]` name, serde's
//! naming decides (`rename_all`, `rename`, `rename(serialize = ...)`, `skip`,
//! `skip_serializing`), on structs and enums alike.
use growthbook::{Attributes, GrowthBook};
use serde::Serialize;

#[derive(Attributes, Serialize)]
#[serde(rename_all = "snake_case")]
struct User<'a> {
    logged_in: bool,
    #[serde(rename = "uid")]
    id: &'a str,
    #[serde(rename(serialize = "sid", deserialize = "session_id"))]
    session: &'a str,
    #[serde(skip)]
    #[allow(dead_code)]
    secret: u32,
    #[serde(skip_serializing)]
    #[allow(dead_code)]
    cache: u32,
    tier: Tier,
    #[growthbook(rename = "tierName")]
    #[serde(rename = "tierName")]
    other_tier: Tier,
}

#[derive(Attributes, Serialize, Clone, Copy)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Tier {
    Gold,
    #[serde(rename = "plat")]
    Platinum,
}

fn main() {
    let user = User {
        logged_in: true,
        id: "u1",
        session: "s1",
        secret: 7,
        cache: 8,
        tier: Tier::Gold,
        other_tier: Tier::Platinum,
    };
    let features = serde_json::json!({"features": {"vip": {"defaultValue": false, "rules": [
        {"condition": {"logged_in": true, "uid": "u1", "sid": "s1", "tier": "GOLD", "tierName": "plat",
                       "secret": {"$exists": false}, "cache": {"$exists": false}}, "force": true}
    ]}}});
    let template = GrowthBook::builder().features_json(&features).unwrap().build();
    let gb = template.with_typed_attributes(&user);
    assert_eq!(gb.attributes_json(), &serde_json::to_value(&user).unwrap());
    assert!(gb.is_on("vip"));
    assert!(template.with_attributes(serde_json::to_value(&user).unwrap()).is_on("vip"));
    assert_eq!(Tier::VALUES, ["GOLD", "plat"]);
}
