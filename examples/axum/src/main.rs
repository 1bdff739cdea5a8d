//! The per-request pattern of the reference SDK's Django middleware, in axum:
//! one `FeatureRepository` for the process (loaded once, kept current in the
//! background), one template instance per feature version, and an extractor
//! that gives each request a `GrowthBook` over typed attributes read from the
//! request's headers, allocating nothing.
//!
//! ```sh
//! # against GrowthBook (or any compatible endpoint):
//! GROWTHBOOK_CLIENT_KEY=sdk-abc123 cargo run -p growthbook-axum-example
//! # or offline, on the repository's features.json:
//! cargo run -p growthbook-axum-example
//! curl -H 'x-user-id: u_1001' -H 'x-country: FR' -H 'x-plan: enterprise' http://127.0.0.1:3000/
//! ```
#![forbid(unsafe_code)]

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::routing::get;
use axum::{Json, Router};
use growthbook::attributes::{AttributeKinds, AttributeValue, ToAttribute};
use growthbook::remote::{FeatureRepository, RemoteOptions};
use growthbook::{Attributes, FeatureSet, GrowthBook};
use serde_json::{json, Value};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Where the features come from, and the template instance per-request
/// instances are made from (rebuilt when the repository's features change).
#[derive(Clone)]
struct Flagging {
    source: Source,
    template: Arc<RwLock<GrowthBook>>,
}

#[derive(Clone)]
enum Source {
    Remote(FeatureRepository),
    Fixed(Arc<FeatureSet>),
}

/// A request header as an attribute. Cloning a `HeaderValue` shares the
/// request's bytes, so reading headers into [`RequestUser`] allocates
/// nothing.
struct Header(HeaderValue);

impl ToAttribute for Header {
    const KINDS: AttributeKinds = AttributeKinds::STRING;

    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        self.0.to_str().ok().map(AttributeValue::String)
    }
}

/// The attributes this service targets on, from the request's headers (in
/// a real service: from the session or a token). Checked against the
/// targeting of `features.json` at compile time.
#[derive(Attributes)]
#[growthbook(schema = "features.json")]
struct RequestUser {
    id: Option<Header>,
    country: Option<Header>,
    plan: Option<Header>,
    app_version: Option<Header>,
    region: Option<Header>,
}

impl RequestUser {
    fn from_headers(parts: &Parts) -> RequestUser {
        let header = |name: &str| parts.headers.get(name).cloned().map(Header);
        RequestUser {
            id: header("x-user-id"),
            country: header("x-country"),
            plan: header("x-plan"),
            app_version: header("x-app-version"),
            region: header("x-region"),
        }
    }
}

/// A `GrowthBook` for the current request, over the request's user.
struct Flags(GrowthBook<RequestUser>);

impl FromRequestParts<Flagging> for Flags {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        flagging: &Flagging,
    ) -> Result<Self, Self::Rejection> {
        let features = match &flagging.source {
            // Never waits on the network once features are loaded.
            Source::Remote(repository) => match repository.load_features().await {
                Ok(features) => features,
                Err(_) => Arc::new(FeatureSet::default()),
            },
            Source::Fixed(set) => Arc::clone(set),
        };
        let user = RequestUser::from_headers(parts);
        Ok(Flags(flagging.instance(features, user)))
    }
}

impl Flagging {
    /// An instance for `user` from the template, after moving the template
    /// to `features` if they changed (the only step that allocates).
    fn instance(&self, features: Arc<FeatureSet>, user: RequestUser) -> GrowthBook<RequestUser> {
        {
            let template = self.template.read().unwrap_or_else(|e| e.into_inner());
            if Arc::ptr_eq(template.feature_set(), &features) {
                return template.with_typed_attributes(user);
            }
        }
        let mut template = self.template.write().unwrap_or_else(|e| e.into_inner());
        template.set_features(features);
        template.with_typed_attributes(user)
    }
}

async fn index(Flags(gb): Flags) -> Json<Value> {
    Json(json!({
        "darkMode": gb.is_on("dark-mode"),
        "buttonColor": gb.get_feature_value("button-color", "blue".to_string()),
        "maxCartItems": gb.get_feature_value("max-cart-items", 50),
    }))
}

async fn features_loaded(State(flagging): State<Flagging>) -> Json<Value> {
    let count = match &flagging.source {
        Source::Remote(repository) => repository.features().map_or(0, |f| f.len()),
        Source::Fixed(set) => set.len(),
    };
    Json(json!({ "features": count }))
}

/// The service's routes over a feature source.
fn app(source: Source) -> Router {
    let flagging = Flagging {
        source,
        template: Arc::new(RwLock::new(GrowthBook::builder().build())),
    };
    Router::new()
        .route("/", get(index))
        .route("/features", get(features_loaded))
        .with_state(flagging)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let source = match std::env::var("GROWTHBOOK_CLIENT_KEY") {
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
            Source::Remote(repository)
        }
        Err(_) => Source::Fixed(Arc::new(FeatureSet::from_json_str(include_str!(
            "../features.json"
        ))?)),
    };
    let address = std::env::var("ADDRESS").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{address}");
    axum::serve(listener, app(source))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// The service on 127.0.0.1, asked over a real connection: the headers
    /// become typed attributes that decide the flags.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn headers_become_typed_attributes() {
        let features =
            Arc::new(FeatureSet::from_json_str(include_str!("../features.json")).unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app(Source::Fixed(features))).await });
        let get = move |headers: &'static str| {
            tokio::task::spawn_blocking(move || {
                let mut stream = std::net::TcpStream::connect(address).unwrap();
                write!(
                    stream,
                    "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n{headers}\r\n"
                )
                .unwrap();
                let mut response = String::new();
                stream.read_to_string(&mut response).unwrap();
                let body = response
                    .split("\r\n\r\n")
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                serde_json::from_str::<Value>(&body).unwrap()
            })
        };
        let french_enterprise = get("x-user-id: u_1001\r\nx-country: FR\r\nx-plan: enterprise\r\n")
            .await
            .unwrap();
        assert_eq!(french_enterprise["buttonColor"], "bleu");
        assert_eq!(french_enterprise["maxCartItems"], 500);
        let anonymous = get("").await.unwrap();
        assert_eq!(anonymous["buttonColor"], "blue");
        assert_eq!(anonymous["maxCartItems"], 50);
    }
}
