//! The hot path: evaluating features and experiments for one user against
//! the compiled [`crate::model`]. Nothing here parses a payload, allocates
//! per flag or blocks on I/O.
//!
//! - [`instance`]: the [`GrowthBook`](instance::GrowthBook) instance and its
//!   public API; [`builder`]: its options.
//! - [`rules`]: a feature's rules in order (JS SDK `evalFeature`).
//! - [`experiment`]: the experiment algorithm (JS SDK `runExperiment`).
//! - [`condition`]: conditions against attributes (JS SDK `evalCondition`);
//!   [`subject`]: what they read (JS `getPath`); [`operand`]: the attribute
//!   values its operators test.
//! - [`redirect`]: URL redirects of auto experiments.
//! - [`sticky`]: sticky-bucket storage and persistence; [`tracking`]: the
//!   callbacks; [`user_hash`]: the memoized hash input of a user.

pub(crate) mod attribute_memo;
pub(crate) mod builder;
pub(crate) mod compare;
pub(crate) mod condition;
pub(crate) mod experiment;
pub(crate) mod instance;
pub(crate) mod operand;
pub(crate) mod redirect;
pub(crate) mod rules;
pub(crate) mod sticky;
pub(crate) mod subject;
pub(crate) mod tracking;
pub(crate) mod user_hash;

use serde_json::Value;

/// The value of an unknown feature or a variation that does not exist.
pub(crate) static NULL: Value = Value::Null;
