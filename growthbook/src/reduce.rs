//! Payload reduction: cutting a features payload down to what one client needs
//! (the spec's `reducePayload`).
//!
//! A server that knows some attributes of the user (and which projects, tags
//! or custom fields the client cares about) can send a smaller payload that
//! evaluates the same on the client and reveals less about other users'
//! targeting: features and experiments outside the filters are dropped (the
//! prerequisites of what is kept are carried along), conditions are pruned
//! for the known attributes, and saved groups and contextual bandits nothing
//! refers to any more are dropped.

use crate::compile::condition::{is_logical_key, OPERATORS};
use crate::error::Error;
use crate::model::saved_groups::SavedGroups;
use crate::prune::{single_entry, Pruned, Pruner};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet, VecDeque};

/// Prefix of the features that implement holdouts.
const HOLDOUT_PREFIX: &str = "$holdout:";

/// What a reduced payload is for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReduceOptions {
    /// The attributes known on the server (a key present with `null` is
    /// known). Conditions on them are decided before the payload is sent.
    pub attributes: Map<String, Value>,
    /// Keep only the features and experiments that match every filter given.
    pub include: PayloadFilter,
    /// Drop the features and experiments that match any filter given.
    pub exclude: PayloadFilter,
    /// What happens to the prerequisites of the features kept.
    pub prerequisites: Prerequisites,
}

/// Filters on the `metadata` of features, rules and experiments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PayloadFilter {
    /// Project ids (`metadata.projects`; `metadata.allProjects` matches any).
    pub projects: Option<Vec<String>>,
    /// Tags (`metadata.tags`): any one of them is enough.
    pub tags: Option<Vec<String>>,
    /// Custom field values (`metadata.customFields`), by field name: a
    /// field matches when it has any of the values given.
    pub custom_fields: Vec<(String, Vec<Value>)>,
}

/// How prerequisites of kept features and experiments are treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Prerequisites {
    /// Carry every prerequisite along, even when the filters would drop it,
    /// since the client evaluates it (the default).
    #[default]
    Carry,
    /// Apply the include and exclude filters to prerequisites too (holdouts
    /// are still carried).
    Filter,
}

impl ReduceOptions {
    /// Reads the spec's options object: `attributes`, `globalAttributes`
    /// (merged, `attributes` winning), `include`, `exclude` (each with
    /// `projects`, `tags`, `customFields`) and `prerequisites` (`"carry"` or
    /// `"filter"`). Other keys are ignored.
    pub fn from_json(options: &Value) -> Result<ReduceOptions, Error> {
        let invalid = |what: &str| Error::InvalidOptions(format!("reducePayload options: {what}"));
        let options = options
            .as_object()
            .ok_or_else(|| invalid("expected a JSON object"))?;
        let mut attributes = Map::new();
        for key in ["globalAttributes", "attributes"] {
            match options.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::Object(map)) => {
                    attributes.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())))
                }
                Some(_) => return Err(invalid(&format!("`{key}` must be an object"))),
            }
        }
        let prerequisites = match options.get("prerequisites") {
            None | Some(Value::Null) => Prerequisites::Carry,
            Some(Value::String(s)) if s == "carry" => Prerequisites::Carry,
            Some(Value::String(s)) if s == "filter" => Prerequisites::Filter,
            Some(other) => {
                return Err(invalid(&format!(
                    "`prerequisites` must be \"carry\" or \"filter\", not {other}"
                )))
            }
        };
        Ok(ReduceOptions {
            attributes,
            include: PayloadFilter::from_json(options.get("include"), "include")?,
            exclude: PayloadFilter::from_json(options.get("exclude"), "exclude")?,
            prerequisites,
        })
    }
}

