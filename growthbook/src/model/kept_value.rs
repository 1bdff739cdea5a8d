//! A JSON value a compiled set keeps for as long as it lives (a feature's
//! default, a force rule's value, a condition's literal): one pointer to a
//! copy shared with every equal value of the set (see
//! `compile::value_pool`), rather than a 72-byte `Value` each.

use serde_json::Value;
use std::ops::Deref;
use std::sync::Arc;

/// A kept JSON value, shared. Dereferences to the value.
#[derive(Debug, Clone)]
pub(crate) struct KeptValue(Arc<Value>);

impl KeptValue {
    /// Keeps `value`, shared with an equal value kept before while the same
    /// set compiles.
    pub(crate) fn new(value: Value) -> KeptValue {
        KeptValue(crate::compile::value_pool::keep(value))
    }

    /// [`Self::new`] from a value read for compiling.
    pub(crate) fn from_tree(value: crate::compile::json_tree::JsonTree<'_>) -> KeptValue {
        KeptValue(crate::compile::value_pool::keep_trimmed(value.into_value()))
    }
}

impl Deref for KeptValue {
    type Target = Value;

    #[inline(always)]
    fn deref(&self) -> &Value {
        &self.0
    }
}
