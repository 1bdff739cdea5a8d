use growthbook::Attributes;

// What #[derive(Attributes)] cannot read: one error each, on the item or
// the field at fault.
#[derive(Attributes)]
struct Tuple<'a>(&'a str, u32);

#[derive(Attributes)]
enum Plan {
    Free,
    Seats(u32),
}

#[derive(Attributes)]
struct User<'a> {
    id: &'a str,
    // Not an attribute type: skip it, or convert it.
    initial: char,
    seen_at: std::time::Instant,
    #[growthbook(skip)]
    fetched_at: std::time::Instant,
}

// Two fields for one attribute, two variants for one value.
#[derive(Attributes)]
struct Session<'a> {
    user_id: &'a str,
    #[growthbook(rename = "userId")]
    account: &'a str,
}

#[derive(Attributes)]
enum Tier {
    Gold,
    #[growthbook(rename = "gold")]
    Legacy,
}

fn main() {}
