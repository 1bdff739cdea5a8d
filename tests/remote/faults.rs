//! A failing API under load: one refresh per backoff step, not one per
//! request, and one warning per change of state, not one per request.

use crate::server::{Reply, TestServer};
use crate::{options, payload};
use growthbook::remote::{FeatureRepository, RemoteError};
use std::time::{Duration, Instant};

use crate::log_capture;

/// The records about this server (its URL is unique to the test).
fn logged_about(server: &TestServer) -> Vec<(log::Level, String)> {
    let host = server.url().trim_start_matches("http://").to_owned();
    log_capture::all()
        .into_iter()
        .filter(|r| r.message.contains(&host))
        .map(|r| (r.level, r.message))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_api_is_asked_once_per_backoff_step_and_logged_once() {
    log_capture::start();
    let server = TestServer::start(Reply::json(payload("blue")));
    let repository =
        FeatureRepository::new(options(&server).cache_ttl(Duration::from_millis(10))).unwrap();
    repository.load_features().await.unwrap();
    server.reply(Reply::status(500));
    tokio::time::sleep(Duration::from_millis(20)).await;

    // 1,000 requests a second for 1.2 s, all served the stale features.
    let hits_before = server.hits();
    let started = Instant::now();
    let mut served = 0;
    while started.elapsed() < Duration::from_millis(1_200) {
        for _ in 0..10 {
            let features = repository.load_features().await.unwrap();
            assert!(features.contains("button-color"));
            served += 1;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let attempts = server.hits() - hits_before;
    eprintln!(
        "failing API: {attempts} requests to it for {served} requests in {:?}",
        started.elapsed()
    );
    assert!(served > 500, "{served} requests");
    // The first attempt, then one after 0.75-1 s: never one per request.
    assert!(
        (1..=2).contains(&attempts),
        "{attempts} requests to the failing API for {served} requests"
    );
    let warnings: Vec<String> = logged_about(&server)
        .into_iter()
        .filter(|(level, _)| *level == log::Level::Warn)
        .map(|(_, message)| message)
        .collect();
    assert_eq!(
        warnings.len(),
        1,
        "one warning for the failure: {warnings:#?}"
    );
    assert!(warnings[0].contains("HTTP status 500"), "{warnings:?}");

    // The API recovers: the next due attempt brings new features, and the
    // recovery is logged once.
    server.reply(Reply::json(payload("green")));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let features = repository.load_features().await.unwrap();
        if features.default_value("button-color") == Some(&serde_json::json!("green")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the recovery was never picked up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let recoveries = logged_about(&server)
        .into_iter()
        .filter(|(level, message)| *level == log::Level::Info && message.contains("works again"))
        .count();
    assert_eq!(recoveries, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_first_loads_against_a_failing_api_makes_one_request() {
    let server = TestServer::start(Reply::status(503));
    let repository = FeatureRepository::new(options(&server)).unwrap();
    let burst: Vec<_> = (0..100)
        .map(|_| {
            let repository = repository.clone();
            tokio::spawn(async move { repository.load_features().await })
        })
        .collect();
    let mut backing_off = 0;
    for request in burst {
        match request.await.unwrap() {
            Err(RemoteError::Status { status: 503, .. }) => {}
            Err(RemoteError::BackingOff { last_error, .. }) => {
                assert!(last_error.contains("503"), "{last_error}");
                backing_off += 1;
            }
            other => panic!("unexpected: {:?}", other.map(|f| f.len())),
        }
    }
    assert_eq!(server.hits(), 1, "one request for 100 callers");
    assert_eq!(backing_off, 99);
    // An explicit refresh does not wait for the backoff.
    assert!(repository.refresh().await.is_err());
    assert_eq!(server.hits(), 2);
}
