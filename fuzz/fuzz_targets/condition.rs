//! Any condition against any attributes and saved groups (three JSON
//! documents separated by newlines): evaluating and pruning never panic.
#![no_main]

use growthbook::{eval_condition, prune_condition};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let parse = |part: Option<&str>| part.and_then(|p| serde_json::from_str::<Value>(p).ok());
    let Some(condition) = parse(parts.next()) else { return };
    let attributes = parse(parts.next()).unwrap_or(Value::Null);
    let groups = parse(parts.next()).unwrap_or(Value::Null);
    let _ = eval_condition(&attributes, &condition, &groups);
    let _ = prune_condition(&condition, &attributes, &groups);
});
