//! The run-time contract test of an attributes struct against a payload:
//! what `#[derive(Attributes)]`'s generated `check(&payload)` reports, with
//! the same model of the export's targeting as the compile-time checks
//! (`growthbook_export`), so the two cannot disagree.

use super::AttributeKinds;
use crate::const_str;
use growthbook_export::Export;
use serde_json::Value;
use std::fmt;

/// Something about a payload's targeting that an attributes struct does not
/// cover.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AttributeProblem {
    /// The payload's targeting uses an attribute the struct has no field
    /// for: those conditions never see a value from it.
    Missing {
        /// The attribute.
        attribute: String,
        /// Where the payload uses it (`feature "checkout" rule 2`...).
        used_by: Vec<String>,
    },
    /// A field's type can never satisfy how the payload uses it (a string
    /// compared with `$gt: 18`).
    Mismatch {
        /// The attribute.
        attribute: String,
        /// What the field reads as.
        field: AttributeKinds,
        /// Where the payload uses it.
        location: String,
        /// How (`$gt: 18`).
        usage: String,
        /// What could satisfy that use.
        needs: AttributeKinds,
    },
    /// A field with a closed set of values (an enum) has none of the
    /// strings the payload compares the attribute with (`== "enterprise"`
    /// where the enum has `free` and `pro`): that test never passes.
    NoSuchValue {
        /// The attribute.
        attribute: String,
        /// The values the field has.
        values: Vec<String>,
        /// Where the payload compares it.
        location: String,
        /// How (`== "enterprise"`, `$in: [...]`).
        usage: String,
    },
    /// The payload is not a features export at all.
    Unreadable {
        /// Why, in words.
        reason: String,
    },
}

impl fmt::Display for AttributeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributeProblem::Missing { attribute, used_by } => write!(
                f,
                "attribute {attribute:?} is used by {} but the attributes struct has no field for it",
                used_by.join(", ")
            ),
            AttributeProblem::Mismatch {
                attribute,
                field,
                location,
                usage,
                needs,
            } => write!(
                f,
                "attribute {attribute:?} is {field}, but {location} tests it with `{usage}`, which only {needs} can satisfy"
            ),
            AttributeProblem::NoSuchValue {
                attribute,
                values,
                location,
                usage,
            } => write!(
                f,
                "attribute {attribute:?} takes only {values:?}, but {location} compares it with `{usage}`, which none of them equals"
            ),
            AttributeProblem::Unreadable { reason } => write!(f, "the payload is {reason}"),
        }
    }
}

/// What one field of an attributes struct reads as, for checking it against
/// a payload's targeting: its attribute name, its kinds, and for a nested
/// struct its own fields. `#[derive(Attributes)]` generates the table
/// (`ToAttribute::FIELDS`); write one by hand for hand-written
/// [`Attributes`](super::Attributes).
#[derive(Debug, Clone, Copy)]
pub struct FieldKinds {
    /// The attribute name (`loggedIn`).
    pub name: &'static str,
    /// The kinds of value the field reads as.
    pub kinds: AttributeKinds,
    /// A nested struct's fields (dotted paths: `company.plan`); `None` for
    /// anything else.
    pub fields: Option<&'static [FieldKinds]>,
    /// An enum's values, the only strings the field reads as
    /// (`ToAttribute::VALUES`); `None` for anything else.
    pub values: Option<&'static [&'static str]>,
}

/// Whether a type with these `values` (an enum's; `None`: any string) can
/// equal one of `literals`. `const`, so that `#[growthbook(schema)]` checks
/// an enum field against the strings the export compares it with at
/// compile time.
#[doc(hidden)]
pub const fn equals_any(values: Option<&[&str]>, literals: &[&str]) -> bool {
    let Some(values) = values else {
        return true;
    };
    let mut i = 0;
    while i < values.len() {
        let mut j = 0;
        while j < literals.len() {
            if const_str::equal(values[i], literals[j]) {
                return true;
            }
            j += 1;
        }
        i += 1;
    }
    false
}

