//! Typed attributes (`#[derive(Attributes)]`) evaluate exactly as their
//! JSON does: for generated users, every condition of the spec corpus (and
//! of our extra cases), every feature of the spec's feature cases and of
//! `features.json`, and every sticky-bucket case gives the same full result
//! through the struct as through `serde_json::to_value` of it; and the
//! corpus's own cases run through a struct wherever their attributes fit
//! one.

use growthbook::{Attributes, GrowthBook, InMemoryStickyBucketService};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;

#[derive(Attributes, Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    age: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    logged_in: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    anonymous_id: Option<String>,
    tags: Vec<String>,
    nums: Vec<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<Company>,
    plan: Plan,
    version: String,
    #[growthbook(rename = "$groups")]
    #[serde(rename = "$groups")]
    groups: Vec<String>,
    extra: Value,
}

#[derive(Attributes, Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
struct Company {
    name: String,
    employees: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<Plan>,
}

#[derive(Attributes, Serialize, Debug, Clone, Copy)]
#[serde(rename_all = "camelCase")]
enum Plan {
    Free,
    Pro,
    #[growthbook(rename = "enterprise-plus")]
    #[serde(rename = "enterprise-plus")]
    EnterprisePlus,
}

/// The same user, borrowed (what a request builds from data it holds).
#[derive(Attributes, Debug, Clone)]
struct UserRef<'a> {
    id: &'a str,
    name: Option<&'a str>,
    country: Option<&'a str>,
    age: Option<u32>,
    score: Option<f64>,
    logged_in: bool,
    device_id: Option<&'a str>,
    anonymous_id: Option<&'a str>,
    tags: &'a [String],
    nums: &'a [i64],
    company: Option<&'a Company>,
    plan: Plan,
    version: &'a str,
    #[growthbook(rename = "$groups")]
    groups: &'a [String],
    extra: &'a Value,
}

impl User {
    fn borrowed(&self) -> UserRef<'_> {
        UserRef {
            id: &self.id,
            name: self.name.as_deref(),
            country: self.country.as_deref(),
            age: self.age,
            score: self.score,
            logged_in: self.logged_in,
            device_id: self.device_id.as_deref(),
            anonymous_id: self.anonymous_id.as_deref(),
            tags: &self.tags,
            nums: &self.nums,
            company: self.company.as_ref(),
            plan: self.plan,
            version: &self.version,
            groups: &self.groups,
            extra: &self.extra,
        }
    }
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

fn some_string(items: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(pick(items).prop_map(str::to_owned))
}

fn plan() -> impl Strategy<Value = Plan> {
    pick(&[Plan::Free, Plan::Pro, Plan::EnterprisePlus])
}

fn user() -> impl Strategy<Value = User> {
    let ids: &'static [&'static str] = &[
        "123",
        "1",
        "",
        "user-42",
        "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
        "456",
        "abc",
    ];
    let words: &'static [&'static str] = &[
        "hello", "world", "US", "FR", "us", "", "a", "b", "beta", "foo", "bar", "Chrome",
    ];
    let versions: &'static [&'static str] = &[
        "1.2.3",
        "1.0.0-beta.1",
        "v2.0",
        "2",
        "0.9",
        "",
        "10.1.0",
        "1.2.3+build",
    ];
    let company = (pick(words), 0u32..2000, proptest::option::of(plan())).prop_map(
        |(name, employees, plan)| Company {
            name: name.to_owned(),
            employees,
            plan,
        },
    );
    let extra = prop_oneof![
        Just(Value::Null),
        Just(json!({"a": 1, "b": [1, 2]})),
        Just(json!([1, "x"])),
        Just(json!("hello")),
        Just(json!(7)),
    ];
    (
        (
            pick(ids),
            some_string(words),
            some_string(words),
            proptest::option::of(0u32..100),
            proptest::option::of(prop_oneof![
                Just(0.0),
                Just(1.5),
                Just(-3.25),
                Just(42.0),
                // JSON has no such numbers: `to_value` writes `null`.
                Just(f64::NAN),
                Just(f64::INFINITY),
            ]),
            any::<bool>(),
            some_string(ids),
            some_string(ids),
        ),
        (
            proptest::collection::vec(pick(words).prop_map(str::to_owned), 0..4),
            proptest::collection::vec(-3i64..40, 0..4),
            proptest::option::of(company),
            plan(),
            pick(versions),
            proptest::collection::vec(pick(words).prop_map(str::to_owned), 0..3),
            extra,
        ),
    )
        .prop_map(
            |(
                (id, name, country, age, score, logged_in, device_id, anonymous_id),
                (tags, nums, company, plan, version, groups, extra),
            )| User {
                id: id.to_owned(),
                name,
                country,
                age,
                score,
                logged_in,
                device_id,
                anonymous_id,
                tags,
                nums,
                company,
                plan,
                version: version.to_owned(),
                groups,
                extra,
            },
        )
}

