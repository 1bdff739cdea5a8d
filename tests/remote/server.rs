//! A real HTTP server on 127.0.0.1 (tiny_http, in a thread) with a scripted
//! reply, counting hits and honouring `If-None-Match`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the server answers.
#[derive(Debug, Clone)]
pub enum Reply {
    Json {
        body: String,
        etag: Option<String>,
        delay: Duration,
    },
    Status(u16),
    /// A 200 whose body stops before its announced length.
    Truncated(String),
}

impl Reply {
    pub fn json(body: String) -> Reply {
        Reply::Json {
            body,
            etag: None,
            delay: Duration::ZERO,
        }
    }

    pub fn status(code: u16) -> Reply {
        Reply::Status(code)
    }

    pub fn with_etag(self, tag: &str) -> Reply {
        match self {
            Reply::Json { body, delay, .. } => Reply::Json {
                body,
                etag: Some(tag.to_owned()),
                delay,
            },
            other => other,
        }
    }

    pub fn delayed(self, by: Duration) -> Reply {
        match self {
            Reply::Json { body, etag, .. } => Reply::Json {
                body,
                etag,
                delay: by,
            },
            other => other,
        }
    }
}

#[derive(Default)]
struct Seen {
    path: Option<String>,
    if_none_match: Option<String>,
}

pub struct TestServer {
    server: Arc<tiny_http::Server>,
    reply: Arc<Mutex<Reply>>,
    hits: Arc<AtomicUsize>,
    not_modified: Arc<AtomicUsize>,
    seen: Arc<Mutex<Seen>>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    pub fn start(reply: Reply) -> TestServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let reply = Arc::new(Mutex::new(reply));
        let hits = Arc::new(AtomicUsize::new(0));
        let not_modified = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let thread = {
            let (server, reply, hits, not_modified, seen) = (
                server.clone(),
                reply.clone(),
                hits.clone(),
                not_modified.clone(),
                seen.clone(),
            );
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    hits.fetch_add(1, Ordering::SeqCst);
                    let if_none_match = request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("If-None-Match"))
                        .map(|h| h.value.to_string());
                    {
                        let mut seen = seen.lock().unwrap();
                        seen.path = Some(request.url().to_owned());
                        seen.if_none_match = if_none_match.clone();
                    }
                    let reply = reply.lock().unwrap().clone();
                    // Each answer in its own thread, so a slow one blocks nobody.
                    let not_modified = not_modified.clone();
                    std::thread::spawn(move || {
                        answer(request, reply, if_none_match, &not_modified)
                    });
                }
            })
        };
        TestServer {
            server,
            reply,
            hits,
            not_modified,
            seen,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!(
            "http://{}",
            self.server.server_addr().to_ip().expect("an IP address")
        )
    }

    pub fn reply(&self, reply: Reply) {
        *self.reply.lock().unwrap() = reply;
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    pub fn not_modified(&self) -> usize {
        self.not_modified.load(Ordering::SeqCst)
    }

    pub fn last_path(&self) -> Option<String> {
        self.seen.lock().unwrap().path.clone()
    }

    pub fn last_if_none_match(&self) -> Option<String> {
        self.seen.lock().unwrap().if_none_match.clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn answer(
    request: tiny_http::Request,
    reply: Reply,
    if_none_match: Option<String>,
    not_modified: &AtomicUsize,
) {
    let header = |name: &str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap()
    };
    match reply {
        Reply::Json { body, etag, delay } => {
            std::thread::sleep(delay);
            if etag.is_some() && etag == if_none_match {
                not_modified.fetch_add(1, Ordering::SeqCst);
                let _ = request.respond(tiny_http::Response::empty(304));
                return;
            }
            let mut response = tiny_http::Response::from_string(body)
                .with_header(header("Content-Type", "application/json"));
            if let Some(etag) = etag {
                response = response.with_header(header("ETag", &etag));
            }
            let _ = request.respond(response);
        }
        Reply::Status(code) => {
            let _ =
                request.respond(tiny_http::Response::from_string("error").with_status_code(code));
        }
        Reply::Truncated(body) => {
            // Announce the full length, send half of it, close the connection.
            let half = body.as_bytes()[..body.len() / 2].to_vec();
            let response = tiny_http::Response::new(
                tiny_http::StatusCode(200),
                vec![header("Connection", "close")],
                std::io::Cursor::new(half),
                Some(body.len()),
                None,
            );
            let _ = request.respond(response);
        }
    }
}
