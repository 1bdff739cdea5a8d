//! The string a user is hashed by, and the per-instance memo of it.
//!
//! Nearly every rollout and experiment hashes one of a few attributes: `id`
//! (GrowthBook's default `hashAttribute`), and often a `deviceId`,
//! `anonymousId` or `companyId`. Finding the attribute, turning it into its
//! hash string and running FNV-1a over it cost more than the rest of a
//! rollout, and the answer is the same for every flag the instance evaluates.
//! So an instance works it out on first use, for up to [`SLOTS`] attributes,
//! and keeps it until its attributes change.

use crate::attributes::Attributes;
use crate::eval::compare;
use crate::hash::{self, HashInput};
use crate::js;
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// Longest hash string kept inline (a UUID is 36 bytes); longer ones are
/// looked up each time, as are non-ASCII ones (hashed as UTF-16, not as
/// bytes).
const MAX_INLINE: usize = 40;
/// Longest attribute name memoized.
const MAX_NAME: usize = 16;
/// How many hash attributes besides `id` one instance memoizes.
const SLOTS: usize = 2;

/// The hash string a rule or experiment hashes this user by.
pub(crate) enum UserHash<'a> {
    /// A memoized attribute.
    Memoized(&'a HashedValue),
    /// An attribute the memo does not hold.
    Attribute(Cow<'a, str>),
}

impl UserHash<'_> {
    /// The hash string with whatever FNV state is already known.
    #[inline]
    pub(crate) fn input(&self) -> HashInput<'_> {
        match self {
            UserHash::Memoized(value) => HashInput::ascii_with_state(value.as_bytes(), value.state),
            UserHash::Attribute(value) => HashInput::new(value),
        }
    }
}

/// The hash inputs of one instance's user, prepared on second use: an
/// instance made for one request often evaluates a single flag, and filling
/// a slot costs more than one direct lookup does.
#[derive(Debug, Default)]
pub(crate) struct HashMemo {
    /// `id`, GrowthBook's default hash attribute, in a slot of its own:
    /// found without comparing names.
    id: OnceLock<Memo>,
    /// Any other attributes, by name.
    slots: [OnceLock<Memoized>; SLOTS],
    /// Whether a hash input was asked for before.
    used: AtomicBool,
}

/// What one slot holds: an attribute's name and what its value hashes as.
#[derive(Debug)]
struct Memoized {
    name_len: u8,
    name: [u8; MAX_NAME],
    value: Memo,
}

#[derive(Debug)]
enum Memo {
    /// The user has no hashable value for the attribute.
    Absent,
    /// A value the memo cannot hold (too long, not ASCII): looked up each
    /// time.
    Unmemoizable,
    Hashed(HashedValue),
}

/// What the memo knows about one attribute.
pub(crate) enum Lookup<'a> {
    /// The prepared hash input.
    Hashed(&'a HashedValue),
    /// The user has no hashable value for it.
    Absent,
    /// The memo cannot say: look the attribute up.
    Unknown,
}

impl HashMemo {
    /// What `attribute` of `attributes` (the instance's own, which must not
    /// change while this memo lives) hashes as, memoized in the first free
    /// slot on first use.
    #[inline(always)]
    pub(crate) fn get(&self, attributes: &impl Attributes, attribute: &str) -> Lookup<'_> {
        if attribute.as_bytes() == b"id" {
            return match self.id.get() {
                Some(memo) => memo.lookup(),
                None => self.fill_id(attributes),
            };
        }
        // The warm path: a filled slot of this name.
        for slot in &self.slots {
            match slot.get() {
                Some(memo) if js::same_bytes(memo.name(), attribute.as_bytes()) => {
                    return memo.lookup()
                }
                Some(_) => {}
                None => break,
            }
        }
        self.fill(attributes, attribute)
    }

    /// Fills the `id` slot, from its second use on.
    #[cold]
    #[inline(never)]
    fn fill_id(&self, attributes: &impl Attributes) -> Lookup<'_> {
        if self.first_use() {
            return Lookup::Unknown;
        }
        self.id.get_or_init(|| Memo::of(attributes, "id")).lookup()
    }

    /// Fills the first free slot with `attribute`, from its second use on.
    #[cold]
    #[inline(never)]
    fn fill(&self, attributes: &impl Attributes, attribute: &str) -> Lookup<'_> {
        if attribute.len() > MAX_NAME || self.first_use() {
            return Lookup::Unknown;
        }
        for slot in &self.slots {
            let memo = slot.get_or_init(|| Memoized::of(attributes, attribute));
            if js::same_bytes(memo.name(), attribute.as_bytes()) {
                return memo.lookup();
            }
        }
        Lookup::Unknown
    }

    /// Whether this is the memo's first use (which looks up directly and
    /// fills nothing), marking it used.
    fn first_use(&self) -> bool {
        // A load, not a swap: the warm path pays no atomic write.
        if self.used.load(Ordering::Relaxed) {
            return false;
        }
        self.used.store(true, Ordering::Relaxed);
        true
    }
}

