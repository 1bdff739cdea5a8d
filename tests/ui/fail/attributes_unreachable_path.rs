use growthbook::Attributes;

// A dotted path that reads into a string, number or bool finds nothing
// there (JS's `getPath` reads objects only), so a test that needs a value
// never passes: items that are strings tested for a `sku`, a `name` string
// read for its `first`.
#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/paths-through-scalars.json")]
struct Cart<'a> {
    items: Vec<&'a str>,
    org: Org<'a>,
    region: Region<'a>,
}

#[derive(Attributes)]
struct Org<'a> {
    name: &'a str,
}

// Fine: a struct with the field the path reads.
#[derive(Attributes)]
struct Region<'a> {
    code: &'a str,
}

fn main() {}