/// Generated users, the same on every run.
fn users(count: usize) -> Vec<User> {
    let mut runner = TestRunner::deterministic();
    let strategy = user();
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).expect("a user").current())
        .collect()
}

fn corpus(name: &str) -> Value {
    let path = format!("{}/tests/spec/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("corpus file")).expect("JSON")
}

/// `value` with every number as a double: JS has no other numbers, so `0`
/// and `0.0` are one value (a struct's `f64` field reads as a number, not as
/// "a float").
fn js(value: Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.into_iter().map(js).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, js(v))).collect()),
        other => other,
    }
}

/// Every full result of every feature of `payload`, through JSON attributes
/// and through the struct (owned and borrowed), must agree, for every user.
/// Returns how many results were "on", so that callers can check that the
/// users reach both outcomes.
fn assert_same_results(payload: &Value, users: &[User], what: &str) -> usize {
    let mut on = 0;
    let template = GrowthBook::builder()
        .features_json(payload)
        .expect("payload compiles")
        .build();
    let keys: Vec<String> = template.feature_set().keys().map(str::to_owned).collect();
    for user in users {
        let json = serde_json::to_value(user).expect("user serializes");
        assert_eq!(js(user.to_json()), js(json.clone()), "to_json of {user:?}");
        assert_eq!(
            js(user.borrowed().to_json()),
            js(json.clone()),
            "to_json of {user:?}, borrowed"
        );
        let by_json = template.with_attributes(json.clone());
        let by_struct = template.with_typed_attributes(user.clone());
        let by_ref = template.with_typed_attributes(user.borrowed());
        for key in &keys {
            let expected = js(serde_json::to_value(by_json.eval_feature(key)).expect("result"));
            let owned = js(serde_json::to_value(by_struct.eval_feature(key)).expect("result"));
            let borrowed = js(serde_json::to_value(by_ref.eval_feature(key)).expect("result"));
            assert_eq!(owned, expected, "{what}, feature {key:?}, user {json}");
            assert_eq!(
                borrowed, expected,
                "{what}, feature {key:?}, user {json} (borrowed)"
            );
            on += usize::from(expected["on"] == true);
        }
    }
    on
}

#[test]
fn every_corpus_condition_reads_a_struct_as_its_json() {
    let users = users(48);
    for file in ["cases.json", "extra_cases.json"] {
        let corpus = corpus(file);
        let Some(cases) = corpus["evalCondition"].as_array() else {
            continue;
        };
        // One feature per condition; cases with saved groups get their own
        // payload.
        let mut plain = serde_json::Map::new();
        let mut on = 0;
        for (i, case) in cases.iter().enumerate() {
            let rule = json!({"condition": case[1], "force": true});
            let feature = json!({"defaultValue": false, "rules": [rule]});
            match case.get(4) {
                Some(groups) => {
                    on += assert_same_results(
                        &json!({"features": {"f": feature}, "savedGroups": groups}),
                        &users,
                        &format!("{file} evalCondition {:?}", case[0]),
                    )
                }
                None => {
                    plain.insert(format!("c{i}"), feature);
                }
            }
        }
        on += assert_same_results(
            &json!({"features": plain}),
            &users,
            &format!("{file} evalCondition"),
        );
        // The users reach conditions: many pass, most fail.
        let total = cases.len() * users.len();
        assert!(
            on > total / 50 && on < total / 2,
            "{file}: {on} of {total} passed"
        );
    }
}