impl PayloadFilter {
    fn from_json(value: Option<&Value>, name: &str) -> Result<PayloadFilter, Error> {
        let invalid =
            |what: String| Error::InvalidOptions(format!("reducePayload options: `{name}`{what}"));
        let map = match value {
            None | Some(Value::Null) => return Ok(PayloadFilter::default()),
            Some(Value::Object(map)) => map,
            Some(_) => return Err(invalid(" must be an object".into())),
        };
        let strings = |key: &str| -> Result<Option<Vec<String>>, Error> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .map(Some)
                    .ok_or_else(|| invalid(format!(".{key} must be an array of strings"))),
                Some(_) => Err(invalid(format!(".{key} must be an array of strings"))),
            }
        };
        let custom_fields = match map.get("customFields") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(fields)) => fields
                .iter()
                .map(|(field, values)| (field.clone(), one_or_many(values).cloned().collect()))
                .collect(),
            Some(_) => return Err(invalid(".customFields must be an object".into())),
        };
        Ok(PayloadFilter {
            projects: strings("projects")?,
            tags: strings("tags")?,
            custom_fields,
        })
    }

    /// Whether the metadata matches every filter (an include filter).
    fn matches_all(&self, metadata: &Metadata<'_>) -> bool {
        self.projects
            .as_ref()
            .map_or(true, |p| metadata.in_projects(p))
            && self.tags.as_ref().map_or(true, |t| metadata.has_any_tag(t))
            && self
                .custom_fields
                .iter()
                .all(|(field, values)| metadata.custom_field_in(field, values))
    }

    /// Whether the metadata matches any filter (an exclude filter). Being in
    /// all projects is not being in an excluded one.
    fn matches_any(&self, metadata: &Metadata<'_>) -> bool {
        self.projects
            .as_ref()
            .is_some_and(|p| !metadata.all_projects() && metadata.in_projects(p))
            || self.tags.as_ref().is_some_and(|t| metadata.has_any_tag(t))
            || self
                .custom_fields
                .iter()
                .any(|(field, values)| metadata.custom_field_in(field, values))
    }
}

/// A value or an array of values, as items.
fn one_or_many(value: &Value) -> impl Iterator<Item = &Value> {
    match value {
        Value::Array(items) => items.iter(),
        single => std::slice::from_ref(single).iter(),
    }
}

/// The `metadata` object of a feature, rule or experiment (maybe absent).
struct Metadata<'a>(Option<&'a Map<String, Value>>);

impl<'a> Metadata<'a> {
    fn of(item: &'a Value) -> Metadata<'a> {
        Metadata(item.get("metadata").and_then(Value::as_object))
    }

    fn strings(&self, key: &str) -> impl Iterator<Item = &'a str> {
        self.0
            .and_then(|m| m.get(key))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
    }

    fn all_projects(&self) -> bool {
        self.0.and_then(|m| m.get("allProjects")) == Some(&Value::Bool(true))
    }

    fn has_projects(&self) -> bool {
        self.0
            .and_then(|m| m.get("projects"))
            .is_some_and(Value::is_array)
    }

    fn in_projects(&self, projects: &[String]) -> bool {
        self.all_projects()
            || self
                .strings("projects")
                .any(|p| projects.iter().any(|q| q == p))
    }

    fn has_any_tag(&self, tags: &[String]) -> bool {
        self.strings("tags").any(|t| tags.iter().any(|q| q == t))
    }

