//! The shared workload through `growthbook-rust` 0.4.0 (the official Rust
//! crate) and through this SDK, in one process, with the ratio per case.
//!
//! ```sh
//! cargo run --release --manifest-path benches/peer/Cargo.toml
//! ```
//!
//! `growthbook-peer-bench parse <workload|realistic> <ours|peer> <times>`
//! only parses that payload `times` times, for counting instructions with
//! `valgrind --tool=callgrind` (repeatable where timings are not).
//!
//! Each figure is the median over samples of the time of one evaluation,
//! averaged over the workload's 100 users. Both SDKs must return the expected
//! value for every user first, so no wrong answer is timed.

use growthbook::{FeatureSet, GrowthBook};
use growthbook_rust::dto::GrowthBookFeature;
use growthbook_rust::growthbook::GrowthBook as PeerGrowthBook;
use growthbook_rust::model_public::{GrowthBookAttribute, SavedGroup};
use serde_json::Value;
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

const WORKLOAD: &str = include_str!("../../../growthbook/benches/data/workload.json");
const REALISTIC: &str = include_str!("../../../growthbook/benches/data/realistic.json");
const EXPECTED: &str = include_str!("../../../growthbook/benches/data/expected.json");
const SAMPLES: usize = 31;

/// Median nanoseconds per call of `f`, which makes `calls` calls.
fn time(calls: usize, mut f: impl FnMut()) -> f64 {
    let mut iterations = 1;
    loop {
        let start = Instant::now();
        for _ in 0..iterations {
            f();
        }
        if start.elapsed().as_millis() >= 20 {
            break;
        }
        iterations *= 2;
    }
    let mut samples: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                f();
            }
            start.elapsed().as_nanos() as f64 / (iterations * calls) as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[SAMPLES / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, payload, side, times] = args.as_slice() {
        assert_eq!(
            mode, "parse",
            "usage: growthbook-peer-bench parse <workload|realistic> <ours|peer> <times>"
        );
        let source: Value = serde_json::from_str(if payload == "realistic" {
            REALISTIC
        } else {
            WORKLOAD
        })
        .expect("JSON");
        let ours = if payload == "realistic" {
            source["payload"].to_string()
        } else {
            serde_json::json!({ "features": source["features"] }).to_string()
        };
        let theirs = if payload == "realistic" {
            source["payload"]["features"].to_string()
        } else {
            source["features"].to_string()
        };
        for _ in 0..times.parse::<usize>().expect("a number of times") {
            if side == "ours" {
                black_box(FeatureSet::from_json_str(black_box(&ours)).ok());
            } else {
                black_box(
                    serde_json::from_str::<HashMap<String, GrowthBookFeature>>(black_box(&theirs))
                        .ok(),
                );
            }
        }
        return;
    }
    let workload: Value = serde_json::from_str(WORKLOAD).expect("workload.json");
    let expected: Value = serde_json::from_str(EXPECTED).expect("expected.json");
    let features_json = serde_json::json!({ "features": workload["features"] }).to_string();
    let peer_features_json = workload["features"].to_string();
    let (ours, peer) = compare(
        &serde_json::json!({ "features": workload["features"] }),
        &workload["users"],
        &workload["cases"],
        &expected["cases"],
    );

    // The realistic workload: production shapes (saved groups, a long
    // `$in`, 24 rules, hashing on `deviceId`, 28 attributes).
    let realistic: Value = serde_json::from_str(REALISTIC).expect("realistic.json");
    println!();
    compare(
        &realistic["payload"],
        &realistic["users"],
        &realistic["cases"],
        &realistic["expected"],
    );
    println!();

    let template = &ours[0];
    let ours_ns = time(1, || {
        black_box(template.with_attributes(black_box(Value::Null)));
    });
    let peer_ns = time(1, || {
        black_box(peer.clone());
    });
    println!(
        "{:<20} {ours_ns:>11.1} ns {peer_ns:>15.1} ns {:>7.1}x",
        "per-request instance",
        peer_ns / ours_ns
    );

    parse("parse payload", &features_json, &peer_features_json);
    // The realistic workload's 1.16 MB payload (5,000 features).
    parse(
        "parse 1.16 MB",
        &realistic["payload"].to_string(),
        &realistic["payload"]["features"].to_string(),
    );
}