#[test]
fn every_corpus_feature_reads_a_struct_as_its_json() {
    let users = users(24);
    for file in ["cases.json", "extra_cases.json"] {
        let corpus = corpus(file);
        for section in ["feature", "stickyBucket"] {
            for case in corpus[section].as_array().into_iter().flatten() {
                let context = &case[1];
                let mut payload =
                    json!({"features": context.get("features").cloned().unwrap_or(json!({}))});
                if let Some(groups) = context.get("savedGroups") {
                    payload["savedGroups"] = groups.clone();
                }
                assert_same_results(&payload, &users, &format!("{file} {section} {:?}", case[0]));
            }
        }
    }
    let features = corpus("../../features.json");
    assert_same_results(&features, &users, "features.json");
}

/// Sticky buckets written through a struct are the ones JSON writes, and
/// are read back the same way.
#[test]
fn sticky_buckets_are_saved_and_read_alike() {
    let payload = json!({"features": {"exp": {"defaultValue": 0, "rules": [{
        "key": "sticky-exp",
        "variations": [0, 1, 2],
        "hashAttribute": "deviceId",
        "fallbackAttribute": "id",
        "bucketVersion": 1,
        "meta": [{"key": "a"}, {"key": "b"}, {"key": "c"}]
    }]}}});
    for user in users(40) {
        let run = |typed: bool| {
            let service = Arc::new(InMemoryStickyBucketService::new());
            let template = GrowthBook::builder()
                .features_json(&payload)
                .expect("payload")
                .sticky_bucket_service(service.clone())
                .build();
            let first = if typed {
                serde_json::to_value(
                    template
                        .with_typed_attributes(user.borrowed())
                        .eval_feature("exp"),
                )
            } else {
                serde_json::to_value(
                    template
                        .with_attributes(serde_json::to_value(&user).expect("json"))
                        .eval_feature("exp"),
                )
            };
            (js(first.expect("result")), service.all())
        };
        assert_eq!(run(true), run(false), "user {user:?}");
    }
}

/// The attribute names the spec corpus uses most, each with its usual type:
/// a corpus case whose attributes read into this struct exactly (no
/// unknown name, no other type, no `null`) runs through it.
#[derive(Attributes, Serialize, serde::Deserialize, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[growthbook(rename_all = "camelCase")]
struct CorpusUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    x: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    age: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    anonymous_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    num: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    v: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    browser: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hello: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    member_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bday: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    father: Option<Father>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    word: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bar: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baz: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    anon_id: Option<String>,
    #[growthbook(rename = "$groups")]
    #[serde(rename = "$groups", skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pets: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nums: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    premium: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_id: Option<String>,
}

#[derive(Attributes, Serialize, serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Father {
    age: f64,
}

