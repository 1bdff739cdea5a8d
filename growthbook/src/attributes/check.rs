//! The run-time contract test of an attributes struct against a payload:
//! what `#[derive(Attributes)]`'s generated `check(&payload)` reports, with
//! the same model of the export's targeting as the compile-time checks
//! (`growthbook_export`), so the two cannot disagree.

use super::AttributeKinds;
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
            AttributeProblem::Unreadable { reason } => write!(f, "the payload is {reason}"),
        }
    }
}

/// Checks attribute fields (name, kinds) against a payload's targeting:
/// attributes it uses that no field holds, and fields whose kinds can never
/// satisfy a use. Generated `check` functions call it; call it directly for
/// hand-written [`Attributes`](super::Attributes).
pub fn check_fields(
    payload: &Value,
    fields: &[(&str, AttributeKinds)],
) -> Result<(), Vec<AttributeProblem>> {
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
        match fields.iter().find(|(name, _)| *name == attribute) {
            None => problems.push(AttributeProblem::Missing {
                attribute: attribute.to_owned(),
                used_by: uses.map(|u| u.location.clone()).collect(),
            }),
            Some((_, field)) => {
                problems.extend(uses.filter(|u| !u.kinds.intersects(*field)).map(|u| {
                    AttributeProblem::Mismatch {
                        attribute: attribute.to_owned(),
                        field: *field,
                        location: u.location.clone(),
                        usage: u.usage.clone(),
                        needs: u.kinds,
                    }
                }))
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

    #[test]
    fn missing_and_mismatched_attributes_are_reported() {
        let payload = json!({"features": {"f": {"rules": [
            {"condition": {"age": {"$gt": 18}, "country": "US"}},
            {"condition": {"plan": "pro"}}
        ]}}});
        let problems = check_fields(
            &payload,
            &[
                ("age", AttributeKinds::STRING),
                ("country", AttributeKinds::STRING),
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
            ("age", AttributeKinds::NUMBER),
            ("country", AttributeKinds::STRING),
            ("plan", AttributeKinds::ANY),
        ];
        assert_eq!(check_fields(&payload, &fine), Ok(()));
        assert!(matches!(
            check_fields(&json!({"encryptedFeatures": "x"}), &fine).unwrap_err()[..],
            [AttributeProblem::Unreadable { .. }]
        ));
    }
}
