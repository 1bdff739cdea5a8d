//! A logger that keeps every record, installed once per test binary, so that
//! tests can check what was logged. (Shared by test binaries through
//! `#[path]`; not every binary uses every part.)
#![allow(dead_code)]

use log::{Level, LevelFilter, Log, Metadata, Record};
use std::sync::{Mutex, OnceLock};

/// One captured record.
#[derive(Debug, Clone)]
pub struct Logged {
    pub level: Level,
    pub target: String,
    pub message: String,
}

struct Capture(Mutex<Vec<Logged>>);

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &Record<'_>) {
        self.0.lock().unwrap().push(Logged {
            level: record.level(),
            target: record.target().to_owned(),
            message: record.args().to_string(),
        });
    }
    fn flush(&self) {}
}

fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<&'static Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture: &'static Capture = Box::leak(Box::new(Capture(Mutex::new(Vec::new()))));
        log::set_logger(capture).expect("no other logger in this test binary");
        log::set_max_level(LevelFilter::Trace);
        capture
    })
}

/// Starts capturing (idempotent).
pub fn start() {
    capture();
}

/// Everything logged so far.
pub fn all() -> Vec<Logged> {
    capture().0.lock().unwrap().clone()
}

/// The records whose message contains `needle`.
pub fn with(needle: &str) -> Vec<Logged> {
    all()
        .into_iter()
        .filter(|r| r.message.contains(needle))
        .collect()
}
