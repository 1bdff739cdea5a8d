//! An incremental reader of the `text/event-stream` format (the WHATWG HTML
//! standard's "server-sent events"): bytes in, complete events out.
//!
//! Every byte is looked at once, however an event is cut into chunks. Lines
//! end with CRLF, LF or a lone CR (a CR at the end of one chunk and an LF at
//! the start of the next are one line end). Fields: `event` (the type,
//! `message` by default), `data` (lines joined with `\n`), `id` (the last
//! event id, kept across events and sent back on reconnecting), `retry` (the
//! reconnection delay, in milliseconds); lines starting with `:` are
//! comments (keep-alives), other fields are ignored, a leading BOM is
//! skipped. An event and its pending line may not grow past a size cap.

use std::time::Duration;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    /// The `event` field (`message` when absent).
    pub(crate) kind: String,
    /// The `data` lines, joined with `\n`.
    pub(crate) data: String,
}

/// The event or line being read grew past the size cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// What one chunk of the stream held.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// Complete events, in order.
    pub(crate) events: Vec<Event>,
    /// Whether it held anything at all: a comment (keep-alive), a field, an
    /// event. A live connection that sends nothing else sends comments.
    pub(crate) activity: bool,
}

/// The reader's state between chunks.
#[derive(Debug)]
pub(crate) struct SseReader {
    /// The line read so far (without its end).
    line: Vec<u8>,
    /// The previous chunk ended with a CR: an LF first in this one ends no
    /// further line.
    after_cr: bool,
    /// The first bytes (and a BOM among them) were seen.
    started: bool,
    kind: String,
    data: String,
    last_event_id: String,
    retry: Option<Duration>,
    limit: usize,
}

impl SseReader {
    /// A reader that refuses events (and lines) larger than `limit` bytes.
    pub(crate) fn new(limit: usize) -> SseReader {
        SseReader {
            line: Vec::new(),
            after_cr: false,
            started: false,
            kind: String::new(),
            data: String::new(),
            last_event_id: String::new(),
            retry: None,
            limit,
        }
    }

