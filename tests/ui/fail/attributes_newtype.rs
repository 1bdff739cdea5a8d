use growthbook::Attributes;

// A newtype reads as the value it holds: the schema checks see through it.
#[derive(Attributes)]
struct Label<'a>(&'a str);

#[derive(Attributes)]
#[growthbook(schema = "../../../../features.json")]
struct User<'a> {
    // `$lt: 7`: only a number.
    account_age_days: Label<'a>,
}

// A schema belongs on the struct of attributes, not on a newtype.
#[derive(Attributes)]
#[growthbook(schema = "../../../../features.json")]
struct Id(u64);

// Two values are no newtype.
#[derive(Attributes)]
struct Pair(u32, u32);

fn main() {}