/// The corpus's own cases through a struct, wherever their attributes fit
/// one: conditions must give the corpus's expected answer, features the
/// result the JSON path gives (which the spec runner holds to the corpus).
#[test]
fn corpus_cases_run_through_a_struct_where_their_attributes_fit() {
    let mut ran = 0;
    let mut total = 0;
    for file in ["cases.json", "extra_cases.json"] {
        let corpus = corpus(file);
        let fit = |attributes: &Value| -> Option<CorpusUser> {
            let user: CorpusUser = serde_json::from_value(attributes.clone()).ok()?;
            (js(serde_json::to_value(&user).ok()?) == js(attributes.clone())).then_some(user)
        };
        for case in corpus["evalCondition"].as_array().into_iter().flatten() {
            total += 1;
            let Some(user) = fit(&case[2]) else { continue };
            ran += 1;
            let mut payload = json!({"features": {"f": {"defaultValue": false,
                "rules": [{"condition": case[1], "force": true}]}}});
            if let Some(groups) = case.get(4).or(case.get(3).filter(|g| g.is_object())) {
                payload["savedGroups"] = groups.clone();
            }
            let gb = GrowthBook::builder()
                .features_json(&payload)
                .expect("payload")
                .build()
                .with_typed_attributes(user);
            assert_eq!(
                Value::Bool(gb.is_on("f")),
                case[3],
                "{file} evalCondition {:?}",
                case[0]
            );
        }
        for case in corpus["feature"].as_array().into_iter().flatten() {
            let context = &case[1];
            total += 1;
            let attributes = context.get("attributes").cloned().unwrap_or(json!({}));
            let Some(user) = fit(&attributes) else {
                continue;
            };
            ran += 1;
            let mut payload =
                json!({"features": context.get("features").cloned().unwrap_or(json!({}))});
            if let Some(groups) = context.get("savedGroups") {
                payload["savedGroups"] = groups.clone();
            }
            let template = GrowthBook::builder()
                .features_json(&payload)
                .expect("payload")
                .build();
            let key = case[2].as_str().unwrap_or_default();
            assert_eq!(
                js(
                    serde_json::to_value(template.with_typed_attributes(user).eval_feature(key))
                        .unwrap()
                ),
                js(
                    serde_json::to_value(template.with_attributes(attributes).eval_feature(key))
                        .unwrap()
                ),
                "{file} feature {:?}",
                case[0]
            );
        }
    }
    // Most of the corpus fits (the rest uses one name with several types,
    // or `null`s): the typed path is held to the corpus, not to a sample.
    assert!(ran * 2 > total, "{ran} of {total} cases fit the struct");
    eprintln!("{ran} of {total} corpus cases ran through the struct");
}

/// A typed instance does what a JSON one does beyond evaluation: typed
/// feature views, tracking callbacks (which see the attributes as JSON),
/// forced values and `fallbackAttribute` hashing.
#[test]
fn typed_instances_support_views_and_callbacks() {
    use growthbook::Features;
    use std::sync::Mutex;

    #[derive(Features)]
    struct Flags {
        #[growthbook(key = "exp")]
        variation: String,
        #[growthbook(key = "forced", default = 1)]
        forced: u32,
    }

    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&seen);
    let template = GrowthBook::builder()
        .features_json(&json!({"features": {
            "exp": {"defaultValue": "none", "rules": [{
                "key": "exp-key", "variations": ["a", "b"], "weights": [0, 1],
                "hashAttribute": "deviceId", "fallbackAttribute": "id"
            }]},
            "forced": {"defaultValue": 2}
        }}))
        .expect("payload")
        .forced_features([("forced".to_owned(), json!(7))].into_iter().collect())
        .on_experiment_viewed(move |experiment, result, user| {
            recorded.lock().unwrap().push((
                experiment.key.clone(),
                result.hash_attribute.to_string(),
                result.hash_value.to_string(),
                user.attributes().clone(),
            ));
        })
        .build();
    let user = users(1).remove(0);
    let user = User {
        id: "u-1".into(),
        device_id: Some("dev-9".into()),
        ..user
    };
    let gb = template.with_typed_attributes(user.borrowed());
    let flags = gb.features::<Flags>();
    assert_eq!(flags.variation(), "b");
    assert_eq!(flags.forced(), 7);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, "exp-key");
    assert_eq!(seen[0].1, "deviceId");
    assert_eq!(seen[0].2, "\"dev-9\"");
    assert_eq!(
        js(seen[0].3.clone()),
        js(serde_json::to_value(&user).unwrap())
    );
}

