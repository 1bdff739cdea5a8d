//! Instruction counts per evaluation, for `benches/instructions.sh`, which
//! runs this under `valgrind --tool=callgrind`: on a shared machine whose
//! timings move by 20% from run to run, instruction counts are repeatable, so
//! they compare JSON attributes, typed attributes and whole requests exactly.
//!
//! `instructions <workload|realistic> <case> <iterations> <json|typed|request|request_json|eval>`
//! evaluates the case's flag (`feature_value`; `eval_feature` for `eval`,
//! on JSON attributes) for every user of the workload, `iterations` times, after one warm-up pass.
//! `instructions <workload|realistic> parse <iterations> <feature_set|value>`
//! parses the workload's payload text into a feature set, or into a
//! `serde_json::Value` for comparison. Without arguments (as `cargo bench`
//! runs it) it does nothing. With `TIME_BATCHES=<n>` in the environment it
//! also prints the best wall time per evaluation of n batches.

#[path = "common/users.rs"]
mod users;

use growthbook::GrowthBook;
use serde_json::Value;
use std::hint::black_box;
use users::{RealisticRequest, Request, WorkloadRequest};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, workload, case, iterations, mode, ..] = args.as_slice() else {
        return;
    };
    let iterations: usize = iterations.parse().expect("a number of iterations");
    let path = format!("growthbook/benches/data/{workload}.json");
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the workload")).expect("JSON");
    if case == "parse" {
        let payload = if workload == "realistic" {
            data["payload"].to_string()
        } else {
            serde_json::json!({"features": data["features"]}).to_string()
        };
        for _ in 0..iterations {
            match mode.as_str() {
                "feature_set" => drop(black_box(growthbook::FeatureSet::from_json_str(black_box(
                    &payload,
                )))),
                "value" => drop(black_box(serde_json::from_str::<Value>(black_box(
                    &payload,
                )))),
                other => panic!("unknown parse mode {other:?}"),
            }
        }
        return;
    }
    let key = data["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == case.as_str())
        .and_then(|c| c["featureKey"].as_str())
        .expect("a case of the workload");
    let on = if workload == "realistic" {
        let template = template(&data["payload"]);
        run::<RealisticRequest>(&template, &data["users"], key, iterations, mode)
    } else {
        let template = template(&serde_json::json!({"features": data["features"]}));
        run::<WorkloadRequest>(&template, &data["users"], key, iterations, mode)
    };
    println!("{on}");
}

fn template(payload: &Value) -> GrowthBook {
    GrowthBook::builder()
        .features_json(payload)
        .expect("it compiles")
        .build()
}

fn run<R: Request>(
    template: &GrowthBook,
    users: &Value,
    key: &str,
    iterations: usize,
    mode: &str,
) -> usize {
    let requests: Vec<R> = users::requests(users);
    let json: Vec<GrowthBook> = requests
        .iter()
        .map(|r| template.with_attributes(r.json()))
        .collect();
    let typed: Vec<_> = requests
        .iter()
        .map(|r| template.with_typed_attributes(r.user()))
        .collect();
    let mut on = 0;
    let mut count =
        |value: std::borrow::Cow<'_, Value>| on += usize::from(!black_box(value).is_null());
    // Warm-up: lazily compiled regexes and seed tables.
    for gb in &json {
        count(gb.feature_value(key));
    }
    // `TIME_BATCHES=<n>`: also print wall time per evaluation, the best of
    // n batches of `iterations` rounds (a quick look where instructions and
    // time disagree; criterion is the measurement of record).
    let batches: usize = std::env::var("TIME_BATCHES")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(1);
    let mut best = f64::INFINITY;
    for _ in 0..batches {
        let start = std::time::Instant::now();
        for _ in 0..iterations {
            match mode {
                "json" => json.iter().for_each(|gb| count(gb.feature_value(key))),
                "typed" => typed.iter().for_each(|gb| count(gb.feature_value(key))),
                "eval" => json.iter().for_each(|gb| count(gb.eval_feature(key).value)),
                "request" => requests.iter().for_each(|r| {
                    let user = r.user();
                    count(template.with_typed_attributes(&user).feature_value(key))
                }),
                "request_json" => requests
                    .iter()
                    .for_each(|r| count(template.with_attributes(r.json()).feature_value(key))),
                other => panic!("unknown mode {other:?}"),
            }
        }
        best = best
            .min(start.elapsed().as_secs_f64() * 1e9 / (iterations * requests.len()).max(1) as f64);
    }
    if std::env::var_os("TIME_BATCHES").is_some() {
        eprintln!("{best:.1} ns per evaluation");
    }
    on
}
