//! The string a user is hashed by, and the per-instance memo of the `id`.
//!
//! Nearly every rollout and experiment hashes the `id` attribute (GrowthBook's
//! default `hashAttribute`). Finding it in the attribute map, turning it into
//! its hash string and running FNV-1a over it cost more than the rest of a
//! rollout, and the answer is the same for every flag the instance evaluates.
//! So an instance works it out on first use and keeps it until its attributes
//! change.

use crate::hash::{self, HashInput};
use crate::js;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Longest `id` kept inline (a UUID is 36 bytes); longer ones are looked up
/// each time, as are non-ASCII ones (hashed as UTF-16, not as bytes).
const MAX_INLINE: usize = 64;

/// The hash string a rule or experiment hashes this user by.
pub(crate) enum UserHash<'a> {
    /// The memoized `id`.
    Id(&'a HashedId),
    /// Any other attribute, or an `id` the memo does not hold.
    Attribute(Cow<'a, str>),
}

impl UserHash<'_> {
    /// The hash string with whatever FNV state is already known.
    pub(crate) fn input(&self) -> HashInput<'_> {
        match self {
            UserHash::Id(id) => HashInput::ascii_with_state(id.as_bytes(), id.state),
            UserHash::Attribute(value) => HashInput::new(value),
        }
    }
}

/// The `id` of one instance's user, prepared for hashing on first use.
#[derive(Debug, Default)]
pub(crate) struct IdMemo(OnceLock<Option<HashedId>>);

impl IdMemo {
    /// The memoized `id` of `attributes` (the instance's own, which must not
    /// change while this memo lives), or `None` when the `id` is missing, not
    /// hashable, or not memoizable.
    #[inline]
    pub(crate) fn get(&self, attributes: &Value) -> Option<&HashedId> {
        self.0.get_or_init(|| HashedId::of(attributes)).as_ref()
    }
}

/// A user's `id` hash string, copied inline, with its FNV-1a state.
#[derive(Debug)]
pub(crate) struct HashedId {
    state: u32,
    len: u8,
    bytes: [u8; MAX_INLINE],
}

impl HashedId {
    fn of(attributes: &Value) -> Option<HashedId> {
        let id = js::hash_string(attributes.get("id")?)?;
        if !id.is_ascii() || id.len() > MAX_INLINE {
            return None;
        }
        let mut bytes = [0; MAX_INLINE];
        bytes[..id.len()].copy_from_slice(id.as_bytes());
        Some(HashedId {
            state: hash::value_state(&id),
            len: id.len() as u8,
            bytes,
        })
    }

    /// The hash string's bytes, all ASCII.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn memoizes_string_and_number_ids() {
        let memo = IdMemo::default();
        let id = memo.get(&json!({"id": "u-42"})).expect("memoized");
        assert_eq!(id.as_bytes(), b"u-42");
        assert_eq!(id.state, hash::value_state("u-42"));

        let memo = IdMemo::default();
        let id = memo.get(&json!({"id": 1.5})).expect("memoized");
        assert_eq!(id.as_bytes(), b"1.5");
    }

    #[test]
    fn leaves_what_it_cannot_hold_to_the_lookup() {
        for attributes in [
            json!({}),
            json!({"id": ""}),
            json!({"id": 0}),
            json!({"id": null}),
            json!({"id": "é"}),
            json!({"id": "x".repeat(MAX_INLINE + 1)}),
        ] {
            assert!(IdMemo::default().get(&attributes).is_none(), "{attributes}");
        }
        let longest = "x".repeat(MAX_INLINE);
        let memo = IdMemo::default();
        assert_eq!(
            memo.get(&json!({ "id": longest })).map(HashedId::as_bytes),
            Some(longest.as_bytes())
        );
    }
}
