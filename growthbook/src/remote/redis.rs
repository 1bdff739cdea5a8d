//! Redis-backed stores (cargo feature `redis`): a [`FeatureCache`] that
//! several processes share, so one fetch serves them all, and an
//! [`AsyncStickyBucketService`] whose assignments survive restarts and are
//! shared between processes. Both talk to Redis asynchronously, with
//! timeouts: a Redis that stalls or goes away costs misses, never a blocked
//! worker.
//!
//! Both use plain string keys (`growthbook:features:...`,
//! `growthbook:sticky:...`) holding JSON, readable with `redis-cli`. Redis
//! errors never panic: a failed read is a cache miss, a failed write is
//! logged.

use super::{AsyncStickyBucketService, CacheFuture, CachedPayload, FeatureCache};
use crate::eval::sticky::StickyAssignmentsDocument;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

/// A multiplexed async Redis connection, opened on first use and
/// reconnected (with backoff) by redis's `ConnectionManager`. Nothing waits
/// on a lock while talking to Redis: the manager is cloned per command.
///
/// Only the first connection attempt can make a caller wait (up to
/// [`REDIS_TIMEOUT`]); while it runs, and after it failed, callers get
/// `None` at once, and later attempts run in the background every
/// [`REDIS_RECONNECT_BACKOFF`], so a Redis that stalls costs misses, not
/// a request that waits for a connection every few seconds.
struct AsyncRedis {
    connector: Arc<Connector>,
    prefix: String,
}

/// The connection and the attempts to make it (shared with background
/// attempts).
struct Connector {
    client: redis::Client,
    manager: tokio::sync::OnceCell<redis::aio::ConnectionManager>,
    /// No attempt starts before this instant (`None`: none was made yet).
    retry_after: Mutex<Option<Instant>>,
    /// Whether a failure was logged (once, not every attempt).
    warned: AtomicBool,
}

/// Every Redis command and connection attempt gives up after this long.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);
/// The wait after a failed first connection before the next attempt.
const REDIS_RECONNECT_BACKOFF: Duration = Duration::from_secs(5);

impl AsyncRedis {
    fn open(url: &str, prefix: &str) -> Result<AsyncRedis, redis::RedisError> {
        Ok(AsyncRedis {
            connector: Arc::new(Connector {
                client: redis::Client::open(url)?,
                manager: tokio::sync::OnceCell::new(),
                retry_after: Mutex::new(None),
                warned: AtomicBool::new(false),
            }),
            prefix: prefix.to_owned(),
        })
    }

    /// The connection, or `None` while Redis cannot be reached.
    async fn connection(&self) -> Option<redis::aio::ConnectionManager> {
        let connector = &self.connector;
        if let Some(manager) = connector.manager.get() {
            return Some(manager.clone());
        }
        let first = {
            let mut retry_after = connector
                .retry_after
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            if retry_after.is_some_and(|at| now < at) {
                return None;
            }
            // Claimed: nobody else attempts before this one is over.
            let first = retry_after.is_none();
            *retry_after = now.checked_add(REDIS_RECONNECT_BACKOFF);
            first
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) if !first => {
                let connector = Arc::clone(connector);
                runtime.spawn(async move { connector.connect().await });
                None
            }
            _ => connector.connect().await,
        }
    }
}

impl Connector {
    /// One connection attempt; on failure, the next is due after the backoff.
    async fn connect(&self) -> Option<redis::aio::ConnectionManager> {
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(REDIS_TIMEOUT)
            .set_response_timeout(REDIS_TIMEOUT)
            .set_number_of_retries(1)
            .set_max_delay(REDIS_RECONNECT_BACKOFF.as_millis() as u64);
        let client = self.client.clone();
        let connect = self.manager.get_or_try_init(|| async move {
            redis::aio::ConnectionManager::new_with_config(client, config).await
        });
        let outcome = tokio::time::timeout(REDIS_TIMEOUT, connect).await;
        let why = match outcome {
            Ok(Ok(manager)) => return Some(manager.clone()),
            Ok(Err(e)) => e.to_string(),
            Err(_) => "no answer".to_owned(),
        };
        if !self.warned.swap(true, Ordering::Relaxed) {
            log::warn!(target: "growthbook", "redis: cannot connect ({why}); retrying every {REDIS_RECONNECT_BACKOFF:?}");
        }
        let mut retry_after = self.retry_after.lock().unwrap_or_else(|e| e.into_inner());
        *retry_after = Instant::now().checked_add(REDIS_RECONNECT_BACKOFF);
        None
    }
}

impl AsyncRedis {
    /// Runs one command; `None` (logged at debug level) when Redis cannot
    /// be reached or does not answer in time.
    async fn run<T: redis::FromRedisValue>(&self, what: &str, command: redis::Cmd) -> Option<T> {
        let mut connection = self.connection().await?;
        match tokio::time::timeout(REDIS_TIMEOUT, command.query_async(&mut connection)).await {
            Ok(Ok(value)) => Some(value),
            Ok(Err(e)) => {
                log::debug!(target: "growthbook", "redis: {what} failed: {e}");
                None
            }
            Err(_) => {
                log::debug!(target: "growthbook", "redis: {what} got no answer in {REDIS_TIMEOUT:?}");
                None
            }
        }
    }
}

