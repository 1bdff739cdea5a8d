//! Loading features over HTTP from a real server on 127.0.0.1 that each test
//! starts: first load, cache, TTL refresh, ETag, encryption, and every fault
//! keeping the last good features.

mod faults;
// One log capture for the whole test binary (a process has one logger).
#[path = "../common/log_capture.rs"]
mod log_capture;
mod logs;
mod redis;
mod redis_faults;
mod server;
mod sse;

use growthbook::remote::{FeatureRepository, InMemoryFeatureCache, RemoteError, RemoteOptions};
use serde_json::json;
use server::{Reply, TestServer};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENT_KEY: &str = "sdk-secret-client-key";
// The spec corpus' encrypted sample: `{"feature":{"defaultValue":true}}`.
const ENCRYPTED: &str =
    "m5ylFM6ndyOJA2OPadubkw==.Uu7ViqgKEt/dWvCyhI46q088PkAEJbnXKf3KPZjf9IEQQ+A8fojNoxw4wIbPX3aj";
const DECRYPTION_KEY: &str = "Zvwv/+uhpFDznZ6SX28Yjg==";

fn payload(color: &str) -> String {
    json!({"features": {"button-color": {"defaultValue": color}}}).to_string()
}

fn options(server: &TestServer) -> RemoteOptions {
    RemoteOptions::new(CLIENT_KEY)
        .api_host(server.url())
        .timeout(Duration::from_millis(500))
}

fn color(repository: &FeatureRepository) -> Option<String> {
    let features = repository.features()?;
    let gb = growthbook::GrowthBook::builder().features(features).build();
    Some(gb.get_feature_value("button-color", String::new()))
}

/// Messages must never carry the keys.
fn assert_no_secrets(error: &RemoteError) {
    let message = error.to_string();
    assert!(!message.contains(CLIENT_KEY), "{message}");
    assert!(!message.contains(DECRYPTION_KEY), "{message}");
    assert!(!format!("{error:?}").contains(CLIENT_KEY), "{error:?}");
}

#[tokio::test]
async fn the_first_load_fetches_the_sdk_endpoint() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = FeatureRepository::new(options(&server)).unwrap();
    assert!(repository.features().is_none());
    let features = repository.load_features().await.unwrap();
    assert!(features.contains("button-color"));
    assert_eq!(color(&repository).as_deref(), Some("blue"));
    assert_eq!(server.hits(), 1);
    assert_eq!(
        server.last_path().as_deref(),
        Some("/api/features/sdk-secret-client-key")
    );
    let gb = repository
        .growthbook()
        .await
        .attributes(json!({"id": "1"}))
        .build();
    assert_eq!(gb.get_feature_value("button-color", String::new()), "blue");
}

