//! Bucketing follows the configured weights: for 100,000 generated ids the
//! observed shares pass a chi-square test at the 99.9% level, for several
//! weight vectors, both hash versions, and partial coverage; experiments in
//! non-overlapping namespace ranges never share a user.

use growthbook::{Experiment, GrowthBook, Namespace};
use serde_json::json;

const USERS: usize = 100_000;

/// 99.9% critical values of the chi-square distribution, by degrees of freedom.
fn critical(degrees: usize) -> f64 {
    [0.0, 10.828, 13.816, 16.266, 18.467, 20.515][degrees]
}

/// Counts per variation, plus users outside the experiment (last slot).
fn counts(experiment: &Experiment) -> Vec<usize> {
    let mut counts = vec![0; experiment.variations.len() + 1];
    let template = GrowthBook::builder().build();
    for i in 0..USERS {
        let gb = template.with_attributes(json!({"id": format!("user-{i}-{}", i * 7919)}));
        let result = gb.run(experiment);
        let slot = if result.in_experiment {
            result.variation_id
        } else {
            experiment.variations.len()
        };
        counts[slot] += 1;
    }
    counts
}

fn chi_square(observed: &[usize], expected_shares: &[f64]) -> f64 {
    observed
        .iter()
        .zip(expected_shares)
        .filter(|(_, share)| **share > 0.0)
        .map(|(&o, share)| {
            let e = share * USERS as f64;
            (o as f64 - e).powi(2) / e
        })
        .sum()
}

#[test]
fn variation_shares_match_the_weights() {
    let cases: [(&[f64], f64, i64); 6] = [
        (&[0.5, 0.5], 1.0, 1),
        (&[0.5, 0.5], 1.0, 2),
        (&[0.2, 0.3, 0.5], 1.0, 1),
        (&[0.2, 0.3, 0.5], 1.0, 2),
        (&[0.1, 0.9], 0.6, 2),
        (&[0.25, 0.25, 0.25, 0.25], 0.8, 1),
    ];
    for (weights, coverage, version) in cases {
        let experiment = Experiment {
            weights: Some(weights.into()),
            coverage: Some(coverage),
            hash_version: Some(version),
            ..Experiment::new(
                format!("chi-{version}-{}", weights.len()),
                weights.iter().map(|_| json!(0)).collect(),
            )
        };
        let observed = counts(&experiment);
        let mut shares: Vec<f64> = weights.iter().map(|w| w * coverage).collect();
        shares.push(1.0 - coverage);
        let degrees = shares.iter().filter(|s| **s > 0.0).count() - 1;
        let statistic = chi_square(&observed, &shares);
        eprintln!("weights {weights:?} coverage {coverage} v{version}: chi-square {statistic:.2} (df {degrees}, limit {})", critical(degrees));
        assert!(
            statistic < critical(degrees),
            "chi-square {statistic} for {weights:?}, v{version}: {observed:?}"
        );
    }
}

#[test]
fn non_overlapping_namespaces_never_share_a_user() {
    let in_range = |start: f64, end: f64, key: &str| Experiment {
        namespace: Some(Namespace {
            id: "checkout".into(),
            start,
            end,
        }),
        ..Experiment::new(key, vec![json!(0), json!(1)])
    };
    let (left, right) = (in_range(0.0, 0.4, "left"), in_range(0.4, 1.0, "right"));
    let template = GrowthBook::builder().build();
    let mut in_left = 0;
    for i in 0..USERS {
        let gb = template.with_attributes(json!({"id": format!("ns-user-{i}")}));
        let (a, b) = (gb.run(&left).in_experiment, gb.run(&right).in_experiment);
        assert!(!(a && b), "user {i} is in both namespace ranges");
        assert!(
            a || b,
            "user {i} is in neither range, though they cover everything"
        );
        in_left += usize::from(a);
    }
    let share = in_left as f64 / USERS as f64;
    assert!((0.39..0.41).contains(&share), "{share}");
}
