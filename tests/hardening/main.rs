//! Properties that must hold for any input: loading and evaluating never
//! panics and is deterministic; bucketing follows the configured weights;
//! hostile shapes stay bounded.

mod hostile;
mod properties;
mod statistics;
