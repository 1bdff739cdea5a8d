//! The per-request pattern of the reference SDK's Django middleware, in axum:
//! one `FeatureRepository` for the process (loaded once, kept current in the
//! background), and an extractor that builds a cheap `GrowthBook` for each
//! request from the request's user.
//!
//! ```sh
//! # against GrowthBook (or any compatible endpoint):
//! GROWTHBOOK_CLIENT_KEY=sdk-abc123 cargo run -p growthbook-axum-example
//! # or offline, on the repository's features.json:
//! cargo run -p growthbook-axum-example
//! curl 'http://127.0.0.1:3000/?id=u_1001&country=FR'
//! ```
#![forbid(unsafe_code)]

use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use growthbook::remote::{FeatureRepository, RemoteOptions};
use growthbook::{FeatureSet, GrowthBook};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Where the features come from.
#[derive(Clone)]
enum Features {
    Remote(FeatureRepository),
    Fixed(Arc<FeatureSet>),
}

/// A `GrowthBook` for the current request, built from the request's user.
struct Flags(GrowthBook);

impl FromRequestParts<Features> for Flags {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        features: &Features,
    ) -> Result<Self, Self::Rejection> {
        // The user's attributes; here from the query string, in a real
        // service from the session or a token.
        let query: Query<HashMap<String, String>> =
            Query::try_from_uri(&parts.uri).unwrap_or_else(|_| Query(HashMap::new()));
        let attributes: Map<String, Value> = query
            .0
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        let builder = match features {
            // Never waits on the network once features are loaded.
            Features::Remote(repository) => repository.growthbook().await,
            Features::Fixed(set) => GrowthBook::builder().features(Arc::clone(set)),
        };
        Ok(Flags(
            builder
                .attributes(Value::Object(attributes))
                .url(parts.uri.to_string())
                .build(),
        ))
    }
}

async fn index(Flags(gb): Flags) -> Json<Value> {
    Json(json!({
        "darkMode": gb.is_on("dark-mode"),
        "buttonColor": gb.get_feature_value("button-color", "blue".to_string()),
        "maxCartItems": gb.get_feature_value("max-cart-items", 50),
    }))
}

async fn features_loaded(State(features): State<Features>) -> Json<Value> {
    let count = match &features {
        Features::Remote(repository) => repository.features().map_or(0, |f| f.len()),
        Features::Fixed(set) => set.len(),
    };
    Json(json!({ "features": count }))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let features = match std::env::var("GROWTHBOOK_CLIENT_KEY") {
        Ok(client_key) => {
            let mut options = RemoteOptions::new(client_key);
            if let Ok(host) = std::env::var("GROWTHBOOK_API_HOST") {
                options = options.api_host(host);
            }
            if let Ok(key) = std::env::var("GROWTHBOOK_DECRYPTION_KEY") {
                options = options.decryption_key(key);
            }
            let repository = FeatureRepository::new(options)?;
            repository
                .start_background_sync(Duration::from_secs(30))
                .await?;
            Features::Remote(repository)
        }
        Err(_) => Features::Fixed(Arc::new(FeatureSet::from_json_str(include_str!(
            "../features.json"
        ))?)),
    };
    let app = Router::new()
        .route("/", get(index))
        .route("/features", get(features_loaded))
        .with_state(features);
    let address = std::env::var("ADDRESS").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{address}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
