use growthbook::Attributes;

// What #[derive(Attributes)] cannot read: one error each, on the item or
// the field at fault.
#[derive(Attributes)]
struct Tuple<'a>(&'a str);

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

fn main() {}
