//! Compiling a payload into a [`FeatureSet`]: features, rules, auto
//! experiments, saved groups and contextual bandits. Malformed parts are
//! skipped with a warning, as the spec requires; the rest still loads.

use crate::compile::compact;
use crate::compile::condition::{compile_condition, mark_repeated_paths};
use crate::compile::experiment::{filters, parent_conditions};
use crate::compile::json_tree::JsonTree;
use crate::compile::payload_de::{self, Features, Payload};
use crate::compile::value_pool;
use crate::compile::wire::{FieldError, Fields, Members};
use crate::hash::PreparedSeed;
use crate::model::condition::{Cond, Condition};
use crate::model::experiment::Experiment;
use crate::model::feature_table::FeatureTable;
use crate::model::features::{
    Bandit, BanditLeaf, ExperimentRouting, ExperimentRule, Feature, FeatureSet, ForceRule, Rollout,
    Rule, RuleAction, RuleExtras, Share,
};
use crate::model::kept_value::KeptValue;
use crate::model::result::{ExperimentResult, HashValue};
use crate::model::saved_groups::SavedGroups;
use crate::Error;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeSet;

impl ExperimentRule {
    fn new(experiment: Experiment, bandit_ref: Option<Box<str>>) -> ExperimentRule {
        let passes = |i| {
            experiment
                .variation_meta(i)
                .is_some_and(|m| m.passthrough())
        };
        let variations = 0..experiment.variations.len();
        let passthrough: Box<[bool]> = if variations.clone().any(passes) {
            variations.map(passes).collect()
        } else {
            Box::default()
        };
        let routing = (bandit_ref.is_some() || !passthrough.is_empty()).then(|| {
            Box::new(ExperimentRouting {
                bandit_ref,
                passthrough,
            })
        });
        ExperimentRule {
            prepared_seed: PreparedSeed::new(
                experiment.hash_seed(),
                experiment.hash_version.unwrap_or(1),
            ),
            experiment,
            routing,
        }
    }
}

impl FeatureSet {
    /// Parses and compiles a payload from its JSON text (the fastest way in:
    /// each feature is compiled as it is read).
    pub fn from_json_str(json: &str) -> Result<FeatureSet, Error> {
        match payload_de::read_str(json)? {
            Ok(payload) => FeatureSet::from_payload(payload),
            Err(not_an_object) => FeatureSet::from_value(not_an_object),
        }
    }

    /// Compiles a payload: an object with `features` and optionally
    /// `experiments`, `savedGroups` and `contextualBandits`.
    ///
    /// A payload that is no SDK payload is an error that says what it is
    /// instead: not an object, no `features` (a bare map of feature
    /// definitions, which [`FeatureSet::from_features_map`] takes, or an
    /// encrypted payload), or `features` that is not an object (a REST API
    /// export lists them in an array). Inside a payload, a malformed rule is
    /// skipped (with a warning on the `growthbook` log target) and does not
    /// affect other rules or features, as the spec requires.
    pub fn from_json(payload: &Value) -> Result<FeatureSet, Error> {
        FeatureSet::from_value(payload.clone())
    }

    /// Like [`FeatureSet::from_json`], consuming the payload (its values move
    /// into the feature set instead of being copied).
    pub fn from_value(payload: Value) -> Result<FeatureSet, Error> {
        let Value::Object(mut rest) = payload else {
            return Err(Error::InvalidPayload(format!(
                "a features payload should be a JSON object, found {}",
                crate::compile::wire::kind(&payload)
            )));
        };
        let features = match rest.shift_remove("features") {
            None => Features::Absent,
            Some(Value::Object(definitions)) => Features::Table(compile_features(definitions)),
            Some(other) => Features::NotAnObject(other),
        };
        FeatureSet::from_payload(Payload { features, rest })
    }