/// Lists of every item type a struct can hold: strings owned and borrowed
/// (read straight from their slice, behind any pointer), numbers and
/// optional strings (read item by item), and sets (in their iteration
/// order).
#[derive(Attributes, Debug)]
struct Lists<'a> {
    owned: Vec<String>,
    borrowed: &'a [&'a str],
    vec_of_refs: Vec<&'a str>,
    boxed: Box<[String]>,
    array: [&'a str; 2],
    optional: Vec<Option<String>>,
    numbers: Vec<u32>,
    sorted_set: std::collections::BTreeSet<&'a str>,
    hash_set: std::collections::HashSet<String>,
    shared: Arc<[String]>,
    counted: std::rc::Rc<[&'a str]>,
    cow: std::borrow::Cow<'a, [&'a str]>,
    non_zero: [std::num::NonZero<u32>; 3],
}

/// List operators read every kind of list as its JSON array reads.
#[test]
fn list_attributes_of_every_item_type_read_as_their_json() {
    let strings = ["beta", "Staff", "x"];
    let lists = Lists {
        owned: strings.iter().map(|s| s.to_string()).collect(),
        borrowed: &strings,
        vec_of_refs: strings.to_vec(),
        boxed: strings.iter().map(|s| s.to_string()).collect(),
        array: ["beta", "Staff"],
        optional: vec![Some("beta".into()), None, Some("Staff".into())],
        numbers: vec![3, 18, 40],
        sorted_set: strings.iter().copied().collect(),
        hash_set: strings.iter().map(|s| s.to_string()).collect(),
        shared: strings.iter().map(|s| s.to_string()).collect(),
        counted: strings.as_slice().into(),
        cow: std::borrow::Cow::Borrowed(&strings),
        non_zero: [3, 18, 40].map(|n| std::num::NonZero::new(n).expect("not zero")),
    };
    let json = lists.to_json();
    let mut features = serde_json::Map::new();
    let tests = [
        json!({"$elemMatch": {"$eq": "beta"}}),
        json!({"$elemMatch": {"$regex": "^st", "$options": "i"}}),
        json!({"$elemMatch": {"$gt": 10}}),
        json!({"$elemMatch": {"$exists": false}}),
        json!({"$all": ["beta", "Staff"]}),
        json!({"$all": ["beta", "nope"]}),
        json!({"$in": ["Staff", 40]}),
        json!({"$nin": ["x", 3]}),
        json!({"$ini": ["staff"]}),
        json!({"$alli": ["STAFF", "BETA"]}),
        json!({"$size": 2}),
        json!({"$size": {"$gt": 2}}),
        json!({"$eq": ["beta", "Staff"]}),
    ];
    let names = [
        "owned",
        "borrowed",
        "vecOfRefs",
        "boxed",
        "array",
        "optional",
        "numbers",
        "sortedSet",
        "hashSet",
        "shared",
        "counted",
        "cow",
        "nonZero",
    ];
    for name in names {
        for (i, test) in tests.iter().enumerate() {
            features.insert(
                format!("{name}-{i}"),
                json!({"defaultValue": false,
                    "rules": [{"condition": {name: test}, "force": true}]}),
            );
        }
        features.insert(
            format!("{name}-first"),
            json!({"defaultValue": false,
                "rules": [{"condition": {format!("{name}.0"): "beta"}, "force": true}]}),
        );
    }
    let template = GrowthBook::builder()
        .features_json(&json!({ "features": features }))
        .expect("payload compiles")
        .build();
    let by_json = template.with_attributes(json.clone());
    let by_struct = template.with_typed_attributes(&lists);
    let mut on = 0;
    for key in features.keys() {
        let expected = by_json.is_on(key);
        assert_eq!(by_struct.is_on(key), expected, "{key}, lists {json}");
        on += usize::from(expected);
    }
    // Both outcomes are reached.
    assert!(
        on > features.len() / 4 && on < features.len() * 3 / 4,
        "{on}"
    );
}

/// A nested struct compared with object literals (`JSON.stringify`
/// equality: set members only, in order, numbers JSON cannot hold as
/// `null`), as its JSON compares.
#[derive(Attributes, Debug)]
struct Shop<'a> {
    plan: &'a str,
    seats: Option<u32>,
    scores: Vec<f64>,
    address: Address<'a>,
}