/// Times every case of a workload on both sides, after checking every
/// answer: ours with the cheapest call (`feature_value`) and the full result
/// (`eval_feature`), the peer's `check` (its only call, a full result).
/// Returns both sides' instances (ours per user, the peer's one).
fn compare(
    payload: &Value,
    users: &Value,
    cases: &Value,
    answers: &Value,
) -> (Vec<GrowthBook>, PeerGrowthBook) {
    let users = users.as_array().expect("users");
    // Ours: one shared feature set, one instance per user.
    let features = Arc::new(FeatureSet::from_json(payload).expect("the payload compiles"));
    let ours: Vec<GrowthBook> = users
        .iter()
        .map(|a| {
            GrowthBook::builder()
                .features(Arc::clone(&features))
                .attributes(a.clone())
                .build()
        })
        .collect();
    // Theirs: the feature map and saved groups, attributes on each call.
    let peer = PeerGrowthBook {
        forced_variations: None,
        features: serde_json::from_value(payload["features"].clone())
            .expect("the peer reads the features"),
        attributes: None,
        sticky_bucket_service: None,
        saved_groups: payload["savedGroups"]
            .as_object()
            .map(|groups| {
                groups
                    .iter()
                    .map(|(id, group)| (id.clone(), SavedGroup::from(group)))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let peer_users: Vec<Option<Vec<GrowthBookAttribute>>> = users
        .iter()
        .map(|a| Some(GrowthBookAttribute::from(a.clone()).expect("attributes")))
        .collect();

    println!(
        "{:<24} {:>13} {:>13} {:>16} {:>9} {:>9}",
        "case", "feature_value", "eval_feature", "growthbook-rust", "cheapest", "full"
    );
    for case in cases.as_array().expect("cases") {
        let name = case["name"].as_str().unwrap_or_default();
        let key = case["featureKey"].as_str().unwrap_or_default();
        let mut peer_right = true;
        for (i, answer) in answers[name]
            .as_array()
            .expect("answers")
            .iter()
            .enumerate()
        {
            assert_eq!(
                *ours[i].feature_value(key),
                answer["value"],
                "growthbook-rs, {name}, user {i}"
            );
            peer_right &= peer.check(key, &peer_users[i]).value == answer["value"];
        }
        let n = users.len();
        let cheapest_ns = time(n, || {
            for gb in &ours {
                black_box(gb.feature_value(black_box(key)));
            }
        });
        let full_ns = time(n, || {
            for gb in &ours {
                let result = gb.eval_feature(black_box(key));
                black_box(&result);
            }
        });
        if !peer_right {
            // A wrong answer is not timed.
            println!(
                "{name:<24} {cheapest_ns:>10.1} ns {full_ns:>10.1} ns {:>16} {:>9} {:>9}",
                "wrong answers", "-", "-"
            );
            continue;
        }
        let peer_ns = time(n, || {
            for attributes in &peer_users {
                black_box(peer.check(black_box(key), attributes));
            }
        });
        println!(
            "{name:<24} {cheapest_ns:>10.1} ns {full_ns:>10.1} ns {peer_ns:>13.1} ns {:>8.1}x {:>8.1}x",
            peer_ns / cheapest_ns,
            peer_ns / full_ns
        );
    }
    (ours, peer)
}

/// Parse + compile a payload on our side against the peer's typed
/// deserialize of its feature map (the same features, without the payload
/// around them, which is what the peer reads).
fn parse(name: &str, ours: &str, theirs: &str) {
    assert!(
        FeatureSet::from_json_str(ours).is_ok(),
        "growthbook-rs reads {name}"
    );
    assert!(
        serde_json::from_str::<HashMap<String, GrowthBookFeature>>(theirs).is_ok(),
        "growthbook-rust reads {name}"
    );
    // Alternated, one parse each per round, so that both sides see the same
    // machine (this one's speed moves by 2x over a minute); the ratio is the
    // median of the rounds' ratios.
    const ROUNDS: usize = 41;
    let ours_once = || {
        let start = Instant::now();
        black_box(FeatureSet::from_json_str(black_box(ours)).ok());
        start.elapsed().as_nanos() as f64
    };
    let peer_once = || {
        let start = Instant::now();
        black_box(
            serde_json::from_str::<HashMap<String, GrowthBookFeature>>(black_box(theirs)).ok(),
        );
        start.elapsed().as_nanos() as f64
    };
    ours_once();
    peer_once();
    let rounds: Vec<(f64, f64)> = (0..ROUNDS).map(|_| (ours_once(), peer_once())).collect();
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let ratio = median(rounds.iter().map(|(o, p)| p / o).collect());
    let ours_ns = median(rounds.iter().map(|r| r.0).collect());
    let peer_ns = median(rounds.iter().map(|r| r.1).collect());
    println!(
        "{name:<20} {:>11.2} ms {:>15.2} ms {:>7.1}x",
        ours_ns / 1e6,
        peer_ns / 1e6,
        ratio
    );
}
