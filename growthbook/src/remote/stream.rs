//! The server-sent event stream of feature updates
//! (`{api_host}/sub/{client_key}`): each `features` event carries a whole
//! payload, which replaces the features in force.

use super::{network_error, Inner, RemoteError};

/// Follows the stream until it ends or breaks. `Ok(true)` when at least one
/// event was applied (the caller then resets its backoff).
pub(super) async fn follow(inner: &Inner) -> Result<bool, RemoteError> {
    let url = inner
        .options
        .redacted_url()
        .replace("/api/features/", "/sub/");
    let mut response = inner
        .stream_client
        .get(inner.options.stream_url())
        .header(reqwest::header::ACCEPT, "text/event-stream")
        .send()
        .await
        .map_err(|e| network_error(&url, &e))?;
    if !response.status().is_success() {
        return Err(RemoteError::Status {
            url,
            status: response.status().as_u16(),
        });
    }
    let limit = inner.options.max_payload_bytes;
    let mut parser = EventParser::default();
    let mut applied = false;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| network_error(&url, &e))?
    {
        for event in parser.push(&chunk) {
            if event.kind != "features" {
                continue;
            }
            match inner.install_streamed(event.data) {
                Ok(()) => applied = true,
                Err(e) => log::warn!(target: "growthbook", "{e}; keeping the features in force"),
            }
        }
        if parser.pending() > limit {
            return Err(RemoteError::TooLarge { url, limit });
        }
    }
    // The stream ended; an event cut in the middle is dropped.
    Ok(applied)
}

/// One complete event.
#[derive(Debug, PartialEq)]
struct Event {
    kind: String,
    data: String,
}

/// Splits a byte stream into events (blank-line separated; `event:` and
/// `data:` fields; `data` lines joined by newlines; comments ignored).
#[derive(Default)]
struct EventParser {
    buffer: Vec<u8>,
}

impl EventParser {
    fn pending(&self) -> usize {
        self.buffer.len()
    }

    fn push(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.buffer.extend_from_slice(bytes);
        let mut events = Vec::new();
        while let Some((end, separator)) = find_blank_line(&self.buffer) {
            let block: Vec<u8> = self.buffer.drain(..end + separator).collect();
            if let Some(event) = parse_block(&String::from_utf8_lossy(&block[..end])) {
                events.push(event);
            }
        }
        events
    }
}

/// The end of the first event block and the length of its separator.
fn find_blank_line(buffer: &[u8]) -> Option<(usize, usize)> {
    (0..buffer.len()).find_map(|i| {
        let rest = &buffer[i..];
        if rest.starts_with(b"\r\n\r\n") {
            Some((i, 4))
        } else if rest.starts_with(b"\n\n") || rest.starts_with(b"\r\r") {
            Some((i, 2))
        } else {
            None
        }
    })
}

fn parse_block(block: &str) -> Option<Event> {
    let mut kind = "message".to_owned();
    let mut data: Vec<&str> = Vec::new();
    for line in block.lines() {
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => kind = value.to_owned(),
            "data" => data.push(value),
            _ => {}
        }
    }
    (!data.is_empty()).then(|| Event {
        kind,
        data: data.join("\n"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks() {
        let mut parser = EventParser::default();
        assert!(parser.push(b": keep-alive\n\nevent: feat").is_empty());
        let events =
            parser.push(b"ures\ndata: {\"a\":\ndata: 1}\n\nevent: other\r\ndata: x\r\n\r\ndata: y");
        assert_eq!(
            events,
            [
                Event {
                    kind: "features".into(),
                    data: "{\"a\":\n1}".into()
                },
                Event {
                    kind: "other".into(),
                    data: "x".into()
                }
            ]
        );
        assert_eq!(parser.pending(), 7, "the cut event waits for its end");
    }
}