/// The kinds of the field at `path` (the parts after the top-level
/// attribute: `["plan"]` for `company.plan`) in a struct's field table;
/// `None` when a step is not a known struct field (a list index, a JSON
/// value, a field the struct lacks). `const`, so that
/// `#[growthbook(schema)]` checks nested fields at compile time.
pub const fn kinds_at(fields: Option<&[FieldKinds]>, path: &[&str]) -> Option<AttributeKinds> {
    let Some(mut fields) = fields else {
        return None;
    };
    let mut step = 0;
    while step < path.len() {
        let mut i = 0;
        let mut found = None;
        while i < fields.len() {
            if const_str::equal(fields[i].name, path[step]) {
                found = Some(&fields[i]);
                break;
            }
            i += 1;
        }
        let Some(field) = found else {
            return None;
        };
        step += 1;
        if step == path.len() {
            return Some(field.kinds);
        }
        match field.fields {
            Some(nested) => fields = nested,
            None => return None,
        }
    }
    None
}

/// Checks a struct's fields against a payload's targeting: attributes it
/// uses that no field holds, and fields (nested ones too, for dotted paths)
/// whose kinds can never satisfy a use. Generated `check` functions call it
/// with the struct's `ToAttribute::FIELDS`.
pub fn check_fields(payload: &Value, fields: &[FieldKinds]) -> Result<(), Vec<AttributeProblem>> {
    let export = match Export::from_json(payload) {
        Ok(export) => export,
        Err(e) => {
            return Err(vec![AttributeProblem::Unreadable {
                reason: e.to_string(),
            }])
        }
    };
    let mut problems = Vec::new();
    for attribute in export.attributes() {
        let uses = export
            .attribute_uses
            .iter()
            .filter(|u| u.attribute == attribute);
        let Some(field) = fields.iter().find(|f| f.name == attribute) else {
            problems.push(AttributeProblem::Missing {
                attribute: attribute.to_owned(),
                used_by: uses.map(|u| u.location.clone()).collect(),
            });
            continue;
        };
        for usage in uses {
            let rest: Vec<&str> = usage.path.split('.').skip(1).collect();
            // The top-level attribute, then the nested field the path
            // leads to, when the struct knows it.
            let mut checks = vec![(attribute, field.kinds, usage.kinds)];
            if let Some(kinds) = kinds_at(field.fields, &rest).filter(|_| !rest.is_empty()) {
                checks.push((usage.path.as_str(), kinds, usage.path_kinds));
            }
            problems.extend(
                checks
                    .into_iter()
                    .filter(|(_, kinds, needs)| !needs.intersects(*kinds))
                    .map(|(attribute, kinds, needs)| AttributeProblem::Mismatch {
                        attribute: attribute.to_owned(),
                        field: kinds,
                        location: usage.location.clone(),
                        usage: usage.usage.clone(),
                        needs,
                    }),
            );
            // An enum compared with strings it does not have.
            if let Some(values) = field.values.filter(|_| rest.is_empty()) {
                let literals: Vec<&str> = usage.equals.iter().map(String::as_str).collect();
                if !literals.is_empty() && !equals_any(Some(values), &literals) {
                    problems.push(AttributeProblem::NoSuchValue {
                        attribute: attribute.to_owned(),
                        values: values.iter().map(|v| (*v).to_owned()).collect(),
                        location: usage.location.clone(),
                        usage: usage.usage.clone(),
                    });
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The problems `check_fields` reports, as text.
    fn problems(payload: &Value, fields: &[FieldKinds]) -> Vec<String> {
        check_fields(payload, fields)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn field(name: &'static str, kinds: AttributeKinds) -> FieldKinds {
        FieldKinds {
            name,
            kinds,
            fields: None,
            values: None,
        }
    }

    const ADDRESS: &[FieldKinds] = &[FieldKinds {
        name: "zip",
        kinds: AttributeKinds::STRING,
        fields: None,
        values: None,
    }];
    const COMPANY: &[FieldKinds] = &[
        FieldKinds {
            name: "size",
            kinds: AttributeKinds::NUMBER,
            fields: None,
            values: None,
        },
        FieldKinds {
            name: "address",
            kinds: AttributeKinds::OBJECT,
            fields: Some(ADDRESS),
            values: None,
        },
    ];

    #[test]
    fn nested_fields_are_found_by_path() {
        assert_eq!(
            kinds_at(Some(COMPANY), &["size"]),
            Some(AttributeKinds::NUMBER)
        );
        assert_eq!(
            kinds_at(Some(COMPANY), &["address", "zip"]),
            Some(AttributeKinds::STRING)
        );
        assert_eq!(
            kinds_at(Some(COMPANY), &["address"]),
            Some(AttributeKinds::OBJECT)
        );
        assert_eq!(kinds_at(Some(COMPANY), &["sizes"]), None);
        assert_eq!(kinds_at(Some(COMPANY), &["size", "x"]), None);
        assert_eq!(kinds_at(Some(COMPANY), &[]), None);
        assert_eq!(kinds_at(None, &["size"]), None);
        // Usable in constants, as the derive's compile-time checks are.
        const SIZE: Option<AttributeKinds> = kinds_at(Some(COMPANY), &["size"]);
        assert_eq!(SIZE, Some(AttributeKinds::NUMBER));
    }

    #[test]
    fn nested_fields_are_checked_against_dotted_paths() {
        let payload = json!({"features": {"f": {"rules": [
            {"condition": {"company.size": {"$regex": "^1"}, "company.address.zip": {"$gt": 5}}},
            {"condition": {"company.name": "acme", "company.size": {"$gt": 5}}}
        ]}}});
        let user = [FieldKinds {
            name: "company",
            kinds: AttributeKinds::OBJECT,
            fields: Some(COMPANY),
            values: None,
        }];
        let text = problems(&payload, &user);
        assert_eq!(
            text,
            [
                "attribute \"company.size\" is a number, but feature \"f\" rule 1 tests it with `$regex: \"^1\"`, which only a string can satisfy",
                "attribute \"company.address.zip\" is a string, but feature \"f\" rule 1 tests it with `$gt: 5`, which only a number can satisfy",
            ]
        );
        // A struct that is not an object at all fails at the top level.
        let flat = [field("company", AttributeKinds::STRING)];
        assert_eq!(check_fields(&payload, &flat).unwrap_err().len(), 4);
    }

    #[test]
    fn an_enum_compared_with_strings_it_lacks_is_reported() {
        let payload = json!({"features": {"f": {"rules": [
            {"condition": {"plan": "enterprise"}},
            {"condition": {"plan": {"$in": ["pro", "team"]}}},
            {"condition": {"plan": {"$eq": "team"}, "tier": {"$ne": "x"}}},
            {"condition": {"plan": {"$nin": ["x"]}, "tier": {"$in": ["y", 3]}}}
        ]}}});
        const PLANS: &[&str] = &["free", "pro"];
        let user = [
            FieldKinds {
                values: Some(PLANS),
                ..field("plan", AttributeKinds::STRING)
            },
            FieldKinds {
                values: Some(&["x"]),
                ..field("tier", AttributeKinds::STRING)
            },
        ];
        let text = problems(&payload, &user);
        assert_eq!(
            text,
            [
                "attribute \"plan\" takes only [\"free\", \"pro\"], but feature \"f\" rule 1 compares it with `== \"enterprise\"`, which none of them equals",
                "attribute \"plan\" takes only [\"free\", \"pro\"], but feature \"f\" rule 3 compares it with `$eq: \"team\"`, which none of them equals",
                "attribute \"tier\" takes only [\"x\"], but feature \"f\" rule 4 compares it with `$in: [\"y\",3]`, which none of them equals",
            ]
        );
        // Usable in constants, as the derive's compile-time checks are.
        const _: () = assert!(equals_any(Some(PLANS), &["team", "pro"]));
        const _: () = assert!(!equals_any(Some(PLANS), &["team", "pr"]));
        const _: () = assert!(equals_any(None, &["team"]));
    }

    #[test]
    fn missing_and_mismatched_attributes_are_reported() {
        let payload = json!({"features": {"f": {"rules": [
            {"condition": {"age": {"$gt": 18}, "country": "US"}},
            {"condition": {"plan": "pro"}}
        ]}}});
        let problems = check_fields(
            &payload,
            &[
                field("age", AttributeKinds::STRING),
                field("country", AttributeKinds::STRING),
            ],
        )
        .unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "attribute \"age\" is a string, but feature \"f\" rule 1 tests it with `$gt: 18`, which only a number can satisfy",
                "attribute \"plan\" is used by feature \"f\" rule 2 but the attributes struct has no field for it",
            ]
        );
        let fine = [
            field("age", AttributeKinds::NUMBER),
            field("country", AttributeKinds::STRING),
            field("plan", AttributeKinds::ANY),
        ];
        assert_eq!(check_fields(&payload, &fine), Ok(()));
        assert!(matches!(
            check_fields(&json!({"encryptedFeatures": "x"}), &fine).unwrap_err()[..],
            [AttributeProblem::Unreadable { .. }]
        ));
    }
}
