//! Benchmarks on the shared workload (`benches/data/`, from the project's
//! `bench/` directory): one group per named case, each timing one evaluation
//! averaged over the workload's 100 users, through the string-key API and the
//! typed accessors; plus per-request instance cost and payload parsing.
//!
//! `cargo bench -p growthbook` runs them; `tests/workload.rs` checks that
//! every timed evaluation returns the expected answer.

#[path = "common/users.rs"]
mod users;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use growthbook::{FeatureSet, GrowthBook};
use serde_json::Value;
use std::hint::black_box;
use std::sync::Arc;
use users::Request as _;

growthbook::include_features!(pub WorkloadFeatures, "benches/data/workload.json");

const WORKLOAD: &str = include_str!("data/workload.json");

struct Workload {
    features: Arc<FeatureSet>,
    /// One instance per user.
    users: Vec<GrowthBook>,
    /// The users as request handlers hold them.
    requests: Vec<users::WorkloadRequest>,
    cases: Vec<(String, String)>,
    /// The payload part alone, as compact JSON (what an SDK downloads).
    payload_json: String,
}

fn workload() -> Workload {
    let workload: Value = serde_json::from_str(WORKLOAD).expect("workload.json is JSON");
    let payload = serde_json::json!({ "features": workload["features"] });
    let features = Arc::new(FeatureSet::from_json(&payload).expect("the workload compiles"));
    let users = workload["users"]
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
    let cases = workload["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default().to_owned(),
                c["featureKey"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    Workload {
        features,
        users,
        requests: users::requests(&workload["users"]),
        cases,
        payload_json: payload.to_string(),
    }
}

/// Each iteration evaluates the case once for every user; throughput is per
/// evaluation, so criterion reports the time of one.
fn cases(c: &mut Criterion) {
    let w = workload();
    let n = w.users.len() as u64;
    for (name, key) in &w.cases {
        let mut group = c.benchmark_group(name.as_str());
        group.throughput(Throughput::Elements(n));
        group.bench_function("eval_feature", |b| {
            b.iter(|| {
                for gb in &w.users {
                    // Read in place, as a caller does: `black_box(result)`
                    // would time a 400-byte move that no caller makes.
                    let result = gb.eval_feature(black_box(key));
                    black_box(&result);
                }
            })
        });
        group.bench_function("is_on", |b| {
            b.iter(|| {
                for gb in &w.users {
                    black_box(gb.is_on(black_box(key)));
                }
            })
        });
        // Typed attributes: warm instances, then whole requests (attributes
        // built from the request's data, an instance, one flag), for JSON
        // and typed attributes.
        let template = GrowthBook::builder()
            .features(Arc::clone(&w.features))
            .build();
        let typed: Vec<_> = w
            .requests
            .iter()
            .map(|r| template.with_typed_attributes(r.user()))
            .collect();
        group.bench_function("is_on_typed", |b| {
            b.iter(|| {
                for gb in &typed {
                    black_box(gb.is_on(black_box(key)));
                }
            })
        });
        group.bench_function("request_json", |b| {
            b.iter(|| {
                for request in &w.requests {
                    let gb = template.with_attributes(request.json());
                    black_box(gb.is_on(black_box(key)));
                }
            })
        });
        group.bench_function("request_typed", |b| {
            b.iter(|| {
                for request in &w.requests {
                    let user = request.user();
                    let gb = template.with_typed_attributes(&user);
                    black_box(gb.is_on(black_box(key)));
                }
            })
        });
        // The value deserialized into the feature's natural type, as most
        // callers read it (an owned `String` or `Value` allocates).
        let default = w.features.default_value(key).cloned();
        group.bench_function("get_feature_value", |b| {
            b.iter(|| {
                for gb in &w.users {
                    match &default {
                        Some(Value::String(_)) => {
                            black_box(gb.get_feature_value(black_box(key), String::new()));
                        }
                        Some(Value::Number(_)) => {
                            black_box(gb.get_feature_value(black_box(key), 0.0f64));
                        }
                        Some(Value::Object(_) | Value::Array(_)) => {
                            black_box(gb.get_feature_value(black_box(key), Value::Null));
                        }
                        _ => {
                            black_box(gb.get_feature_value(black_box(key), false));
                        }
                    }
                }
            })
        });
        group.bench_function("feature_value", |b| {
            b.iter(|| {
                for gb in &w.users {
                    black_box(gb.feature_value(black_box(key)));
                }
            })
        });
        group.bench_function("typed", |b| {
            b.iter(|| {
                for gb in &w.users {
                    let flags = gb.features::<WorkloadFeatures>();
                    match name.as_str() {
                        "default_only" => {
                            black_box(flags.dark_mode());
                        }
                        "force_condition" => {
                            black_box(flags.checkout_banner_text());
                        }
                        "rollout" => {
                            black_box(flags.new_search());
                        }
                        "experiment" => {
                            black_box(flags.pricing_page_layout());
                        }
                        "complex_condition" => {
                            black_box(flags.beta_dashboard());
                        }
                        "json_value" => {
                            black_box(flags.checkout_config());
                        }
                        _ => {
                            static SLOT: growthbook::typed::KeySlot =
                                growthbook::typed::KeySlot::new("no-such-feature");
                            black_box(growthbook::typed::get::<bool, _>(gb, &SLOT, || false));
                        }
                    }
                }
            })
        });
        group.finish();
    }
}

fn instances(c: &mut Criterion) {
    let w = workload();
    let template = &w.users[0];
    let mut group = c.benchmark_group("instance");
    group.bench_function("builder_create_drop", |b| {
        b.iter(|| {
            black_box(
                GrowthBook::builder()
                    .features(Arc::clone(&w.features))
                    .build(),
            )
        })
    });
    group.bench_function("with_attributes_create_drop", |b| {
        b.iter_batched(
            || template.attributes().clone(),
            |attributes| black_box(template.with_attributes(attributes)),
            BatchSize::SmallInput,
        )
    });
    let request = &w.requests[0];
    group.bench_function("with_typed_attributes_create_drop", |b| {
        b.iter(|| black_box(template.with_typed_attributes(black_box(request).user())))
    });
    group.finish();
}

fn parsing(c: &mut Criterion) {
    let w = workload();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(w.payload_json.len() as u64));
    group.sample_size(30);
    group.bench_function("serde_json_value", |b| {
        b.iter(|| black_box(serde_json::from_str::<Value>(black_box(&w.payload_json))))
    });
    group.bench_function("feature_set", |b| {
        b.iter(|| black_box(FeatureSet::from_json_str(black_box(&w.payload_json))))
    });
    group.finish();
}

/// URL-redirect experiments on a page request: the current URL and the
/// patterns read as JS's `URL` reads them, then the redirect decided.
fn redirects(c: &mut Criterion) {
    let payload = serde_json::json!({"features": {}, "experiments": [
        {"key": "pricing-page", "weights": [0.5, 0.5], "variations": [{}, {"urlRedirect": "https://www.example.com/pricing-b"}],
         "urlPatterns": [{"type": "simple", "include": true, "pattern": "https://www.example.com/pricing"}]},
        {"key": "checkout", "weights": [0.5, 0.5], "persistQueryString": true,
         "variations": [{}, {"urlRedirect": "https://www.example.com/checkout-v2"}],
         "urlPatterns": [{"type": "simple", "include": true, "pattern": "/checkout"},
                         {"type": "regex", "include": false, "pattern": "\\?preview="}]},
    ]});
    let template = GrowthBook::builder()
        .features_json(&payload)
        .expect("the payload compiles")
        .build();
    let mut group = c.benchmark_group("url_redirect");
    for (name, url) in [
        ("no_match", "https://www.example.com/about?ref=nav"),
        (
            "simple_match",
            "https://www.example.com/checkout?utm_source=mail&cart=42",
        ),
    ] {
        let mut gb = template.with_attributes(serde_json::json!({"id": "u_1001"}));
        gb.set_url(url);
        group.bench_function(name, |b| {
            b.iter(|| black_box(black_box(&gb).url_redirect()))
        });
    }
    group.finish();
}

criterion_group!(benches, cases, instances, parsing, redirects);
criterion_main!(benches);