    /// Compiles a bare map of feature definitions, `{"my-feature":
    /// {"defaultValue": ..., "rules": [...]}}`: what the Python SDK's
    /// `features=` and JS's `setFeatures` take, without the payload around
    /// it (no saved groups, experiments or bandits).
    pub fn from_features_map(features: &Value) -> Result<FeatureSet, Error> {
        match features {
            Value::Object(definitions) => FeatureSet::from_payload(Payload {
                features: Features::Table(compile_features(definitions.clone())),
                rest: serde_json::Map::new(),
            }),
            other => Err(Error::InvalidPayload(format!(
                "a features map should be a JSON object of feature definitions, found {}",
                crate::compile::wire::kind(other)
            ))),
        }
    }

    /// Compiles the rest of a payload whose features are compiled already.
    pub(crate) fn from_payload(payload: Payload) -> Result<FeatureSet, Error> {
        let Payload { features, rest } = payload;
        let obj = &rest;
        let table = match features {
            Features::Table(table) => table,
            // Auto experiments alone (visual editor and URL redirect tests
            // of an SDK connection without features) are a payload too.
            Features::Absent if obj.get("experiments").is_some_and(Value::is_array) => {
                FeatureTable::with_capacity(0)
            }
            Features::Absent => return Err(no_features(obj)),
            // `"features": null` next to `encryptedFeatures`: still encrypted.
            Features::NotAnObject(Value::Null) if obj.contains_key("encryptedFeatures") => {
                return Err(no_features(obj))
            }
            Features::NotAnObject(other) => return Err(features_not_an_object(&other)),
        };
        let f = Fields::of(obj);
        let mut set = FeatureSet {
            saved_groups: SavedGroups::from_json(obj.get("savedGroups").unwrap_or(&Value::Null)),
            date_updated: f.str("dateUpdated").ok().flatten().map(str::to_owned),
            ..FeatureSet::default()
        };
        set.features = table;
        if let Some(experiments) = obj.get("experiments").and_then(Value::as_array) {
            set.experiments = experiments
                .iter()
                .filter_map(|e| match Experiment::from_json(e) {
                    Ok(exp) => Some(exp),
                    Err(err) => {
                        log::warn!(target: "growthbook", "skipping auto experiment: {err}");
                        None
                    }
                })
                .collect();
        }
        if let Some(bandits) = obj.get("contextualBandits").and_then(Value::as_object) {
            set.bandits = bandits
                .iter()
                .filter_map(|(id, def)| compile_bandit(id, def).map(|b| (id.clone(), b)))
                .collect();
        }
        set.sticky_attributes = set.collect_sticky_attributes();
        Ok(set)
    }

    fn collect_sticky_attributes(&self) -> Vec<String> {
        let mut attrs = BTreeSet::new();
        let mut add = |exp: &Experiment| {
            attrs.insert(exp.hash_attribute.clone().unwrap_or_else(|| "id".into()));
            if let Some(fb) = &exp.fallback_attribute {
                attrs.insert(fb.clone());
            }
        };
        for (_, feature) in self.features.iter() {
            for rule in &feature.rules {
                if let RuleAction::Experiment(r) = &rule.action {
                    add(&r.experiment);
                }
            }
        }
        for exp in &self.experiments {
            add(exp);
        }
        attrs.into_iter().map(String::from).collect()
    }
}

/// Compiles every definition of a `features` object.
fn compile_features(definitions: serde_json::Map<String, Value>) -> FeatureTable {
    value_pool::scope(|| {
        let mut table = FeatureTable::with_capacity(definitions.len());
        for (key, definition) in definitions {
            let feature = compile_feature(&key, definition);
            table.insert(key, feature);
        }
        table
    })
}

/// Why a payload without `features` cannot be used, and what to do.
fn no_features(payload: &serde_json::Map<String, Value>) -> Error {
    if payload.contains_key("encryptedFeatures") {
        return Error::InvalidPayload(
            "the payload is encrypted (`encryptedFeatures`): decrypt it first with \
             `growthbook::decrypt_payload`, or load it with `remote::FeatureRepository` and its \
             `decryption_key`"
                .into(),
        );
    }
    let looks_like_definitions = !payload.is_empty()
        && payload.values().all(|v| {
            v.as_object()
                .is_some_and(|d| d.contains_key("defaultValue") || d.contains_key("rules"))
        });
    if looks_like_definitions {
        return Error::InvalidPayload(
            "this is a map of feature definitions (what the Python SDK's `features=` takes), not an \
             SDK payload: compile it with `FeatureSet::from_features_map`, or wrap it as \
             {\"features\": ...}"
                .into(),
        );
    }
    let members: Vec<&str> = payload.keys().map(String::as_str).take(5).collect();
    Error::InvalidPayload(format!(
        "the payload has no `features` member (it has {}); expected an SDK payload, \
         {{\"features\": {{\"my-feature\": {{\"defaultValue\": ...}}}}}}, as served by \
         {{api_host}}/api/features/{{client_key}}",
        if members.is_empty() {
            "no members".to_owned()
        } else {
            format!("`{}`", members.join("`, `"))
        }
    ))
}

