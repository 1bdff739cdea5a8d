//! A raw HTTP server on 127.0.0.1 that serves the features endpoint (with
//! `x-sse-support: enabled`) and a server-sent event stream at `/sub/...`,
//! whose events the test pushes. Raw TCP so that every event is written and
//! flushed at once, and so that a stream can be cut in the middle of an event.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

enum Push {
    Bytes(Vec<u8>),
    Close,
}

pub struct SseServer {
    address: String,
    streams: Arc<Mutex<Vec<Sender<Push>>>>,
    connections: Arc<AtomicUsize>,
    last_event_ids: Arc<Mutex<Vec<Option<String>>>>,
    state: Arc<State>,
}

/// What the connection threads share.
#[derive(Default)]
struct State {
    /// The payload the features endpoint serves.
    payload: Mutex<String>,
    /// Requests to the features endpoint.
    feature_requests: AtomicUsize,
    /// Event streams still connected.
    open_streams: AtomicUsize,
}

impl SseServer {
    pub fn start(payload: String) -> SseServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let streams: Arc<Mutex<Vec<Sender<Push>>>> = Arc::default();
        let connections = Arc::new(AtomicUsize::new(0));
        let last_event_ids: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
        let state = Arc::new(State {
            payload: Mutex::new(payload),
            ..State::default()
        });
        let (accepting, counting, ids, shared) = (
            streams.clone(),
            connections.clone(),
            last_event_ids.clone(),
            state.clone(),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (streams, connections, ids, state) = (
                    accepting.clone(),
                    counting.clone(),
                    ids.clone(),
                    shared.clone(),
                );
                std::thread::spawn(move || serve(stream, &state, &streams, &connections, &ids));
            }
        });
        SseServer {
            address,
            streams,
            connections,
            last_event_ids,
            state,
        }
    }

    pub fn url(&self) -> String {
        self.address.clone()
    }

    /// How many times a client opened the event stream.
    pub fn stream_connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Changes what the features endpoint serves.
    pub fn set_payload(&self, payload: String) {
        *self.state.payload.lock().unwrap() = payload;
    }

    /// Requests to the features endpoint so far.
    pub fn feature_requests(&self) -> usize {
        self.state.feature_requests.load(Ordering::SeqCst)
    }

    /// Event streams whose client is still connected (as far as the last
    /// write could tell).
    pub fn open_streams(&self) -> usize {
        self.state.open_streams.load(Ordering::SeqCst)
    }

    /// The `Last-Event-ID` header of each stream request, in order.
    pub fn last_event_ids(&self) -> Vec<Option<String>> {
        self.last_event_ids.lock().unwrap().clone()
    }

    /// Sends raw bytes to every open stream.
    pub fn push(&self, bytes: &str) {
        self.streams
            .lock()
            .unwrap()
            .retain(|s| s.send(Push::Bytes(bytes.as_bytes().to_vec())).is_ok());
    }

    /// Sends a `features` event.
    pub fn push_features(&self, payload: &str) {
        self.push(&format!("event: features\ndata: {payload}\n\n"));
    }

    /// Closes every open stream.
    pub fn close_streams(&self) {
        for stream in self.streams.lock().unwrap().drain(..) {
            let _ = stream.send(Push::Close);
        }
    }
}

fn serve(
    stream: TcpStream,
    state: &State,
    streams: &Mutex<Vec<Sender<Push>>>,
    connections: &AtomicUsize,
    last_event_ids: &Mutex<Vec<Option<String>>>,
) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone the socket"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut last_event_id = None;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("last-event-id") {
                        last_event_id = Some(value.trim().to_owned());
                    }
                }
            }
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("");
    let mut stream = stream;
    if path.starts_with("/sub/") {
        last_event_ids.lock().unwrap().push(last_event_id);
        connections.fetch_add(1, Ordering::SeqCst);
        let (sender, receiver) = channel();
        streams.lock().unwrap().push(sender);
        state.open_streams.fetch_add(1, Ordering::SeqCst);
        stream_until_closed(stream, &receiver);
        state.open_streams.fetch_sub(1, Ordering::SeqCst);
    } else {
        state.feature_requests.fetch_add(1, Ordering::SeqCst);
        let payload = state.payload.lock().unwrap().clone();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-sse-support: enabled\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            payload.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(payload.as_bytes());
        let _ = stream.flush();
    }
}

/// Writes what the test pushes until it closes the stream or the client
/// goes away.
fn stream_until_closed(mut stream: TcpStream, receiver: &std::sync::mpsc::Receiver<Push>) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
    if stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.flush())
        .is_err()
    {
        return;
    }
    while let Ok(Push::Bytes(bytes)) = receiver.recv() {
        if stream
            .write_all(&bytes)
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}
