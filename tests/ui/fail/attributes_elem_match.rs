use growthbook::Attributes;

// `$elemMatch` tests each item of a list: the item type is checked as a
// nested field would be (`items.[].sku`: a misspelt field, a string where
// `$gte: 2` needs a number, an enum without "vip" or "staff", strings where
// `$gt: 90` needs numbers).
#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/elem-match-targeting.json")]
struct Cart<'a> {
    items: Vec<Item<'a>>,
    tags: &'a [Tag],
    scores: Vec<String>,
}

#[derive(Attributes)]
struct Item<'a> {
    skuu: &'a str,
    qty: &'a str,
}

#[derive(Attributes)]
enum Tag {
    New,
    Returning,
}

fn main() {}