#[tokio::test]
async fn fresh_features_come_from_memory() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = FeatureRepository::new(options(&server)).unwrap();
    let first = repository.load_features().await.unwrap();
    for _ in 0..20 {
        let again = repository.load_features().await.unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "the parsed set is shared, not rebuilt"
        );
    }
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn stale_features_are_served_while_a_background_fetch_refreshes_them() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository =
        FeatureRepository::new(options(&server).cache_ttl(Duration::from_millis(50))).unwrap();
    repository.load_features().await.unwrap();
    server.reply(Reply::json(payload("green")));
    tokio::time::sleep(Duration::from_millis(80)).await;

    let started = Instant::now();
    repository.load_features().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "a stale load does not wait"
    );
    assert_eq!(
        color(&repository).as_deref(),
        Some("blue"),
        "stale until the refresh lands"
    );

    let deadline = Instant::now() + Duration::from_secs(5);
    while color(&repository).as_deref() != Some("green") {
        assert!(
            Instant::now() < deadline,
            "the background refresh never landed"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn an_unchanged_payload_is_confirmed_by_etag_and_not_reparsed() {
    let server = TestServer::start(Reply::json(payload("blue")).with_etag("\"v1\""));
    let repository = FeatureRepository::new(options(&server)).unwrap();
    let first = repository.load_features().await.unwrap();
    let second = repository.refresh().await.unwrap();
    assert_eq!(server.hits(), 2);
    assert_eq!(server.last_if_none_match().as_deref(), Some("\"v1\""));
    assert_eq!(server.not_modified(), 1);
    assert!(
        Arc::ptr_eq(&first, &second),
        "a 304 keeps the parsed features"
    );
}

#[tokio::test]
async fn encrypted_payloads_are_decrypted_with_the_connection_key() {
    let body = json!({"encryptedFeatures": ENCRYPTED}).to_string();
    let server = TestServer::start(Reply::json(body));

    let repository =
        FeatureRepository::new(options(&server).decryption_key(DECRYPTION_KEY)).unwrap();
    let features = repository.load_features().await.unwrap();
    assert!(features.contains("feature"));

    let without_key = FeatureRepository::new(options(&server)).unwrap();
    let error = without_key.load_features().await.unwrap_err();
    assert!(
        matches!(error, RemoteError::MissingDecryptionKey { .. }),
        "{error}"
    );
    assert_no_secrets(&error);

    let wrong_key =
        FeatureRepository::new(options(&server).decryption_key("Zvwv/+uhpFDznZ6SX39Yjg=="))
            .unwrap();
    let error = wrong_key.load_features().await.unwrap_err();
    assert!(matches!(error, RemoteError::Decrypt { .. }), "{error}");
    assert!(
        error.to_string().contains("decryption key does not match"),
        "{error}"
    );
    assert_no_secrets(&error);
}

/// Plain features stay when only other parts are encrypted; decrypted
/// features replace plain ones, as the other SDKs do.
#[tokio::test]
async fn plain_and_encrypted_parts_combine() {
    let mut plain_features: serde_json::Value = serde_json::from_str(&payload("blue")).unwrap();
    plain_features["encryptedSavedGroups"] = json!(ENCRYPTED);
    let server = TestServer::start(Reply::json(plain_features.to_string()));
    let repository =
        FeatureRepository::new(options(&server).decryption_key(DECRYPTION_KEY)).unwrap();
    repository.load_features().await.unwrap();
    assert_eq!(color(&repository).as_deref(), Some("blue"));

    let mut both: serde_json::Value = serde_json::from_str(&payload("blue")).unwrap();
    both["encryptedFeatures"] = json!(ENCRYPTED);
    let server = TestServer::start(Reply::json(both.to_string()));
    let repository =
        FeatureRepository::new(options(&server).decryption_key(DECRYPTION_KEY)).unwrap();
    let features = repository.load_features().await.unwrap();
    assert!(features.contains("feature"));
    assert!(!features.contains("button-color"));
}

#[tokio::test]
async fn every_fault_keeps_the_last_good_features() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = FeatureRepository::new(options(&server).max_payload_bytes(10_000)).unwrap();
    repository.load_features().await.unwrap();

    type Expected = fn(&RemoteError) -> bool;
    let faults: Vec<(Reply, Expected)> = vec![
        (Reply::status(500), |e| {
            matches!(e, RemoteError::Status { status: 500, .. })
        }),
        (Reply::status(404), |e| {
            matches!(e, RemoteError::Status { status: 404, .. })
        }),
        (Reply::json("{\"features\": {".into()), |e| {
            matches!(e, RemoteError::Payload { .. })
        }),
        (Reply::json("[1, 2]".into()), |e| {
            matches!(e, RemoteError::Payload { .. })
        }),
        (Reply::json("x".repeat(20_000)), |e| {
            matches!(e, RemoteError::TooLarge { limit: 10_000, .. })
        }),
        (
            Reply::json(payload("red")).delayed(Duration::from_secs(2)),
            |e| matches!(e, RemoteError::Timeout { .. }),
        ),
        // The body stops short of its Content-Length: the client sees the cut
        // or waits for the rest until its timeout.
        (Reply::Truncated(payload("red")), |e| {
            matches!(
                e,
                RemoteError::Network { .. }
                    | RemoteError::Payload { .. }
                    | RemoteError::Timeout { .. }
            )
        }),
    ];
    for (reply, expected) in faults {
        let description = format!("{reply:?}");
        server.reply(reply);
        let error = repository.refresh().await.unwrap_err();
        assert!(expected(&error), "{description}: {error:?}");
        assert!(
            error.to_string().contains("/api/features/<client key>"),
            "{error}"
        );
        assert_no_secrets(&error);
        assert_eq!(
            color(&repository).as_deref(),
            Some("blue"),
            "after {description}"
        );
    }
}

#[tokio::test]
async fn a_refused_connection_is_an_error_with_the_features_unchanged() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = FeatureRepository::new(options(&server)).unwrap();
    repository.load_features().await.unwrap();
    let url = server.url();
    drop(server);

    let elsewhere = FeatureRepository::new(RemoteOptions::new(CLIENT_KEY).api_host(url)).unwrap();
    let error = elsewhere.load_features().await.unwrap_err();
    assert!(matches!(error, RemoteError::Network { .. }), "{error:?}");
    assert_no_secrets(&error);
    assert!(elsewhere.features().is_none());
    // A per-request instance still works, without features.
    let gb = elsewhere.growthbook().await.build();
    assert!(gb.is_off("button-color"));
}

