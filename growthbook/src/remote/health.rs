//! How the API has been answering: consecutive failures, when the next
//! attempt may start (exponential backoff with jitter, capped), and logging
//! once per change of state (the first failure, the recovery) rather than
//! once per request.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The first delay after a failure.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest delay between attempts while the API keeps failing.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
struct State {
    /// Failed attempts in a row.
    failures: u32,
    /// No attempt before this instant.
    next_attempt: Option<Instant>,
    /// The last failure, for callers turned away while backing off.
    last_error: String,
}

/// The API's health, shared by every request of one repository.
#[derive(Debug, Default)]
pub(crate) struct Health(Mutex<State>);

/// Why no attempt is made now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BackingOff {
    /// Time left before the next attempt.
    pub(crate) retry_in: Duration,
    /// The last failure.
    pub(crate) last_error: String,
}

impl Health {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Ok` when an attempt may start now.
    pub(crate) fn may_attempt(&self) -> Result<(), BackingOff> {
        let state = self.lock();
        match state.next_attempt {
            Some(at) if Instant::now() < at => Err(BackingOff {
                retry_in: at.saturating_duration_since(Instant::now()),
                last_error: state.last_error.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// The last failure, when the latest attempt failed.
    pub(crate) fn last_error(&self) -> Option<String> {
        let state = self.lock();
        (state.failures > 0).then(|| state.last_error.clone())
    }

    /// Records a successful attempt; logs the recovery after failures.
    pub(crate) fn succeeded(&self, url: &str) {
        let mut state = self.lock();
        if state.failures > 0 {
            log::info!(target: "growthbook", "loading features from {url} works again after {} failed attempts", state.failures);
        }
        *state = State::default();
    }

    /// Records a failed attempt and schedules the next one; logs the first
    /// failure as a warning and later ones only at debug level.
    pub(crate) fn failed(&self, error: &dyn std::fmt::Display) -> Duration {
        let mut state = self.lock();
        state.failures = state.failures.saturating_add(1);
        let delay = backoff(state.failures);
        state.next_attempt = Instant::now().checked_add(delay);
        state.last_error = error.to_string();
        if state.failures == 1 {
            log::warn!(target: "growthbook", "{error}; keeping the features in force, retrying with backoff");
        } else {
            log::debug!(target: "growthbook", "{error} (failure {} in a row; next attempt in {delay:?})", state.failures);
        }
        delay
    }
}

/// The delay after `failures` failures in a row: doubling from
/// [`FIRST_BACKOFF`] up to [`MAX_BACKOFF`], then 75-100% of it at random, so
/// that processes that failed together do not retry together.
fn backoff(failures: u32) -> Duration {
    let doubling = FIRST_BACKOFF.saturating_mul(1 << failures.saturating_sub(1).min(16));
    let capped = doubling.min(MAX_BACKOFF);
    capped.mul_f64(0.75 + 0.25 * jitter())
}

/// A number in `[0, 1)` that differs between calls and processes (no
/// cryptographic quality needed: it only spreads retries).
fn jitter() -> f64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mixed = (u64::from(nanos) ^ u64::from(std::process::id()) << 32)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        for failures in 1..40 {
            let expected = FIRST_BACKOFF
                .saturating_mul(1 << (failures - 1).min(16))
                .min(MAX_BACKOFF);
            let delay = backoff(failures);
            assert!(
                delay <= expected && delay >= expected.mul_f64(0.75),
                "{failures}: {delay:?}"
            );
        }
    }

    #[test]
    fn a_failure_closes_the_door_until_its_delay_passes() {
        let health = Health::default();
        assert!(health.may_attempt().is_ok());
        health.failed(&"HTTP 500");
        let refused = health.may_attempt().unwrap_err();
        assert_eq!(refused.last_error, "HTTP 500");
        assert!(refused.retry_in <= FIRST_BACKOFF);
        health.succeeded("http://x");
        assert!(health.may_attempt().is_ok());
    }
}
