//! Each instance prepares its user's `id` for hashing once; answers must be
//! exactly those of hashing from scratch, for every kind of id and after the
//! attributes change.

use growthbook::hash::{choose_variation, get_bucket_ranges, hash, in_namespace, Namespace};
use growthbook::GrowthBook;
use serde_json::{json, Value};

fn payload() -> Value {
    json!({"features": {
        "v1-rollout": {"defaultValue": false, "rules": [{"force": true, "coverage": 0.5}]},
        "v2-rollout": {"defaultValue": false, "rules": [{"force": true, "coverage": 0.5, "hashVersion": 2}]},
        "seeded-rollout": {"defaultValue": false, "rules": [{"force": true, "coverage": 0.5, "seed": "s-1"}]},
        "v1-exp": {"defaultValue": -1, "rules": [{"key": "e1", "variations": [0, 1, 2], "hashVersion": 1}]},
        "v2-exp": {"defaultValue": -1, "rules": [{"key": "e2", "variations": [0, 1, 2], "hashVersion": 2}]},
        "ns-exp": {"defaultValue": -1, "rules": [{"key": "e3", "variations": [0, 1], "namespace": ["ns", 0, 0.5]}]},
        "filtered": {"defaultValue": -1, "rules": [{"key": "e4", "variations": [0, 1], "filters": [{"seed": "f", "ranges": [[0, 0.5]]}]}]},
        "device-rollout": {"defaultValue": false, "rules": [{"force": true, "coverage": 0.5, "hashAttribute": "deviceId"}]}
    }})
}

/// Every flag's value for `id`, worked out with the public hash primitives.
fn expected(id: &str) -> Vec<Value> {
    let rollout = |seed: &str, version| json!(hash(seed, id, version).unwrap() < 0.5);
    let variation = |seed: &str, version, n| {
        let ranges = get_bucket_ranges(n, 1.0, None);
        json!(choose_variation(hash(seed, id, version).unwrap(), &ranges).unwrap())
    };
    let ns = Namespace {
        id: "ns".into(),
        start: 0.0,
        end: 0.5,
    };
    vec![
        rollout("v1-rollout", 1),
        rollout("v2-rollout", 2),
        rollout("s-1", 1),
        variation("e1", 1, 3),
        variation("e2", 2, 3),
        if in_namespace(id, &ns) {
            variation("e3", 1, 2)
        } else {
            json!(-1)
        },
        if hash("f", id, 2).unwrap() < 0.5 {
            variation("e4", 1, 2)
        } else {
            json!(-1)
        },
        rollout("device-rollout", 1),
    ]
}

fn values(gb: &GrowthBook) -> Vec<Value> {
    [
        "v1-rollout",
        "v2-rollout",
        "seeded-rollout",
        "v1-exp",
        "v2-exp",
        "ns-exp",
        "filtered",
        "device-rollout",
    ]
    .iter()
    .map(|key| gb.feature_value(key).into_owned())
    .collect()
}

/// Ids of every shape: string, number (hashed as JS prints it), the longest
/// and just too long for the inline memo, non-ASCII (hashed as UTF-16).
fn ids() -> Vec<(Value, String)> {
    let mut ids: Vec<(Value, String)> = (0..200)
        .map(|i| (json!(format!("user-{i}")), format!("user-{i}")))
        .collect();
    ids.push((json!(42), "42".into()));
    ids.push((json!(3.5), "3.5".into()));
    ids.push((json!(-7), "-7".into()));
    for len in [36, 63, 64, 65, 200] {
        let id: String = (0..len)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        ids.push((json!(id), id));
    }
    for id in ["ü-ser", "用户-1", "emoji-😀"] {
        ids.push((json!(id), id.to_owned()));
    }
    ids
}

fn attributes(id: &Value, hash_string: &str) -> Value {
    json!({"id": id, "deviceId": hash_string})
}

#[test]
fn memoized_ids_hash_like_the_primitives() {
    let gb = crate::instance(&payload(), json!({}));
    for (id, hash_string) in ids() {
        let fresh = gb.with_attributes(attributes(&id, &hash_string));
        assert_eq!(values(&fresh), expected(&hash_string), "id {id}");
        // Again, from the memo.
        assert_eq!(values(&fresh), expected(&hash_string), "id {id}, memoized");
    }
}

#[test]
fn changing_the_attributes_forgets_the_memoized_id() {
    let mut gb = crate::instance(&payload(), json!({"id": "first"}));
    assert_eq!(values(&gb), expected("first"));
    for (id, hash_string) in ids() {
        gb.set_attributes(attributes(&id, &hash_string));
        assert_eq!(values(&gb), expected(&hash_string), "id {id}");
    }
}

#[test]
fn users_without_an_id_fall_back_to_the_defaults() {
    for attributes in [
        json!({}),
        json!({"id": ""}),
        json!({"id": 0}),
        json!({"id": null}),
    ] {
        let gb = crate::instance(&payload(), attributes.clone());
        let values = values(&gb);
        assert_eq!(
            &values[..7],
            &[
                json!(false),
                json!(false),
                json!(false),
                json!(-1),
                json!(-1),
                json!(-1),
                json!(-1)
            ],
            "{attributes}"
        );
    }
}
