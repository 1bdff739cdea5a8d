//! Reading a payload straight from JSON: each feature is compiled as soon as
//! it is read, so the `features` object (often thousands of entries) is never
//! built as a JSON map first. Everything else in the payload is small and is
//! read as plain JSON values.

use crate::compile::features::{compile_definition, Definition, RuleList};
use crate::compile::value_pool;
use crate::compile::wire::{member_name, Members};
use crate::model::feature_table::FeatureTable;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// A payload's `features` member, compiled.
pub(crate) enum Features {
    /// No `features` member.
    Absent,
    /// `features` is not an object: a value of its kind (`null`, a number,
    /// an empty array for any array...), for the error message.
    NotAnObject(Value),
    /// The compiled features.
    Table(FeatureTable),
}

/// A payload as read: its compiled features and the rest of its members.
pub(crate) struct Payload {
    pub(crate) features: Features,
    pub(crate) rest: Map<String, Value>,
}

/// Reads a payload from its JSON text (see [`read`]).
pub(crate) fn read_str(json: &str) -> Result<Result<Payload, Value>, crate::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    read(&mut deserializer)
        .and_then(|payload| deserializer.end().map(|()| payload))
        .map_err(|e| crate::Error::InvalidJson(e.to_string()))
}

/// Reads a payload object. Anything that is not an object comes back as
/// `Err` with a value of its kind (empty for strings and arrays), for the
/// caller to report.
pub(crate) fn read<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Result<Payload, Value>, D::Error> {
    deserializer.deserialize_any(ObjectOr(PayloadMembers))
}

/// Reads the members of a JSON object.
trait ReadObject<'de> {
    type Output;
    fn read<A: MapAccess<'de>>(self, map: A) -> Result<Self::Output, A::Error>;
    fn expecting(&self) -> &'static str;
}

/// Visits an object with `R`; any other JSON value comes back as `Err` with
/// a value of its kind (strings and arrays are skipped and come back empty).
struct ObjectOr<R>(R);

impl<'de, R: ReadObject<'de>> Visitor<'de> for ObjectOr<R> {
    type Value = Result<R::Output, Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.expecting())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.read(map).map(Ok)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err(Value::Null))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Err(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Err(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Err(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Err(Value::from(v)))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err(Value::String(String::new())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(Value::Array(Vec::new())))
    }
}

/// The members of a payload: `features` compiled as read, the rest kept.
struct PayloadMembers;

impl<'de> ReadObject<'de> for PayloadMembers {
    type Output = Payload;

    fn read<A: MapAccess<'de>>(self, mut map: A) -> Result<Payload, A::Error> {
        let mut payload = Payload {
            features: Features::Absent,
            rest: Map::new(),
        };
        while let Some(key) = map.next_key::<String>()? {
            if key == "features" {
                // A repeated member replaces the earlier one, as in any JSON map.
                payload.features = match map.next_value_seed(FeaturesSeed)? {
                    Ok(table) => Features::Table(table),
                    Err(other) => Features::NotAnObject(other),
                };
            } else {
                let value = map.next_value::<Value>()?;
                payload.rest.insert(key, value);
            }
        }
        Ok(payload)
    }

    fn expecting(&self) -> &'static str {
        "a GrowthBook features payload"
    }
}

/// The `features` member: each definition compiled as soon as it is read.
struct FeaturesSeed;

impl<'de> DeserializeSeed<'de> for FeaturesSeed {
    type Value = Result<FeatureTable, Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(ObjectOr(FeatureDefinitions))
    }
}

struct FeatureDefinitions;

impl<'de> ReadObject<'de> for FeatureDefinitions {
    type Output = FeatureTable;

    fn read<A: MapAccess<'de>>(self, mut map: A) -> Result<FeatureTable, A::Error> {
        value_pool::scope(|| {
            let mut table = FeatureTable::with_capacity(map.size_hint().unwrap_or(0));
            while let Some(key) = map.next_key::<String>()? {
                let definition = map.next_value_seed(ObjectSeed(DefinitionMembers))?;
                let feature = compile_definition(&key, definition.ok());
                table.insert(key, feature);
            }
            table.shrink_to_fit();
            Ok(table)
        })
    }

    fn expecting(&self) -> &'static str {
        "an object of feature definitions"
    }
}

/// An object read with `R`, or a value of another kind (see [`ObjectOr`]).
struct ObjectSeed<R>(R);

impl<'de, R: ReadObject<'de>> DeserializeSeed<'de> for ObjectSeed<R> {
    type Value = Result<R::Output, Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(ObjectOr(self.0))
    }
}

/// A member name, without allocating the names the payload format defines.
struct MemberName;

impl<'de> DeserializeSeed<'de> for MemberName {
    type Value = Cow<'static, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for MemberName {
    type Value = Cow<'static, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        Ok(member_name(name))
    }
}

/// A feature definition: its default value and its rules, the rest skipped.
struct DefinitionMembers;

impl<'de> ReadObject<'de> for DefinitionMembers {
    type Output = Definition<'de>;

    fn read<A: MapAccess<'de>>(self, mut map: A) -> Result<Definition<'de>, A::Error> {
        let mut definition = Definition::default();
        while let Some(name) = map.next_key_seed(MemberName)? {
            match &*name {
                "defaultValue" => definition.default_value = Some(map.next_value()?),
                "rules" => definition.rules = map.next_value_seed(Rules)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(definition)
    }

    fn expecting(&self) -> &'static str {
        "a feature definition"
    }
}

/// A definition's `rules`: a list of objects read as [`Members`].
struct Rules;

impl<'de> DeserializeSeed<'de> for Rules {
    type Value = RuleList<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RuleList<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Rules {
    type Value = RuleList<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of rules")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RuleList<'de>, A::Error> {
        let mut rules = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(rule) = seq.next_element_seed(ObjectSeed(RuleMembers))? {
            rules.push(rule.ok());
        }
        Ok(RuleList::Rules(rules))
    }

    fn visit_unit<E>(self) -> Result<RuleList<'de>, E> {
        Ok(RuleList::Absent)
    }

    fn visit_bool<E>(self, _: bool) -> Result<RuleList<'de>, E> {
        Ok(RuleList::NotAList)
    }

    fn visit_i64<E>(self, _: i64) -> Result<RuleList<'de>, E> {
        Ok(RuleList::NotAList)
    }

    fn visit_u64<E>(self, _: u64) -> Result<RuleList<'de>, E> {
        Ok(RuleList::NotAList)
    }

    fn visit_f64<E>(self, _: f64) -> Result<RuleList<'de>, E> {
        Ok(RuleList::NotAList)
    }

    fn visit_str<E>(self, _: &str) -> Result<RuleList<'de>, E> {
        Ok(RuleList::NotAList)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RuleList<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(RuleList::NotAList)
    }
}

/// A rule's members, in order.
struct RuleMembers;

/// Room for the members of most rules (a force rule has 2-7, an experiment
/// rule 8-14): growing a list of 96-byte members by doubling costs copies.
const RULE_MEMBERS: usize = 8;

impl<'de> ReadObject<'de> for RuleMembers {
    type Output = Members<'de>;

    fn read<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
        let mut members = Members::with_capacity(RULE_MEMBERS);
        while let Some(name) = map.next_key_seed(MemberName)? {
            if name == "condition" {
                members.set_condition(map.next_value()?);
            } else {
                let value = map.next_value::<Value>()?;
                members.insert(name, value);
            }
        }
        Ok(members)
    }

    fn expecting(&self) -> &'static str {
        "a rule"
    }
}
