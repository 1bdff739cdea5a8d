//! Condition pruning: simplifying a condition for the attributes already known
//! (the spec's `pruneCondition`).
//!
//! A server that knows some of a user's attributes can decide the parts of a
//! condition that depend only on them, and send the client a smaller condition
//! that reveals nothing about other users' targeting. Pruning is conservative:
//! whatever the client SDK could evaluate differently (unknown operators,
//! saved groups of unknown types, malformed parts) is left as written.

use crate::compile::condition::compile_entry;
use crate::compile::json_tree::JsonTree;
use crate::eval::condition::EvalContext;
use crate::eval::subject::Subject;
use crate::model::condition::{Cond, REMOTE_GROUP_IDS_ATTRIBUTE};
use crate::model::saved_groups::{SavedGroup, SavedGroups};
use crate::visiting::Visiting;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A condition after pruning.
#[derive(Debug, Clone, PartialEq)]
pub enum Pruned {
    /// Every user with the known attributes passes.
    Pass,
    /// No user with the known attributes passes.
    Fail,
    /// What is left to decide on the client: the parts that depend on unknown
    /// attributes.
    Condition(Value),
}

/// Prunes `condition` for the known `attributes` (a JSON object; a key that is
/// present, even with `null`, is known), given the payload's `savedGroups`.
///
/// A condition whose evaluation would throw in the reference SDK (such as
/// `{"$not": null}`) is returned as written.
///
/// ```
/// use growthbook::{prune_condition, Pruned};
/// use serde_json::json;
///
/// let condition = json!({"id": {"$ne": "789"}, "country": "US"});
/// let pruned = prune_condition(&condition, &json!({"id": "123"}), &json!({}));
/// assert_eq!(pruned, Pruned::Condition(json!({"country": "US"})));
/// ```
pub fn prune_condition(condition: &Value, attributes: &Value, saved_groups: &Value) -> Pruned {
    let empty = Map::new();
    let attributes = attributes.as_object().unwrap_or(&empty);
    let groups_json = saved_groups.as_object().unwrap_or(&empty);
    let groups = SavedGroups::from_json(saved_groups);
    Pruner::new(attributes, groups_json, &groups).prune(condition)
}

/// Evaluation would throw in the reference SDK: the condition stays as written.
#[derive(Debug)]
pub(crate) struct Thrown;

/// Prunes conditions against one set of known attributes and saved groups.
pub(crate) struct Pruner<'a> {
    attributes: &'a Map<String, Value>,
    attributes_value: Value,
    groups_json: &'a Map<String, Value>,
    groups: &'a SavedGroups,
}

