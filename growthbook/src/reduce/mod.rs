//! Payload reduction: cutting a features payload down to what one client needs
//! (the spec's `reducePayload`).
//!
//! A server that knows some attributes of the user (and which projects, tags
//! or custom fields the client cares about) can send a smaller payload that
//! evaluates the same on the client and reveals less about other users'
//! targeting: features and experiments outside the filters are dropped (the
//! prerequisites of what is kept are carried along), conditions are pruned
//! for the known attributes, and saved groups and contextual bandits nothing
//! refers to any more are dropped. A saved group counts as referred to while
//! its id appears as a string anywhere in what is kept, as in the reference
//! SDKs: no list of the operators that name groups is needed, and an
//! operator this SDK does not know keeps its groups.

use crate::model::saved_groups::SavedGroups;
use crate::prune::{single_entry, Pruned, Pruner};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet, VecDeque};

mod options;

use self::options::{Metadata, HOLDOUT_PREFIX};
pub use self::options::{PayloadFilter, Prerequisites, ReduceOptions};

/// Reduces a features payload for one client (see the module docs).
///
/// The result always has `features`, `experiments` and `savedGroups`; other
/// top-level keys (such as `dateUpdated`) are kept. A payload that is not an
/// object is returned as it is.
///
/// ```
/// use growthbook::{reduce_payload, ReduceOptions};
/// use serde_json::json;
///
/// let payload = json!({"features": {"f": {"defaultValue": 0, "rules": [
///     {"condition": {"country": "US"}, "force": 1},
///     {"condition": {"country": "FR"}, "force": 2}
/// ]}}});
/// let options = ReduceOptions::from_json(&json!({"attributes": {"country": "US"}}))?;
/// let reduced = reduce_payload(&payload, &options);
/// assert_eq!(reduced["features"]["f"]["rules"], json!([
///     {"force": 1},
///     {"condition": {"$not": {}}, "force": null}
/// ]));
/// # Ok::<(), growthbook::Error>(())
/// ```
pub fn reduce_payload(payload: &Value, options: &ReduceOptions) -> Value {
    let Some(input) = payload.as_object() else {
        return payload.clone();
    };
    let empty = Map::new();
    let groups_json = input
        .get("savedGroups")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let groups = SavedGroups::from_json(input.get("savedGroups").unwrap_or(&Value::Null));
    let reducer = Reducer {
        options,
        pruner: Pruner::new(&options.attributes, groups_json, &groups),
    };

    let features = input
        .get("features")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let experiments: &[Value] = input
        .get("experiments")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);

    let kept_experiments: Vec<Value> = experiments
        .iter()
        .filter(|e| reducer.passes_filters(e))
        .map(|e| reducer.reduce_experiment(e))
        .collect();
    let kept_features = reducer.reduce_features(features, &kept_experiments);

    let mut refs = GroupRefs::new(groups_json);
    let mut bandit_refs = HashSet::new();
    for feature in kept_features.values() {
        refs.collect(feature, false);
    }
    for rule in kept_features
        .values()
        .filter_map(|f| f.get("rules"))
        .filter_map(Value::as_array)
        .flatten()
    {
        bandit_refs.extend(rule.get("contextualBanditRef").and_then(Value::as_str));
    }
    for experiment in &kept_experiments {
        refs.collect(experiment, false);
        bandit_refs.extend(
            experiment
                .get("contextualBanditRef")
                .and_then(Value::as_str),
        );
    }
    let bandits = input
        .get("contextualBandits")
        .map(|bandits| match bandits.as_object() {
            Some(map) => Value::Object(
                map.iter()
                    .filter(|(id, _)| bandit_refs.contains(id.as_str()))
                    .map(|(id, bandit)| (id.clone(), reducer.reduce_bandit(bandit)))
                    .collect(),
            ),
            None => bandits.clone(),
        });
    if let Some(bandits) = &bandits {
        refs.collect(bandits, false);
    }
    let saved_groups = reducer.reduce_saved_groups(groups_json, refs);

    let mut output = input.clone();
    output.insert("features".into(), Value::Object(kept_features));
    output.insert("experiments".into(), Value::Array(kept_experiments));
    output.insert("savedGroups".into(), Value::Object(saved_groups));
    if let Some(bandits) = bandits {
        output.insert("contextualBandits".into(), bandits);
    }
    Value::Object(output)
}

struct Reducer<'a> {
    options: &'a ReduceOptions,
    pruner: Pruner<'a>,
}

