//! Redis-backed cache and sticky buckets against a real `redis-server` on
//! 127.0.0.1 (`.ci/run` installs and starts it; `REDIS_URL` overrides the
//! address).

use crate::server::{Reply, TestServer};
use crate::{color, options, payload};
use growthbook::remote::{
    FeatureCache, FeatureRepository, RedisFeatureCache, RedisStickyBucketService,
};
use serde_json::json;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// The Redis URL, or `None` (with instructions) when no server answers
/// outside CI. In CI a missing Redis fails the test.
fn redis_url() -> Option<String> {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    let reachable = redis::Client::open(url.as_str())
        .and_then(|c| c.get_connection_with_timeout(std::time::Duration::from_secs(1)))
        .is_ok();
    if reachable {
        return Some(url);
    }
    let how = "start one with `redis-server --daemonize yes` (Debian: `apt-get install -y redis-server`) or set REDIS_URL";
    if std::env::var_os("CI").is_some() {
        panic!("no Redis at {url}: {how}");
    }
    eprintln!("skipping: no Redis at {url}; {how}");
    None
}

fn unique(name: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{name}-{nanos}")
}

#[tokio::test]
async fn two_repositories_share_one_redis_cache() {
    let Some(url) = redis_url() else { return };
    let server = TestServer::start(Reply::json(payload("blue")));
    // Two caches, as two processes would have.
    let first = FeatureRepository::with_cache(
        options(&server),
        Arc::new(RedisFeatureCache::new(&url).unwrap()),
    )
    .unwrap();
    let second = FeatureRepository::with_cache(
        options(&server),
        Arc::new(RedisFeatureCache::new(&url).unwrap()),
    )
    .unwrap();
    first.load_features().await.unwrap();
    second.load_features().await.unwrap();
    assert_eq!(color(&second).as_deref(), Some("blue"));
    assert_eq!(
        server.hits(),
        1,
        "the second process read Redis, not the API"
    );
}

/// A payload with one sticky experiment, and a server serving it.
fn sticky_server(weights: serde_json::Value) -> TestServer {
    TestServer::start(Reply::json(
        json!({"features": {"f": {"defaultValue": "none", "rules": [{
            "key": "redis-sticky-exp",
            "variations": ["a", "b"], "weights": weights, "meta": [{"key": "a"}, {"key": "b"}]
        }]}}})
        .to_string(),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sticky_assignments_are_shared_through_redis() {
    let Some(url) = redis_url() else { return };
    let user = unique("user");
    let first = sticky_server(json!([1.0, 0.0]));
    let repository = FeatureRepository::new(options(&first)).unwrap();
    // A new store each time, as a restarted or other process would have.
    let store = Arc::new(RedisStickyBucketService::new(&url).unwrap());
    let gb = repository
        .growthbook_with_sticky_buckets(json!({ "id": user }), store)
        .await
        .build();
    assert_eq!(gb.get_feature_value("f", String::new()), "a");
    // Saved after the request, when the instance goes.
    drop(gb);

    let second = sticky_server(json!([0.0, 1.0]));
    let elsewhere = FeatureRepository::new(options(&second)).unwrap();
    let store = Arc::new(RedisStickyBucketService::new(&url).unwrap());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let later = elsewhere
            .growthbook_with_sticky_buckets(json!({ "id": user }), store.clone())
            .await
            .build();
        let result = later.eval_feature("f");
        if result.value.as_str() == Some("a") {
            assert!(result.experiment_result.unwrap().sticky_bucket_used);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the stored assignment never won over the new weights"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_unreachable_redis_is_a_cache_miss_not_a_failure() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let cache = RedisFeatureCache::new("redis://127.0.0.1:1").unwrap();
    assert!(cache.get("anything").await.is_none());
    let repository = FeatureRepository::with_cache(options(&server), Arc::new(cache)).unwrap();
    repository.load_features().await.unwrap();
    assert_eq!(color(&repository).as_deref(), Some("blue"));
    let sticky = Arc::new(RedisStickyBucketService::new("redis://127.0.0.1:1").unwrap());
    let server = sticky_server(json!([0.5, 0.5]));
    let repository = FeatureRepository::new(options(&server)).unwrap();
    let gb = repository
        .growthbook_with_sticky_buckets(json!({"id": "u"}), sticky)
        .await
        .build();
    assert!(!gb.get_feature_value("f", String::new()).is_empty());
}

#[tokio::test]
async fn a_redis_cache_takes_any_ttl() {
    let Some(url) = redis_url() else { return };
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = FeatureRepository::with_cache(
        options(&server).cache_ttl(std::time::Duration::MAX),
        Arc::new(RedisFeatureCache::new(&url).unwrap()),
    )
    .unwrap();
    // Storing with a TTL of Duration::MAX used to overflow (`ttl * 10`).
    repository.load_features().await.unwrap();
    assert_eq!(color(&repository).as_deref(), Some("blue"));
}