impl<'a> Pruner<'a> {
    pub(crate) fn new(
        attributes: &'a Map<String, Value>,
        groups_json: &'a Map<String, Value>,
        groups: &'a SavedGroups,
    ) -> Pruner<'a> {
        Pruner {
            attributes,
            attributes_value: Value::Object(attributes.clone()),
            groups_json,
            groups,
        }
    }

    /// Prunes a whole condition; one that throws is returned as written.
    pub(crate) fn prune(&self, condition: &Value) -> Pruned {
        self.prune_condition(condition, None)
            .unwrap_or_else(|Thrown| Pruned::Condition(condition.clone()))
    }

    /// An object condition: the AND of its entries.
    fn prune_condition(
        &self,
        condition: &Value,
        visiting: Option<&Visiting<'_>>,
    ) -> Result<Pruned, Thrown> {
        let map = condition.as_object().ok_or(Thrown)?;
        let mut left = Map::new();
        let mut failed = false;
        // Every entry is pruned, even after one fails: a later entry that
        // throws makes the whole condition stay as written.
        for (key, value) in map {
            match self.prune_entry(key, value, visiting)? {
                Pruned::Pass => {}
                Pruned::Fail => failed = true,
                Pruned::Condition(rest) => {
                    left.insert(key.clone(), rest);
                }
            }
        }
        Ok(if failed {
            Pruned::Fail
        } else if left.is_empty() {
            Pruned::Pass
        } else {
            Pruned::Condition(Value::Object(left))
        })
    }

    /// Prunes one entry of an object condition; what is left is the entry's
    /// new value.
    fn prune_entry(
        &self,
        key: &str,
        value: &Value,
        visiting: Option<&Visiting<'_>>,
    ) -> Result<Pruned, Thrown> {
        match key {
            "$or" | "$nor" | "$and" => self.prune_logical(key, value, visiting),
            "$not" => Ok(match self.prune_condition(value, visiting)? {
                Pruned::Pass => Pruned::Fail,
                Pruned::Fail => Pruned::Pass,
                Pruned::Condition(rest) => Pruned::Condition(rest),
            }),
            "$savedGroup" => self.prune_group_ref(value, visiting),
            path if self.attributes.contains_key(path) => {
                let field = compile_entry(Cow::Borrowed(path), JsonTree::borrowed(value), 1);
                Ok(match self.decide(&field) {
                    Some(true) => Pruned::Pass,
                    Some(false) => Pruned::Fail,
                    None => Pruned::Condition(value.clone()),
                })
            }
            // An unknown attribute (dotted paths included: only top-level
            // attributes are known) stays for the client to decide.
            _ => Ok(Pruned::Condition(value.clone())),
        }
    }

    /// `$or`, `$nor` and `$and` over a list of conditions.
    fn prune_logical(
        &self,
        key: &str,
        value: &Value,
        visiting: Option<&Visiting<'_>>,
    ) -> Result<Pruned, Thrown> {
        let items = value.as_array().ok_or(Thrown)?;
        let mut passed = false;
        let mut failed = false;
        let mut left = Vec::new();
        for item in items {
            match self.prune_condition(item, visiting)? {
                Pruned::Pass => passed = true,
                Pruned::Fail => failed = true,
                Pruned::Condition(rest) => left.push(rest),
            }
        }
        let decided = match key {
            // An empty `$or` passes, as in evaluation.
            "$or" if passed || items.is_empty() => Pruned::Pass,
            "$or" if left.is_empty() => Pruned::Fail,
            // An empty `$nor` fails, as in evaluation.
            "$nor" if passed || items.is_empty() => Pruned::Fail,
            "$nor" if left.is_empty() => Pruned::Pass,
            "$and" if failed => Pruned::Fail,
            "$and" if left.is_empty() => Pruned::Pass,
            _ => return Ok(Pruned::Condition(Value::Array(left))),
        };
        Ok(decided)
    }

    /// A `$savedGroup` reference: decided when the group's attribute is known
    /// (or, for a condition group, when its condition is decided); otherwise
    /// kept as a reference, never inlined. A reference or an entry that is
    /// malformed (a bare array included) matches nobody, as in evaluation.
    fn prune_group_ref(
        &self,
        value: &Value,
        visiting: Option<&Visiting<'_>>,
    ) -> Result<Pruned, Thrown> {
        let kept = || Ok(Pruned::Condition(value.clone()));
        // Read as evaluation reads it: a reference that names no group
        // matches nobody.
        let cond = compile_entry(Cow::Borrowed("$savedGroup"), JsonTree::borrowed(value), 1);
        let Cond::SavedGroup(reference) = &cond else {
            return Ok(Pruned::Fail);
        };
        let id = reference.id.as_str();
        let attribute = match self.groups.get(id) {
            None | Some(SavedGroup::Legacy(_) | SavedGroup::Malformed) => return Ok(Pruned::Fail),
            // A type this SDK does not know: the client SDK may.
            Some(SavedGroup::Unsupported) => return kept(),
            Some(SavedGroup::Condition(_)) => {
                if Visiting::contains(visiting, id) {
                    return Ok(Pruned::Fail);
                }
                let Some(condition) = self.groups_json.get(id).and_then(|g| g.get("condition"))
                else {
                    return Ok(Pruned::Fail);
                };
                let here = Visiting::new(id, visiting);
                return match self.prune_condition(condition, Some(&here)) {
                    Ok(Pruned::Condition(_)) | Err(Thrown) => kept(),
                    decided => decided,
                };
            }
            Some(SavedGroup::List { attribute_key, .. }) => {
                match reference.attribute_key.as_ref().or(attribute_key.as_ref()) {
                    Some(attribute) => attribute.raw(),
                    None => return Ok(Pruned::Fail),
                }
            }
            Some(SavedGroup::Remote { .. }) => REMOTE_GROUP_IDS_ATTRIBUTE,
        };
        if !self.attributes.contains_key(attribute) {
            return kept();
        }
        match self.decide(&cond) {
            Some(true) => Ok(Pruned::Pass),
            Some(false) => Ok(Pruned::Fail),
            None => kept(),
        }
    }

    /// Evaluates a compiled condition on the known attributes; `None` when it
    /// cannot be decided here.
    fn decide(&self, cond: &Cond) -> Option<bool> {
        let eval = EvalContext {
            groups: self.groups,
            paths: crate::eval::subject::Paths::None,
        };
        eval.verdict(cond, Subject::json(&self.attributes_value))
            .ok()
    }
}

/// `{key: value}`.
pub(crate) fn single_entry(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}
