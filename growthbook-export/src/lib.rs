//! What a GrowthBook features export says, in one small model shared by the
//! two places that check code against it: `growthbook-codegen` (compile
//! time: `#[derive(Features)]`, `include_features!`, `build.rs`, the CLI) and
//! the `growthbook` runtime (`AppFeatures::check(&payload)`, the contract test
//! a user runs in CI). Sharing it means the two checks cannot disagree.
//!
//! Both export formats are read:
//!
//! - the SDK payload, `{"features": {"key": {"defaultValue": ..., "rules":
//!   [...]}}}` (what `/api/features/{client_key}` serves);
//! - the REST API feature list, `{"features": [{"id": ..., "valueType": ...,
//!   "defaultValue": "<string>", "environments": {...}}]}`.
//!
//! An encrypted payload (`encryptedFeatures`) is recognised and reported as
//! such: decrypt it first (`growthbook::decrypt_payload`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod attributes;
mod condition_uses;
mod distance;
mod features;
mod json_schema;
mod kinds;
mod targeting;

pub use crate::attributes::{AttributeList, AttributeSpec, AttributeType};
pub use crate::distance::{ascii_edit_distance_ignoring_case, closest, edit_distance, typo_limit};
pub use crate::features::{Export, ExportError, FeatureSpec, Kind, ValueAt, ValueType};
pub use crate::kinds::AttributeKinds;
pub use crate::targeting::{display_path, places, AttributeUse, LIST_ITEMS};