#[derive(Attributes, Debug)]
struct Address<'a> {
    city: &'a str,
    #[growthbook(rename = "0")]
    first_line: Option<&'a str>,
}

#[derive(Attributes, Debug)]
struct WithShop<'a> {
    shop: Shop<'a>,
}

#[test]
fn object_literals_compare_with_a_struct_as_with_its_json() {
    let literals = [
        json!({"plan": "pro", "scores": [1.5, null], "address": {"city": "Oslo"}}),
        json!({"plan": "pro", "seats": 3, "scores": [1.5, null], "address": {"city": "Oslo"}}),
        json!({"scores": [1.5, null], "plan": "pro", "address": {"city": "Oslo"}}),
        json!({"plan": "pro", "scores": [1.5, null]}),
        json!({"plan": "pro", "scores": [1.5, null], "address": {"city": "Oslo"}, "x": 1}),
        json!({"plan": "pro", "scores": [1.5], "address": {"city": "Oslo"}}),
        json!({"plan": "pro", "scores": [1.5, null], "address": {"0": "1 Main St", "city": "Oslo"}}),
        json!({"plan": "pro", "scores": [1.5, null], "address": {"city": "Oslo", "0": "1 Main St"}}),
        json!({"plan": "pro", "scores": [1.5, null], "address": {"town": "Oslo"}}),
        json!({}),
    ];
    let mut features = serde_json::Map::new();
    for (i, literal) in literals.iter().enumerate() {
        for (j, path) in ["shop", "shop.address"].into_iter().enumerate() {
            let literal = if j == 0 {
                literal.clone()
            } else {
                literal["address"].clone()
            };
            features.insert(
                format!("f{i}-{j}"),
                json!({"defaultValue": false,
                    "rules": [{"condition": {path: literal}, "force": true}]}),
            );
        }
    }
    let template = GrowthBook::builder()
        .features_json(&json!({ "features": features }))
        .expect("payload compiles")
        .build();
    let mut on = 0;
    for seats in [None, Some(3)] {
        for first_line in [None, Some("1 Main St")] {
            let user = WithShop {
                shop: Shop {
                    plan: "pro",
                    seats,
                    scores: vec![1.5, f64::NAN],
                    address: Address {
                        city: "Oslo",
                        first_line,
                    },
                },
            };
            let json = user.to_json();
            let by_json = template.with_attributes(json.clone());
            let by_struct = template.with_typed_attributes(&user);
            for key in features.keys() {
                let expected = by_json.is_on(key);
                assert_eq!(
                    by_struct.is_on(key),
                    expected,
                    "{key}: {}, user {json}",
                    features[key]
                );
                on += usize::from(expected);
            }
        }
    }
    // Both outcomes are reached.
    assert!(on > 4 && on < 4 * features.len() / 2, "{on}");
}

#[derive(Attributes, Serialize, Debug)]
struct Measured {
    score: f32,
    ratio: f64,
}

/// Numbers are doubles, as in JS: an `f32` reads as its exact value, the
/// one `serde_json::to_value` gives (`0.1f32` is 0.10000000149...), not as
/// its shortest decimal; an `f64` reads as itself.
#[test]
fn floats_read_as_their_double_value_as_serde_json_gives_it() {
    let measured = Measured {
        score: 0.1,
        ratio: 0.1,
    };
    let json = serde_json::to_value(&measured).unwrap();
    assert_eq!(json["score"].as_f64(), Some(f64::from(0.1f32)));
    for (condition, expected) in [
        (json!({"score": 0.1}), false),
        (json!({"score": {"$gt": 0.1}}), true),
        (json!({"score": f64::from(0.1f32)}), true),
        (json!({"ratio": 0.1}), true),
        (json!({"ratio": {"$gt": 0.1}}), false),
    ] {
        let payload = json!({"features": {"f": {"defaultValue": false, "rules": [
            {"condition": condition, "force": true}
        ]}}});
        let template = GrowthBook::builder()
            .features_json(&payload)
            .unwrap()
            .build();
        let typed = template.with_typed_attributes(&measured).is_on("f");
        let by_json = template.with_attributes(json.clone()).is_on("f");
        assert_eq!((typed, by_json), (expected, expected), "{condition}");
    }
}

