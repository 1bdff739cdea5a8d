use growthbook::Features;

#[derive(Features)]
enum Flags {
    DarkMode,
}

#[derive(Features)]
struct Tuple(bool);

#[derive(Features)]
struct Generic<T> {
    value: T,
}

fn main() {}
