//! Condition pruning and payload reduction for known attributes.
use serde_json::Value;

/// Outcome of pruning.
pub enum Pruned { Pass, Fail, Condition(Value) }
/// Options.
pub struct ReduceOptions;
impl ReduceOptions { pub fn from_json(_: &Value) -> Result<Self, crate::Error> { Ok(ReduceOptions) } }
/// Prune.
pub fn prune_condition(c: &Value, _: &Value, _: &Value) -> Pruned { Pruned::Condition(c.clone()) }
/// Reduce.
pub fn reduce_payload(p: &Value, _: &ReduceOptions) -> Value { p.clone() }
