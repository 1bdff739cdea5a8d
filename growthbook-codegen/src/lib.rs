//! Code generation for typed GrowthBook features, shared by the
//! `growthbook-macros` proc macros and by `build.rs` scripts.
//!
//! From a features export (the SDK payload or the REST API feature list) it
//! generates a struct with one typed field per feature, a view type with one
//! accessor per feature, and the `growthbook::TypedFeatures` implementation.
//! The macro (`growthbook::include_features!`) and [`Builder`] produce the
//! same code from the same input.
//!
//! In `build.rs`:
//!
//! ```no_run
//! growthbook_codegen::Builder::new()
//!     .input("features.json")
//!     .struct_name("Features")
//!     .generate_to_out_dir("features.rs")
//!     .expect("features.json generates code");
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/features.rs"));`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod attributes;
mod builder;
pub mod derive;
mod expand;
pub mod feature_value;
pub mod generate;
mod json_schema;
mod model;
mod naming;
mod rust_type;
mod serde_attrs;

pub use crate::builder::{attributes_source, source, Builder, CodegenError};
pub use growthbook_export as export;
pub use growthbook_export::{
    AttributeList, Export, ExportError, FeatureSpec, Kind, ValueAt, ValueType,
};
