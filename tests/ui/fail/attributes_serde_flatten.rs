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

fn main() {}
