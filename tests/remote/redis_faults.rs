//! A Redis that misbehaves must cost cache misses, never the service:
//! against stand-ins on 127.0.0.1 that accept connections and never answer,
//! or close them at once, a ticker task on the same 2-worker runtime stays
//! on schedule and requests are served from memory.
//!
//! Measured alone, requests take under 1 ms and the ticker is 2-3 ms late at
//! worst (each test prints its figures); a blocked worker would make both
//! a second or more. The bound sits between the two, so that a loaded CI
//! machine running other tests at the same time does not fail them.

use crate::server::{Reply, TestServer};
use crate::{color, options, payload};
use growthbook::remote::{FeatureRepository, RedisFeatureCache};
use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Far above what a request or a tick takes here (a few ms, even on a
/// loaded machine), below what one blocked Redis call costs (its 1 s
/// timeout; 4 s per request before the store was asynchronous).
const BOUND: Duration = Duration::from_millis(900);

/// How a stand-in treats a connection.
#[derive(Clone, Copy)]
enum Misbehaviour {
    /// Reads whatever comes, answers nothing, keeps the connection open.
    Stall,
    /// Closes the connection at once.
    Close,
}

/// A fake Redis; returns its URL and a count of the connections it took.
fn stand_in(misbehaviour: Misbehaviour) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("redis://{}", listener.local_addr().expect("address"));
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            match misbehaviour {
                Misbehaviour::Close => drop(stream),
                Misbehaviour::Stall => {
                    std::thread::spawn(move || {
                        let mut stream = stream;
                        let mut sink = [0u8; 1024];
                        while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
                    });
                }
            }
        }
    });
    (url, connections)
}

/// Ticks every 10 ms and records the worst lateness, in microseconds.
fn start_ticker(stop: Arc<AtomicBool>) -> Arc<AtomicU64> {
    let worst = Arc::new(AtomicU64::new(0));
    let recorded = worst.clone();
    tokio::spawn(async move {
        let period = Duration::from_millis(10);
        let mut due = Instant::now() + period;
        while !stop.load(Ordering::SeqCst) {
            tokio::time::sleep_until(due.into()).await;
            let late = Instant::now().saturating_duration_since(due);
            recorded.fetch_max(late.as_micros() as u64, Ordering::SeqCst);
            due += period;
        }
    });
    worst
}