impl Memo {
    fn of(attributes: &impl Attributes, attribute: &str) -> Memo {
        match attributes
            .attribute(attribute)
            .and_then(compare::hash_string)
        {
            None => Memo::Absent,
            Some(value) => HashedValue::of(&value).map_or(Memo::Unmemoizable, Memo::Hashed),
        }
    }

    #[inline]
    fn lookup(&self) -> Lookup<'_> {
        match self {
            Memo::Hashed(value) => Lookup::Hashed(value),
            Memo::Absent => Lookup::Absent,
            Memo::Unmemoizable => Lookup::Unknown,
        }
    }
}

impl Memoized {
    fn of(attributes: &impl Attributes, attribute: &str) -> Memoized {
        let mut name = [0; MAX_NAME];
        name[..attribute.len()].copy_from_slice(attribute.as_bytes());
        Memoized {
            name_len: attribute.len() as u8,
            name,
            value: Memo::of(attributes, attribute),
        }
    }

    #[inline]
    fn lookup(&self) -> Lookup<'_> {
        self.value.lookup()
    }

    #[inline]
    fn name(&self) -> &[u8] {
        &self.name[..usize::from(self.name_len)]
    }
}

/// A hash string copied inline, with its FNV-1a state.
#[derive(Debug)]
pub(crate) struct HashedValue {
    state: u32,
    len: u8,
    bytes: [u8; MAX_INLINE],
}

impl HashedValue {
    fn of(value: &str) -> Option<HashedValue> {
        if !value.is_ascii() || value.len() > MAX_INLINE {
            return None;
        }
        let mut bytes = [0; MAX_INLINE];
        bytes[..value.len()].copy_from_slice(value.as_bytes());
        Some(HashedValue {
            state: hash::value_state(value),
            len: value.len() as u8,
            bytes,
        })
    }

    /// The hash string's bytes, all ASCII.
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hashed<'a>(
        memo: &'a HashMemo,
        attributes: &serde_json::Value,
        name: &str,
    ) -> Option<&'a [u8]> {
        match memo.get(attributes, name) {
            Lookup::Hashed(value) => Some(value.as_bytes()),
            _ => None,
        }
    }

    /// A memo past its first use (which is always a direct lookup).
    fn used() -> HashMemo {
        let memo = HashMemo::default();
        assert!(matches!(
            memo.get(&json!({"id": "x"}), "id"),
            Lookup::Unknown
        ));
        memo
    }

    #[test]
    fn memoizes_string_and_number_values_of_any_attribute() {
        let attributes =
            json!({"id": "u-42", "deviceId": 1.5, "companyId": "c-1", "anonymousId": "a"});
        let memo = used();
        assert_eq!(hashed(&memo, &attributes, "id"), Some(&b"u-42"[..]));
        assert_eq!(hashed(&memo, &attributes, "deviceId"), Some(&b"1.5"[..]));
        assert_eq!(hashed(&memo, &attributes, "companyId"), Some(&b"c-1"[..]));
        // Every slot taken: a fourth attribute is looked up each time.
        assert!(matches!(
            memo.get(&attributes, "anonymousId"),
            Lookup::Unknown
        ));
        assert_eq!(hashed(&memo, &attributes, "deviceId"), Some(&b"1.5"[..]));
        // And the memoized ones keep answering.
        assert_eq!(hashed(&memo, &attributes, "id"), Some(&b"u-42"[..]));
        match memo.get(&attributes, "id") {
            Lookup::Hashed(value) => assert_eq!(value.state, hash::value_state("u-42")),
            _ => panic!("memoized"),
        }
    }

    #[test]
    fn absent_and_unmemoizable_values_say_so() {
        for attributes in [
            json!({}),
            json!({"id": ""}),
            json!({"id": 0}),
            json!({"id": null}),
        ] {
            let memo = used();
            assert!(
                matches!(memo.get(&attributes, "id"), Lookup::Absent),
                "{attributes}"
            );
        }
        for attributes in [
            json!({"id": "é"}),
            json!({"id": "x".repeat(MAX_INLINE + 1)}),
        ] {
            let memo = used();
            assert!(
                matches!(memo.get(&attributes, "id"), Lookup::Unknown),
                "{attributes}"
            );
        }
        let longest = "x".repeat(MAX_INLINE);
        let memo = used();
        assert_eq!(
            hashed(&memo, &json!({ "id": longest }), "id"),
            Some(longest.as_bytes())
        );
        let long_name = "a".repeat(MAX_NAME + 1);
        assert!(matches!(
            HashMemo::default().get(&json!({ long_name.clone(): "v" }), &long_name),
            Lookup::Unknown
        ));
    }
}
