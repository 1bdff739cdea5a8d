//! Evaluating a bool, number or string feature allocates nothing, through the
//! string-key API and the typed accessors, for every named case of the
//! benchmark workload (after a warm-up: regexes compile, and a version-1
//! seed's hash table is allocated, on a rule's first evaluation). A typed
//! accessor returning an owned `String` allocates that string and nothing
//! else.

#[path = "../benches/common/users.rs"]
mod bench_users;

use bench_users::Request as _;
use growthbook::{FeatureSet, GrowthBook};
use serde_json::Value;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::Arc;

/// Counts the allocations of the current thread (tests run in parallel).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    /// Bytes allocated minus bytes freed by this thread.
    static LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        LIVE_BYTES.with(|n| n.set(n.get() + layout.size() as isize));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.with(|n| n.set(n.get() - layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

growthbook::include_features!(pub WorkloadFeatures, "benches/data/workload.json");

fn users() -> (Vec<GrowthBook>, Vec<(String, String)>) {
    let workload: Value =
        serde_json::from_str(include_str!("../benches/data/workload.json")).unwrap();
    let features = Arc::new(FeatureSet::from_json(&workload).unwrap());
    let users = workload["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            GrowthBook::builder()
                .features(Arc::clone(&features))
                .attributes(a.clone())
                .build()
        })
        .collect();
    let cases = workload["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["featureKey"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (users, cases)
}

#[test]
fn the_string_key_api_allocates_nothing() {
    let (users, cases) = users();
    for (name, key) in &cases {
        // Warm up: lazy regexes and seed tables are built on first use.
        for gb in &users {
            gb.eval_feature(key);
        }
        for gb in &users {
            let n = allocations(|| {
                black_box(gb.eval_feature(black_box(key)));
                black_box(gb.is_on(black_box(key)));
                black_box(gb.feature_value(black_box(key)));
            });
            assert_eq!(
                n,
                0,
                "{name}: {n} allocations for {:?}",
                gb.attributes()["id"]
            );
        }
    }
}

/// A whole request with typed attributes (the struct built from the
/// request's data, an instance, a flag) allocates nothing, for every case of
/// both workloads, from the first request on, and so does a full result
/// (`eval_feature`: an experiment's result borrows the hash value from the
/// struct).
#[test]
fn a_request_with_typed_attributes_allocates_nothing() {
    /// `request(template, data, key, full)` makes a typed instance from the
    /// request data and evaluates `key` (the cheapest call, or the full
    /// result when `full`), saying whether the result reports an experiment.
    fn check<R>(
        payload: &Value,
        users: &Value,
        cases: &Value,
        request: impl Fn(&GrowthBook, &R, &str, bool) -> bool,
    ) where
        R: serde::de::DeserializeOwned + serde::Serialize,
    {
        let template = GrowthBook::builder()
            .features_json(payload)
            .unwrap()
            .build();
        let requests: Vec<R> = bench_users::requests(users);
        for case in cases.as_array().unwrap() {
            let (name, key) = (
                case["name"].as_str().unwrap(),
                case["featureKey"].as_str().unwrap(),
            );
            // Warm up the feature set (lazy regexes, seed tables), not the
            // requests: each request below is new.
            for r in &requests {
                request(&template, r, key, true);
            }
            let mut experiments = 0;
            for (i, r) in requests.iter().enumerate() {
                let n = allocations(|| {
                    request(&template, r, key, false);
                });
                assert_eq!(n, 0, "{name}: {n} allocations for user {i}");
                let mut reports_an_experiment = false;
                let n = allocations(|| reports_an_experiment = request(&template, r, key, true));
                assert_eq!(n, 0, "{name}: {n} allocations for a full result, user {i}");
                experiments += usize::from(reports_an_experiment);
            }
            if name.contains("experiment") {
                assert!(experiments > 0, "{name}: no user got an experiment result");
            }
        }
    }
    let workload: Value =
        serde_json::from_str(include_str!("../benches/data/workload.json")).unwrap();
    check(
        &serde_json::json!({"features": workload["features"]}),
        &workload["users"],
        &workload["cases"],
        |template, r: &bench_users::WorkloadRequest, key, full| {
            let gb = template.with_typed_attributes(r.user());
            if full {
                black_box(gb.eval_feature(black_box(key)))
                    .experiment_result
                    .is_some()
            } else {
                black_box(gb.is_on(black_box(key)))
            }
        },
    );
    let realistic: Value =
        serde_json::from_str(include_str!("../benches/data/realistic.json")).unwrap();
    check(
        &realistic["payload"],
        &realistic["users"],
        &realistic["cases"],
        |template, r: &bench_users::RealisticRequest, key, full| {
            let gb = template.with_typed_attributes(r.user());
            if full {
                black_box(gb.eval_feature(black_box(key)))
                    .experiment_result
                    .is_some()
            } else {
                black_box(gb.feature_value(black_box(key))).is_null()
            }
        },
    );
}

#[test]
fn typed_accessors_allocate_only_the_strings_they_return() {
    let (users, cases) = users();
    for gb in &users {
        for (_, key) in &cases {
            gb.eval_feature(key);
        }
    }
    for gb in &users {
        let flags = gb.features::<WorkloadFeatures>();
        let scalars = allocations(|| {
            black_box(flags.dark_mode());
            black_box(flags.new_search());
            black_box(flags.beta_dashboard());
            black_box(gb.get_feature_value("new-search", false));
        });
        assert_eq!(scalars, 0, "bool features");
        let strings = allocations(|| {
            black_box(flags.checkout_banner_text());
            black_box(flags.pricing_page_layout());
        });
        assert_eq!(strings, 2, "one allocation per returned String");
    }
}

/// The memory a compiled feature set keeps, next to the size of its JSON:
/// printed (`cargo test -p growthbook --test allocations -- --nocapture`)
/// and bounded, for both benchmark payloads.
#[test]
fn a_compiled_feature_set_stays_within_a_few_times_its_json_size() {
    for data in [
        include_str!("../benches/data/workload.json"),
        include_str!("../benches/data/realistic.json"),
    ] {
        let data: Value = serde_json::from_str(data).unwrap();
        // The realistic workload ships a whole SDK payload; the other, its
        // features.
        let json = match data.get("payload") {
            Some(payload) => payload.to_string(),
            None => serde_json::json!({ "features": data["features"] }).to_string(),
        };
        // Attribute names are interned process-wide on first sight: not part
        // of one set's memory.
        drop(FeatureSet::from_json_str(&json));
        let before = LIVE_BYTES.with(Cell::get);
        let features = FeatureSet::from_json_str(&json).unwrap();
        let kept = LIVE_BYTES.with(Cell::get) - before;
        let count = features.len();
        drop(features);
        let leaked = LIVE_BYTES.with(Cell::get) - before;
        eprintln!(
            "{count} features: {} bytes of JSON, {kept} bytes compiled ({:.2}x)",
            json.len(),
            kept as f64 / json.len() as f64
        );
        assert!(kept > 0);
        // The target of the performance work: at most 3x the JSON.
        assert!(
            (kept as usize) <= json.len() * 3,
            "{kept} bytes kept for {} bytes of JSON (more than 3x)",
            json.len()
        );
        assert_eq!(leaked, 0, "dropping the set frees everything");
    }
}

/// Every operator, on the usual ASCII attributes, evaluates without
/// allocating (case-insensitive ones included: an ASCII attribute is
/// lower-cased on the stack), through JSON and typed attributes alike.
#[test]
fn every_operator_allocates_nothing() {
    let conditions = [
        serde_json::json!({"country": "US"}),
        serde_json::json!({"country": {"$ne": "FR"}}),
        serde_json::json!({"country": {"$in": ["US", "CA"]}}),
        serde_json::json!({"country": {"$nin": ["FR", "DE"]}}),
        serde_json::json!({"country": {"$ini": ["us", "ca"]}}),
        serde_json::json!({"country": {"$nini": ["fr", "de"]}}),
        serde_json::json!({"country": {"$ini": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "us"]}}),
        serde_json::json!({"tags": {"$ini": ["STAFF"]}}),
        serde_json::json!({"tags": {"$alli": ["STAFF", "Beta"]}}),
        serde_json::json!({"tags": {"$all": ["staff", "beta"]}}),
        serde_json::json!({"tags": {"$elemMatch": {"$eq": "beta"}}}),
        serde_json::json!({"tags": {"$size": 2}}),
        serde_json::json!({"tags.0": "staff"}),
        serde_json::json!({"tags.length": {"$gt": 1}}),
        serde_json::json!({"age": {"$gte": 18, "$lt": 80}}),
        serde_json::json!({"age": {"$type": "number"}}),
        serde_json::json!({"email": {"$exists": true}}),
        serde_json::json!({"email": {"$regex": "@example\\.com$"}}),
        serde_json::json!({"email": {"$regexi": "@EXAMPLE\\.com$"}}),
        serde_json::json!({"email": {"$notRegex": "^admin"}}),
        serde_json::json!({"version": {"$vgte": "2.3.0"}}),
        serde_json::json!({"version": {"$vlt": "10.0.0-beta.1"}}),
        serde_json::json!({"$or": [{"country": "FR"}, {"$not": {"age": {"$lt": 18}}}]}),
        serde_json::json!({"$nor": [{"country": "FR"}]}),
        serde_json::json!({"company": {"plan": "pro", "size": 10}}),
        serde_json::json!({"company.plan": {"$in": ["pro", "enterprise"]}}),
    ];
    let features: serde_json::Map<String, Value> = conditions
        .iter()
        .enumerate()
        .map(|(i, condition)| {
            (
                format!("f{i}"),
                serde_json::json!({"defaultValue": false,
                    "rules": [{"condition": condition, "force": true}]}),
            )
        })
        .collect();
    let set =
        Arc::new(FeatureSet::from_json(&serde_json::json!({ "features": features })).unwrap());
    let gb = GrowthBook::builder()
        .features(set)
        .attributes(serde_json::json!({
            "country": "US", "tags": ["Staff", "beta"], "age": 30,
            "email": "ada@example.com", "version": "2.10.1",
            "company": {"plan": "pro", "size": 10}
        }))
        .build();
    let tags = ["Staff", "beta"];
    let typed = gb.with_typed_attributes(OperatorUser {
        country: "US",
        tags: &tags,
        age: 30,
        email: Some("ada@example.com"),
        version: "2.10.1",
        company: OperatorCompany {
            plan: "pro",
            size: 10,
        },
    });
    let mut on = 0;
    for key in features.keys() {
        // Warm up: regexes compile on first use.
        gb.is_on(key);
        let n = allocations(|| on += usize::from(black_box(gb.is_on(black_box(key)))));
        let condition = &features[key]["rules"][0]["condition"];
        assert_eq!(n, 0, "{key} ({condition}): {n} allocations");
        let n = allocations(|| {
            assert_eq!(black_box(typed.is_on(black_box(key))), gb.is_on(key));
        });
        assert_eq!(n, 0, "{key} ({condition}), typed: {n} allocations");
    }
    // The user reaches both outcomes.
    assert!(on > 4 && on < features.len(), "{on}");
}

/// The user of [`every_operator_allocates_nothing`], typed.
#[derive(growthbook::Attributes)]
struct OperatorUser<'a> {
    country: &'a str,
    tags: &'a [&'a str],
    age: u32,
    email: Option<&'a str>,
    version: &'a str,
    company: OperatorCompany<'a>,
}

#[derive(growthbook::Attributes)]
struct OperatorCompany<'a> {
    plan: &'a str,
    size: u32,
}
