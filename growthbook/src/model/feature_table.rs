//! Features by key, also addressable by position.

use crate::js::same_bytes;
use crate::model::features::Feature;
use foldhash::fast::RandomState;
use hashbrown::HashTable;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};

/// Features by key, also addressable by position: typed accessors remember
/// a feature's position and skip the hash lookup.
///
/// The index holds positions, not keys, so building it copies no string.
#[derive(Debug)]
pub(crate) struct FeatureTable {
    entries: Vec<(Box<str>, Feature)>,
    /// Positions in `entries`, hashed by their key.
    index: HashTable<u32>,
    hasher: RandomState,
    /// Unique per table (0 for the empty default), so that a remembered
    /// position is only trusted for the table it came from.
    pub(crate) id: u64,
}

impl Default for FeatureTable {
    fn default() -> FeatureTable {
        FeatureTable {
            entries: Vec::new(),
            index: HashTable::new(),
            hasher: RandomState::default(),
            id: 0,
        }
    }
}

impl FeatureTable {
    /// An empty table with room for `capacity` features.
    pub(crate) fn with_capacity(capacity: usize) -> FeatureTable {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        FeatureTable {
            entries: Vec::with_capacity(capacity),
            index: HashTable::with_capacity(capacity),
            hasher: RandomState::default(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Adds a feature; a key seen before is replaced, as the last of
    /// duplicate JSON keys wins.
    pub(crate) fn insert(&mut self, key: String, feature: Feature) {
        let hash = self.hasher.hash_one(key.as_str());
        let entries = &self.entries;
        let found = self
            .index
            .find(hash, |&i| {
                same_bytes(entries_key(entries, i).as_bytes(), key.as_bytes())
            })
            .copied();
        match found {
            Some(i) => self.entries[i as usize] = (key.into_boxed_str(), feature),
            None => {
                let Ok(position) = u32::try_from(self.entries.len()) else {
                    log::warn!(target: "growthbook", "more than {} features; ignoring {key:?}", u32::MAX);
                    return;
                };
                self.entries.push((key.into_boxed_str(), feature));
                let hasher = &self.hasher;
                self.index.insert_unique(hash, position, |&i| {
                    hasher.hash_one(entries_key(&self.entries, i))
                });
            }
        }
    }

    /// Drops the spare capacity left by growing while the features were read
    /// (their number is not known in advance when reading JSON text).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
        let (entries, hasher) = (&self.entries, &self.hasher);
        self.index
            .shrink_to_fit(|&i| hasher.hash_one(entries_key(entries, i)));
    }

    /// Where the feature with this key is. Always inlined into [`Self::get`],
    /// the lookup every evaluation by key makes: a call of its own costs a
    /// tenth of a default-only flag.
    #[inline(always)]
    pub(crate) fn position(&self, key: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(key);
        self.index
            .find(hash, |&i| {
                same_bytes(entries_key(&self.entries, i).as_bytes(), key.as_bytes())
            })
            .map(|&i| i as usize)
    }

    /// The feature with this key, and its position.
    #[inline]
    pub(crate) fn get(&self, key: &str) -> Option<(usize, &str, &Feature)> {
        let i = self.position(key)?;
        let (key, feature) = self.entries.get(i)?;
        Some((i, key, feature))
    }

    /// The feature at `position`.
    #[inline]
    pub(crate) fn at(&self, position: usize) -> Option<(&str, &Feature)> {
        self.entries.get(position).map(|(k, f)| (&**k, f))
    }

    /// Every feature, in the order first added.
    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Feature)> {
        self.entries.iter().map(|(k, f)| (&**k, f))
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

/// The key at position `i` (empty if out of range, which the index never
/// holds).
fn entries_key(entries: &[(Box<str>, Feature)], i: u32) -> &str {
    entries.get(i as usize).map_or("", |(k, _)| &**k)
}

/// A typed accessor's feature key, with where the feature sits in the
/// feature set last used (each accessor has one, in a `static`), so that
/// reading a flag skips the hash lookup. The position is tagged with the
/// feature set's identity and never trusted for another set.
#[derive(Debug)]
pub struct KeySlot {
    key: &'static str,
    /// `(feature set id << 24) | (position + 1)`; 0 when unknown.
    cached: AtomicU64,
}

const POSITION_BITS: u32 = 24;

impl KeySlot {
    /// A slot for the feature `key`.
    pub const fn new(key: &'static str) -> KeySlot {
        KeySlot {
            key,
            cached: AtomicU64::new(0),
        }
    }

    /// The feature key.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The remembered position in the feature set `set_id`.
    #[inline]
    pub(crate) fn position(&self, set_id: u64) -> Option<usize> {
        let packed = self.cached.load(Ordering::Relaxed);
        let position = (packed & ((1 << POSITION_BITS) - 1)) as usize;
        (packed != 0 && packed >> POSITION_BITS == set_id).then(|| position - 1)
    }

    pub(crate) fn remember(&self, set_id: u64, position: usize) {
        let fits = set_id < 1 << (64 - POSITION_BITS) && position + 1 < 1 << POSITION_BITS;
        if fits {
            self.cached.store(
                set_id << POSITION_BITS | (position as u64 + 1),
                Ordering::Relaxed,
            );
        }
    }
}