impl Reducer<'_> {
    fn passes_filters(&self, item: &Value) -> bool {
        let metadata = Metadata::of(item);
        self.options.include.matches_all(&metadata) && !self.options.exclude.matches_any(&metadata)
    }

    /// Whether a rule of a feature kept by the filters is scoped to projects
    /// none of which the include filter names. (A rule without projects
    /// applies wherever its feature is delivered; the exclude filter applies
    /// to features and experiments only, as in the Python SDK.)
    fn rule_out_of_scope(&self, rule: &Value) -> bool {
        let metadata = Metadata::of(rule);
        metadata.has_projects()
            && self
                .options
                .include
                .projects
                .as_ref()
                .is_some_and(|p| !metadata.lists_any_project(p))
    }

    /// The features kept by the filters, plus the prerequisites of everything
    /// kept, each with its rules reduced. Input order is kept.
    fn reduce_features(
        &self,
        features: &Map<String, Value>,
        experiments: &[Value],
    ) -> Map<String, Value> {
        let selected: HashSet<&str> = features
            .iter()
            .filter(|(_, f)| self.passes_filters(f))
            .map(|(id, _)| id.as_str())
            .collect();
        let mut reduced: HashMap<&str, Value> = HashMap::new();
        let mut parents: VecDeque<String> = VecDeque::new();
        for (id, feature) in features
            .iter()
            .filter(|(id, _)| selected.contains(id.as_str()))
        {
            let feature = self.reduce_feature(feature);
            parents.extend(parent_ids(&feature));
            reduced.insert(id, feature);
        }
        for experiment in experiments {
            parents.extend(parent_ids_of_item(experiment));
        }
        while let Some(id) = parents.pop_front() {
            let Some((key, feature)) = features.get_key_value(id.as_str()) else {
                continue;
            };
            if reduced.contains_key(key.as_str()) {
                continue;
            }
            let filtered = self.options.prerequisites == Prerequisites::Filter
                && !key.starts_with(HOLDOUT_PREFIX);
            if filtered && !self.passes_filters(feature) {
                continue;
            }
            let feature = self.reduce_feature(feature);
            parents.extend(parent_ids(&feature));
            reduced.insert(key, feature);
        }
        features
            .iter()
            .filter_map(|(id, _)| reduced.remove(id.as_str()).map(|f| (id.clone(), f)))
            .collect()
    }

    /// A feature with its rules' conditions pruned, and, when the feature is
    /// in the included projects, the rules scoped to other projects dropped
    /// (a prerequisite carried from another project keeps the rules of its
    /// own projects, as on the server).
    fn reduce_feature(&self, feature: &Value) -> Value {
        let Some(Value::Array(rules)) = feature.get("rules") else {
            return feature.clone();
        };
        let scoped = self
            .options
            .include
            .projects
            .as_ref()
            .is_none_or(|p| Metadata::of(feature).in_projects(p));
        let rules = rules
            .iter()
            .filter(|rule| !(scoped && self.rule_out_of_scope(rule)))
            .map(|rule| self.reduce_rule(rule))
            .collect();
        let mut feature = feature.clone();
        if let Some(map) = feature.as_object_mut() {
            map.insert("rules".into(), Value::Array(rules));
        }
        feature
    }

    /// A rule with its condition pruned. A force rule that never applies
    /// loses its value; an experiment rule keeps its variations, since a
    /// sticky bucket skips the condition.
    fn reduce_rule(&self, rule: &Value) -> Value {
        let mut rule = rule.clone();
        if self.reduce_condition_of(&mut rule) == Some(false) {
            if let Some(force) = rule.get_mut("force") {
                *force = Value::Null;
            }
        }
        rule
    }

    fn reduce_experiment(&self, experiment: &Value) -> Value {
        let mut experiment = experiment.clone();
        self.reduce_condition_of(&mut experiment);
        experiment
    }

    /// Prunes the `condition` of a rule or experiment in place: removed when
    /// it always passes, `{"$not": {}}` when it never does. Returns whether
    /// it was decided.
    fn reduce_condition_of(&self, item: &mut Value) -> Option<bool> {
        let map = item.as_object_mut()?;
        let condition = map.get("condition")?;
        match self.pruner.prune(condition) {
            Pruned::Pass => {
                map.shift_remove("condition");
                Some(true)
            }
            Pruned::Fail => {
                map.insert("condition".into(), never());
                Some(false)
            }
            Pruned::Condition(rest) => {
                map.insert("condition".into(), rest);
                None
            }
        }
    }

    /// A contextual bandit with the contexts the user can never be in dropped
    /// and the others' conditions pruned. A definition that is not an object
    /// is kept as it is.
    fn reduce_bandit(&self, bandit: &Value) -> Value {
        let mut bandit = bandit.clone();
        let Some(Value::Array(contexts)) = bandit.get_mut("contexts") else {
            return bandit;
        };
        contexts.retain_mut(|context| {
            let Some(map) = context.as_object_mut() else {
                return true;
            };
            let pruned = match map.get("condition") {
                None => Pruned::Pass,
                Some(condition) => self.pruner.prune(condition),
            };
            let condition = match pruned {
                Pruned::Fail => return false,
                Pruned::Pass => Value::Object(Map::new()),
                Pruned::Condition(rest) => rest,
            };
            map.insert("condition".into(), condition);
            true
        });
        bandit
    }

    /// The saved groups still referred to, in input order. Condition groups
    /// are pruned too, except those that must stay as written: the ones
    /// evaluated against something other than the user (under `$elemMatch`,
    /// in a prerequisite's condition) or on a reference cycle.
    fn reduce_saved_groups(
        &self,
        groups: &Map<String, Value>,
        mut refs: GroupRefs,
    ) -> Map<String, Value> {
        let mut as_written: HashSet<String> = HashSet::new();
        // Condition groups that the known attributes decide: a reference
        // that reads one as a condition was decided with it, so one still
        // referenced (by `$inGroup`, say) is kept as written.
        let mut decided: HashSet<String> = HashSet::new();
        let mut pruned: HashMap<String, Value> = HashMap::new();
        while let Some((id, written)) = refs.queue.pop_front() {
            let Some(group) = groups.get(&id) else {
                continue;
            };
            if as_written.contains(&id)
                || (!written && (pruned.contains_key(&id) || decided.contains(&id)))
            {
                continue;
            }
            let condition = match group.get("type").and_then(Value::as_str) {
                Some("condition") => group.get("condition"),
                _ => None,
            };
            let Some(condition) = condition else {
                // A list, legacy or unknown group: kept as it is.
                refs.collect_from_group(group, written);
                as_written.insert(id);
                continue;
            };
            if written || on_cycle(&id, groups) {
                pruned.remove(&id);
                refs.collect_from_group(group, true);
                as_written.insert(id);
            } else {
                let Pruned::Condition(rest) = self.pruner.prune(condition) else {
                    refs.collect_from_group(group, false);
                    decided.insert(id);
                    continue;
                };
                let mut group = group.clone();
                if let Some(map) = group.as_object_mut() {
                    map.insert("condition".into(), rest);
                }
                refs.collect_from_group(&group, false);
                pruned.insert(id, group);
            }
        }
        groups
            .iter()
            .filter_map(|(id, group)| {
                if as_written.contains(id) || decided.contains(id) {
                    Some((id.clone(), group.clone()))
                } else {
                    pruned.remove(id).map(|g| (id.clone(), g))
                }
            })
            .collect()
    }
}

