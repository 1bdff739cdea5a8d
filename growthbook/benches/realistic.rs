//! Benchmarks on the realistic workload (`benches/data/realistic.json`, see
//! `benches/realistic/generate.py`): production shapes the shared workload
//! lacks. Each group times one evaluation averaged over the 100 users, with
//! the cheapest call (`is_on` or `feature_value`) and the full result
//! (`eval_feature`); `tests/realistic.rs` checks every answer first.

#[path = "common/users.rs"]
mod users;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use growthbook::{FeatureSet, GrowthBook};
use serde_json::Value;
use std::hint::black_box;
use std::sync::Arc;
use users::Request as _;

const WORKLOAD: &str = include_str!("data/realistic.json");

fn cases(c: &mut Criterion) {
    let workload: Value = serde_json::from_str(WORKLOAD).expect("realistic.json is JSON");
    let features = Arc::new(FeatureSet::from_json(&workload["payload"]).expect("it compiles"));
    let users: Vec<GrowthBook> = workload["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|attributes| {
            GrowthBook::builder()
                .features(Arc::clone(&features))
                .attributes(attributes.clone())
                .build()
        })
        .collect();
    let requests: Vec<users::RealisticRequest> = users::requests(&workload["users"]);
    let template = GrowthBook::builder()
        .features(Arc::clone(&features))
        .build();
    let typed: Vec<_> = requests
        .iter()
        .map(|r| template.with_typed_attributes(r.user()))
        .collect();
    let n = users.len() as u64;
    for case in workload["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().unwrap_or_default();
        let key = case["featureKey"].as_str().unwrap_or_default().to_owned();
        let mut group = c.benchmark_group(format!("realistic/{name}"));
        group.throughput(Throughput::Elements(n));
        group.bench_function("feature_value", |b| {
            b.iter(|| {
                for gb in &users {
                    black_box(gb.feature_value(black_box(&key)));
                }
            })
        });
        group.bench_function("eval_feature", |b| {
            b.iter(|| {
                for gb in &users {
                    // Read in place, as a caller does: `black_box(result)`
                    // would time a 400-byte move that no caller makes.
                    let result = gb.eval_feature(black_box(&key));
                    black_box(&result);
                }
            })
        });
        // Typed attributes: warm instances, then whole requests (attributes
        // built from the request's data, an instance, one flag).
        group.bench_function("feature_value_typed", |b| {
            b.iter(|| {
                for gb in &typed {
                    black_box(gb.feature_value(black_box(&key)));
                }
            })
        });
        group.bench_function("eval_feature_typed", |b| {
            b.iter(|| {
                for gb in &typed {
                    // Read in place, as a caller does: `black_box(result)`
                    // would time a 400-byte move that no caller makes.
                    let result = gb.eval_feature(black_box(&key));
                    black_box(&result);
                }
            })
        });
        group.bench_function("request_json", |b| {
            b.iter(|| {
                for request in &requests {
                    let gb = template.with_attributes(request.json());
                    black_box(gb.feature_value(black_box(&key)));
                }
            })
        });
        group.bench_function("request_typed", |b| {
            b.iter(|| {
                for request in &requests {
                    let user = request.user();
                    let gb = template.with_typed_attributes(&user);
                    black_box(gb.feature_value(black_box(&key)));
                }
            })
        });
        group.finish();
    }
}

fn parsing(c: &mut Criterion) {
    let workload: Value = serde_json::from_str(WORKLOAD).expect("realistic.json is JSON");
    let text = workload["payload"].to_string();
    let mut group = c.benchmark_group("realistic/parse");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("serde_json_value", |b| {
        b.iter(|| black_box(serde_json::from_str::<Value>(black_box(&text))))
    });
    group.bench_function("feature_set", |b| {
        b.iter(|| black_box(FeatureSet::from_json_str(black_box(&text))))
    });
    group.finish();
}

criterion_group!(benches, cases, parsing);
criterion_main!(benches);
