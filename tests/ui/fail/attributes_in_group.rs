use growthbook::Attributes;

// `$inGroup` compares with the saved group's values, without coercion: a
// numeric id is never in a group of string ids, and an enum with none of
// a group's values is never in it.
#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/saved-group-targeting.json")]
struct User {
    user_id: u64,
    plan: Plan,
}

#[derive(Attributes)]
enum Plan {
    Free,
    Enterprise,
}

fn main() {}