/// A [`FeatureCache`] in Redis, through an async connection: a Redis that
/// stalls or goes away costs a cache miss, never a blocked worker.
pub struct RedisFeatureCache {
    redis: AsyncRedis,
}

impl RedisFeatureCache {
    /// A cache at `url` (`redis://127.0.0.1:6379`), keys under
    /// `growthbook:features:`. Connects on first use.
    pub fn new(url: &str) -> Result<RedisFeatureCache, redis::RedisError> {
        Ok(RedisFeatureCache {
            redis: AsyncRedis::open(url, "growthbook:features:")?,
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
    fn get<'a>(&'a self, key: &'a str) -> CacheFuture<'a, Option<CachedPayload>> {
        Box::pin(async move {
            let text: Option<String> = self
                .redis
                .run(
                    "reading the feature cache",
                    redis::cmd("GET").arg(self.key(key)).clone(),
                )
                .await?;
            let stored: StoredPayload = serde_json::from_str(&text?).ok()?;
            Some(CachedPayload {
                body: stored.body.into(),
                etag: stored.etag,
                fetched_at: UNIX_EPOCH + Duration::from_millis(stored.fetched_at_ms),
            })
        })
    }

    fn set<'a>(
        &'a self,
        key: &'a str,
        payload: &'a CachedPayload,
        ttl: Duration,
    ) -> CacheFuture<'a, ()> {
        Box::pin(async move {
            let stored = StoredPayload {
                body: payload.body.to_string(),
                etag: payload.etag.clone(),
                fetched_at_ms: payload
                    .fetched_at
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis() as u64),
            };
            let Ok(text) = serde_json::to_string(&stored) else {
                return;
            };
            // Kept well past the TTL (stale features beat none when the API
            // is down); any TTL works, `Duration::MAX` included.
            let seconds = ttl
                .saturating_mul(10)
                .max(Duration::from_secs(3600))
                .as_secs();
            let command = redis::cmd("SET")
                .arg(self.key(key))
                .arg(text)
                .arg("EX")
                .arg(seconds)
                .clone();
            self.redis
                .run::<()>("writing the feature cache", command)
                .await;
        })
    }

    fn clear(&self) -> CacheFuture<'_, ()> {
        Box::pin(async move {
            let pattern = format!("{}*", self.redis.prefix);
            let keys: Vec<String> = self
                .redis
                .run(
                    "listing the feature cache",
                    redis::cmd("KEYS").arg(pattern).clone(),
                )
                .await
                .unwrap_or_default();
            if !keys.is_empty() {
                self.redis
                    .run::<()>(
                        "clearing the feature cache",
                        redis::cmd("DEL").arg(keys).clone(),
                    )
                    .await;
            }
        })
    }
}

/// Sticky buckets in Redis: one JSON document per user identity under
/// `growthbook:sticky:{attribute}||{value}`, shared by processes and kept
/// across restarts. Use it through
/// [`FeatureRepository::growthbook_with_sticky_buckets`](super::FeatureRepository::growthbook_with_sticky_buckets),
/// which loads a user's documents (one `MGET`) before evaluation and saves
/// new assignments after.
pub struct RedisStickyBucketService {
    redis: AsyncRedis,
}

impl RedisStickyBucketService {
    /// A service at `url` (`redis://127.0.0.1:6379`). Connects on first use.
    pub fn new(url: &str) -> Result<RedisStickyBucketService, redis::RedisError> {
        Ok(RedisStickyBucketService {
            redis: AsyncRedis::open(url, "growthbook:sticky:")?,
        })
    }
}

impl AsyncStickyBucketService for RedisStickyBucketService {
    fn get_all_assignments<'a>(
        &'a self,
        identities: &'a [(String, String)],
    ) -> CacheFuture<'a, HashMap<String, StickyAssignmentsDocument>> {
        Box::pin(async move {
            if identities.is_empty() {
                return HashMap::new();
            }
            let mut command = redis::cmd("MGET");
            for (name, value) in identities {
                command.arg(format!("{}{name}||{value}", self.redis.prefix));
            }
            let texts: Vec<Option<String>> = self
                .redis
                .run("reading sticky buckets", command)
                .await
                .unwrap_or_default();
            texts
                .into_iter()
                .flatten()
                .filter_map(|text| serde_json::from_str::<StickyAssignmentsDocument>(&text).ok())
                .map(|doc| (doc.key(), doc))
                .collect()
        })
    }

    fn save_assignments<'a>(&'a self, doc: &'a StickyAssignmentsDocument) -> CacheFuture<'a, ()> {
        Box::pin(async move {
            let Ok(text) = serde_json::to_string(doc) else {
                return;
            };
            let command = redis::cmd("SET")
                .arg(format!("{}{}", self.redis.prefix, doc.key()))
                .arg(text)
                .clone();
            self.redis.run::<()>("saving sticky buckets", command).await;
        })
    }
}
