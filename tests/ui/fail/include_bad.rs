growthbook::include_features!("no-such-file.json");

mod invalid {
    growthbook::include_features!(Flags, "../../../../tests/ui/fixtures/invalid.json");
}

mod wrong_input {
    growthbook::include_features!(Flags);
}

fn main() {}