/// A nested struct behind a pointer.
#[derive(Attributes)]
struct Team {
    plan: Box<str>,
}

/// Owned strings and structs behind `Box`, `Arc` and `Rc`, as apps share
/// them between requests.
#[derive(Attributes)]
struct Pointers {
    id: Arc<str>,
    country: Box<str>,
    email: std::rc::Rc<str>,
    team: Arc<Team>,
    tags: Option<Arc<Vec<Arc<str>>>>,
}

/// Pointers read as what they point to: the same JSON, the same answers.
#[test]
fn pointers_read_as_what_they_point_to() {
    let user = Pointers {
        id: "u-1".into(),
        country: "FR".into(),
        email: "a@example.com".into(),
        team: Arc::new(Team { plan: "pro".into() }),
        tags: Some(Arc::new(vec!["beta".into()])),
    };
    let expected = json!({"id": "u-1", "country": "FR", "email": "a@example.com",
        "team": {"plan": "pro"}, "tags": ["beta"]});
    let payload = json!({"features": {"f": {"defaultValue": 0, "rules": [
        {"condition": {"team.plan": "pro", "email": {"$regex": "@example"},
            "tags": {"$elemMatch": {"$eq": "beta"}}, "country": {"$in": ["FR"]}},
         "coverage": 1.0, "hashAttribute": "id", "force": 1}
    ]}}});
    let template = GrowthBook::builder()
        .features_json(&payload)
        .unwrap()
        .build();
    let typed = template.with_typed_attributes(&user);
    assert_eq!(typed.attributes_json(), &expected);
    assert_eq!(typed.get_feature_value("f", 0), 1);
    assert_eq!(
        typed.eval_feature("f").value,
        template.with_attributes(expected).eval_feature("f").value
    );
}

/// Custom attributes known only at run time, as a map field.
#[derive(Attributes, Serialize)]
struct WithCustom<'a> {
    id: &'a str,
    custom: std::collections::HashMap<String, String>,
    scores: std::collections::BTreeMap<&'a str, Option<f64>>,
}

/// Maps read as objects: a map field is a nested object (`custom.tier`),
/// and a map is a user's whole set of attributes too.
#[test]
fn maps_read_as_objects() {
    let user = WithCustom {
        id: "u-1",
        custom: [("tier".to_owned(), "gold".to_owned())].into(),
        scores: [("risk", Some(0.2)), ("unset", None)].into(),
    };
    let payload = json!({"features": {
        "tiered": {"defaultValue": false, "rules": [
            {"condition": {"custom.tier": "gold", "scores.risk": {"$lt": 0.5}}, "force": true}]},
        "unset": {"defaultValue": false, "rules": [
            {"condition": {"scores.unset": {"$exists": false}}, "force": true}]},
        "literal": {"defaultValue": false, "rules": [
            {"condition": {"custom": {"tier": "gold"}}, "force": true}]}
    }});
    let template = GrowthBook::builder()
        .features_json(&payload)
        .unwrap()
        .build();
    let typed = template.with_typed_attributes(&user);
    let json = template.with_attributes(serde_json::to_value(&user).unwrap());
    for key in ["tiered", "unset", "literal"] {
        assert!(typed.is_on(key), "{key}");
        assert_eq!(typed.is_on(key), json.is_on(key), "{key}");
    }
    assert_eq!(typed.attributes_json()["custom"], json!({"tier": "gold"}));
    assert_eq!(typed.attributes_json()["scores"], json!({"risk": 0.2}));

    let whole: std::collections::BTreeMap<&str, &str> = [("id", "u-1"), ("country", "FR")].into();
    let payload = json!({"features": {"fr": {"defaultValue": false, "rules": [
        {"condition": {"country": "FR"}, "force": true}]}}});
    let template = GrowthBook::builder()
        .features_json(&payload)
        .unwrap()
        .build();
    let gb = template.with_typed_attributes(&whole);
    assert!(gb.is_on("fr"));
    assert_eq!(gb.attributes_json(), &json!({"country": "FR", "id": "u-1"}));
}

