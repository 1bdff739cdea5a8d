//! Redis-backed stores (cargo feature `redis`): a [`FeatureCache`] that
//! several processes share, so one fetch serves them all, and a
//! [`StickyBucketService`] whose assignments survive restarts and are shared
//! between processes.
//!
//! Both use plain string keys (`growthbook:features:...`,
//! `growthbook:sticky:...`) holding JSON, readable with `redis-cli`. Redis
//! errors never panic: a failed read is a cache miss, a failed write is
//! logged.

use super::{CachedPayload, FeatureCache};
use crate::eval::sticky::{StickyAssignmentsDocument, StickyBucketService};
use redis::Commands;
use std::sync::Mutex;
use std::time::{Duration, UNIX_EPOCH};

/// A Redis connection opened on first use and reopened after an error.
struct Connection {
    client: redis::Client,
    connection: Mutex<Option<redis::Connection>>,
    prefix: String,
}

impl Connection {
    fn open(url: &str, prefix: &str) -> Result<Connection, redis::RedisError> {
        Ok(Connection {
            client: redis::Client::open(url)?,
            connection: Mutex::new(None),
            prefix: prefix.to_owned(),
        })
    }

    fn with<T>(
        &self,
        what: &str,
        f: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Option<T> {
        let mut slot = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            match self
                .client
                .get_connection_with_timeout(Duration::from_secs(2))
            {
                Ok(connection) => {
                    let _ = connection.set_read_timeout(Some(Duration::from_secs(2)));
                    let _ = connection.set_write_timeout(Some(Duration::from_secs(2)));
                    *slot = Some(connection);
                }
                Err(e) => {
                    log::warn!(target: "growthbook", "redis: cannot connect to {what}: {e}");
                    return None;
                }
            }
        }
        let connection = slot.as_mut()?;
        match f(connection) {
            Ok(value) => Some(value),
            Err(e) => {
                log::warn!(target: "growthbook", "redis: {what} failed: {e}");
                *slot = None;
                None
            }
        }
    }
}

/// A [`FeatureCache`] in Redis.
pub struct RedisFeatureCache {
    redis: Connection,
}

impl RedisFeatureCache {
    /// A cache at `url` (`redis://127.0.0.1:6379`), keys under
    /// `growthbook:features:`.
    pub fn new(url: &str) -> Result<RedisFeatureCache, redis::RedisError> {
        Ok(RedisFeatureCache {
            redis: Connection::open(url, "growthbook:features:")?,
        })
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.redis.prefix)
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredPayload {
    body: String,
    etag: Option<String>,
    fetched_at_ms: u64,
}

impl FeatureCache for RedisFeatureCache {
    fn get(&self, key: &str) -> Option<CachedPayload> {
        let key = self.key(key);
        let text: Option<String> = self
            .redis
            .with("reading the feature cache", |c| c.get(&key))?;
        let stored: StoredPayload = serde_json::from_str(&text?).ok()?;
        Some(CachedPayload {
            body: stored.body,
            etag: stored.etag,
            fetched_at: UNIX_EPOCH + Duration::from_millis(stored.fetched_at_ms),
        })
    }

    /// Entries outlive their TTL (ten times over, at least an hour), so that
    /// a process starting while the API host is down still has features.
    fn set(&self, key: &str, payload: &CachedPayload, ttl: Duration) {
        let stored = StoredPayload {
            body: payload.body.clone(),
            etag: payload.etag.clone(),
            fetched_at_ms: payload
                .fetched_at
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64),
        };
        let Ok(text) = serde_json::to_string(&stored) else {
            return;
        };
        // Kept well past the TTL (stale features beat none when the API is
        // down); any TTL works, `Duration::MAX` included.
        let seconds = ttl
            .saturating_mul(10)
            .max(Duration::from_secs(3600))
            .as_secs();
        let key = self.key(key);
        self.redis.with("writing the feature cache", |c| {
            c.set_ex::<_, _, ()>(&key, text, seconds)
        });
    }

    fn clear(&self) {
        let pattern = format!("{}*", self.redis.prefix);
        self.redis.with("clearing the feature cache", |c| {
            let keys: Vec<String> = c.keys(&pattern)?;
            if keys.is_empty() {
                return Ok(());
            }
            c.del::<_, ()>(keys)
        });
    }
}

/// A [`StickyBucketService`] in Redis: one JSON document per user identity
/// under `growthbook:sticky:{attribute}||{value}`.
pub struct RedisStickyBucketService {
    redis: Connection,
}

impl RedisStickyBucketService {
    /// A service at `url` (`redis://127.0.0.1:6379`).
    pub fn new(url: &str) -> Result<RedisStickyBucketService, redis::RedisError> {
        Ok(RedisStickyBucketService {
            redis: Connection::open(url, "growthbook:sticky:")?,
        })
    }
}

impl StickyBucketService for RedisStickyBucketService {
    fn get_assignments(
        &self,
        attribute_name: &str,
        attribute_value: &str,
    ) -> Option<StickyAssignmentsDocument> {
        let key = format!("{}{attribute_name}||{attribute_value}", self.redis.prefix);
        let text: Option<String> = self.redis.with("reading sticky buckets", |c| c.get(&key))?;
        serde_json::from_str(&text?).ok()
    }

    fn save_assignments(&self, doc: &StickyAssignmentsDocument) {
        let key = format!("{}{}", self.redis.prefix, doc.key());
        let Ok(text) = serde_json::to_string(doc) else {
            return;
        };
        self.redis
            .with("saving sticky buckets", |c| c.set::<_, _, ()>(&key, text));
    }
}