#[tokio::test]
async fn repositories_sharing_a_cache_fetch_once() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let cache = Arc::new(InMemoryFeatureCache::new());
    let first = FeatureRepository::with_cache(options(&server), cache.clone()).unwrap();
    let second = FeatureRepository::with_cache(options(&server), cache).unwrap();
    first.load_features().await.unwrap();
    second.load_features().await.unwrap();
    assert_eq!(color(&second).as_deref(), Some("blue"));
    assert_eq!(server.hits(), 1);
}

#[test]
fn bad_options_are_refused_with_a_reason() {
    let empty = FeatureRepository::new(RemoteOptions::new("  "))
        .err()
        .unwrap();
    assert!(empty.to_string().contains("client key is empty"), "{empty}");
    let host = FeatureRepository::new(RemoteOptions::new("sdk-1").api_host("cdn.example.com"))
        .err()
        .unwrap();
    assert!(host.to_string().contains("http://"), "{host}");
    for (options, name) in [
        (
            RemoteOptions::new("sdk-1").timeout(Duration::ZERO),
            "`timeout`",
        ),
        (
            RemoteOptions::new("sdk-1").stream_retry(Duration::ZERO),
            "`stream_retry`",
        ),
        (
            RemoteOptions::new("sdk-1").stream_idle_timeout(Duration::ZERO),
            "`stream_idle_timeout`",
        ),
        (
            RemoteOptions::new("sdk-1").max_payload_bytes(0),
            "`max_payload_bytes`",
        ),
    ] {
        let error = FeatureRepository::new(options).err().unwrap().to_string();
        assert!(
            error.contains(name) && error.contains("more than zero"),
            "{error}"
        );
    }
    let debug = format!(
        "{:?}",
        RemoteOptions::new(CLIENT_KEY).decryption_key(DECRYPTION_KEY)
    );
    assert!(
        !debug.contains(CLIENT_KEY) && !debug.contains(DECRYPTION_KEY),
        "{debug}"
    );
}

#[tokio::test]
async fn every_duration_option_takes_any_value() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = FeatureRepository::new(
        options(&server)
            .cache_ttl(Duration::MAX)
            .timeout(Duration::MAX)
            .stream_retry(Duration::MAX)
            .stream_idle_timeout(Duration::MAX),
    )
    .unwrap();
    repository.load_features().await.unwrap();
    assert_eq!(color(&repository).as_deref(), Some("blue"));
    // Fresh for ever: no second request.
    repository.load_features().await.unwrap();
    assert_eq!(server.hits(), 1);
    repository.start_polling(Duration::MAX);
    repository.destroy();
}

#[tokio::test]
async fn polling_applies_changes_and_tells_subscribers() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = FeatureRepository::new(options(&server)).unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    repository.subscribe(move |features| {
        let gb = growthbook::GrowthBook::builder()
            .features(features.clone())
            .build();
        sink.lock()
            .unwrap()
            .push(gb.get_feature_value("button-color", String::new()));
    });
    repository.load_features().await.unwrap();
    repository.start_polling(Duration::from_millis(20));
    server.reply(Reply::json(payload("green")));

    let deadline = Instant::now() + Duration::from_secs(5);
    while color(&repository).as_deref() != Some("green") {
        assert!(
            Instant::now() < deadline,
            "polling never applied the change"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.first().map(String::as_str), Some("blue"));
    assert!(seen.iter().any(|c| c == "green"), "{seen:?}");
}