/// A template with one feature per condition (`f0`, `f1`...), on when the
/// condition passes, and the features' keys.
fn feature_per_condition(conditions: &[Value]) -> (Vec<String>, GrowthBook) {
    let features: serde_json::Map<String, Value> = conditions
        .iter()
        .enumerate()
        .map(|(i, condition)| {
            let feature = json!({"defaultValue": false,
                "rules": [{"condition": condition, "force": true}]});
            (format!("f{i}"), feature)
        })
        .collect();
    let template = GrowthBook::builder()
        .features_json(&json!({ "features": features }))
        .expect("payload compiles")
        .build();
    (features.keys().cloned().collect(), template)
}

/// `NaN` and the infinities, which JSON cannot hold, read as the `null`
/// that `serde_json::to_value` writes for them: through the struct as
/// through its JSON.
#[test]
fn non_finite_numbers_read_as_their_json_null() {
    #[derive(Attributes, Serialize)]
    struct Stats {
        ltv: f64,
        score: f32,
        history: Vec<f64>,
    }
    let tests = [
        json!({"ltv": {"$exists": true}}),
        json!({"ltv": {"$type": "number"}}),
        json!({"ltv": null}),
        json!({"score": {"$gt": 5}}),
        json!({"score": {"$lt": 5}}),
        json!({"history": {"$elemMatch": {"$exists": true}}}),
        json!({"history": {"$elemMatch": {"$eq": null}}}),
    ];
    let (keys, template) = feature_per_condition(&tests);
    for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 7.5] {
        let stats = Stats {
            ltv: value,
            score: value as f32,
            history: vec![value],
        };
        let json = serde_json::to_value(&stats).expect("serializes");
        let by_json = template.with_attributes(json.clone());
        let by_struct = template.with_typed_attributes(&stats);
        for (key, condition) in keys.iter().zip(&tests) {
            assert_eq!(
                by_struct.is_on(key),
                by_json.is_on(key),
                "{condition} with {json}"
            );
        }
        assert_eq!(by_struct.attributes_json(), &json);
    }
}

/// A field serde leaves out (`skip_serializing_if`) is absent from the
/// struct's attributes whenever it is absent from its JSON.
#[test]
fn fields_serde_skips_are_absent_as_in_their_json() {
    #[derive(Attributes, Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Account<'a> {
        #[serde(skip_serializing_if = "str::is_empty")]
        name: &'a str,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        tags: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        seats: Option<u32>,
        #[serde(skip_serializing_if = "is_zero")]
        credit: u32,
    }
    fn is_zero(n: &u32) -> bool {
        *n == 0
    }
    let tests = [
        json!({"name": {"$exists": true}}),
        json!({"tags": {"$exists": false}}),
        json!({"tags": {"$size": 0}}),
        json!({"seats": {"$exists": true}}),
        json!({"credit": {"$exists": false}}),
        json!({"credit": 0}),
    ];
    let (keys, template) = feature_per_condition(&tests);
    let accounts = [
        Account {
            name: "",
            tags: vec![],
            seats: None,
            credit: 0,
        },
        Account {
            name: "acme",
            tags: vec!["b2b"],
            seats: Some(3),
            credit: 5,
        },
    ];
    let mut on = 0;
    for account in &accounts {
        let json = serde_json::to_value(account).expect("serializes");
        let by_json = template.with_attributes(json.clone());
        let by_struct = template.with_typed_attributes(account);
        assert_eq!(by_struct.attributes_json(), &json);
        for (key, condition) in keys.iter().zip(&tests) {
            let expected = by_json.is_on(key);
            assert_eq!(by_struct.is_on(key), expected, "{condition} with {json}");
            on += usize::from(expected);
        }
    }
    // Present, absent and skipped fields each decide some test: two pass
    // per account.
    assert_eq!(on, 4);
}
