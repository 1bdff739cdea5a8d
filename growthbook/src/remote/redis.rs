//! Redis-backed stores (cargo feature `redis`): a [`FeatureCache`] that
//! several processes share, so one fetch serves them all, and a
//! [`StickyBucketService`] whose assignments survive restarts and are shared
//! between processes.
//!
//! Both use plain string keys (`growthbook:features:...`,
//! `growthbook:sticky:...`) holding JSON, readable with `redis-cli`. Redis
//! errors never panic: a failed read is a cache miss, a failed write is
//! logged.

use super::{CacheFuture, CachedPayload, FeatureCache};
use crate::eval::sticky::{StickyAssignmentsDocument, StickyBucketService};
use redis::Commands;
use std::sync::Mutex;
use std::time::{Duration, Instant, UNIX_EPOCH};

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

/// A multiplexed async Redis connection, opened on first use and
/// reconnected (with backoff) by redis's `ConnectionManager`. Nothing waits
/// on a lock while talking to Redis: the manager is cloned per command.
struct AsyncRedis {
    client: redis::Client,
    manager: tokio::sync::OnceCell<redis::aio::ConnectionManager>,
    /// After a failed first connection, none is tried before this instant.
    retry_after: Mutex<Option<Instant>>,
    prefix: String,
}

/// Every Redis command and connection attempt gives up after this long.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);
/// The wait after a failed first connection before the next attempt.
const REDIS_RECONNECT_BACKOFF: Duration = Duration::from_secs(5);

impl AsyncRedis {
    fn open(url: &str, prefix: &str) -> Result<AsyncRedis, redis::RedisError> {
        Ok(AsyncRedis {
            client: redis::Client::open(url)?,
            manager: tokio::sync::OnceCell::new(),
            retry_after: Mutex::new(None),
            prefix: prefix.to_owned(),
        })
    }

    /// The connection, or `None` while Redis cannot be reached.
    async fn connection(&self) -> Option<redis::aio::ConnectionManager> {
        if let Some(manager) = self.manager.get() {
            return Some(manager.clone());
        }
        {
            let retry_after = self.retry_after.lock().unwrap_or_else(|e| e.into_inner());
            if retry_after.is_some_and(|at| Instant::now() < at) {
                return None;
            }
        }
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(REDIS_TIMEOUT)
            .set_response_timeout(REDIS_TIMEOUT)
            .set_number_of_retries(1)
            .set_max_delay(REDIS_RECONNECT_BACKOFF.as_millis() as u64);
        let client = self.client.clone();
        let connect = self.manager.get_or_try_init(|| async move {
            redis::aio::ConnectionManager::new_with_config(client, config).await
        });
        match tokio::time::timeout(REDIS_TIMEOUT, connect).await {
            Ok(Ok(manager)) => Some(manager.clone()),
            outcome => {
                let why = match outcome {
                    Ok(Err(e)) => e.to_string(),
                    _ => "no answer".to_owned(),
                };
                let mut retry_after = self.retry_after.lock().unwrap_or_else(|e| e.into_inner());
                if retry_after.is_none() {
                    log::warn!(target: "growthbook", "redis: cannot connect ({why}); retrying every {REDIS_RECONNECT_BACKOFF:?}");
                }
                *retry_after = Instant::now().checked_add(REDIS_RECONNECT_BACKOFF);
                None
            }
        }
    }

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
