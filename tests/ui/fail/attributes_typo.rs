use growthbook::Attributes;

// Names the targeting in features.json never uses, one edit away from ones
// it does.
#[derive(Attributes)]
#[growthbook(schema = "../../../../features.json")]
struct User<'a> {
    id: &'a str,
    contry: Option<&'a str>,
    #[growthbook(rename = "deviceID")]
    device: Option<&'a str>,
    // Not used by the export, and not close to anything it uses: fine (an
    // app may send attributes no flag reads yet).
    favourite_colour: Option<&'a str>,
    // Looks like "region" to the eye, but is its own attribute.
    #[growthbook(untargeted)]
    regions: &'a [&'a str],
    #[growthbook(rename = "loggedin")]
    logged_in: bool,
    #[growthbook(rename = "AppVersion")]
    version: &'a str,
    // Two neighbouring letters swapped: one edit.
    emial: &'a str,
}

fn main() {
    let template = growthbook::GrowthBook::builder().build();
    let user = User {
        id: "u1",
        contry: None,
        device: None,
        favourite_colour: None,
        regions: &[],
        logged_in: true,
        version: "1.0.0",
        emial: "a@example.com",
    };
    let _ = template.with_typed_attributes(user).is_on("new-checkout");
}