async fn serve_through(misbehaviour: Misbehaviour) {
    let (redis_url, redis_connections) = stand_in(misbehaviour);
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = FeatureRepository::with_cache(
        options(&server).cache_ttl(Duration::from_millis(100)),
        Arc::new(RedisFeatureCache::new(&redis_url).unwrap()),
    )
    .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let worst_tick = start_ticker(stop.clone());

    // The first load waits for the cache at most its timeout, once.
    let started = Instant::now();
    let first = repository.growthbook().await.build();
    let first_load = started.elapsed();
    assert!(first.is_on("button-color"));
    assert!(
        first_load < Duration::from_secs(3),
        "first load took {first_load:?}"
    );

    // Two seconds of traffic, 50 requests at a time, with the features going
    // stale every 100 ms (each refresh attempt reads the cache).
    let traffic = Instant::now();
    let mut worst_request = Duration::ZERO;
    let mut requests = 0;
    while traffic.elapsed() < Duration::from_secs(2) {
        let batch: Vec<_> = (0..50)
            .map(|_| {
                let repository = repository.clone();
                tokio::spawn(async move {
                    let started = Instant::now();
                    let gb = repository.growthbook().await.build();
                    assert!(gb.is_on("button-color"));
                    started.elapsed()
                })
            })
            .collect();
        for request in batch {
            worst_request = worst_request.max(request.await.unwrap());
            requests += 1;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::SeqCst);
    let worst_tick = Duration::from_micros(worst_tick.load(Ordering::SeqCst));
    eprintln!(
        "{} redis: first load {first_load:?}, {requests} requests, worst request {worst_request:?}, \
         ticker at worst {worst_tick:?} late, {} connections to redis",
        match misbehaviour {
            Misbehaviour::Stall => "stalled",
            Misbehaviour::Close => "closing",
        },
        redis_connections.load(Ordering::SeqCst)
    );
    assert!(worst_request < BOUND, "a request waited {worst_request:?}");
    assert!(worst_tick < BOUND, "the ticker was {worst_tick:?} late");
    assert!(
        redis_connections.load(Ordering::SeqCst) <= 4,
        "reconnections back off: {} connections",
        redis_connections.load(Ordering::SeqCst)
    );
    assert_eq!(color(&repository).as_deref(), Some("blue"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_that_never_answers_costs_misses_not_the_service() {
    serve_through(Misbehaviour::Stall).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_that_closes_connections_costs_misses_not_the_service() {
    serve_through(Misbehaviour::Close).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_sticky_bucket_store_costs_sticky_buckets_not_the_service() {
    use growthbook::remote::RedisStickyBucketService;
    let (redis_url, _) = stand_in(Misbehaviour::Stall);
    let server = TestServer::start(Reply::json(
        serde_json::json!({"features": {"f": {"defaultValue": "none", "rules": [
            {"key": "exp", "variations": ["a", "b"], "meta": [{"key": "a"}, {"key": "b"}]}
        ]}}})
        .to_string(),
    ));
    let repository = FeatureRepository::new(options(&server)).unwrap();
    let store = Arc::new(RedisStickyBucketService::new(&redis_url).unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let worst_tick = start_ticker(stop.clone());

    let started = Instant::now();
    let gb = repository
        .growthbook_with_sticky_buckets(serde_json::json!({"id": "u1"}), store.clone())
        .await
        .build();
    assert_ne!(gb.get_feature_value("f", String::new()), "none");
    let first = started.elapsed();
    drop(gb);
    assert!(
        first < Duration::from_millis(1_500),
        "first request took {first:?}"
    );

    let mut worst = Duration::ZERO;
    for i in 0..100 {
        let started = Instant::now();
        let gb = repository
            .growthbook_with_sticky_buckets(
                serde_json::json!({ "id": format!("u{i}") }),
                store.clone(),
            )
            .await
            .build();
        assert_ne!(gb.get_feature_value("f", String::new()), "none");
        worst = worst.max(started.elapsed());
    }
    stop.store(true, Ordering::SeqCst);
    let worst_tick = Duration::from_micros(worst_tick.load(Ordering::SeqCst));
    eprintln!("stalled sticky store: first request {first:?}, then at worst {worst:?}; ticker at worst {worst_tick:?} late");
    assert!(worst < BOUND, "a request waited {worst:?}");
    assert!(worst_tick < BOUND, "the ticker was {worst_tick:?} late");
}

/// After the first failed connection, the next attempts run in the
/// background: a request that comes when one is due does not wait for it
/// (the store's 5 s backoff elapses once here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reconnection_attempt_never_makes_a_request_wait() {
    use growthbook::remote::{AsyncStickyBucketService, RedisStickyBucketService};
    let (redis_url, connections) = stand_in(Misbehaviour::Stall);
    let store = RedisStickyBucketService::new(&redis_url).unwrap();
    let identities = [("id".to_owned(), "u1".to_owned())];

    // The first attempt is the one a caller waits for (at most 1 s).
    let started = Instant::now();
    assert!(store.get_all_assignments(&identities).await.is_empty());
    let first = started.elapsed();
    assert!(
        first < Duration::from_millis(1_500),
        "first call took {first:?}"
    );
    let attempts = connections.load(Ordering::SeqCst);
    assert_eq!(attempts, 1, "one connection attempt");

    // While the backoff runs: no attempt, an answer at once.
    let started = Instant::now();
    assert!(store.get_all_assignments(&identities).await.is_empty());
    assert!(started.elapsed() < BOUND);
    assert_eq!(connections.load(Ordering::SeqCst), attempts);

    // Once it is over, a call starts the next attempt and does not wait.
    tokio::time::sleep(Duration::from_millis(5_200)).await;
    let started = Instant::now();
    assert!(store.get_all_assignments(&identities).await.is_empty());
    let due = started.elapsed();
    assert!(due < BOUND, "a call when an attempt was due waited {due:?}");
    let deadline = Instant::now() + Duration::from_secs(2);
    while connections.load(Ordering::SeqCst) == attempts && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        connections.load(Ordering::SeqCst),
        attempts + 1,
        "the attempt ran in the background"
    );
    eprintln!("stalled redis: first call {first:?}, the call when a retry was due {due:?}");
}
