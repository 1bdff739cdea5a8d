//! The server-sent event stream of feature updates
//! (`{api_host}/sub/{client_key}`): each `features` event carries a whole
//! payload, which replaces the features in force. The format is read by
//! [`super::sse`].

use super::sse::{SseReader, TooLarge};
use super::{network_error, Inner, RemoteError};

/// What persists from one connection of the stream to the next: the last
/// event id (sent back as `Last-Event-ID`) and the server's reconnection
/// delay (`retry:`).
#[derive(Debug, Default)]
pub(super) struct Resume {
    pub(super) last_event_id: String,
    pub(super) retry: Option<std::time::Duration>,
}

/// Follows the stream until it ends or breaks. `Ok(true)` when at least one
/// event was applied (the caller then resets its backoff).
pub(super) async fn follow(inner: &Inner, resume: &mut Resume) -> Result<bool, RemoteError> {
    let url = inner
        .options
        .redacted_url()
        .replace("/api/features/", "/sub/");
    let mut request = inner
        .stream_client
        .get(inner.options.stream_url())
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
    let limit = inner.options.max_payload_bytes;
    let mut reader = SseReader::new(limit);
    let mut applied = false;
    let outcome = loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            // The stream ended; an event cut in the middle is dropped.
            Ok(None) => break Ok(applied),
            Err(e) => break Err(network_error(&url, &e)),
        };
        let read = match reader.push(&chunk) {
            Ok(read) => read,
            Err(TooLarge) => break Err(RemoteError::TooLarge { url, limit }),
        };
        for event in read.events {
            if event.kind != "features" {
                continue;
            }
            match inner.install_streamed(event.data) {
                Ok(()) => applied = true,
                Err(e) => log::warn!(target: "growthbook", "{e}; keeping the features in force"),
            }
        }
    };
    reader.last_event_id().clone_into(&mut resume.last_event_id);
    if let Some(retry) = reader.retry() {
        resume.retry = Some(retry);
    }
    outcome
}
