//! Fetching a payload from the API host: conditional requests (ETag), size
//! limits, decryption and compilation, with errors that name the URL but
//! never the keys.

use super::{CachedPayload, Inner, RemoteError};
use crate::FeatureSet;
use serde_json::Value;
use std::sync::Arc;
use std::time::SystemTime;

impl Inner {
    pub(super) async fn fetch(&self) -> Result<Arc<FeatureSet>, RemoteError> {
        let url = self.options.redacted_url();
        let etag = self.read().etag.clone();
        let mut request = self.client.get(self.options.url());
        if let Some(etag) = &etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        let mut response = request.send().await.map_err(|e| network_error(&url, &e))?;
        let status = response.status();
        let now = SystemTime::now();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            let confirmed = {
                let mut loaded = self.loaded.write().unwrap_or_else(|e| e.into_inner());
                let features = loaded.features.clone();
                if features.is_some() {
                    loaded.fetched_at = Some(now);
                }
                features
            };
            if let Some(features) = confirmed {
                if let Some(mut cached) = self.cache_get().await {
                    cached.fetched_at = now;
                    self.cache_set(&cached).await;
                }
                log::debug!(target: "growthbook", "features from {url} not modified");
                return Ok(features);
            }
        }
        if !status.is_success() {
            return Err(RemoteError::Status {
                url,
                status: status.as_u16(),
            });
        }
        let sse_supported = response
            .headers()
            .get("x-sse-support")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"enabled"));
        self.loaded
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .sse_supported = sse_supported;
        let new_etag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let limit = self.options.max_payload_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(RemoteError::TooLarge { url, limit });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| network_error(&url, &e))?
        {
            if body.len() + chunk.len() > limit {
                return Err(RemoteError::TooLarge { url, limit });
            }
            body.extend_from_slice(&chunk);
        }
        let body = String::from_utf8(body).map_err(|_| RemoteError::Payload {
            url: url.clone(),
            error: crate::Error::InvalidJson("the payload is not UTF-8 text".into()),
        })?;
        let features = Arc::new(self.compile(&body)?);
        let cached = CachedPayload {
            body: body.into(),
            etag: new_etag.clone(),
            fetched_at: now,
        };
        self.cache_set(&cached).await;
        let mut loaded = self.loaded.write().unwrap_or_else(|e| e.into_inner());
        loaded.features = Some(Arc::clone(&features));
        loaded.etag = new_etag;
        loaded.fetched_at = Some(now);
        drop(loaded);
        log::debug!(target: "growthbook", "loaded {} features from {url}", features.len());
        self.notify(&features);
        Ok(features)
    }

    /// Puts a payload received on the update stream in force.
    pub(super) async fn install_streamed(&self, body: String) -> Result<(), RemoteError> {
        let features = Arc::new(self.compile(&body)?);
        let now = SystemTime::now();
        let cached = CachedPayload {
            body: body.into(),
            etag: None,
            fetched_at: now,
        };
        self.cache_set(&cached).await;
        {
            let mut loaded = self.loaded.write().unwrap_or_else(|e| e.into_inner());
            loaded.features = Some(Arc::clone(&features));
            loaded.etag = None;
            loaded.fetched_at = Some(now);
        }
        log::debug!(target: "growthbook", "applied {} streamed features", features.len());
        self.notify(&features);
        Ok(())
    }

    /// Parses, decrypts when needed, and compiles a payload as served.
    ///
    /// Plain features are compiled while the text is read; only the other
    /// members (where any encrypted parts are) are kept as JSON.
    pub(super) fn compile(&self, body: &str) -> Result<FeatureSet, RemoteError> {
        let url = self.options.redacted_url();
        let payload_error = |error| RemoteError::Payload {
            url: url.clone(),
            error,
        };
        let mut payload = match crate::compile::payload_de::read_str(body).map_err(payload_error)? {
            Ok(payload) => payload,
            Err(not_an_object) => {
                return FeatureSet::from_value(not_an_object).map_err(payload_error)
            }
        };
        let encrypted = payload.rest.keys().any(|k| k.starts_with("encrypted"));
        if encrypted {
            let Some(key) = &self.options.decryption_key else {
                return Err(RemoteError::MissingDecryptionKey { url });
            };
            let mut rest = Value::Object(std::mem::take(&mut payload.rest));
            crate::decrypt_payload(&mut rest, key).map_err(|e| match e {
                crate::Error::Decrypt(error) => RemoteError::Decrypt {
                    url: url.clone(),
                    error,
                },
                error => payload_error(error),
            })?;
            if rest.get("features").is_some() {
                // Decrypted features replace any plain ones.
                return FeatureSet::from_value(rest).map_err(payload_error);
            }
            if let Value::Object(rest) = rest {
                payload.rest = rest;
            }
        }
        FeatureSet::from_payload(payload).map_err(payload_error)
    }
}

pub(super) fn network_error(url: &str, error: &reqwest::Error) -> RemoteError {
    if error.is_timeout() {
        return RemoteError::Timeout {
            url: url.to_owned(),
        };
    }
    // reqwest's messages include the URL (and so the client key): describe
    // the cause without it.
    let mut cause = String::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    if cause.is_empty() {
        cause = if error.is_connect() {
            "connection failed".into()
        } else if error.is_body() || error.is_decode() {
            "the response body was cut off".into()
        } else {
            "request failed".into()
        };
    }
    RemoteError::Network {
        url: url.to_owned(),
        cause,
    }
}