/// A condition no user passes.
fn never() -> Value {
    single_entry("$not", Value::Object(Map::new()))
}

/// The prerequisite feature ids of a feature's rules.
fn parent_ids(feature: &Value) -> Vec<String> {
    feature
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(parent_ids_of_item)
        .collect()
}

/// The prerequisite feature ids of a rule or experiment.
fn parent_ids_of_item(item: &Value) -> Vec<String> {
    item.get("parentConditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|parent| parent.get("id").and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

/// Saved group ids referred to, each with whether the group must stay as
/// written.
struct GroupRefs<'g> {
    groups: &'g Map<String, Value>,
    queue: VecDeque<(String, bool)>,
}

impl<'g> GroupRefs<'g> {
    fn new(groups: &'g Map<String, Value>) -> GroupRefs<'g> {
        GroupRefs {
            groups,
            queue: VecDeque::new(),
        }
    }

    /// Every saved group `value` may refer to: any string in it that is a
    /// group's id (the rule of the reference SDKs, which needs no list of
    /// the operators that name groups, and keeps the groups of operators
    /// this SDK does not know). Under `$elemMatch` and `parentConditions`
    /// conditions are evaluated against something other than the user, so
    /// the groups named there stay as written.
    fn collect(&mut self, value: &Value, as_written: bool) {
        match value {
            Value::String(s) if self.groups.contains_key(s) => {
                self.queue.push_back((s.clone(), as_written));
            }
            Value::Array(items) => items.iter().for_each(|item| self.collect(item, as_written)),
            Value::Object(map) => {
                for (key, value) in map {
                    let elsewhere = key == "$elemMatch" || key == "parentConditions";
                    self.collect(value, as_written || elsewhere);
                }
            }
            _ => {}
        }
    }

    /// The groups a saved group refers to; a list's values (or a bare
    /// array's) are attribute values, never group ids.
    fn collect_from_group(&mut self, group: &Value, as_written: bool) {
        if group.is_object() && group.get("type").and_then(Value::as_str) != Some("list") {
            self.collect(group, as_written);
        }
    }
}

/// Whether a saved group can reach itself through the groups it refers
/// to.
fn on_cycle(start: &str, groups: &Map<String, Value>) -> bool {
    let mut seen: HashSet<String> = HashSet::new();
    let mut stack = vec![start.to_owned()];
    while let Some(id) = stack.pop() {
        let Some(group) = groups.get(&id) else {
            continue;
        };
        let mut refs = GroupRefs::new(groups);
        refs.collect_from_group(group, false);
        for (next, _) in refs.queue {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                stack.push(next);
            }
        }
    }
    false
}
