//! One copy of each JSON value a feature set keeps. Payloads repeat the same
//! few values thousands of times (`true`, `"control"`, `18` in `$gte`, a
//! JSON config shared by several rules), and a `serde_json::Value` takes 72
//! bytes before its contents: while a set compiles, every value it keeps
//! (defaults, force values, condition literals) goes through a pool that
//! hands out shared copies.
//!
//! The pool lives for one compilation ([`scope`]) on the compiling thread;
//! outside a scope (a lone [`crate::Condition`]), [`keep`] shares nothing.

use crate::compile::compact;
use foldhash::fast::RandomState;
use hashbrown::HashTable;
use serde_json::Value;
use std::cell::RefCell;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

thread_local! {
    static POOL: RefCell<Option<Pool>> = const { RefCell::new(None) };
}

#[derive(Default)]
struct Pool {
    values: HashTable<Arc<Value>>,
    hasher: RandomState,
}

/// Runs `compile` with a pool: equal values kept during it share one copy.
/// Scopes nest (the inner one has its own pool).
pub(crate) fn scope<R>(compile: impl FnOnce() -> R) -> R {
    /// Puts the outer pool back, even if `compile` panics.
    struct Restore(Option<Pool>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            POOL.with(|pool| *pool.borrow_mut() = outer);
        }
    }
    let outer = POOL.with(|pool| pool.borrow_mut().replace(Pool::default()));
    let _restore = Restore(outer);
    compile()
}

/// A value to keep, trimmed of spare capacity, shared with an equal one kept
/// before in the same [`scope`].
pub(crate) fn keep(value: Value) -> Arc<Value> {
    keep_trimmed(compact::value(value))
}

/// [`keep`] for a value without spare capacity already (built by
/// `JsonTree::into_value`).
pub(crate) fn keep_trimmed(value: Value) -> Arc<Value> {
    POOL.with(|pool| match pool.borrow_mut().as_mut() {
        Some(pool) => pool.keep(value),
        None => Arc::new(value),
    })
}

impl Pool {
    fn keep(&mut self, value: Value) -> Arc<Value> {
        let mut state = self.hasher.build_hasher();
        hash_json(&value, &mut state);
        let hash = state.finish();
        if let Some(kept) = self.values.find(hash, |kept| same_json(kept, &value)) {
            return Arc::clone(kept);
        }
        let kept = Arc::new(value);
        let hasher = &self.hasher;
        self.values.insert_unique(hash, Arc::clone(&kept), |kept| {
            let mut state = hasher.build_hasher();
            hash_json(kept, &mut state);
            state.finish()
        });
        kept
    }
}

/// Hashes a value so that [`same_json`] values hash alike.
fn hash_json(value: &Value, state: &mut impl Hasher) {
    match value {
        Value::Null => state.write_u8(0),
        Value::Bool(b) => {
            state.write_u8(1);
            b.hash(state);
        }
        Value::Number(n) => {
            state.write_u8(2);
            n.hash(state);
        }
        Value::String(s) => {
            state.write_u8(3);
            s.hash(state);
        }
        Value::Array(items) => {
            state.write_u8(4);
            state.write_usize(items.len());
            items.iter().for_each(|item| hash_json(item, state));
        }
        Value::Object(map) => {
            state.write_u8(5);
            state.write_usize(map.len());
            for (key, item) in map {
                key.hash(state);
                hash_json(item, state);
            }
        }
    }
}

/// Whether two values are the same JSON, written the same way: numbers of
/// the same representation (`1` is not `1.0`, which prints differently) and
/// object members in the same order (which the value keeps, and shows when
/// serialized). A shared copy is then indistinguishable from the original.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        // By bits for floats: `-0.0` prints apart from `0.0`.
        (Value::Number(a), Value::Number(b)) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) if a.is_f64() && b.is_f64() => x.to_bits() == y.to_bits(),
            _ => a == b,
        },
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && same_json(va, vb))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_values_kept_in_a_scope_share_one_copy() {
        scope(|| {
            let a = keep(json!({"color": "red", "size": [1, 2]}));
            let b = keep(json!({"color": "red", "size": [1, 2]}));
            assert!(Arc::ptr_eq(&a, &b));
            assert!(Arc::ptr_eq(&keep(json!("on")), &keep(json!("on"))));
            assert!(Arc::ptr_eq(&keep(json!(null)), &keep(json!(null))));
            // Written differently: kept apart.
            assert!(!Arc::ptr_eq(&keep(json!(1)), &keep(json!(1.0))));
            assert!(!Arc::ptr_eq(&keep(json!(0.0)), &keep(json!(-0.0))));
            assert!(!Arc::ptr_eq(
                &keep(json!({"a": 1, "b": 2})),
                &keep(json!({"b": 2, "a": 1}))
            ));
            assert!(!Arc::ptr_eq(&keep(json!("1")), &keep(json!(1))));
            assert!(!Arc::ptr_eq(&keep(json!([1, [2]])), &keep(json!([[1], 2]))));
            // A nested scope has its own pool; the outer one is back after it.
            let inner = scope(|| keep(json!("on")));
            assert!(!Arc::ptr_eq(&inner, &keep(json!("on"))));
            assert!(Arc::ptr_eq(&keep(json!("on")), &keep(json!("on"))));
        });
        // No scope: nothing shared.
        assert!(!Arc::ptr_eq(&keep(json!("on")), &keep(json!("on"))));
    }

    #[test]
    fn a_kept_value_is_the_value_given() {
        scope(|| {
            for value in [
                json!(null),
                json!(0),
                json!(-1.5),
                json!("x"),
                json!([]),
                json!({"a": {"b": [true]}}),
            ] {
                assert_eq!(*keep(value.clone()), value);
            }
        });
    }
}
