//! The cold path: payload text or JSON compiled into the [`crate::model`]
//! once (every `from_json` and `compile_*` lives here).
//!
//! Malformed parts inside a payload are skipped with a warning on the
//! `growthbook` log target, as the spec requires; they never fail the rest.

pub(crate) mod compact;
pub(crate) mod condition;
pub(crate) mod experiment;
pub(crate) mod features;
pub(crate) mod json_tree;
pub(crate) mod payload_de;
pub(crate) mod saved_groups;
pub(crate) mod value_pool;
pub(crate) mod wire;
