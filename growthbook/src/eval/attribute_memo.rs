//! Where an instance's attributes hold each path's first part.
//!
//! Attributes are a JSON object whose members keep their order, so a
//! member is found by scanning or by hashing its key, and a scan reads every
//! member it passes (over 100 bytes each, a cache line or two). A request
//! evaluates the same paths again and again (a feature's rules test
//! `country` and `plan` one after another), so the instance remembers, per
//! compiled path, the member's position (or that it is absent), and the next
//! lookup reads that one member.

use crate::js;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// Remembered attributes per instance (direct-mapped by attribute id).
const SLOTS: usize = 8;
/// The position meaning "no such member".
const ABSENT: u64 = u32::MAX as u64;

/// Per-instance memo, per attribute id: `(id << 32) | (position + 1)`, or
/// `ABSENT` as the position; 0 when empty.
///
/// A memo belongs to one attributes object: the instance resets it whenever
/// its attributes change, and only its own attributes are looked up
/// through it, so a remembered position is trusted (its key's length is
/// still checked, which costs nothing: it sits next to the value).
#[derive(Debug, Default)]
pub(crate) struct AttributeMemo([AtomicU64; SLOTS]);

impl AttributeMemo {
    /// The member `key` of `attributes` (the instance's own: they must not
    /// change while the memo lives), for the path `path_id`.
    #[inline(always)]
    pub(crate) fn member<'a>(
        &self,
        attributes: &'a Map<String, Value>,
        path_id: u32,
        key: &str,
    ) -> Option<&'a Value> {
        // Id 0 is shared by names past the interner's capacity.
        if path_id == 0 {
            return js::member(attributes, key);
        }
        let slot = &self.0[path_id as usize % SLOTS];
        let packed = slot.load(Ordering::Relaxed);
        if packed >> 32 == u64::from(path_id) {
            let position = packed & u64::from(u32::MAX);
            if position == ABSENT {
                return None;
            }
            if let Some((k, v)) = attributes.iter().nth(position as usize - 1) {
                if k.len() == key.len() {
                    debug_assert_eq!(k, key);
                    return Some(v);
                }
            }
        }
        self.find(slot, attributes, path_id, key)
    }

    /// Finds `key` by scanning, and remembers where.
    #[inline(never)]
    fn find<'a>(
        &self,
        slot: &AtomicU64,
        attributes: &'a Map<String, Value>,
        path_id: u32,
        key: &str,
    ) -> Option<&'a Value> {
        let found = attributes
            .iter()
            .enumerate()
            .find(|(_, (k, _))| js::same_bytes(k.as_bytes(), key.as_bytes()));
        let position = match found {
            Some((i, _)) if (i as u64) < ABSENT - 1 => i as u64 + 1,
            Some(_) => return found.map(|(_, (_, v))| v),
            None => ABSENT,
        };
        slot.store(u64::from(path_id) << 32 | position, Ordering::Relaxed);
        found.map(|(_, (_, v))| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn remembered_positions_and_absences_answer_as_a_lookup_does() {
        let attributes: Map<String, Value> =
            (0..20).map(|i| (format!("attr{i}"), json!(i))).collect();
        let memo = AttributeMemo::default();
        for round in 0..3 {
            for (id, key) in [(1, "attr3"), (2, "attr19"), (17, "missing"), (33, "attr0")] {
                assert_eq!(
                    memo.member(&attributes, id, key),
                    attributes.get(key),
                    "round {round}, {key}"
                );
            }
        }
        // Small objects too, and id 0 (shared) is never remembered.
        let small: Map<String, Value> = (0..3).map(|i| (format!("a{i}"), json!(i))).collect();
        let memo = AttributeMemo::default();
        for _ in 0..3 {
            for (id, key) in [(1, "a2"), (2, "a0"), (0, "a1"), (0, "b"), (9, "b")] {
                assert_eq!(memo.member(&small, id, key), small.get(key), "{key:?}");
            }
        }
    }
}
