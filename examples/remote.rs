//! Loads features from any GrowthBook-compatible endpoint and prints the value
//! of every feature for one user, as JSON.
//!
//! ```sh
//! cargo run --example remote -- --client-key sdk-abc123 \
//!     [--api-host https://cdn.growthbook.io] [--decryption-key KEY] \
//!     [--attributes '{"id":"123"}']
//! ```

use growthbook::remote::{FeatureRepository, RemoteOptions};
use serde_json::{Map, Value};
use std::process::ExitCode;

const USAGE: &str = "usage: remote --client-key <key> [--api-host <url>] [--decryption-key <key>] [--attributes <json>]";

#[tokio::main]
async fn main() -> ExitCode {
    let mut client_key = None;
    let mut api_host = None;
    let mut decryption_key = None;
    let mut attributes = Value::Object(Map::new());
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            eprintln!("{flag} needs a value\n{USAGE}");
            return ExitCode::from(2);
        };
        match flag.as_str() {
            "--client-key" => client_key = Some(value),
            "--api-host" => api_host = Some(value),
            "--decryption-key" => decryption_key = Some(value),
            "--attributes" => match serde_json::from_str(&value) {
                Ok(parsed) => attributes = parsed,
                Err(e) => {
                    eprintln!("--attributes is not JSON: {e}");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("unknown option {other}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(client_key) = client_key else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut options = RemoteOptions::new(client_key);
    if let Some(host) = api_host {
        options = options.api_host(host);
    }
    if let Some(key) = decryption_key {
        options = options.decryption_key(key);
    }
    let repository = match FeatureRepository::new(options) {
        Ok(repository) => repository,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let features = match repository.load_features().await {
        Ok(features) => features,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let gb = growthbook::GrowthBook::builder()
        .features(features.clone())
        .attributes(attributes)
        .build();
    let mut keys: Vec<&str> = features.keys().collect();
    keys.sort_unstable();
    let values: Map<String, Value> = keys
        .into_iter()
        .map(|key| (key.to_owned(), gb.feature_value(key).into_owned()))
        .collect();
    match serde_json::to_string_pretty(&values) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