    fn custom_field_in(&self, field: &str, values: &[Value]) -> bool {
        self.0
            .and_then(|m| m.get("customFields"))
            .and_then(|fields| fields.get(field))
            .is_some_and(|actual| one_or_many(actual).any(|v| values.contains(v)))
    }
}

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

    let mut refs = GroupRefs::default();
    let mut bandit_refs = HashSet::new();
    for rule in kept_features
        .values()
        .filter_map(|f| f.get("rules"))
        .filter_map(Value::as_array)
        .flatten()
    {
        refs.collect_from_item(rule);
        bandit_refs.extend(rule.get("contextualBanditRef").and_then(Value::as_str));
    }
    for experiment in &kept_experiments {
        refs.collect_from_item(experiment);
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
                    .map(|(id, bandit)| (id.clone(), reducer.reduce_bandit(bandit, &mut refs)))
                    .collect(),
            ),
            None => bandits.clone(),
        });
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
    /// the filters leave out.
    fn rule_out_of_scope(&self, rule: &Value) -> bool {
        let metadata = Metadata::of(rule);
        if !metadata.has_projects() || metadata.all_projects() {
            return false;
        }
        let ReduceOptions {
            include, exclude, ..
        } = self.options;
        include
            .projects
            .as_ref()
            .is_some_and(|p| !metadata.in_projects(p))
            || exclude
                .projects
                .as_ref()
                .is_some_and(|p| metadata.in_projects(p))
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
            let feature = self.reduce_feature(feature, true);
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
            let feature = self.reduce_feature(feature, false);
            parents.extend(parent_ids(&feature));
            reduced.insert(key, feature);
        }
        features
            .iter()
            .filter_map(|(id, _)| reduced.remove(id.as_str()).map(|f| (id.clone(), f)))
            .collect()
    }

    /// A feature with its rules' conditions pruned; `scoped` drops the rules
    /// of projects the filters leave out (not done for carried prerequisites,
    /// which keep the rules of their own projects).
    fn reduce_feature(&self, feature: &Value, scoped: bool) -> Value {
        let Some(Value::Array(rules)) = feature.get("rules") else {
            return feature.clone();
        };
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
    fn reduce_bandit(&self, bandit: &Value, refs: &mut GroupRefs) -> Value {
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
            refs.collect(&condition, false);
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
        let mut pruned: HashMap<String, Value> = HashMap::new();
        while let Some((id, written)) = refs.queue.pop_front() {
            let Some(group) = groups.get(&id) else {
                continue;
            };
            if as_written.contains(&id) || (!written && pruned.contains_key(&id)) {
                continue;
            }
            let condition = match group.get("type").and_then(Value::as_str) {
                Some("condition") => group.get("condition"),
                _ => None,
            };
            let Some(condition) = condition else {
                // A list, legacy or unknown group: kept as it is.
                as_written.insert(id);
                continue;
            };
            if written || on_cycle(&id, groups) {
                pruned.remove(&id);
                refs.collect(condition, true);
                as_written.insert(id);
            } else {
                let rest = match self.pruner.prune(condition) {
                    Pruned::Pass => Value::Object(Map::new()),
                    Pruned::Fail => never(),
                    Pruned::Condition(rest) => rest,
                };
                refs.collect(&rest, false);
                let mut group = group.clone();
                if let Some(map) = group.as_object_mut() {
                    map.insert("condition".into(), rest);
                }
                pruned.insert(id, group);
            }
        }
        groups
            .iter()
            .filter_map(|(id, group)| {
                if as_written.contains(id) {
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
#[derive(Default)]
struct GroupRefs {
    queue: VecDeque<(String, bool)>,
}

impl GroupRefs {
    /// The references of a rule or experiment: its condition, and its
    /// prerequisites' conditions (evaluated against the parent's value, so
    /// their groups stay as written).
    fn collect_from_item(&mut self, item: &Value) {
        if let Some(condition) = item.get("condition") {
            self.collect(condition, false);
        }
        for parent in item
            .get("parentConditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(condition) = parent.get("condition") {
                self.collect(condition, true);
            }
        }
    }

    /// Every group id a condition refers to: `$savedGroup`, `$inGroup`,
    /// `$notInGroup`, and string operands of operators this SDK does not
    /// know (the client SDK may know them).
    fn collect(&mut self, condition: &Value, as_written: bool) {
        match condition {
            Value::Array(items) => items.iter().for_each(|item| self.collect(item, as_written)),
            Value::Object(map) => {
                for (key, value) in map {
                    match key.as_str() {
                        "$savedGroup" => {
                            if let Some(id) = value.get("id").and_then(Value::as_str) {
                                self.queue.push_back((id.to_owned(), as_written));
                            }
                        }
                        "$inGroup" | "$notInGroup" => {
                            if let Some(id) = value.as_str() {
                                self.queue.push_back((id.to_owned(), as_written));
                            }
                        }
                        "$elemMatch" => self.collect(value, true),
                        op if op.starts_with('$')
                            && !OPERATORS.contains(&op)
                            && !is_logical_key(op) =>
                        {
                            for id in one_or_many(value).filter_map(Value::as_str) {
                                self.queue.push_back((id.to_owned(), as_written));
                            }
                            self.collect(value, as_written);
                        }
                        _ => self.collect(value, as_written),
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a condition group can reach itself through `$savedGroup`
/// references.
fn on_cycle(start: &str, groups: &Map<String, Value>) -> bool {
    let mut seen: HashSet<String> = HashSet::new();
    let mut stack = vec![start.to_owned()];
    while let Some(id) = stack.pop() {
        let Some(condition) = groups.get(&id).and_then(|g| g.get("condition")) else {
            continue;
        };
        let mut refs = GroupRefs::default();
        refs.collect(condition, false);
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
