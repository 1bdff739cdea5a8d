//! Typed accessors (`#[derive(Features)]`, `include_features!`) agree with the
//! string-key API, fire tracking only for what they read, and fall back
//! without panicking when a value does not fit.

mod attributes;
mod derive;
mod golden;
mod include;
mod include_attributes;
mod overrides;
