//! The shared workload through the public API that every version of the
//! crate has (`FeatureSet::from_json_str`, the builder, `is_on`,
//! `feature_value`, `eval_feature`, `get_feature_value::<Value>`), so that
//! two revisions can be compared by instructions (`run.sh`), which stay put
//! on a shared machine where timings move by 2x.
//!
//! `growthbook-ab-bench <workload.json> <case|parse|instance> <iterations> <mode>`
//! with mode `is_on`, `feature_value`, `eval_feature`, `owned` (a
//! `serde_json::Value`) or `natural` (the default value's own type).

use growthbook::{FeatureSet, GrowthBook};
use serde_json::Value;
use std::hint::black_box;
use std::sync::Arc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, case, iterations, mode, ..] = args.as_slice() else {
        eprintln!(
            "usage: growthbook-ab-bench <workload.json> <case|parse|instance> <iterations> <mode>"
        );
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).expect("the workload file");
    let data: Value = serde_json::from_str(&text).expect("JSON");
    let n: usize = iterations.parse().expect("a number of iterations");
    let payload = serde_json::json!({"features": data["features"]}).to_string();
    if case == "parse" {
        for _ in 0..n {
            drop(black_box(FeatureSet::from_json_str(black_box(&payload))));
        }
        return;
    }
    let features = Arc::new(FeatureSet::from_json_str(&payload).expect("the payload compiles"));
    let users: Vec<GrowthBook> = data["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| {
            GrowthBook::builder()
                .features(Arc::clone(&features))
                .attributes(u.clone())
                .build()
        })
        .collect();
    if case == "instance" {
        for _ in 0..n * users.len() {
            black_box(users[0].with_attributes(black_box(Value::Null)));
        }
        return;
    }
    let key = data["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == case.as_str())
        .and_then(|c| c["featureKey"].as_str())
        .expect("a case of the workload")
        .to_owned();
    // Warm-up: memos, lazily compiled regexes.
    for gb in &users {
        black_box(gb.eval_feature(&key));
    }
    let default = features_default(&data, &key);
    let mut on = 0usize;
    // `AB_TIME=<batches>`: wall time per evaluation, the best of that many
    // batches of `n` rounds (for a quick look between two builds; the
    // instruction counts are what `run.sh` compares).
    let batches: usize = std::env::var("AB_TIME")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(1);
    let mut best = f64::INFINITY;
    for _ in 0..batches {
        let start = std::time::Instant::now();
        for _ in 0..n {
            for gb in &users {
                on += usize::from(match mode.as_str() {
                    "is_on" => black_box(gb.is_on(black_box(&key))),
                    // Read in place (a move into `black_box` would copy 400
                    // bytes that no caller copies).
                    "eval_feature" => {
                        let result = gb.eval_feature(black_box(&key));
                        black_box(&result);
                        result.on
                    }
                    "owned" => {
                        !black_box(gb.get_feature_value::<Value>(black_box(&key), Value::Null))
                            .is_null()
                    }
                    // As the README's `get_feature_value` column reads it: the
                    // default value's own type.
                    "natural" => match default {
                        Some(Value::String(_)) => {
                            !black_box(gb.get_feature_value(black_box(&key), String::new()))
                                .is_empty()
                        }
                        Some(Value::Number(_)) => {
                            black_box(gb.get_feature_value(black_box(&key), 0.0f64)) != 0.0
                        }
                        Some(Value::Object(_) | Value::Array(_)) => {
                            !black_box(gb.get_feature_value(black_box(&key), Value::Null)).is_null()
                        }
                        _ => black_box(gb.get_feature_value(black_box(&key), false)),
                    },
                    _ => !black_box(gb.feature_value(black_box(&key))).is_null(),
                });
            }
        }
        best = best.min(start.elapsed().as_secs_f64() * 1e9 / (n * users.len()).max(1) as f64);
    }
    if std::env::var_os("AB_TIME").is_some() {
        eprintln!("{best:.1} ns per evaluation");
    }
    println!("{on}");
}

/// The workload's default value of a feature.
fn features_default<'a>(data: &'a Value, key: &str) -> Option<&'a Value> {
    data["features"].get(key)?.get("defaultValue")
}
