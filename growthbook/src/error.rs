//! The crate's error type.

use std::fmt;

/// Everything that can go wrong when loading features.
///
/// Evaluation itself never fails: an unknown feature or a malformed rule
/// yields a default, never an error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The text is not valid JSON (the message has the line and column).
    InvalidJson(String),
    /// The JSON is not a features payload (the message says which part).
    InvalidPayload(String),
    /// An encrypted payload could not be decrypted.
    Decrypt(DecryptError),
    /// Options given as JSON are malformed (the message says which one).
    InvalidOptions(String),
}

/// Why decrypting an encrypted payload failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecryptError {
    /// The decryption key is not valid base64.
    KeyNotBase64,
    /// The decryption key is not 16, 24 or 32 bytes long.
    KeyLength,
    /// The encrypted text is not `"<iv base64>.<ciphertext base64>"`.
    MissingDelimiter,
    /// The IV or the ciphertext is not valid base64.
    NotBase64,
    /// The IV is not 16 bytes long.
    IvLength,
    /// Decryption failed: a wrong key or a corrupted ciphertext.
    WrongKeyOrCorrupted,
    /// The decrypted bytes are not UTF-8 text.
    NotUtf8,
}

impl fmt::Display for DecryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DecryptError::KeyNotBase64 => "the decryption key is not valid base64; copy it again from the SDK connection settings",
            DecryptError::KeyLength => "the decryption key must decode to 16, 24 or 32 bytes; copy it again from the SDK connection settings",
            DecryptError::MissingDelimiter => "the encrypted payload is not of the form \"<iv>.<ciphertext>\"",
            DecryptError::NotBase64 => "the encrypted payload's IV or ciphertext is not valid base64",
            DecryptError::IvLength => "the encrypted payload's IV is not 16 bytes",
            DecryptError::WrongKeyOrCorrupted => "decryption failed: the decryption key does not match this SDK connection, or the payload is corrupted",
            DecryptError::NotUtf8 => "the decrypted payload is not UTF-8 text",
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidJson(e) => write!(f, "features payload is not valid JSON: {e}"),
            Error::InvalidPayload(e) => write!(f, "invalid features payload: {e}"),
            Error::Decrypt(e) => write!(f, "cannot decrypt features: {e}"),
            Error::InvalidOptions(e) => write!(f, "invalid options: {e}"),
        }
    }
}

impl std::error::Error for DecryptError {}
impl std::error::Error for Error {}

impl From<DecryptError> for Error {
    fn from(e: DecryptError) -> Self {
        Error::Decrypt(e)
    }
}
