use growthbook::Attributes;
use serde::Serialize;

#[derive(Attributes, Serialize)]
struct Device<'a> {
    os: &'a str,
}

#[derive(Attributes, Serialize)]
struct User<'a> {
    id: &'a str,
    #[serde(flatten)]
    device: Device<'a>,
}

// Serde attributes that make serde write something other than what the
// derive reads: one error each, on the attribute.
#[derive(Attributes, Serialize)]
#[serde(transparent)]
struct UserId {
    id: u64,
}

#[derive(Attributes, Serialize)]
struct Account<'a> {
    #[serde(serialize_with = "as_text")]
    number: u64,
    #[serde(with = "as_text")]
    #[growthbook(skip)]
    skipped: u64,
    name: &'a str,
}

#[derive(Attributes, Serialize)]
#[serde(tag = "kind")]
enum Tier {
    Gold,
}

mod as_text {
    pub fn serialize<S: serde::Serializer>(n: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(n)
    }
}
use as_text::serialize as as_text;

fn main() {}
