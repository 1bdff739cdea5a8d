//! Where fetched payloads are kept between fetches, keyed by API host and
//! client key: in process memory by default, or in a store several processes
//! share (Redis, behind the `redis` cargo feature).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// What [`FeatureCache`] methods return: a boxed future, so that caches stay
/// usable as `Arc<dyn FeatureCache>`. A store without I/O answers with
/// `Box::pin(std::future::ready(...))`.
pub type CacheFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A payload as fetched: the (decrypted) JSON text and its validator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedPayload {
    /// The payload JSON, decrypted (shared: reading a cached payload from
    /// memory copies no text).
    pub body: Arc<str>,
    /// The `ETag` the server sent with it, for `If-None-Match`.
    pub etag: Option<String>,
    /// When it was fetched (or last confirmed by a `304 Not Modified`).
    pub fetched_at: SystemTime,
}

/// A store of fetched payloads. Implement it to share payloads between
/// processes; `set` receives the TTL so stores with expiry can use it.
///
/// The methods are asynchronous, so that a store over the network never
/// blocks an async worker. The repository reads the cache once per load or
/// refresh attempt (never per request) and gives up on a call that takes
/// longer than its fetch timeout (at most 2 s): a store that stalls costs a
/// refresh, not the service. Errors are the store's to log: a failed read is
/// a miss, a failed write is lost.
pub trait FeatureCache: Send + Sync {
    /// The payload stored under `key`, if any (fresh or not: the repository
    /// decides from `fetched_at`).
    fn get<'a>(&'a self, key: &'a str) -> CacheFuture<'a, Option<CachedPayload>>;
    /// Stores a payload.
    fn set<'a>(
        &'a self,
        key: &'a str,
        payload: &'a CachedPayload,
        ttl: Duration,
    ) -> CacheFuture<'a, ()>;
    /// Forgets every payload.
    fn clear(&self) -> CacheFuture<'_, ()>;
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
    fn get<'a>(&'a self, key: &'a str) -> CacheFuture<'a, Option<CachedPayload>> {
        let found = self
            .entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned();
        Box::pin(std::future::ready(found))
    }

    fn set<'a>(
        &'a self,
        key: &'a str,
        payload: &'a CachedPayload,
        _ttl: Duration,
    ) -> CacheFuture<'a, ()> {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_owned(), payload.clone());
        Box::pin(std::future::ready(()))
    }

    fn clear(&self) -> CacheFuture<'_, ()> {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        Box::pin(std::future::ready(()))
    }
}
