//! The server-sent event stream of feature updates
//! (`{api_host}/sub/{client_key}`): each `features` event carries a whole
//! payload, which replaces the features in force, and `features-updated`
//! says a new payload is to be fetched. The format is read by
//! [`super::sse`].

use super::fetch::network_error;
use super::sse::{SseReader, TooLarge};
use super::{Inner, RemoteError};
use std::sync::{Arc, Weak};

/// What persists from one connection of the stream to the next: the last
/// event id (sent back as `Last-Event-ID`) and the server's reconnection
/// delay (`retry:`).
#[derive(Debug, Default)]
pub(super) struct Resume {
    pub(super) last_event_id: String,
    pub(super) retry: Option<std::time::Duration>,
}

/// Follows the stream until it ends, breaks, goes silent for longer than
/// the idle timeout, or the repository is dropped. `Ok(true)` when at least
/// one event was applied (the caller then resets its backoff).
///
/// Only a weak reference is held while waiting for bytes, so that dropping
/// the last clone of the repository ends the stream (the caller's `stop`
/// channel closes with it).
pub(super) async fn follow(inner: &Weak<Inner>, resume: &mut Resume) -> Result<bool, RemoteError> {
    let (client, stream_url, url, limit, idle_timeout) = {
        let Some(inner) = inner.upgrade() else {
            return Ok(false);
        };
        let options = &inner.options;
        (
            inner.stream_client.clone(),
            options.stream_url(),
            options.redacted_url().replace("/api/features/", "/sub/"),
            options.max_payload_bytes,
            options.stream_idle_timeout,
        )
    };
    let mut request = client
        .get(stream_url)
        .header(reqwest::header::ACCEPT, "text/event-stream");
    if !resume.last_event_id.is_empty() {
        request = request.header("Last-Event-ID", resume.last_event_id.as_str());
    }
    let mut response = request.send().await.map_err(|e| network_error(&url, &e))?;
    if !response.status().is_success() {
        return Err(RemoteError::Status {
            url,
            status: response.status().as_u16(),
        });
    }
    let mut reader = SseReader::new(limit);
    let mut applied = false;
    let outcome = loop {
        let chunk = match tokio::time::timeout(idle_timeout, response.chunk()).await {
            Ok(Ok(Some(chunk))) => chunk,
            // The stream ended; an event cut in the middle is dropped.
            Ok(Ok(None)) => break Ok(applied),
            Ok(Err(e)) => break Err(network_error(&url, &e)),
            // Silent for too long: a dead connection (keep-alive comments
            // would have arrived).
            Err(_) => break Err(RemoteError::Timeout { url }),
        };
        let read = match reader.push(&chunk) {
            Ok(read) => read,
            Err(TooLarge) => break Err(RemoteError::TooLarge { url, limit }),
        };
        for event in read.events {
            let Some(inner) = inner.upgrade() else {
                return Ok(applied);
            };
            match event.kind.as_str() {
                // A whole payload.
                "features" => match inner.install_streamed(event.data).await {
                    Ok(()) => applied = true,
                    Err(e) => {
                        log::warn!(target: "growthbook", "{e}; keeping the features in force")
                    }
                },
                // A notice that the payload changed (sent, for one, when it
                // is too large to stream): fetch it, as the JS and Python
                // SDKs do, without waiting out any backoff.
                "features-updated" => {
                    let inner = Arc::clone(&inner);
                    tokio::spawn(async move {
                        let _ = inner.attempt(false).await;
                    });
                    applied = true;
                }
                _ => {}
            }
        }
    };
    reader.last_event_id().clone_into(&mut resume.last_event_id);
    if let Some(retry) = reader.retry() {
        resume.retry = Some(retry);
    }
    outcome
}