#[tokio::test]
async fn destroy_and_drop_stop_polling() {
    for stop_by_drop in [false, true] {
        let server = TestServer::start(Reply::json(payload("blue")));
        let repository = FeatureRepository::new(options(&server)).unwrap();
        repository.load_features().await.unwrap();
        repository.start_polling(Duration::from_millis(10));
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(server.hits() > 2, "polling runs");
        if stop_by_drop {
            drop(repository);
        } else {
            repository.destroy();
            assert_eq!(
                color(&repository).as_deref(),
                Some("blue"),
                "features stay usable"
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let stopped_at = server.hits();
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(
            server.hits(),
            stopped_at,
            "polling stopped (drop: {stop_by_drop})"
        );
    }
}

async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A repository following `server`'s update stream, once the stream is open.
async fn streaming(server: &sse::SseServer, options: RemoteOptions) -> FeatureRepository {
    let repository = FeatureRepository::new(options).unwrap();
    repository
        .start_background_sync(Duration::from_secs(3600))
        .await
        .unwrap();
    eventually("the stream to open", || server.stream_connections() == 1).await;
    repository
}

#[tokio::test]
async fn streamed_features_events_are_applied() {
    let server = sse::SseServer::start(payload("blue"));
    let options = RemoteOptions::new(CLIENT_KEY).api_host(server.url());
    let repository = FeatureRepository::new(options).unwrap();
    let updates = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = updates.clone();
    repository.subscribe(move |_| {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    });
    repository
        .start_background_sync(Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(color(&repository).as_deref(), Some("blue"));
    eventually("the stream to open", || server.stream_connections() == 1).await;

    server.push(": keep-alive comment\n\n");
    server.push_features(&payload("green"));
    eventually("the streamed update", || {
        color(&repository).as_deref() == Some("green")
    })
    .await;
    assert_eq!(
        updates.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "initial load, then the event"
    );
}

#[tokio::test]
async fn a_stream_cut_mid_event_keeps_the_features_and_reconnects() {
    let server = sse::SseServer::start(payload("blue"));
    let options = RemoteOptions::new(CLIENT_KEY)
        .api_host(server.url())
        .stream_retry(Duration::from_millis(20));
    let repository = streaming(&server, options).await;

    // Half an event, then the connection drops.
    server.push("event: features\ndata: {\"features\": {\"button-color\": {\"defaultValue\": \"re");
    server.close_streams();
    eventually("a reconnection", || server.stream_connections() == 2).await;
    assert_eq!(
        color(&repository).as_deref(),
        Some("blue"),
        "the cut event was not applied"
    );

    // A bad event is skipped; the next good one applies.
    server.push_features("not json");
    server.push_features(&payload("green"));
    eventually("the update after reconnecting", || {
        color(&repository).as_deref() == Some("green")
    })
    .await;

    repository.destroy();
    server.close_streams();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        server.stream_connections(),
        2,
        "no reconnection after destroy"
    );
}

#[tokio::test]
async fn the_server_sets_the_reconnect_delay_and_gets_the_last_event_id_back() {
    let server = sse::SseServer::start(payload("blue"));
    // Our own first delay is long: only the server's `retry:` makes the
    // reconnection quick.
    let options = RemoteOptions::new(CLIENT_KEY)
        .api_host(server.url())
        .stream_retry(Duration::from_secs(30));
    let repository = streaming(&server, options).await;
    server.push("retry: 50\r\nid: 7\r\nevent: features\r\n");
    server.push(&format!("data: {}\r\n\r\n", payload("green")));
    eventually("the streamed update", || {
        color(&repository).as_deref() == Some("green")
    })
    .await;
    server.close_streams();
    eventually("a reconnection after the server's 50 ms", || {
        server.stream_connections() == 2
    })
    .await;
    assert_eq!(
        server.last_event_ids(),
        [None, Some("7".to_owned())],
        "the reconnection says where it left off"
    );
    repository.destroy();
}

#[tokio::test]
async fn features_updated_makes_the_repository_fetch_at_once() {
    let server = sse::SseServer::start(payload("blue"));
    let options = RemoteOptions::new(CLIENT_KEY)
        .api_host(server.url())
        .cache_ttl(Duration::from_secs(3600));
    let repository = streaming(&server, options).await;
    assert_eq!(server.feature_requests(), 1);

    // The new payload is only announced, not sent (as for large payloads).
    server.set_payload(payload("green"));
    let announced = Instant::now();
    server.push("event: features-updated\ndata: {}\n\n");
    eventually("the re-fetch", || {
        color(&repository).as_deref() == Some("green")
    })
    .await;
    let picked_up = announced.elapsed();
    eprintln!("features-updated picked up in {picked_up:?}");
    assert!(
        picked_up < Duration::from_secs(1),
        "picked up in {picked_up:?}"
    );
    assert_eq!(server.feature_requests(), 2, "one fetch for the notice");
    repository.destroy();
}

#[tokio::test]
async fn a_silent_stream_is_noticed_and_replaced() {
    let server = sse::SseServer::start(payload("blue"));
    let options = RemoteOptions::new(CLIENT_KEY)
        .api_host(server.url())
        .stream_retry(Duration::from_millis(10))
        .stream_idle_timeout(Duration::from_millis(200));
    let repository = streaming(&server, options).await;
    // Keep-alive comments keep a connection alive...
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        server.push(": keep-alive\n\n");
    }
    assert_eq!(server.stream_connections(), 1);
    // ...and silence replaces it.
    eventually("a new connection after the silence", || {
        server.stream_connections() >= 2
    })
    .await;
    server.push_features(&payload("green"));
    eventually("events on the new connection", || {
        color(&repository).as_deref() == Some("green")
    })
    .await;
    repository.destroy();
}

#[tokio::test]
async fn dropping_the_last_clone_ends_the_stream() {
    let server = sse::SseServer::start(payload("blue"));
    let options = RemoteOptions::new(CLIENT_KEY).api_host(server.url());
    let repository = FeatureRepository::new(options).unwrap();
    repository
        .start_background_sync(Duration::from_secs(3600))
        .await
        .unwrap();
    eventually("the stream to open", || server.open_streams() == 1).await;
    let clone = repository.clone();
    drop(repository);
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.push(": still there?\n\n");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.open_streams(), 1, "a clone still holds it");

    let dropped = Instant::now();
    drop(clone);
    while server.open_streams() > 0 {
        assert!(
            dropped.elapsed() < Duration::from_secs(1),
            "the stream outlived the repository"
        );
        // The server learns of a closed connection when it writes to it.
        server.push(": ping\n\n");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn without_stream_support_background_sync_polls() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = FeatureRepository::new(options(&server)).unwrap();
    repository
        .start_background_sync(Duration::from_millis(20))
        .await
        .unwrap();
    server.reply(Reply::json(payload("green")));
    eventually("a polled update", || {
        color(&repository).as_deref() == Some("green")
    })
    .await;
    repository.destroy();
}

#[test]
fn the_blocking_repository_works_without_a_runtime() {
    use growthbook::remote::blocking;
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = blocking::FeatureRepository::new(options(&server)).unwrap();
    assert!(repository.load_features().unwrap().contains("button-color"));
    let gb = repository
        .growthbook()
        .attributes(json!({"id": "1"}))
        .build();
    assert_eq!(gb.get_feature_value("button-color", String::new()), "blue");

    repository
        .start_background_sync(Duration::from_millis(20))
        .unwrap();
    server.reply(Reply::json(payload("green")));
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let features = repository.features().unwrap();
        let gb = growthbook::GrowthBook::builder().features(features).build();
        if gb.get_feature_value("button-color", String::new()) == "green" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "polling never applied the change"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    repository.destroy();
}

#[tokio::test]
async fn the_blocking_repository_refuses_async_callers_without_panicking() {
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository = tokio::task::spawn_blocking({
        let options = options(&server);
        move || growthbook::remote::blocking::FeatureRepository::new(options).unwrap()
    })
    .await
    .unwrap();
    let error = repository.load_features().unwrap_err();
    assert!(
        error.to_string().contains("called from async code"),
        "{error}"
    );
    // Dropping a runtime inside async code is not allowed either: drop it on
    // a blocking thread.
    tokio::task::spawn_blocking(move || drop(repository))
        .await
        .unwrap();
}

/// Readers evaluating while the features are replaced over and over see
/// either the old or the new payload, never a mix, and keep evaluating.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evaluation_never_sees_a_half_applied_refresh() {
    let version = |n: u32| {
        json!({"features": {"a": {"defaultValue": n}, "b": {"defaultValue": n}}}).to_string()
    };
    let server = TestServer::start(Reply::json(version(0)));
    let repository = FeatureRepository::new(options(&server)).unwrap();
    repository.load_features().await.unwrap();

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (repository, stop) = (repository.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut evaluations = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let gb = growthbook::GrowthBook::builder()
                        .features(repository.features().unwrap())
                        .build();
                    let (a, b) = (
                        gb.get_feature_value("a", u32::MAX),
                        gb.get_feature_value("b", u32::MAX - 1),
                    );
                    assert_eq!(a, b, "a payload was half applied");
                    evaluations += 1;
                }
                evaluations
            })
        })
        .collect();
    for n in 1..=30 {
        server.reply(Reply::json(version(n)));
        repository.refresh().await.unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for reader in readers {
        assert!(reader.join().unwrap() > 0);
    }
}
