//! The run-time contract test of an attributes struct against a payload:
//! what `#[derive(Attributes)]`'s generated `check(&payload)` reports, with
//! the same model of the export's targeting as the compile-time checks
//! (`growthbook_export`), so the two cannot disagree.

use super::field_table::{equals_any, kinds_at, lacks, unreachable_at, values_at, FieldKinds};
use super::AttributeKinds;
use growthbook_export::{display_path, places, Export};
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
        /// What the field reads as ([`AttributeKinds::NONE`] when the
        /// path reads into a string, number or bool, where it always finds
        /// nothing: items that are strings tested for a `sku`).
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
            } => {
                if *field == AttributeKinds::NONE {
                    write!(f, "attribute {attribute:?} is always missing (a string, number or bool on its path has no fields)")?;
                } else {
                    write!(f, "attribute {attribute:?} is {field}")?;
                }
                write!(f, ", but {location} tests it with `{usage}`, which only {needs} can satisfy")
            }
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
                used_by: owned(places(uses)),
            });
            continue;
        };
        // Dotted paths into a nested struct that lacks their field, in the
        // order first used.
        let mut missing: Vec<&str> = Vec::new();
        for usage in uses.clone() {
            let rest: Vec<&str> = usage.path.split('.').skip(1).collect();
            if lacks(field.fields, &rest) {
                if !missing.contains(&usage.path.as_str()) {
                    missing.push(&usage.path);
                }
                continue;
            }
            // The top-level attribute, then the nested field the path
            // leads to, when the struct knows it.
            let mut checks = Vec::new();
            if !usage.tests_items() {
                checks.push((attribute.to_owned(), field.kinds, usage.kinds));
            }
            if let Some(kinds) = kinds_at(field.fields, &rest).filter(|_| !rest.is_empty()) {
                checks.push((display_path(&usage.path), kinds, usage.path_kinds));
            }
            // A path through a string, number or bool (items that are
            // strings, tested for a `sku`) is always missing, which only
            // uses of any value (`$eq: null`, `$exists`) can tell apart.
            if usage.path_kinds != AttributeKinds::ANY && unreachable_at(field.fields, &rest) {
                checks.push((
                    display_path(&usage.path),
                    AttributeKinds::NONE,
                    usage.path_kinds,
                ));
            }
            problems.extend(
                checks
                    .into_iter()
                    .filter(|(_, kinds, needs)| !needs.intersects(*kinds))
                    .map(|(attribute, kinds, needs)| AttributeProblem::Mismatch {
                        attribute,
                        field: kinds,
                        location: usage.location.clone(),
                        usage: usage.usage.clone(),
                        needs,
                    }),
            );
            // An enum compared with strings it does not have.
            let values = if rest.is_empty() {
                field.values
            } else {
                values_at(field.fields, &rest)
            };
            if let Some(values) = values {
                let literals: Vec<&str> = usage.equals.iter().map(String::as_str).collect();
                if !literals.is_empty() && !equals_any(Some(values), &literals) {
                    problems.push(AttributeProblem::NoSuchValue {
                        attribute: display_path(&usage.path),
                        values: values.iter().map(|v| (*v).to_owned()).collect(),
                        location: usage.location.clone(),
                        usage: usage.usage.clone(),
                    });
                }
            }
        }
        problems.extend(missing.into_iter().map(|path| AttributeProblem::Missing {
            attribute: display_path(path),
            used_by: owned(places(uses.clone().filter(|u| u.path == path))),
        }));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn owned(places: Vec<&str>) -> Vec<String> {
    places.into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attributes::field_table::tests::COMPANY;
    use crate::attributes::field_table::LIST_ITEMS;
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
            untargeted: false,
        }
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
            untargeted: false,
        }];
        let text = problems(&payload, &user);
        assert_eq!(
            text,
            [
                "attribute \"company.size\" is a number, but feature \"f\" rule 1 tests it with `$regex: \"^1\"`, which only a string can satisfy",
                "attribute \"company.address.zip\" is a string, but feature \"f\" rule 1 tests it with `$gt: 5`, which only a number can satisfy",
                // The nested struct has no `name`.
                "attribute \"company.name\" is used by feature \"f\" rule 2 but the attributes struct has no field for it",
            ]
        );
        // A struct that is not an object at all fails at the top level.
        let flat = [field("company", AttributeKinds::STRING)];
        assert_eq!(check_fields(&payload, &flat).unwrap_err().len(), 4);
    }

    #[test]
    fn list_items_are_checked_as_elem_match_tests_them() {
        use crate::attributes::ToAttribute;
        // A list's table has its items, not its indices nor `length`.
        let tags = <Vec<String> as ToAttribute>::FIELDS;
        assert_eq!(kinds_at(tags, &[LIST_ITEMS]), Some(AttributeKinds::STRING));
        assert_eq!(kinds_at(tags, &["0"]), None);
        assert!(!lacks(tags, &["length"]));
        assert!(!lacks(tags, &["0"]));
        let grid = <&[[u8; 2]] as ToAttribute>::FIELDS;
        assert_eq!(
            kinds_at(grid, &[LIST_ITEMS, LIST_ITEMS]),
            Some(AttributeKinds::NUMBER)
        );
        const ITEM: &[FieldKinds] = &[FieldKinds {
            name: "sku",
            kinds: AttributeKinds::STRING,
            fields: None,
            values: None,
            untargeted: false,
        }];
        let user = [FieldKinds {
            name: "items",
            kinds: AttributeKinds::LIST,
            fields: Some(&[FieldKinds {
                name: LIST_ITEMS,
                kinds: AttributeKinds::OBJECT,
                fields: Some(ITEM),
                values: None,
                untargeted: false,
            }]),
            values: None,
            untargeted: false,
        }];
        let payload = json!({"features": {"f": {"rules": [
            {"condition": {"items": {"$elemMatch": {"sku": {"$gt": 1}, "qty": 2}}}},
            {"condition": {"items": {"$elemMatch": {"qty": {"$gt": 2}}}}}
        ]}}});
        assert_eq!(
            problems(&payload, &user),
            [
                "attribute \"items[].sku\" is a string, but feature \"f\" rule 1 tests it with `$elemMatch: {\"sku\":{\"$gt\":1},\"qty\":2}`, which only a number can satisfy",
                "attribute \"items[].qty\" is used by feature \"f\" rule 1, feature \"f\" rule 2 but the attributes struct has no field for it",
            ]
        );
        // A scalar where `$elemMatch` needs a list: one problem per rule.
        let flat = [field("items", AttributeKinds::STRING)];
        assert_eq!(problems(&payload, &flat).len(), 2);
    }

    #[test]
    fn paths_through_strings_numbers_and_bools_are_always_missing() {
        let strings = [FieldKinds {
            fields: <Vec<String> as crate::attributes::ToAttribute>::FIELDS,
            ..field("items", AttributeKinds::LIST)
        }];
        let payload = json!({"features": {"f": {"rules": [
            {"condition": {"items": {"$elemMatch": {"sku": {"$regex": "^A"}}}}},
            // Missing values satisfy these: nothing to report.
            {"condition": {"items": {"$elemMatch": {"sku": {"$exists": false}, "qty": {"$ne": 1}}}}}
        ]}}});
        assert_eq!(
            problems(&payload, &strings),
            ["attribute \"items[].sku\" is always missing (a string, number or bool on its path has no fields), but feature \"f\" rule 1 tests it with `$elemMatch: {\"sku\":{\"$regex\":\"^A\"}}`, which only a string can satisfy"]
        );
        // Through a nested struct's number, and past a list's items.
        let company = [FieldKinds {
            fields: Some(COMPANY),
            ..field("company", AttributeKinds::OBJECT)
        }];
        let payload = json!({"features": {"f": {"rules": [
            {"condition": {"company.size.unit": "seats", "company.address.zip.0": {"$regex": "^9"}}},
            {"condition": {"company.size.unit": {"$exists": false}}}
        ]}}});
        assert_eq!(problems(&payload, &company).len(), 2);
    }

    #[test]
    fn nested_enums_compared_with_strings_they_lack_are_reported() {
        const PLANS: &[&str] = &["free", "pro"];
        const ACCOUNT: &[FieldKinds] = &[FieldKinds {
            name: "plan",
            kinds: AttributeKinds::STRING,
            fields: None,
            values: Some(PLANS),
            untargeted: false,
        }];
        let user = [FieldKinds {
            fields: Some(ACCOUNT),
            ..field("account", AttributeKinds::OBJECT)
        }];
        let payload = json!({"features": {"f": {"rules": [
            {"condition": {"account.plan": "team"}},
            {"condition": {"account.plan": {"$in": ["pro", "team"]}}}
        ]}}});
        assert_eq!(
            problems(&payload, &user),
            ["attribute \"account.plan\" takes only [\"free\", \"pro\"], but feature \"f\" rule 1 compares it with `== \"team\"`, which none of them equals"]
        );
        assert_eq!(values_at(Some(ACCOUNT), &["plan"]), Some(PLANS));
        assert_eq!(values_at(Some(ACCOUNT), &["plans"]), None);
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
