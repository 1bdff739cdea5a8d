//! What a reduced payload is for: the known attributes and the project, tag
//! and custom-field filters of [`super::reduce_payload`].

use crate::error::Error;
use serde_json::{Map, Value};

/// Prefix of the features that implement holdouts.
pub(crate) const HOLDOUT_PREFIX: &str = "$holdout:";

/// What a reduced payload is for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReduceOptions {
    /// The attributes known on the server (a key present with `null` is
    /// known). Conditions on them are decided before the payload is sent.
    pub attributes: Map<String, Value>,
    /// Keep only the features and experiments that match every filter given.
    /// Its projects also scope rules: a rule listing projects, none of them
    /// included, is dropped from a feature in the included projects.
    pub include: PayloadFilter,
    /// Drop the features and experiments that match any filter given (by
    /// their listed projects, tags or custom fields; rules are not dropped).
    pub exclude: PayloadFilter,
    /// What happens to the prerequisites of the features kept.
    pub prerequisites: Prerequisites,
}

/// Filters on the `metadata` of features and experiments (and, for the
/// include filter's projects, of rules).
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
    /// `projects`, `tags`, `customFields`) and `prerequisites` (`"carry"`,
    /// also spelt `"keep"`, or `"filter"`). Other keys are ignored.
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
            // "keep" is the Python SDK's name for it.
            Some(Value::String(s)) if s == "carry" || s == "keep" => Prerequisites::Carry,
            Some(Value::String(s)) if s == "filter" => Prerequisites::Filter,
            Some(other) => {
                return Err(invalid(&format!(
                    "`prerequisites` must be \"carry\" (or \"keep\") or \"filter\", not {other}"
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
    pub(crate) fn matches_all(&self, metadata: &Metadata<'_>) -> bool {
        self.projects
            .as_ref()
            .is_none_or(|p| metadata.in_projects(p))
            && self.tags.as_ref().is_none_or(|t| metadata.has_any_tag(t))
            && self
                .custom_fields
                .iter()
                .all(|(field, values)| metadata.custom_field_in(field, values))
    }

    /// Whether the metadata matches any filter (an exclude filter). Only
    /// listed projects are excluded: being in all projects is not being in
    /// an excluded one.
    pub(crate) fn matches_any(&self, metadata: &Metadata<'_>) -> bool {
        self.projects
            .as_ref()
            .is_some_and(|p| metadata.lists_any_project(p))
            || self.tags.as_ref().is_some_and(|t| metadata.has_any_tag(t))
            || self
                .custom_fields
                .iter()
                .any(|(field, values)| metadata.custom_field_in(field, values))
    }
}

/// A value or an array of values, as items.
pub(crate) fn one_or_many(value: &Value) -> impl Iterator<Item = &Value> {
    match value {
        Value::Array(items) => items.iter(),
        single => std::slice::from_ref(single).iter(),
    }
}

/// The `metadata` object of a feature, rule or experiment (maybe absent).
pub(crate) struct Metadata<'a>(Option<&'a Map<String, Value>>);

impl<'a> Metadata<'a> {
    pub(crate) fn of(item: &'a Value) -> Metadata<'a> {
        Metadata(item.get("metadata").and_then(Value::as_object))
    }

    pub(crate) fn strings(&self, key: &str) -> impl Iterator<Item = &'a str> {
        self.0
            .and_then(|m| m.get(key))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
    }

    /// `allProjects`, read as JS reads it (any truthy value).
    pub(crate) fn all_projects(&self) -> bool {
        self.0
            .and_then(|m| m.get("allProjects"))
            .is_some_and(crate::js::truthy)
    }

    /// Whether it is scoped to projects: a `projects` member JS reads as
    /// true (any list, even an empty one).
    pub(crate) fn has_projects(&self) -> bool {
        self.0
            .and_then(|m| m.get("projects"))
            .is_some_and(crate::js::truthy)
    }

    pub(crate) fn in_projects(&self, projects: &[String]) -> bool {
        self.all_projects() || self.lists_any_project(projects)
    }

    /// Whether its `projects` list (or a single project) names one of
    /// `projects`.
    pub(crate) fn lists_any_project(&self, projects: &[String]) -> bool {
        self.0
            .and_then(|m| m.get("projects"))
            .is_some_and(|listed| {
                one_or_many(listed)
                    .filter_map(Value::as_str)
                    .any(|p| projects.iter().any(|q| q == p))
            })
    }

    pub(crate) fn has_any_tag(&self, tags: &[String]) -> bool {
        self.strings("tags").any(|t| tags.iter().any(|q| q == t))
    }

    pub(crate) fn custom_field_in(&self, field: &str, values: &[Value]) -> bool {
        self.0
            .and_then(|m| m.get("customFields"))
            .and_then(|fields| fields.get(field))
            .is_some_and(|actual| one_or_many(actual).any(|v| values.contains(v)))
    }
}
