//! Where fetched payloads are kept between fetches, keyed by API host and
//! client key: in process memory by default, or in a store several processes
//! share (Redis, behind the `redis` cargo feature).

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, SystemTime};

/// A payload as fetched: the (decrypted) JSON text and its validator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedPayload {
    /// The payload JSON, decrypted.
    pub body: String,
    /// The `ETag` the server sent with it, for `If-None-Match`.
    pub etag: Option<String>,
    /// When it was fetched (or last confirmed by a `304 Not Modified`).
    pub fetched_at: SystemTime,
}

/// A store of fetched payloads. Implement it to share payloads between
/// processes; `set` receives the TTL so stores with expiry can use it.
pub trait FeatureCache: Send + Sync {
    /// The payload stored under `key`, if any (fresh or not: the repository
    /// decides from `fetched_at`).
    fn get(&self, key: &str) -> Option<CachedPayload>;
    /// Stores a payload.
    fn set(&self, key: &str, payload: &CachedPayload, ttl: Duration);
    /// Forgets every payload.
    fn clear(&self);
}

/// The default [`FeatureCache`]: process memory.
#[derive(Debug, Default)]
pub struct InMemoryFeatureCache {
    entries: RwLock<HashMap<String, CachedPayload>>,
}

impl InMemoryFeatureCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }
}

impl FeatureCache for InMemoryFeatureCache {
    fn get(&self, key: &str) -> Option<CachedPayload> {
        self.entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    fn set(&self, key: &str, payload: &CachedPayload, _ttl: Duration) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_owned(), payload.clone());
    }

    fn clear(&self) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
