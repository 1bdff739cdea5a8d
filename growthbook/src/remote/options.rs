//! [`RemoteOptions`]: where features are loaded from, how long they stay
//! fresh, and where they are cached.

use std::time::Duration;

/// Where and how to load features.
#[derive(Clone)]
pub struct RemoteOptions {
    /// The API host (default `https://cdn.growthbook.io`).
    pub api_host: String,
    /// The SDK connection's client key (`sdk-...`).
    pub client_key: String,
    /// The SDK connection's decryption key, when encryption is on.
    pub decryption_key: Option<String>,
    /// How long fetched features count as fresh (default 60 s).
    pub cache_ttl: Duration,
    /// The longest a fetch may take, connection included (default 10 s).
    pub timeout: Duration,
    /// The largest payload accepted, in bytes (default 32 MiB).
    pub max_payload_bytes: usize,
    /// The first wait before reconnecting a cut stream; it doubles on each
    /// failure up to a minute (default 1 s).
    pub stream_retry: Duration,
    /// How long the update stream may stay silent (no event, no keep-alive
    /// comment) before the connection counts as dead and is replaced
    /// (default 90 s).
    pub stream_idle_timeout: Duration,
}

impl std::fmt::Debug for RemoteOptions {
    /// Keys are redacted: debug output ends up in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteOptions")
            .field("api_host", &self.api_host)
            .field("client_key", &"<redacted>")
            .field(
                "decryption_key",
                &self.decryption_key.as_ref().map(|_| "<redacted>"),
            )
            .field("cache_ttl", &self.cache_ttl)
            .field("timeout", &self.timeout)
            .field("max_payload_bytes", &self.max_payload_bytes)
            .field("stream_retry", &self.stream_retry)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .finish()
    }
}

impl RemoteOptions {
    /// Options for a client key, with the defaults of the reference SDK.
    pub fn new(client_key: impl Into<String>) -> RemoteOptions {
        RemoteOptions {
            api_host: "https://cdn.growthbook.io".to_owned(),
            client_key: client_key.into(),
            decryption_key: None,
            cache_ttl: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
            max_payload_bytes: 32 << 20,
            stream_retry: Duration::from_secs(1),
            stream_idle_timeout: Duration::from_secs(90),
        }
    }

    /// Sets how long the update stream may stay silent before it is
    /// reconnected.
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle_timeout = timeout;
        self
    }

    /// Sets the first reconnection delay of the update stream.
    pub fn stream_retry(mut self, delay: Duration) -> Self {
        self.stream_retry = delay;
        self
    }

    /// Sets the API host.
    pub fn api_host(mut self, api_host: impl Into<String>) -> Self {
        self.api_host = api_host.into();
        self
    }

    /// Sets the decryption key.
    pub fn decryption_key(mut self, key: impl Into<String>) -> Self {
        self.decryption_key = Some(key.into());
        self
    }

    /// Sets how long fetched features count as fresh.
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.cache_ttl = ttl;
        self
    }

    /// Sets the fetch timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the largest payload accepted.
    pub fn max_payload_bytes(mut self, limit: usize) -> Self {
        self.max_payload_bytes = limit;
        self
    }

    pub(crate) fn stream_url(&self) -> String {
        format!(
            "{}/sub/{}",
            self.api_host.trim_end_matches('/'),
            self.client_key
        )
    }

    pub(crate) fn url(&self) -> String {
        format!(
            "{}/api/features/{}",
            self.api_host.trim_end_matches('/'),
            self.client_key
        )
    }

    /// The URL as it may appear in messages: the client key redacted.
    pub(crate) fn redacted_url(&self) -> String {
        format!(
            "{}/api/features/<client key>",
            self.api_host.trim_end_matches('/')
        )
    }

    /// The cache key: one entry per API host and client key.
    pub(crate) fn cache_key(&self) -> String {
        format!(
            "{}||{}",
            self.api_host.trim_end_matches('/'),
            self.client_key
        )
    }
}
