//! Lists whose items fit what `$elemMatch` asks of them build, and evaluate
//! through the struct as through its JSON.
use growthbook::{Attributes, GrowthBook};

#[derive(Attributes)]
#[growthbook(schema = "../../../../tests/ui/fixtures/elem-match-targeting.json", deny_missing)]
struct Cart<'a> {
    items: Vec<Item<'a>>,
    tags: &'a [Tag],
    scores: [u8; 2],
}

#[derive(Attributes)]
struct Item<'a> {
    sku: &'a str,
    qty: u32,
    // Indices and `length` are not item fields: nothing to check.
    #[growthbook(untargeted)]
    notes: Vec<&'a str>,
}

#[derive(Attributes, Clone, Copy)]
enum Tag {
    Vip,
    Staff,
    New,
}

fn main() {
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/elem-match-targeting.json")).unwrap();
    assert_eq!(Cart::check(&payload), Ok(()));
    let template = GrowthBook::builder().features_json(&payload).unwrap().build();
    let on = |items: Vec<Item<'_>>, tags: &[Tag], scores: [u8; 2]| {
        let cart = Cart { items, tags, scores };
        let typed = template.with_typed_attributes(&cart).is_on("cart-promo");
        let json = template
            .with_attributes(template.with_typed_attributes(&cart).attributes_json().clone())
            .is_on("cart-promo");
        assert_eq!(typed, json);
        typed
    };
    let item = |sku, qty| Item { sku, qty, notes: vec![] };
    assert!(on(vec![item("PRO-1", 2)], &[], [0, 0]));
    assert!(!on(vec![item("PRO-1", 1), item("BASIC-2", 5)], &[], [0, 0]));
    assert!(on(vec![], &[Tag::New, Tag::Staff], [0, 0]));
    assert!(!on(vec![], &[Tag::New], [0, 0]));
    assert!(on(vec![], &[], [10, 95]));
}
