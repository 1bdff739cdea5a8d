//! A compiled feature set lives as long as the app (or until the next
//! refresh), so what parsing over-allocates is trimmed once, here: vectors
//! grown by doubling while the JSON was read, and vectors that Rust's
//! in-place `collect` made out of a larger element type's buffer (a `Vec`
//! of 96-byte operators built from a map's 104-byte entries keeps the
//! entries' whole capacity).

use serde_json::Value;

/// The items collected into a vector of exactly their number (not through
/// `collect`, which may reuse the source's larger buffer).
pub(crate) fn collect<T>(items: impl Iterator<Item = T>) -> Vec<T> {
    let (at_least, at_most) = items.size_hint();
    let mut out = Vec::with_capacity(at_most.unwrap_or(at_least));
    out.extend(items);
    out.shrink_to_fit();
    out
}

/// `value` with every array and object in it trimmed of spare capacity (an
/// object read from JSON keeps room for 7 members whatever its size:
/// rebuilding it hashes its keys again, once, for a value the set keeps).
pub(crate) fn value(mut value: Value) -> Value {
    trim(&mut value);
    value
}

fn trim(value: &mut Value) {
    match value {
        Value::Array(items) => {
            items.shrink_to_fit();
            items.iter_mut().for_each(trim);
        }
        Value::Object(map) => {
            let mut exact = serde_json::Map::with_capacity(map.len());
            for (key, mut value) in std::mem::take(map) {
                trim(&mut value);
                exact.insert(key, value);
            }
            *map = exact;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arrays_lose_their_spare_capacity_at_any_depth() {
        let mut outer: Vec<Value> = Vec::with_capacity(16);
        let mut inner: Vec<Value> = Vec::with_capacity(16);
        inner.push(json!(1));
        outer.push(json!({ "a": Value::Array(inner) }));
        let trimmed = value(Value::Array(outer));
        let Value::Array(outer) = &trimmed else {
            panic!("an array")
        };
        assert_eq!(outer.capacity(), 1);
        let Value::Array(inner) = &outer[0]["a"] else {
            panic!("an array")
        };
        assert_eq!(inner.capacity(), 1);
        assert_eq!(trimmed, json!([{ "a": [1] }]));
        let collected = collect(vec![1u64, 2, 3].into_iter().filter(|n| n % 2 == 1));
        assert_eq!((collected.len(), collected.capacity()), (2, 2));
        let wide: Vec<[u64; 4]> = Vec::with_capacity(8);
        let narrow = collect(wide.into_iter().map(|[a, ..]| a));
        assert_eq!(narrow.capacity(), 0);
    }
}
