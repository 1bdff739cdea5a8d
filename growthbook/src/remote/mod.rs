//! Loading features from a GrowthBook API host (cargo feature `remote`).
//!
//! A [`FeatureRepository`] is the process-wide owner of one SDK connection's
//! features: it fetches `{api_host}/api/features/{client_key}`, decrypts it
//! when a decryption key is set, compiles it once, and hands the shared
//! [`FeatureSet`] to every per-request [`GrowthBook`]. Once features are
//! loaded, a request never waits on the network: when the cache TTL expires
//! the stale features are served while one background fetch refreshes them
//! (stale-while-revalidate). A failed fetch never replaces good features.
//!
//! ```no_run
//! # async fn run() -> Result<(), growthbook::remote::RemoteError> {
//! use growthbook::remote::{FeatureRepository, RemoteOptions};
//! use serde_json::json;
//!
//! // Once, at start-up; clone it into request handlers (cheap).
//! let repository = FeatureRepository::new(RemoteOptions::new("sdk-abc123"))?;
//! repository.load_features().await?;
//!
//! // Per request: never waits on the network once features are loaded.
//! let gb = repository
//!     .growthbook()
//!     .await
//!     .attributes(json!({"id": "123"}))
//!     .build();
//! if gb.is_on("my-feature") {
//!     // ...
//! }
//! # Ok(())
//! # }
//! ```

#[cfg(feature = "blocking")]
pub mod blocking;
mod cache;
mod error;
mod fetch;
mod health;
mod options;
#[cfg(feature = "redis")]
mod redis;
mod sse;
mod sticky;
mod stream;

pub use self::cache::{CacheFuture, CachedPayload, FeatureCache, InMemoryFeatureCache};
pub use self::error::RemoteError;
pub use self::options::RemoteOptions;
#[cfg(feature = "redis")]
pub use self::redis::{RedisFeatureCache, RedisStickyBucketService};
pub use self::sticky::AsyncStickyBucketService;

use crate::{FeatureSet, GrowthBook, GrowthBookBuilder};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// The features of one SDK connection, loaded and shared (see the module
/// docs). Cloning is cheap; clones share everything.
#[derive(Clone)]
pub struct FeatureRepository {
    inner: Arc<Inner>,
}

struct Inner {
    options: RemoteOptions,
    client: reqwest::Client,
    /// For the update stream: no overall timeout, only on connecting.
    stream_client: reqwest::Client,
    cache: Arc<dyn FeatureCache>,
    loaded: RwLock<Loaded>,
    /// One fetch at a time.
    fetching: tokio::sync::Mutex<()>,
    /// Recent failures and the backoff they impose.
    health: health::Health,
    /// A background refresh is under way.
    refreshing: AtomicBool,
    /// Called when new features are loaded.
    subscribers: RwLock<Vec<Subscriber>>,
    /// Dropped (or set) to stop background work.
    stop: tokio::sync::watch::Sender<bool>,
}

type Subscriber = Arc<dyn Fn(&Arc<FeatureSet>) + Send + Sync>;

/// What is in force.
#[derive(Default)]
struct Loaded {
    features: Option<Arc<FeatureSet>>,
    etag: Option<String>,
    fetched_at: Option<SystemTime>,
    /// The server sent `x-sse-support: enabled`.
    sse_supported: bool,
}

impl FeatureRepository {
    /// A repository with the default in-memory cache.
    pub fn new(options: RemoteOptions) -> Result<FeatureRepository, RemoteError> {
        FeatureRepository::with_cache(options, Arc::new(InMemoryFeatureCache::new()))
    }

