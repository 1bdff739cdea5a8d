//! Where an instance's attributes hold each path's first part.
//!
//! Attributes are a JSON object whose members keep their order, so a
//! member is found by scanning or by hashing its key. A request evaluates
//! the same paths again and again (a feature's rules test `country` and
//! `plan` one after another), so on an object wider than a few members the
//! instance remembers, per compiled path, the member's position (or that it
//! is absent), and the next lookup is a check of one key.

use crate::js;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// Objects up to this size are scanned without the memo (as fast).
const MEMO_FROM: usize = 8;
/// Remembered attributes per instance (direct-mapped by attribute id).
const SLOTS: usize = 8;
/// The position meaning "no such member".
const ABSENT: u64 = u32::MAX as u64;

/// Per-instance memo, per attribute id: `(id << 32) | (position + 1)`, or
/// `ABSENT` as the position; 0 when empty.
#[derive(Debug, Default)]
pub(crate) struct AttributeMemo([AtomicU64; SLOTS]);

impl AttributeMemo {
    /// The member `key` of `attributes` (the instance's own: they must not
    /// change while the memo lives), for the path `path_id`.
    #[inline]
    pub(crate) fn member<'a>(
        &self,
        attributes: &'a Map<String, Value>,
        path_id: u32,
        key: &str,
    ) -> Option<&'a Value> {
        if attributes.len() <= MEMO_FROM {
            return js::member(attributes, key);
        }
        let slot = &self.0[path_id as usize % SLOTS];
        let packed = slot.load(Ordering::Relaxed);
        if packed >> 32 == u64::from(path_id) {
            let position = packed & u64::from(u32::MAX);
            // Id 0 is shared by names past the interner's capacity: its
            // absences are not trusted.
            if position == ABSENT {
                if path_id != 0 {
                    return None;
                }
            } else if position > 0 {
                // Checked, not trusted: a position is only a hint.
                if let Some((k, v)) = attributes.iter().nth(position as usize - 1) {
                    if js::same_bytes(k.as_bytes(), key.as_bytes()) {
                        return Some(v);
                    }
                }
            }
        }
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
        // Another object under the same path id (a stale hint) still
        // answers right when the key is there.
        let other: Map<String, Value> = (0..20)
            .map(|i| (format!("x{i}"), json!(i)))
            .chain([("attr3".to_owned(), json!("other"))])
            .collect();
        assert_eq!(memo.member(&other, 1, "attr3"), Some(&json!("other")));
    }
}
