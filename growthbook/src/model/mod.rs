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

/// A payload has thousands of rules, conditions and operators, kept as long
/// as the set: these sizes are what a compiled set costs per part (see
/// `growthbook/tests/allocations.rs` for the whole). A larger part should be
/// a choice, not an accident.
#[cfg(test)]
mod sizes {
    use std::mem::size_of;

    #[test]
    fn the_parts_a_payload_has_thousands_of_stay_small() {
        assert!(size_of::<super::features::Feature>() <= 32);
        assert!(size_of::<super::features::Rule>() <= 40);
        assert!(size_of::<super::features::ForceRule>() <= 72);
        assert!(size_of::<super::condition::Cond>() <= 56);
        assert!(size_of::<super::condition::Op>() <= 32);
        assert!(size_of::<super::condition::ValueTest>() <= 16);
        assert!(size_of::<super::kept_value::KeptValue>() <= 8);
        assert!(size_of::<super::experiment::Experiment>() <= 408);
        // 448: +8 for `Experiment::legacy` (inline experiments' `url` and
        // `groups`, boxed so that rules pay one pointer).
        assert!(size_of::<super::features::ExperimentRule>() <= 448);
    }
}
