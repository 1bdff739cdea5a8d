//! Why loading features failed. Messages name the URL with the client key
//! redacted, and never contain the decryption key.

use crate::error::{DecryptError, Error};
use std::fmt;

/// A failed load. The features loaded before (if any) stay in force.
#[derive(Debug)]
#[non_exhaustive]
pub enum RemoteError {
    /// The options are unusable (empty client key, bad API host...).
    InvalidOptions(String),
    /// The server could not be reached, or the connection broke.
    Network {
        /// The URL, client key redacted.
        url: String,
        /// What went wrong.
        cause: String,
    },
    /// No complete answer within the configured timeout.
    Timeout {
        /// The URL, client key redacted.
        url: String,
    },
    /// The server answered with an error status.
    Status {
        /// The URL, client key redacted.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The answer is larger than the configured limit.
    TooLarge {
        /// The URL, client key redacted.
        url: String,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The answer is not a usable payload (invalid JSON, not an object).
    Payload {
        /// The URL, client key redacted.
        url: String,
        /// What is wrong with it.
        error: Error,
    },
    /// The payload is encrypted and no decryption key was given.
    MissingDecryptionKey {
        /// The URL, client key redacted.
        url: String,
    },
    /// The payload could not be decrypted with the given key.
    Decrypt {
        /// The URL, client key redacted.
        url: String,
        /// Why.
        error: DecryptError,
    },
    /// The last attempts failed, and the next one is not due yet (the
    /// repository backs off instead of retrying on every request).
    BackingOff {
        /// The URL, client key redacted.
        url: String,
        /// Time left before the next attempt.
        retry_in: std::time::Duration,
        /// The last failure.
        last_error: String,
    },
}

impl fmt::Display for RemoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemoteError::InvalidOptions(why) => write!(f, "invalid remote options: {why}"),
            RemoteError::Network { url, cause } => write!(f, "cannot load features from {url}: {cause}"),
            RemoteError::Timeout { url } => write!(f, "loading features from {url} timed out"),
            RemoteError::Status { url, status } => {
                write!(f, "loading features from {url} failed with HTTP status {status}")?;
                match status {
                    401 | 403 | 404 => f.write_str(" (check the API host and the client key)"),
                    _ => Ok(()),
                }
            }
            RemoteError::TooLarge { url, limit } => {
                write!(f, "the features payload from {url} is larger than the {limit}-byte limit")
            }
            RemoteError::Payload { url, error } => write!(f, "bad features payload from {url}: {error}"),
            RemoteError::MissingDecryptionKey { url } => write!(
                f,
                "the features payload from {url} is encrypted; set the SDK connection's decryption key"
            ),
            RemoteError::Decrypt { url, error } => write!(f, "cannot decrypt the features from {url}: {error}"),
            RemoteError::BackingOff {
                url,
                retry_in,
                last_error,
            } => write!(
                f,
                "not loading features from {url} for another {retry_in:?} after failures (last: {last_error})"
            ),
        }
    }
}

impl std::error::Error for RemoteError {}