/// Why a `features` member that is not an object cannot be used.
fn features_not_an_object(found: &Value) -> Error {
    if found.is_array() {
        return Error::InvalidPayload(
            "`features` is an array: this is a REST API export (GET /api/v1/features), not an SDK \
             payload. SDKs read the SDK connection's payload, {api_host}/api/features/{client_key} \
             (`remote::FeatureRepository` loads it); the REST export is for \
             `#[derive(Features)]`, `include_features!` and `growthbook-cli`"
                .into(),
        );
    }
    Error::InvalidPayload(format!(
        "`features` should be an object of feature definitions, found {}",
        crate::compile::wire::kind(found)
    ))
}

/// Moves a value out of a JSON object, leaving `null` in its place: cheaper
/// than removing the entry, and `Some` even for an explicit `null` (whose
/// presence can matter, as for `force`).
fn take(obj: &mut serde_json::Map<String, Value>, key: &str) -> Option<Value> {
    crate::js::member_mut(obj, key).map(Value::take)
}

pub(crate) fn compile_feature(key: &str, def: Value) -> Feature {
    let Value::Object(mut obj) = def else {
        return compile_definition(key, None);
    };
    let rules = match take(&mut obj, "rules") {
        None | Some(Value::Null) => RuleList::Absent,
        Some(Value::Array(rules)) => RuleList::Rules(
            rules
                .into_iter()
                .map(|rule| match rule {
                    Value::Object(members) => Some(Members::from(members)),
                    _ => None,
                })
                .collect(),
        ),
        Some(_) => RuleList::NotAList,
    };
    let definition = Definition {
        default_value: take(&mut obj, "defaultValue").map(JsonTree::from),
        rules,
    };
    compile_definition(key, Some(definition))
}

/// The parts of a feature definition that evaluation uses, read from a
/// JSON value ([`compile_feature`]) or straight from JSON text
/// (`payload_de`).
#[derive(Default)]
pub(crate) struct Definition<'a> {
    pub(crate) default_value: Option<JsonTree<'a>>,
    pub(crate) rules: RuleList<'a>,
}

/// A definition's `rules` member.
#[derive(Default)]
pub(crate) enum RuleList<'a> {
    /// Absent or `null`.
    #[default]
    Absent,
    /// The rules; `None` where an element is not an object.
    Rules(Vec<Option<Members<'a>>>),
    /// Present but not an array.
    NotAList,
}

/// Compiles a feature definition (`None` when it is not an object).
pub(crate) fn compile_definition(key: &str, definition: Option<Definition<'_>>) -> Feature {
    let Some(definition) = definition else {
        log::warn!(target: "growthbook", "feature {key:?} is not an object; it evaluates to null");
        return Feature {
            default_value: KeptValue::new(Value::Null),
            rules: Box::default(),
            repeats_paths: false,
        };
    };
    let mut rules = match definition.rules {
        RuleList::Absent => Vec::new(),
        RuleList::Rules(rules) => compact::collect(rules
            .into_iter()
            .enumerate()
            .filter_map(|(i, rule)| {
                let compiled = rule
                    .ok_or_else(|| FieldError("a rule should be an object".into()))
                    .and_then(|rule| compile_rule(key, rule));
                match compiled {
                    Ok(rule) => Some(rule),
                    Err(FieldError(why)) => {
                        log::warn!(target: "growthbook", "feature {key:?}: skipping rule {i}: {why}");
                        None
                    }
                }
            })),
        RuleList::NotAList => {
            log::warn!(target: "growthbook", "feature {key:?}: `rules` is not an array; ignoring rules");
            Vec::new()
        }
    };
    let mut force_conditions = rules.iter_mut().filter_map(|rule| match &mut rule.action {
        RuleAction::Force(force) => force.condition.as_mut(),
        _ => None,
    });
    let repeats_paths = match (force_conditions.next(), force_conditions.next()) {
        // No condition, or one that tests one attribute (most features):
        // nothing can repeat.
        (None, _) => false,
        (Some(Cond::Field { .. }), None) => false,
        (first, second) => {
            let mut all: Vec<&mut Cond> = first.into_iter().chain(second).collect();
            all.extend(force_conditions);
            mark_repeated_paths(&mut all)
        }
    };
    Feature {
        default_value: KeptValue::from_tree(definition.default_value.unwrap_or(JsonTree::Null)),
        rules: rules.into_boxed_slice(),
        repeats_paths,
    }
}