    /// A repository with its own cache (shared between processes, say).
    pub fn with_cache(
        options: RemoteOptions,
        cache: Arc<dyn FeatureCache>,
    ) -> Result<FeatureRepository, RemoteError> {
        if options.client_key.trim().is_empty() {
            return Err(RemoteError::InvalidOptions(
                "the client key is empty".into(),
            ));
        }
        if !(options.api_host.starts_with("http://") || options.api_host.starts_with("https://")) {
            return Err(RemoteError::InvalidOptions(format!(
                "the API host {:?} must start with http:// or https://",
                options.api_host
            )));
        }
        for (name, value) in [
            ("timeout", options.timeout),
            ("stream_retry", options.stream_retry),
            ("stream_idle_timeout", options.stream_idle_timeout),
        ] {
            if value.is_zero() {
                return Err(RemoteError::InvalidOptions(format!(
                    "`{name}` must be more than zero (any larger value works, Duration::MAX included)"
                )));
            }
        }
        if options.max_payload_bytes == 0 {
            return Err(RemoteError::InvalidOptions(
                "`max_payload_bytes` must be more than zero".into(),
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .build()
            .map_err(|e| {
                RemoteError::InvalidOptions(format!("cannot build the HTTP client: {e}"))
            })?;
        let stream_client = reqwest::Client::builder()
            .connect_timeout(options.timeout)
            .build()
            .map_err(|e| {
                RemoteError::InvalidOptions(format!("cannot build the HTTP client: {e}"))
            })?;
        Ok(FeatureRepository {
            inner: Arc::new(Inner {
                options,
                client,
                stream_client,
                cache,
                loaded: RwLock::new(Loaded::default()),
                fetching: tokio::sync::Mutex::new(()),
                health: health::Health::default(),
                refreshing: AtomicBool::new(false),
                subscribers: RwLock::new(Vec::new()),
                stop: tokio::sync::watch::channel(false).0,
            }),
        })
    }

    /// The options.
    pub fn options(&self) -> &RemoteOptions {
        &self.inner.options
    }

    /// Why the latest attempt to load features failed, if it did (`None`
    /// once one succeeds): what a readiness probe or an OpenFeature
    /// provider's status reports.
    pub fn last_error(&self) -> Option<String> {
        self.inner.health.last_error()
    }

    /// The features in force, without any I/O (`None` before the first load).
    pub fn features(&self) -> Option<Arc<FeatureSet>> {
        self.inner.read().features.clone()
    }

    /// A builder for a per-request instance with the features in force,
    /// loading them first if none are loaded yet (a failed first load gives
    /// an instance without features, and is logged).
    pub async fn growthbook(&self) -> GrowthBookBuilder {
        let features = match self.load_features().await {
            Ok(features) => features,
            Err(e) => {
                log::warn!(target: "growthbook", "{e}; evaluating without features");
                Arc::new(FeatureSet::default())
            }
        };
        GrowthBook::builder().features(features)
    }

    /// The features, loading them when needed: fresh features are returned
    /// at once; stale ones are returned at once too while a background task
    /// refreshes them; only the first load waits for the network.
    pub async fn load_features(&self) -> Result<Arc<FeatureSet>, RemoteError> {
        let (features, fresh) = {
            let loaded = self.inner.read();
            (
                loaded.features.clone(),
                self.inner.is_fresh(loaded.fetched_at),
            )
        };
        match features {
            Some(features) if fresh => Ok(features),
            // Stale: served as is; one background refresh (which also looks
            // at the shared cache, once) brings newer ones.
            Some(features) => {
                self.refresh_in_background();
                Ok(features)
            }
            None => match self.inner.adopt_cached(false).await? {
                Some(from_cache) if self.inner.is_fresh(self.inner.read().fetched_at) => {
                    Ok(from_cache)
                }
                Some(stale) => {
                    self.refresh_in_background();
                    Ok(stale)
                }
                None => self.inner.attempt(true).await,
            },
        }
    }

    /// Fetches now (one fetch at a time), even if the features are fresh or
    /// the repository is backing off after failures. On any failure the
    /// features in force stay, and the error is returned.
    pub async fn refresh(&self) -> Result<Arc<FeatureSet>, RemoteError> {
        self.inner.attempt(false).await
    }

    /// Calls `callback` with the new features each time a fetch (or another
    /// process, through a shared cache) brings changed ones.
    pub fn subscribe(&self, callback: impl Fn(&Arc<FeatureSet>) + Send + Sync + 'static) {
        self.inner
            .subscribers
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::new(callback));
    }

    /// Refreshes the features every `interval` in the background (errors are
    /// logged; the features in force stay), until [`Self::destroy`] or until
    /// the last clone of the repository is dropped.
    pub fn start_polling(&self, interval: Duration) {
        let weak = Arc::downgrade(&self.inner);
        let mut stop = self.inner.stop.subscribe();
        spawn("polling", async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(interval) => {}
                    // Set by `destroy`, or closed when the repository is gone.
                    _ = stop.changed() => return,
                }
                let Some(inner) = weak.upgrade() else { return };
                // Failures are logged once per change of state; while
                // backing off, a tick is skipped.
                let _ = inner.attempt(true).await;
            }
        });
    }

    /// Keeps the features current in the background: through the server's
    /// update stream when it advertises one (`x-sse-support: enabled` on the
    /// features response), otherwise by polling every `poll_interval`. Loads
    /// the features first if needed.
    pub async fn start_background_sync(&self, poll_interval: Duration) -> Result<(), RemoteError> {
        self.load_features().await?;
        if self.inner.read().sse_supported {
            self.start_streaming();
        } else {
            self.start_polling(poll_interval);
        }
        Ok(())
    }

    /// Applies each `features` event of the server-sent event stream at
    /// `{api_host}/sub/{client_key}`, reconnecting with backoff when the
    /// stream breaks, until [`Self::destroy`] or the last clone is dropped.
    pub fn start_streaming(&self) {
        let weak = Arc::downgrade(&self.inner);
        let mut stop = self.inner.stop.subscribe();
        let first_retry = self.inner.options.stream_retry;
        let url = self
            .inner
            .options
            .redacted_url()
            .replace("/api/features/", "/sub/");
        spawn("the update stream", async move {
            let mut retry = first_retry;
            let mut resume = stream::Resume::default();
            // Logs the first failure and the recovery, not every attempt.
            let health = health::Health::default();
            loop {
                // Set by `destroy`, or closed when the last clone is dropped:
                // either ends the connection.
                let outcome = tokio::select! {
                    outcome = stream::follow(&weak, &mut resume) => outcome,
                    _ = stop.changed() => return,
                };
                if weak.strong_count() == 0 {
                    return;
                }
                // The server's `retry:` replaces the configured first delay.
                let base = resume.retry.unwrap_or(first_retry);
                match outcome {
                    // A stream that delivered events restarts the backoff.
                    Ok(true) => {
                        health.succeeded(&url);
                        retry = base;
                    }
                    Ok(false) => retry = retry.max(base),
                    Err(e) => {
                        health.failed(&e);
                    }
                }
                tokio::select! {
                    _ = tokio::time::sleep(retry) => {}
                    _ = stop.changed() => return,
                }
                retry = retry
                    .saturating_mul(2)
                    .min(Duration::from_secs(60))
                    .max(base);
            }
        });
    }

    /// Stops background work (polling, streaming); the features in force
    /// stay usable.
    pub fn destroy(&self) {
        self.inner.stop.send_replace(true);
    }

    /// Starts one refresh in the background, unless one is under way or
    /// the repository is backing off after failures (failures are logged
    /// once per change of state, by `health`).
    fn refresh_in_background(&self) {
        if self.inner.health.may_attempt().is_err()
            || self.inner.refreshing.swap(true, Ordering::AcqRel)
        {
            return;
        }
        let repository = self.clone();
        let started = spawn("a background refresh", async move {
            let inner = &repository.inner;
            // Another process may have refreshed the shared cache.
            let adopted = matches!(inner.adopt_cached(true).await, Ok(Some(_)));
            if !adopted {
                let _ = inner.attempt(true).await;
            }
            inner.refreshing.store(false, Ordering::Release);
        });
        if !started {
            self.inner.refreshing.store(false, Ordering::Release);
        }
    }
}

