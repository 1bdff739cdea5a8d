//! Sticky bucketing: persisted variation assignments, so a user keeps their
//! variation when targeting or weights change mid-experiment.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

/// The stored assignments of one user identity (`attribute_name` =
/// `attribute_value`), keyed by `"{experiment_key}__{bucket_version}"` with the
/// variation key as value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StickyAssignmentsDocument {
    /// The attribute identifying the user (`id`, `deviceId`, ...).
    pub attribute_name: String,
    /// Its value.
    pub attribute_value: String,
    /// Experiment bucket key -> variation key.
    #[serde(default)]
    pub assignments: BTreeMap<String, String>,
}

impl StickyAssignmentsDocument {
    /// The document's primary key, `"{attribute_name}||{attribute_value}"`.
    pub fn key(&self) -> String {
        doc_key(&self.attribute_name, &self.attribute_value)
    }
}

pub(crate) fn doc_key(attribute_name: &str, attribute_value: &str) -> String {
    format!("{attribute_name}||{attribute_value}")
}

/// Storage for sticky bucket documents (a database, a cache, cookies...).
///
/// Implementations must be cheap to call from request handlers; errors are
/// theirs to log: a failed lookup should return `None`, which simply means
/// "no sticky bucket", and a failed save loses the assignment, never the
/// request.
pub trait StickyBucketService: Send + Sync {
    /// The document for one identity, if stored.
    fn get_assignments(
        &self,
        attribute_name: &str,
        attribute_value: &str,
    ) -> Option<StickyAssignmentsDocument>;

    /// Stores (inserts or replaces) a document.
    fn save_assignments(&self, doc: &StickyAssignmentsDocument);

    /// The documents of several identities at once (`attribute -> value`),
    /// keyed by [`StickyAssignmentsDocument::key`]. Override to batch lookups.
    fn get_all_assignments(
        &self,
        attributes: &HashMap<String, String>,
    ) -> HashMap<String, StickyAssignmentsDocument> {
        attributes
            .iter()
            .filter_map(|(name, value)| self.get_assignments(name, value))
            .map(|doc| (doc.key(), doc))
            .collect()
    }
}

/// A process-local [`StickyBucketService`], for tests and single-process apps.
#[derive(Debug, Default)]
pub struct InMemoryStickyBucketService {
    docs: RwLock<HashMap<String, StickyAssignmentsDocument>>,
}

impl InMemoryStickyBucketService {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every stored document, by key.
    pub fn all(&self) -> HashMap<String, StickyAssignmentsDocument> {
        self.docs.read().map(|d| d.clone()).unwrap_or_default()
    }
}

impl StickyBucketService for InMemoryStickyBucketService {
    fn get_assignments(
        &self,
        attribute_name: &str,
        attribute_value: &str,
    ) -> Option<StickyAssignmentsDocument> {
        let docs = self.docs.read().ok()?;
        docs.get(&doc_key(attribute_name, attribute_value)).cloned()
    }

    fn save_assignments(&self, doc: &StickyAssignmentsDocument) {
        if let Ok(mut docs) = self.docs.write() {
            docs.insert(doc.key(), doc.clone());
        }
    }
}
