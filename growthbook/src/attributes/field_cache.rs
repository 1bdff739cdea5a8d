//! Where a derived attributes struct keeps each attribute: resolved from
//! its name once per struct type, then read by position.

use std::sync::atomic::{AtomicU64, Ordering};

/// Remembered attribute names per struct type (direct-mapped by id).
const SLOTS: usize = 64;
/// The position meaning "no such field".
const ABSENT: u64 = u32::MAX as u64;

/// A per-type cache from attribute ids to field positions, used by
/// `#[derive(Attributes)]` (one `static` per struct). An attribute id is
/// given to every attribute name a payload's conditions use, when they are
/// compiled; the first lookup of an id matches the name against the
/// struct's fields, later ones are a load and a compare.
///
/// Not a public API: generated code uses it.
#[doc(hidden)]
#[derive(Debug)]
pub struct FieldCache([AtomicU64; SLOTS]);

impl FieldCache {
    /// An empty cache.
    #[allow(clippy::new_without_default, clippy::declare_interior_mutable_const)]
    pub const fn new() -> FieldCache {
        const EMPTY: AtomicU64 = AtomicU64::new(0);
        FieldCache([EMPTY; SLOTS])
    }

    /// The position of the field named `name` (whose id is `id`), from the
    /// cache or from `resolve`.
    #[inline]
    pub fn position(
        &self,
        id: u32,
        name: &str,
        resolve: impl FnOnce(&str) -> Option<usize>,
    ) -> Option<usize> {
        let packed = self.0[id as usize % SLOTS].load(Ordering::Relaxed);
        // Id 0 is shared by names past the interner's capacity: never cached.
        if packed >> 32 == u64::from(id) && id != 0 {
            let position = packed & u64::from(u32::MAX);
            return (position != ABSENT).then_some(position as usize);
        }
        self.resolve(id, name, resolve)
    }

    /// The first lookup of an id: out of line, so that the name matching
    /// (a string comparison per field) does not weigh on every lookup's
    /// code (registers saved, a larger function).
    #[cold]
    #[inline(never)]
    fn resolve(
        &self,
        id: u32,
        name: &str,
        resolve: impl FnOnce(&str) -> Option<usize>,
    ) -> Option<usize> {
        let found = resolve(name);
        if id == 0 {
            return found;
        }
        let slot = &self.0[id as usize % SLOTS];
        let position = match found {
            Some(p) if (p as u64) < ABSENT => p as u64,
            Some(_) => return found,
            None => ABSENT,
        };
        slot.store(u64::from(id) << 32 | position, Ordering::Relaxed);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_resolved_once_per_id() {
        let cache = FieldCache::new();
        let fields = ["id", "country", "plan"];
        let resolve = |name: &str| fields.iter().position(|f| *f == name);
        let calls = std::cell::Cell::new(0);
        let counted = |name: &str| {
            calls.set(calls.get() + 1);
            resolve(name)
        };
        assert_eq!(cache.position(7, "plan", counted), Some(2));
        assert_eq!(cache.position(7, "plan", counted), Some(2));
        assert_eq!(cache.position(9, "missing", counted), None);
        assert_eq!(cache.position(9, "missing", counted), None);
        assert_eq!(calls.get(), 2);
        // Ids that share a slot replace each other, and still answer right.
        assert_eq!(cache.position(7 + SLOTS as u32, "id", counted), Some(0));
        assert_eq!(cache.position(7, "plan", counted), Some(2));
        // Id 0 is never cached.
        assert_eq!(cache.position(0, "country", counted), Some(1));
        assert_eq!(cache.position(0, "country", counted), Some(1));
        assert_eq!(calls.get(), 6);
    }
}
