//! Sticky buckets kept in an asynchronous store (Redis, a database...),
//! without any I/O during evaluation: the user's documents are loaded before
//! the request evaluates anything, and the assignments it makes are saved
//! after (the JS SDK's `getAllAssignments` design).
//!
//! [`FeatureRepository::growthbook_with_sticky_buckets`] does both: it loads
//! the documents of the user's identities in one call to the store, and the
//! instance it builds records new assignments in memory and writes them to
//! the store, in the background, when it is dropped.

use super::{CacheFuture, FeatureRepository};
use crate::eval::sticky::{doc_key, StickyAssignmentsDocument, StickyBucketService};
use crate::GrowthBookBuilder;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A sticky-bucket store reached asynchronously.
pub trait AsyncStickyBucketService: Send + Sync {
    /// The documents of the user's identities (`(attribute name, value)`
    /// pairs), keyed by [`StickyAssignmentsDocument::key`]; missing ones are
    /// left out. Fetch them in one round trip where the store allows.
    fn get_all_assignments<'a>(
        &'a self,
        identities: &'a [(String, String)],
    ) -> CacheFuture<'a, HashMap<String, StickyAssignmentsDocument>>;

    /// Stores (inserts or replaces) a document.
    fn save_assignments<'a>(&'a self, doc: &'a StickyAssignmentsDocument) -> CacheFuture<'a, ()>;
}

/// How long loading a user's documents may take before the request goes on
/// without them (as a user without sticky buckets).
const LOAD_TIMEOUT: Duration = Duration::from_secs(1);

impl FeatureRepository {
    /// A builder for a per-request instance over `attributes` whose sticky
    /// buckets live in `store`: the documents of the user's identities are
    /// loaded first (one call, at most a second: a store that does not
    /// answer makes a request without sticky buckets, not a stuck one), and
    /// the assignments the instance makes are saved to the store in the
    /// background when it is dropped.
    ///
    /// ```no_run
    /// # async fn run(repository: growthbook::remote::FeatureRepository,
    /// #              store: std::sync::Arc<dyn growthbook::remote::AsyncStickyBucketService>) {
    /// let gb = repository
    ///     .growthbook_with_sticky_buckets(serde_json::json!({"id": "user-42"}), store)
    ///     .await
    ///     .build();
    /// let layout: String = gb.get_feature_value("pricing-page-layout", String::new());
    /// # let _ = layout;
    /// # }
    /// ```
    pub async fn growthbook_with_sticky_buckets(
        &self,
        attributes: Value,
        store: Arc<dyn AsyncStickyBucketService>,
    ) -> GrowthBookBuilder {
        let builder = self.growthbook().await;
        let features = self.features().unwrap_or_default();
        let identities = features.sticky_identities(&attributes);
        let loaded = if identities.is_empty() {
            HashMap::new()
        } else {
            match tokio::time::timeout(LOAD_TIMEOUT, store.get_all_assignments(&identities)).await {
                Ok(docs) => docs,
                Err(_) => {
                    log::debug!(target: "growthbook", "the sticky bucket store did not answer in {LOAD_TIMEOUT:?}; evaluating without sticky buckets");
                    HashMap::new()
                }
            }
        };
        let deferred = Deferred {
            pending: Mutex::default(),
            store,
            runtime: tokio::runtime::Handle::try_current().ok(),
        };
        builder
            .attributes(attributes)
            .sticky_bucket_assignment_docs(loaded)
            .sticky_bucket_service(Arc::new(deferred))
    }
}

/// Stands in for the async store while one instance evaluates: the
/// instance holds the documents loaded before (it asks the service only for
/// identities without one), and this keeps what evaluation saves and writes
/// it to the store when the instance (its last user) is dropped.
struct Deferred {
    pending: Mutex<HashMap<String, StickyAssignmentsDocument>>,
    store: Arc<dyn AsyncStickyBucketService>,
    runtime: Option<tokio::runtime::Handle>,
}

impl StickyBucketService for Deferred {
    fn get_assignments(
        &self,
        attribute_name: &str,
        attribute_value: &str,
    ) -> Option<StickyAssignmentsDocument> {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&doc_key(attribute_name, attribute_value))
            .cloned()
    }

    fn save_assignments(&self, doc: &StickyAssignmentsDocument) {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(doc.key(), doc.clone());
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        let pending = std::mem::take(self.pending.get_mut().unwrap_or_else(|e| e.into_inner()));
        if pending.is_empty() {
            return;
        }
        let Some(runtime) = &self.runtime else {
            log::warn!(target: "growthbook", "no tokio runtime: {} sticky bucket documents not saved", pending.len());
            return;
        };
        let store = Arc::clone(&self.store);
        runtime.spawn(async move {
            for doc in pending.values() {
                store.save_assignments(doc).await;
            }
        });
    }
}
