//! Sticky bucketing: persisted variation assignments, so a user keeps their
//! variation when targeting or weights change mid-experiment.

use crate::attributes::Attributes;
use crate::eval::compare;
use crate::eval::instance::{GrowthBook, State};
use crate::model::experiment::Experiment;
use crate::model::result::ExperimentResult;
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
    /// The user's value of that attribute, as hashed (`String(value)` in JS).
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
    pub(crate) docs: RwLock<HashMap<String, StickyAssignmentsDocument>>,
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

impl crate::FeatureSet {
    /// The `(attribute, hash value)` identities whose sticky documents a
    /// user with `attributes` may need: every attribute an experiment of the
    /// set buckets on (or falls back to) that the user has.
    pub(crate) fn sticky_identities(
        &self,
        attributes: &(impl Attributes + ?Sized),
    ) -> Vec<(String, String)> {
        self.sticky_attributes
            .iter()
            .filter_map(|attribute| {
                let value = compare::hash_string(attributes.attribute(attribute)?)?;
                Some((attribute.clone(), value.into_owned()))
            })
            .collect()
    }
}

// -- Persistence: documents loaded on first use, saved after assignment --

impl<A: crate::attributes::Attributes> GrowthBook<A> {
    /// The sticky bucket documents for this user's identities, loading any
    /// not yet loaded from the sticky bucket service.
    pub fn sticky_bucket_assignment_docs(&self) -> HashMap<String, StickyAssignmentsDocument> {
        for (attribute, value) in self.shared.features.sticky_identities(&self.attributes) {
            let mut state = self.lock();
            self.load_sticky_doc(&mut state, &attribute, &value);
        }
        self.lock().sticky_docs.clone()
    }

    pub(crate) fn load_sticky_doc(&self, state: &mut State, attribute: &str, value: &str) {
        let key = doc_key(attribute, value);
        if state.sticky_loaded.contains(&key) {
            return;
        }
        state.sticky_loaded.insert(key.clone());
        if let Some(service) = &self.shared.options.sticky_bucket_service {
            if let Some(doc) = service.get_assignments(attribute, value) {
                state.sticky_docs.insert(key, doc);
            }
        }
    }

    /// The merged assignments of the user's primary and fallback identities
    /// (the primary wins). As in JS `getStickyBucketAssignments`, both
    /// default to `id`: an experiment hashed on `email` without a
    /// `fallbackAttribute` still finds assignments stored under the `id`.
    pub(crate) fn sticky_assignments(&self, exp: &Experiment) -> HashMap<String, String> {
        let mut merged = HashMap::new();
        let mut state = self.lock();
        // The fallback identity defaults to `id`, whose document JS reads
        // only when it is in memory: loaded because some rule of the
        // payload buckets on `id`, or given to the builder.
        let fallback = exp.fallback_attribute.as_deref();
        let load_id = self
            .shared
            .features
            .sticky_attributes
            .iter()
            .any(|a| a == "id");
        let identities = [
            (exp.hash_attribute.as_deref().unwrap_or("id"), true),
            (fallback.unwrap_or("id"), fallback.is_some() || load_id),
        ];
        let mut keys = Vec::new();
        for (attribute, load) in identities {
            if let Some(value) = self
                .attributes
                .attribute(attribute)
                .and_then(compare::hash_string)
            {
                if load {
                    self.load_sticky_doc(&mut state, attribute, &value);
                }
                keys.push(doc_key(attribute, &value));
            }
        }
        // Fallback first, so that the primary identity overrides it.
        for key in keys.iter().rev() {
            if let Some(doc) = state.sticky_docs.get(key) {
                merged.extend(doc.assignments.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        merged
    }

    pub(crate) fn sticky_bucket_variation(&self, exp: &Experiment) -> StickyLookup {
        let assignments = self.sticky_assignments(exp);
        let min_version = exp.min_bucket_version.unwrap_or(0);
        for v in 0..min_version.max(0) {
            if assignments.contains_key(&sticky_key(&exp.key, v)) {
                return StickyLookup::Blocked;
            }
        }
        let Some(variation_key) =
            assignments.get(&sticky_key(&exp.key, exp.bucket_version.unwrap_or(0)))
        else {
            return StickyLookup::None;
        };
        let index = exp
            .meta
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .position(|m| m.raw_key() == Some(variation_key.as_str()));
        match index {
            Some(i) => StickyLookup::Found(i),
            None => StickyLookup::None,
        }
    }

    pub(crate) fn save_sticky_bucket(&self, exp: &Experiment, result: &ExperimentResult<'_>) {
        let Some(service) = &self.shared.options.sticky_bucket_service else {
            return;
        };
        let attribute_value = compare::hash_string(result.hash_value.view())
            .unwrap_or_default()
            .into_owned();
        let key = doc_key(&result.hash_attribute, &attribute_value);
        let bucket_key = sticky_key(&exp.key, exp.bucket_version.unwrap_or(0));
        let doc = {
            let mut state = self.lock();
            let doc = state
                .sticky_docs
                .entry(key)
                .or_insert_with(|| StickyAssignmentsDocument {
                    attribute_name: result.hash_attribute.to_string(),
                    attribute_value,
                    assignments: Default::default(),
                });
            if doc.assignments.get(&bucket_key).map(String::as_str) == Some(&*result.key) {
                return;
            }
            doc.assignments.insert(bucket_key, result.key.to_string());
            doc.clone()
        };
        service.save_assignments(&doc);
    }
}

pub(crate) fn sticky_key(experiment_key: &str, bucket_version: i64) -> String {
    format!("{experiment_key}__{bucket_version}")
}

pub(crate) enum StickyLookup {
    Found(usize),
    Blocked,
    None,
}
