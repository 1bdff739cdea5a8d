//! Reading experiments and their parts from payload JSON, with the JS SDK's
//! presence rules (empty strings and zero versions count as unset).

use crate::compile::wire::{FieldError, Fields};
use crate::compile::{compact, value_pool};
use crate::hash::Namespace;
use crate::model::condition::Condition;
use crate::model::experiment::{
    Experiment, Filter, LegacyTargeting, ParentCondition, UrlPattern, VariationMeta,
};
use serde_json::{Map, Value};

impl ParentCondition {
    pub(crate) fn from_json(value: &Value) -> Result<ParentCondition, FieldError> {
        let obj = value
            .as_object()
            .ok_or_else(|| FieldError("a parent condition should be an object".into()))?;
        let f = Fields::of(obj);
        let id = f
            .str("id")?
            .ok_or_else(|| FieldError("a parent condition needs a string `id`".into()))?;
        Ok(ParentCondition {
            id: id.to_owned(),
            condition: Condition::new(
                f.get("condition")
                    .cloned()
                    .unwrap_or(Value::Object(Map::new())),
            ),
            gate: f.bool("gate")?.unwrap_or(false),
        })
    }
}

impl Filter {
    pub(crate) fn from_json(value: &Value) -> Result<Filter, FieldError> {
        let obj = value
            .as_object()
            .ok_or_else(|| FieldError("a filter should be an object".into()))?;
        let f = Fields::of(obj);
        Ok(Filter {
            attribute: f.str("attribute")?.map(str::to_owned),
            seed: f.str("seed")?.unwrap_or_default().to_owned(),
            hash_version: f.i64("hashVersion")?,
            ranges: f.range_list("ranges")?.unwrap_or_default(),
        })
    }
}

impl Experiment {
    /// Reads an experiment from its JSON (camelCase) form, as found in a
    /// payload's `experiments` list. Unknown fields are ignored; a known field
    /// of the wrong type is an error naming it.
    pub fn from_json(value: &Value) -> Result<Experiment, crate::Error> {
        let obj = value.as_object().ok_or_else(|| {
            crate::Error::InvalidPayload("an experiment should be a JSON object".into())
        })?;
        let f = Fields::of(obj);
        let key = f
            .str("key")
            .map_err(invalid)?
            .unwrap_or_default()
            .to_owned();
        let variations = f
            .array("variations")
            .map_err(invalid)?
            .cloned()
            .unwrap_or_default();
        let condition = f.get("condition").map(|c| Condition::new(c.clone()));
        let mut exp = Experiment::from_fields(f, key, variations, condition).map_err(invalid)?;
        exp.active = f.bool("active").map_err(invalid)?;
        exp.force = f.i64("force").map_err(invalid)?;
        exp.status = f.str("status").map_err(invalid)?.map(Box::from);
        exp.persist_query_string = f.bool("persistQueryString").map_err(invalid)?;
        exp.manual = f.bool("manual").map_err(invalid)?;
        exp.parent_conditions = parent_conditions(f)
            .map_err(invalid)?
            .map(Vec::into_boxed_slice);
        exp.url_patterns = f
            .array("urlPatterns")
            .map_err(invalid)?
            .map(|items| items.iter().filter_map(url_pattern).collect());
        let legacy = LegacyTargeting {
            url: f
                .str("url")
                .map_err(invalid)?
                .filter(|url| !url.is_empty())
                .map(str::to_owned),
            groups: f.array("groups").map_err(invalid)?.map(|groups| {
                groups
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            }),
        };
        if legacy != LegacyTargeting::default() {
            exp.legacy = Some(Box::new(legacy));
        }
        Ok(exp)
    }

    /// The fields shared by auto experiments and feature experiment rules,
    /// with the JS SDK's presence rules (empty strings and 0 versions unset).
    /// (`condition` is passed in, already compiled, so that callers owning
    /// the JSON can move it instead of copying it.)
    pub(crate) fn from_fields(
        f: Fields<'_>,
        key: String,
        variations: Vec<Value>,
        condition: Option<Condition>,
    ) -> Result<Experiment, FieldError> {
        let non_empty = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(Box::from);
        Ok(Experiment {
            key,
            variations: compact::collect(variations.into_iter().map(value_pool::keep)),
            weights: f.f64_list("weights")?.map(Vec::into_boxed_slice),
            coverage: f.f64("coverage")?,
            ranges: f.range_list("ranges")?.map(Vec::into_boxed_slice),
            condition,
            namespace: match f.get("namespace") {
                None => None,
                Some(ns) => Some(Namespace::from_json(ns).ok_or_else(|| {
                    FieldError("`namespace` should be [name, start, end]".into())
                })?),
            },
            hash_attribute: non_empty(f.str("hashAttribute")?),
            fallback_attribute: non_empty(f.str("fallbackAttribute")?),
            hash_version: f.i64("hashVersion")?.filter(|v| *v != 0),
            meta: f.array("meta")?.map(|items| {
                items
                    .iter()
                    .map(|m| m.as_object().map(VariationMeta::of).unwrap_or_default())
                    .collect()
            }),
            filters: filters(f)?.map(Vec::into_boxed_slice),
            seed: non_empty(f.str("seed")?),
            name: non_empty(f.str("name")?),
            phase: non_empty(f.str("phase")?),
            disable_sticky_bucketing: f.bool("disableStickyBucketing")?.filter(|b| *b),
            bucket_version: f.i64("bucketVersion")?,
            min_bucket_version: f.i64("minBucketVersion")?,
            ..Experiment::default()
        })
    }
}

fn invalid(e: FieldError) -> crate::Error {
    crate::Error::InvalidPayload(format!("experiment: {}", e.0))
}

/// A rule's or experiment's `filters` (hash-range filters).
pub(crate) fn filters(f: Fields<'_>) -> Result<Option<Vec<Filter>>, FieldError> {
    match f.array("filters")? {
        None => Ok(None),
        Some(items) => Ok(Some(
            items
                .iter()
                .map(Filter::from_json)
                .collect::<Result<_, _>>()?,
        )),
    }
}

/// `parentConditions`: the prerequisites of a rule or experiment.
pub(crate) fn parent_conditions(f: Fields<'_>) -> Result<Option<Vec<ParentCondition>>, FieldError> {
    match f.array("parentConditions")? {
        None => Ok(None),
        Some(items) => Ok(Some(
            items
                .iter()
                .map(ParentCondition::from_json)
                .collect::<Result<_, _>>()?,
        )),
    }
}

fn url_pattern(value: &Value) -> Option<UrlPattern> {
    let f = Fields::of(value.as_object()?);
    Some(UrlPattern {
        kind: f.str("type").ok()??.to_owned(),
        pattern: f.str("pattern").ok()??.to_owned(),
        include: f.bool("include").ok().flatten().unwrap_or(true),
    })
}

impl<'de> serde::Deserialize<'de> for Experiment {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Experiment::from_json(&value).map_err(serde::de::Error::custom)
    }
}
