//! The compiled, immutable model of a payload: features and their rules,
//! conditions as operator trees, saved groups, experiments, the feature
//! table, and the results evaluation reports.
//!
//! Nothing here parses or evaluates: `compile` builds these types once per
//! payload (the cold path) and `eval` reads them for every flag (the hot
//! path). Both import this module; it imports neither.

pub(crate) mod condition;
pub(crate) mod experiment;
pub(crate) mod feature_table;
pub(crate) mod features;
pub(crate) mod kept_value;
pub(crate) mod result;
pub(crate) mod saved_groups;
pub(crate) mod value_list;

/// Maps looked up by string key on the hot path (saved groups, bandits): a
/// fast hasher.
pub(crate) type FastMap<V> = std::collections::HashMap<String, V, foldhash::fast::RandomState>;