    /// The reconnection delay the server asked for (`retry:`), if any.
    pub(crate) fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// The last event id (`id:`), empty when none was sent.
    pub(crate) fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// Reads one chunk of the stream.
    pub(crate) fn push(&mut self, mut bytes: &[u8]) -> Result<Chunk, TooLarge> {
        let mut chunk = Chunk::default();
        if !self.started && !bytes.is_empty() {
            self.started = true;
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        if self.after_cr {
            self.after_cr = false;
            bytes = bytes.strip_prefix(b"\n").unwrap_or(bytes);
        }
        while let Some(end) = bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&bytes[..end]);
            self.check_size()?;
            let line = std::mem::take(&mut self.line);
            self.process_line(&line, &mut chunk);
            self.line = line;
            self.line.clear();
            let cr = bytes[end] == b'\r';
            bytes = &bytes[end + 1..];
            if cr {
                match bytes.first() {
                    Some(b'\n') => bytes = &bytes[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.line.extend_from_slice(bytes);
        self.check_size()?;
        Ok(chunk)
    }

    fn check_size(&self) -> Result<(), TooLarge> {
        if self.line.len() + self.data.len() > self.limit {
            Err(TooLarge)
        } else {
            Ok(())
        }
    }

    fn process_line(&mut self, line: &[u8], chunk: &mut Chunk) {
        if line.is_empty() {
            self.dispatch(chunk);
            return;
        }
        chunk.activity = true;
        if line[0] == b':' {
            return;
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => value.clone_into(&mut self.kind),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => value.clone_into(&mut self.last_event_id),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse::<u64>() {
                    self.retry = Some(Duration::from_millis(ms));
                }
            }
            _ => {}
        }
    }

    /// A blank line: the event read so far, if it has data.
    fn dispatch(&mut self, chunk: &mut Chunk) {
        let kind = std::mem::take(&mut self.kind);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        chunk.activity = true;
        chunk.events.push(Event {
            kind: if kind.is_empty() {
                "message".to_owned()
            } else {
                kind
            },
            data,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, data: &str) -> Event {
        Event {
            kind: kind.into(),
            data: data.into(),
        }
    }

    /// Every way of cutting `stream` into two chunks gives the same events.
    fn read_cut_anywhere(stream: &[u8]) -> Vec<Event> {
        let mut whole = SseReader::new(1 << 20);
        let expected = whole.push(stream).unwrap().events;
        for cut in 0..=stream.len() {
            let mut reader = SseReader::new(1 << 20);
            let mut events = reader.push(&stream[..cut]).unwrap().events;
            events.extend(reader.push(&stream[cut..]).unwrap().events);
            assert_eq!(events, expected, "cut at {cut}");
        }
        expected
    }

    #[test]
    fn every_line_ending_form() {
        for stream in [
            &b"event: features\ndata: {}\n\n"[..],
            b"event: features\r\ndata: {}\r\n\r\n",
            b"event: features\rdata: {}\r\r",
            b"event: features\r\ndata: {}\n\r",
        ] {
            assert_eq!(
                read_cut_anywhere(stream),
                [event("features", "{}")],
                "{stream:?}"
            );
        }
    }

    #[test]
    fn data_lines_join_with_newlines_without_stray_carriage_returns() {
        let events = read_cut_anywhere(b"data: {\"a\":\rdata: 1}\r\rdata:x\r\n\r\n");
        assert_eq!(
            events,
            [event("message", "{\"a\":\n1}"), event("message", "x")]
        );
    }

    #[test]
    fn comments_are_activity_without_events() {
        let mut reader = SseReader::new(1024);
        let chunk = reader.push(b": keep-alive\n\n").unwrap();
        assert!(chunk.events.is_empty());
        assert!(chunk.activity);
        assert!(!reader.push(b"").unwrap().activity);
    }

    #[test]
    fn id_and_retry_are_kept() {
        let mut reader = SseReader::new(1024);
        let chunk = reader
            .push(b"id: 42\nretry: 2500\nevent: features-updated\ndata: {}\n\nretry: soon\n\n")
            .unwrap();
        assert_eq!(chunk.events, [event("features-updated", "{}")]);
        assert_eq!(reader.last_event_id(), "42");
        assert_eq!(reader.retry(), Some(Duration::from_millis(2500)));
        reader.push(b"id\n\n").unwrap();
        assert_eq!(reader.last_event_id(), "", "an empty id resets it");
    }

    #[test]
    fn an_event_without_data_dispatches_nothing_and_its_type_does_not_leak() {
        let events = read_cut_anywhere(b"event: features\n\ndata: x\n\n");
        assert_eq!(events, [event("message", "x")]);
    }

    #[test]
    fn a_leading_bom_and_unknown_fields_are_skipped() {
        let events = read_cut_anywhere(b"\xEF\xBB\xBFfoo: bar\ndata\ndata:  two spaces\n\n");
        assert_eq!(events, [event("message", "\n two spaces")]);
    }

    #[test]
    fn an_event_cut_by_the_end_of_the_stream_is_not_dispatched() {
        let mut reader = SseReader::new(1024);
        assert!(reader.push(b"data: half").unwrap().events.is_empty());
    }

    #[test]
    fn events_and_lines_past_the_cap_are_refused() {
        let mut reader = SseReader::new(16);
        assert_eq!(reader.push(b"data: 0123456789\n").map(|_| ()), Ok(()));
        assert_eq!(
            reader.push(b"data: 0123456789\n").map(|_| ()),
            Err(TooLarge)
        );
        let mut reader = SseReader::new(16);
        assert_eq!(
            reader
                .push(b"data: a line longer than sixteen bytes")
                .map(|_| ()),
            Err(TooLarge)
        );
    }

    #[test]
    fn each_byte_is_read_once_however_the_stream_is_cut() {
        // A 1 MB event in 1-byte chunks would be quadratic if the reader
        // rescanned its buffer; here it is read byte by byte, in linear time.
        let mut reader = SseReader::new(4 << 20);
        let payload = "x".repeat(1 << 20);
        let stream = format!("event: features\ndata: {payload}\n\n");
        let mut events = Vec::new();
        for chunk in stream.as_bytes().chunks(1) {
            events.extend(reader.push(chunk).unwrap().events);
        }
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].data.len(), 1 << 20);
    }
}