impl Inner {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Loaded> {
        self.loaded.read().unwrap_or_else(|e| e.into_inner())
    }

    fn notify(&self, features: &Arc<FeatureSet>) {
        let subscribers = self
            .subscribers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for subscriber in subscribers {
            subscriber(features);
        }
    }

    fn is_fresh(&self, fetched_at: Option<SystemTime>) -> bool {
        fetched_at
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age < self.options.cache_ttl)
    }

    /// Takes the shared cache's payload when it is newer than what is in
    /// force (and, with `only_fresh`, still fresh).
    async fn adopt_cached(&self, only_fresh: bool) -> Result<Option<Arc<FeatureSet>>, RemoteError> {
        let Some(cached) = self.cache_get().await else {
            return Ok(None);
        };
        let newer = match self.read().fetched_at {
            None => true,
            Some(at) => at < cached.fetched_at,
        };
        if !newer || (only_fresh && !self.is_fresh(Some(cached.fetched_at))) {
            return Ok(None);
        }
        let features = Arc::new(self.compile(&cached.body)?);
        let mut loaded = self.loaded.write().unwrap_or_else(|e| e.into_inner());
        loaded.features = Some(Arc::clone(&features));
        loaded.etag = cached.etag;
        loaded.fetched_at = Some(cached.fetched_at);
        drop(loaded);
        self.notify(&features);
        Ok(Some(features))
    }

    /// How long a cache call may take before it counts as a miss.
    fn cache_timeout(&self) -> Duration {
        self.options.timeout.min(Duration::from_secs(2))
    }

    /// The cached payload, or `None` on a miss or a cache that did not
    /// answer in time.
    async fn cache_get(&self) -> Option<CachedPayload> {
        let key = self.options.cache_key();
        match tokio::time::timeout(self.cache_timeout(), self.cache.get(&key)).await {
            Ok(found) => found,
            Err(_) => {
                log::debug!(target: "growthbook", "the feature cache did not answer in {:?}; treated as a miss", self.cache_timeout());
                None
            }
        }
    }

    /// Stores a payload: the write runs as its own task, and the load waits
    /// for it at most the cache timeout (a stalled cache delays a load that
    /// long, once, and never blocks a worker).
    async fn cache_set(&self, payload: &CachedPayload) {
        let (cache, key, payload) = (
            Arc::clone(&self.cache),
            self.options.cache_key(),
            payload.clone(),
        );
        let ttl = self.options.cache_ttl;
        let write = tokio::spawn(async move { cache.set(&key, &payload, ttl).await });
        let timeout = self.cache_timeout();
        if tokio::time::timeout(timeout, write).await.is_err() {
            log::debug!(target: "growthbook", "the feature cache did not store the payload in {timeout:?}; the write goes on in the background");
        }
    }

    /// One fetch at a time, recorded in `health`; with `respect_backoff`,
    /// none while backing off after failures.
    async fn attempt(&self, respect_backoff: bool) -> Result<Arc<FeatureSet>, RemoteError> {
        let _one_at_a_time = self.fetching.lock().await;
        let url = self.options.redacted_url();
        if respect_backoff {
            if let Err(waiting) = self.health.may_attempt() {
                return Err(RemoteError::BackingOff {
                    url,
                    retry_in: waiting.retry_in,
                    last_error: waiting.last_error,
                });
            }
        }
        match self.fetch().await {
            Ok(features) => {
                self.health.succeeded(&url);
                Ok(features)
            }
            Err(error) => {
                self.health.failed(&error);
                Err(error)
            }
        }
    }
}

/// Starts background work on the current tokio runtime; outside one, logs
/// why nothing started (rather than panicking) and returns `false`.
fn spawn(what: &str, work: impl std::future::Future<Output = ()> + Send + 'static) -> bool {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => {
            runtime.spawn(work);
            true
        }
        Err(_) => {
            log::warn!(target: "growthbook", "no tokio runtime here: {what} not started (use remote::blocking outside async code)");
            false
        }
    }
}
