//! Generic attributes structs: every type parameter a field names gets a
//! `ToAttribute` bound (as serde bounds `T: Serialize`), whatever its name;
//! with `schema`, fields whose type names a type or const parameter are
//! checked at run time (`check`), the others at compile time.
use growthbook::{Attributes, GrowthBook};

#[derive(Attributes)]
#[growthbook(schema = "../../../../features.json")]
struct User<'a, Id, Tag: ?Sized> {
    id: Id,
    country: Option<&'a str>,
    tags: Vec<&'a Tag>,
}

/// A const parameter in a field's type: checked at run time too.
#[derive(Attributes)]
#[growthbook(schema = "../../../../features.json")]
struct Tagged<'a, const N: usize> {
    tags: [&'a str; N],
}

#[derive(Attributes)]
struct Request<'a, U: Attributes> {
    user: &'a U,
    path: &'a str,
}

fn main() {
    let user = User { id: String::from("u_1001"), country: Some("FR"), tags: vec!["student"] };
    let json = serde_json::json!({"id": "u_1001", "country": "FR", "tags": ["student"]});
    let template = GrowthBook::builder()
        .features_json(&serde_json::from_str(include_str!("../../../features.json")).unwrap())
        .unwrap()
        .build();
    let typed = template.with_typed_attributes(&user);
    assert_eq!(typed.attributes_json(), &json);
    assert_eq!(
        typed.eval_feature("discount-rate").value,
        template.with_attributes(json).eval_feature("discount-rate").value
    );
    // A parameter's field is checked at run time, as the type it is given:
    // a string id fits how the export uses `id`, a bool does not.
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("../../../features.json")).unwrap();
    let mismatches = |problems: Vec<growthbook::attributes::AttributeProblem>| {
        problems
            .into_iter()
            .filter(|p| matches!(p, growthbook::attributes::AttributeProblem::Mismatch { .. }))
            .count()
    };
    assert_eq!(User::<String, str>::check(&payload).map_err(mismatches), Err(0));
    assert!(User::<bool, str>::check(&payload).map_err(mismatches).unwrap_err() > 0);
    assert_eq!(Tagged::<2>::check(&payload).map_err(mismatches), Err(0));
    let tagged = Tagged { tags: ["student", "beta"] };
    assert_eq!(template.with_typed_attributes(&tagged).attributes_json()["tags"][1], "beta");
    let request = Request { user: &user, path: "/cart" };
    let gb = template.with_typed_attributes(&request);
    assert_eq!(gb.attributes_json()["user"]["id"], "u_1001");
}
