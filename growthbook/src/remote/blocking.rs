//! The remote loader for code without an async runtime (cargo feature
//! `blocking`): the same [`super::FeatureRepository`], driven by a small
//! runtime of its own whose one worker thread also runs the background
//! refreshes.

use super::{RemoteError, RemoteOptions};
use crate::{FeatureSet, GrowthBookBuilder};
use std::sync::Arc;
use std::time::Duration;

/// A [`super::FeatureRepository`] with blocking methods. Do not call them
/// from async code (they would block its executor): use the async
/// repository there. Doing so returns an error rather than panicking.
#[derive(Clone)]
pub struct FeatureRepository {
    inner: super::FeatureRepository,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl FeatureRepository {
    /// A repository with the default in-memory cache.
    pub fn new(options: RemoteOptions) -> Result<FeatureRepository, RemoteError> {
        FeatureRepository::with_cache(options, Arc::new(super::InMemoryFeatureCache::new()))
    }

    /// A repository with its own cache.
    pub fn with_cache(
        options: RemoteOptions,
        cache: Arc<dyn super::FeatureCache>,
    ) -> Result<FeatureRepository, RemoteError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("growthbook-remote")
            .enable_all()
            .build()
            .map_err(|e| {
                RemoteError::InvalidOptions(format!("cannot start the loader's runtime: {e}"))
            })?;
        // The HTTP client must be built inside the runtime it will run on.
        let inner = {
            let _entered = runtime.enter();
            super::FeatureRepository::with_cache(options, cache)?
        };
        Ok(FeatureRepository {
            inner,
            runtime: Arc::new(runtime),
        })
    }

    fn block_on<T>(
        &self,
        future: impl std::future::Future<Output = Result<T, RemoteError>>,
    ) -> Result<T, RemoteError> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(RemoteError::InvalidOptions(
                "the blocking FeatureRepository was called from async code; use growthbook::remote::FeatureRepository there"
                    .into(),
            ));
        }
        self.runtime.block_on(future)
    }

    /// The features in force, without any I/O.
    pub fn features(&self) -> Option<Arc<FeatureSet>> {
        self.inner.features()
    }

    /// See [`super::FeatureRepository::load_features`].
    pub fn load_features(&self) -> Result<Arc<FeatureSet>, RemoteError> {
        self.block_on(self.inner.load_features())
    }

    /// See [`super::FeatureRepository::refresh`].
    pub fn refresh(&self) -> Result<Arc<FeatureSet>, RemoteError> {
        self.block_on(self.inner.refresh())
    }

    /// A builder for a per-request instance with the features in force
    /// (loading them first if none are loaded yet).
    pub fn growthbook(&self) -> GrowthBookBuilder {
        match self.block_on(async { Ok(self.inner.growthbook().await) }) {
            Ok(builder) => builder,
            Err(e) => {
                log::warn!(target: "growthbook", "{e}; evaluating without features");
                crate::GrowthBook::builder()
            }
        }
    }

    /// See [`super::FeatureRepository::start_background_sync`].
    pub fn start_background_sync(&self, poll_interval: Duration) -> Result<(), RemoteError> {
        self.block_on(self.inner.start_background_sync(poll_interval))
    }

    /// See [`super::FeatureRepository::subscribe`].
    pub fn subscribe(&self, callback: impl Fn(&Arc<FeatureSet>) + Send + Sync + 'static) {
        self.inner.subscribe(callback);
    }

    /// Stops background work.
    pub fn destroy(&self) {
        self.inner.destroy();
    }
}