fn compile_rule(feature_key: &str, mut obj: Members<'_>) -> Result<Rule, FieldError> {
    // The large parts move out; the rest is read in place.
    // (`null` counts as absent, as everywhere in the payload.)
    let condition = obj.take_condition();
    let force = obj.take("force");
    let variations = obj.take("variations");
    let contextual_variations = obj.take("contextualVariations");
    // Checked, then moved out rather than copied.
    obj.fields().str("id")?;
    let id = obj.take_string("id").unwrap_or_default();
    let f = obj.fields();
    let parent_conditions = parent_conditions(f)?.unwrap_or_default();
    let filters = filters(f)?;
    let action = if let Some(value) = force {
        let coverage = f.f64("coverage")?;
        let range = f.range("range")?;
        // Every field is checked (a malformed one skips the rule), even
        // where no rollout keeps it.
        let seed = f
            .str("seed")?
            .filter(|s| !s.is_empty())
            .map(Box::<str>::from);
        let hash_version = f.i64("hashVersion")?;
        let hash_attribute = f.str("hashAttribute")?.filter(|s| !s.is_empty());
        let fallback_attribute = f.str("fallbackAttribute")?.filter(|s| !s.is_empty());
        let disable_sticky_bucketing = f.bool("disableStickyBucketing")?.unwrap_or(false);
        let rollout = Share::of(range, coverage).map(|share| {
            let prepared_seed = PreparedSeed::new(
                seed.as_deref().unwrap_or(feature_key),
                hash_version.unwrap_or(1),
            );
            Box::new(Rollout {
                share,
                seed,
                hash_attribute: hash_attribute.map(Box::from),
                fallback_attribute: fallback_attribute.map(Box::from),
                hash_version: hash_version.unwrap_or(1),
                disable_sticky_bucketing,
                prepared_seed,
            })
        });
        RuleAction::Force(Box::new(ForceRule {
            value: KeptValue::new(value),
            // Internal: compiled only, without the JSON a public `Condition`
            // keeps.
            condition: condition.map(|c| compile_condition(c, 0)),
            rollout,
        }))
    } else {
        let bandit_ref = f.str("contextualBanditRef")?.map(Box::<str>::from);
        let as_list = |value: Option<Value>, name: &str| match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(FieldError(format!(
                "`{name}` should be an array, found {}",
                crate::compile::wire::kind(&other)
            ))),
        };
        let contextual_variations = as_list(contextual_variations, "contextualVariations")?;
        let variations = as_list(variations, "variations")?;
        let variations = match (&bandit_ref, contextual_variations) {
            (Some(_), Some(cv)) => Some(cv),
            _ => variations,
        };
        match variations {
            None => RuleAction::Nothing,
            Some(variations) => {
                let key = f
                    .str("key")?
                    .filter(|k| !k.is_empty())
                    .unwrap_or(feature_key);
                let condition = condition.map(Condition::from_tree);
                let experiment = Experiment::from_fields(f, key.to_owned(), variations, condition)?;
                RuleAction::Experiment(Box::new(ExperimentRule::new(experiment, bandit_ref)))
            }
        }
    };
    let tracks = match &action {
        RuleAction::Force(_) => compile_tracks(f)?,
        _ => Vec::new(),
    };
    let extras =
        (!parent_conditions.is_empty() || filters.is_some() || !tracks.is_empty()).then(|| {
            Box::new(RuleExtras {
                parent_conditions: parent_conditions.into(),
                filters: filters.map(Vec::into_boxed_slice),
                tracks: tracks.into(),
            })
        });
    Ok(Rule {
        id: id.into(),
        extras,
        action,
    })
}

