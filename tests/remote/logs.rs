//! Nothing the remote loader logs carries the client key or the decryption
//! key, whatever fails.

use crate::server::{Reply, TestServer};
use crate::{options, payload, CLIENT_KEY, DECRYPTION_KEY, ENCRYPTED};
use growthbook::remote::FeatureRepository;
use log::{LevelFilter, Log, Metadata, Record};
use serde_json::json;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

struct Capture(Mutex<Vec<String>>);

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &Record<'_>) {
        self.0
            .lock()
            .unwrap()
            .push(format!("{} {}", record.target(), record.args()));
    }
    fn flush(&self) {}
}

fn captured() -> &'static Capture {
    static CAPTURE: OnceLock<&'static Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture: &'static Capture = Box::leak(Box::new(Capture(Mutex::new(Vec::new()))));
        log::set_logger(capture).expect("the only logger of this test binary");
        log::set_max_level(LevelFilter::Trace);
        capture
    })
}

#[tokio::test]
async fn logs_never_contain_the_keys() {
    let logs = captured();
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

    let lines = logs.0.lock().unwrap().clone();
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
