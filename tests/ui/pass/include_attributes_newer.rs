//! `include_attributes!` on an attribute list with names that are no Rust
//! identifiers, enum values that clash once made identifiers, and a datatype
//! newer than this crate (read as any JSON value).
growthbook::include_attributes!(pub Visitor, "../../../../tests/ui/fixtures/attributes-newer.json");

fn main() {
    let signup = serde_json::json!("2026-01-31");
    let visitor = Visitor {
        id: Some("v1"),
        signup_date: Some(&signup),
        user_type: Some(UserType::TrialUser2),
        _2fa: Some(true),
        type_: Some("admin"),
        country_code: Some("FR"),
        user_type2: Some("x"),
        ..Default::default()
    };
    let template = growthbook::GrowthBook::builder()
        .features_json(&serde_json::json!({"features": {"f": {"defaultValue": false, "rules": [
            {"condition": {"signupDate": {"$gte": "2026-01-01"}, "user-type": "Trial User", "2fa": true}, "force": true}
        ]}}}))
        .unwrap()
        .build();
    let gb = template.with_typed_attributes(visitor);
    assert!(gb.is_on("f"));
    assert_eq!(gb.attributes_json()["Country Code"], "FR");
    assert_eq!(UserType::VALUES, ["free", "paid", "trial-user", "Trial User", "2x", "self"]);
}