fn compile_tracks(
    f: Fields<'_>,
) -> Result<Vec<(Experiment, ExperimentResult<'static>)>, FieldError> {
    let Some(items) = f.array("tracks")? else {
        return Ok(Vec::new());
    };
    Ok(items
        .iter()
        .filter_map(|t| {
            let experiment = Experiment::from_json(t.get("experiment")?).ok()?;
            let result = result_from_json(t.get("result")?)?;
            Some((experiment, result))
        })
        .collect())
}

/// Reads a tracked result (`tracks[].result`) from its JSON form.
fn result_from_json(value: &Value) -> Option<ExperimentResult<'static>> {
    let f = Fields::of(value.as_object()?);
    let owned = |s: Option<&str>| Cow::Owned(s.unwrap_or_default().to_owned());
    Some(ExperimentResult {
        in_experiment: f.bool("inExperiment").ok()?.unwrap_or(false),
        variation_id: f.i64("variationId").ok()?.unwrap_or(0).max(0) as usize,
        value: Cow::Owned(f.get("value").cloned().unwrap_or(Value::Null)),
        hash_used: f.bool("hashUsed").ok()?.unwrap_or(false),
        hash_attribute: owned(f.str("hashAttribute").ok()?),
        hash_value: HashValue::owned(f.get("hashValue").cloned().unwrap_or(Value::from(""))),
        feature_id: f.str("featureId").ok()?.map(|s| Cow::Owned(s.to_owned())),
        key: owned(f.str("key").ok()?),
        name: f.str("name").ok()?.map(|s| Cow::Owned(s.to_owned())),
        bucket: f.f64("bucket").ok()?,
        passthrough: f.bool("passthrough").ok()?,
        sticky_bucket_used: f.bool("stickyBucketUsed").ok()?.unwrap_or(false),
        leaf_id: None,
        variation_weights: None,
        bandit_version: None,
    })
}

fn compile_bandit(id: &str, def: &Value) -> Option<Bandit> {
    let Some(obj) = def.as_object() else {
        // JS reads any other truthy definition as a bandit without contexts
        // (every user gets the fallback leaf), and a falsy one as none.
        log::warn!(target: "growthbook", "contextual bandit {id:?} is not an object; rules using it get its fallback leaf");
        return crate::js::truthy(def).then(|| Bandit {
            version: None,
            leaves: Vec::new(),
        });
    };
    let f = Fields::of(obj);
    let leaves = obj
        .get("contexts")
        .and_then(Value::as_array)
        .map(|contexts| contexts.iter().filter_map(compile_leaf).collect())
        .unwrap_or_default();
    Some(Bandit {
        version: f.i64("banditVersion").ok().flatten(),
        leaves,
    })
}

fn compile_leaf(value: &Value) -> Option<BanditLeaf> {
    let f = Fields::of(value.as_object()?);
    Some(BanditLeaf {
        leaf_id: f.i64("leafId").ok()??,
        condition: match f.get("condition") {
            Some(condition) => compile_condition(JsonTree::borrowed(condition), 0),
            None => Cond::All(Vec::new()),
        },
        weights: f.f64_list("weights").ok()??,
    })
}

/// A `FeatureSet` can be a field of your own configuration: it deserializes
/// from a payload object with the same leniency as [`FeatureSet::from_json`].
impl<'de> serde::Deserialize<'de> for FeatureSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match payload_de::read(deserializer)? {
            Ok(payload) => FeatureSet::from_payload(payload),
            Err(not_an_object) => FeatureSet::from_value(not_an_object),
        }
        .map_err(serde::de::Error::custom)
    }
}
