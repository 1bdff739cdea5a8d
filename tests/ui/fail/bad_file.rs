use growthbook::Features;

#[derive(Features)]
#[growthbook(schema = "no-such-file.json")]
struct Missing {
    dark_mode: bool,
}

#[derive(Features)]
#[growthbook(schema = "../../../../tests/ui/fixtures/invalid.json")]
struct Invalid {
    dark_mode: bool,
}

#[derive(Features)]
#[growthbook(schema = "../../../../tests/ui/fixtures/not-an-export.json")]
struct NotAnExport {
    dark_mode: bool,
}

// An attribute list where a features export belongs.
#[derive(growthbook::Attributes)]
#[growthbook(schema = "../../../../attributes.json")]
struct User<'a> {
    id: &'a str,
}

fn main() {}
