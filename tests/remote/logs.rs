//! Nothing the remote loader logs carries the client key or the decryption
//! key, whatever fails.

use crate::server::{Reply, TestServer};
use crate::{options, payload, CLIENT_KEY, DECRYPTION_KEY, ENCRYPTED};
use growthbook::remote::FeatureRepository;
use serde_json::json;
use std::time::Duration;

use crate::log_capture;

#[tokio::test]
async fn logs_never_contain_the_keys() {
    log_capture::start();
    let server = TestServer::start(Reply::json(
        json!({"encryptedFeatures": ENCRYPTED}).to_string(),
    ));
    let repository = FeatureRepository::new(
        options(&server)
            .decryption_key(DECRYPTION_KEY)
            .cache_ttl(Duration::from_millis(10)),
    )
    .unwrap();
    repository.load_features().await.unwrap();
    // Background refreshes that fail in every way, logged rather than returned.
    for reply in [
        Reply::status(500),
        Reply::json("{".into()),
        Reply::json(json!({"encryptedFeatures": "garbage.garbage"}).to_string()),
        Reply::json(payload("blue")),
    ] {
        server.reply(reply);
        tokio::time::sleep(Duration::from_millis(20)).await;
        repository.load_features().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    repository.start_polling(Duration::from_millis(5));
    server.reply(Reply::status(503));
    tokio::time::sleep(Duration::from_millis(60)).await;
    repository.destroy();

    let lines: Vec<String> = log_capture::all()
        .into_iter()
        .map(|r| format!("{} {}", r.target, r.message))
        .collect();
    assert!(
        lines.iter().any(|l| l.contains("HTTP status 500")),
        "failures were logged: {lines:#?}"
    );
    for line in &lines {
        assert!(
            !line.contains(CLIENT_KEY),
            "client key in a log line: {line}"
        );
        assert!(
            !line.contains(DECRYPTION_KEY),
            "decryption key in a log line: {line}"
        );
    }
}
