//! Encrypted payloads: AES-CBC with PKCS#7 padding, `"<iv>.<ciphertext>"` in
//! base64, and a base64 key, as GrowthBook's SDK connections produce them.

use crate::error::{DecryptError, Error};
use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use base64::Engine;
use serde_json::Value;

/// Decrypts one encrypted string (e.g. `encryptedFeatures`) with a base64 key.
///
/// Base64 is read as the JS SDK's `atob` reads it (whitespace anywhere is
/// skipped, `=` padding is optional), and only the first two `.`-separated
/// parts count, as with JS `split(".")`.
pub fn decrypt(encrypted: &str, key: &str) -> Result<String, DecryptError> {
    let key = forgiving_base64(key).ok_or(DecryptError::KeyNotBase64)?;
    let mut parts = encrypted.split('.');
    let (Some(iv), Some(ciphertext)) = (parts.next(), parts.next()) else {
        return Err(DecryptError::MissingDelimiter);
    };
    let iv = forgiving_base64(iv).ok_or(DecryptError::NotBase64)?;
    let mut buf = forgiving_base64(ciphertext).ok_or(DecryptError::NotBase64)?;
    if iv.len() != 16 {
        return Err(DecryptError::IvLength);
    }
    let plain = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(&key, &iv)
            .map_err(|_| DecryptError::KeyLength)?
            .decrypt_padded_mut::<Pkcs7>(&mut buf)
            .map_err(|_| DecryptError::WrongKeyOrCorrupted)?,
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(&key, &iv)
            .map_err(|_| DecryptError::KeyLength)?
            .decrypt_padded_mut::<Pkcs7>(&mut buf)
            .map_err(|_| DecryptError::WrongKeyOrCorrupted)?,
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(&key, &iv)
            .map_err(|_| DecryptError::KeyLength)?
            .decrypt_padded_mut::<Pkcs7>(&mut buf)
            .map_err(|_| DecryptError::WrongKeyOrCorrupted)?,
        _ => return Err(DecryptError::KeyLength),
    };
    String::from_utf8(plain.to_vec()).map_err(|_| DecryptError::NotUtf8)
}

/// The WHATWG "forgiving-base64 decode" (JS `atob`): ASCII whitespace is
/// removed, one or two trailing `=` are optional, and leftover bits of a
/// partial last group are dropped; anything else is no base64.
fn forgiving_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const FORGIVING: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireNone),
    );
    let mut data: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' '))
        .collect();
    if data.len() % 4 == 0 {
        let padding = data
            .iter()
            .rev()
            .take(2)
            .take_while(|&&b| b == b'=')
            .count();
        data.truncate(data.len() - padding);
    }
    let alphabet = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/');
    if data.len() % 4 == 1 || !data.iter().all(alphabet) {
        return None;
    }
    FORGIVING.decode(&data).ok()
}

/// Replaces `encryptedFeatures` / `encryptedSavedGroups` (and
/// `encryptedExperiments`) in a payload by their decrypted JSON, so that the
/// result can be given to [`crate::FeatureSet::from_json`].
pub fn decrypt_payload(payload: &mut Value, key: &str) -> Result<(), Error> {
    let Some(obj) = payload.as_object_mut() else {
        return Ok(());
    };
    for (encrypted, plain) in [
        ("encryptedFeatures", "features"),
        ("encryptedSavedGroups", "savedGroups"),
        ("encryptedExperiments", "experiments"),
    ] {
        if let Some(Value::String(text)) = obj.shift_remove(encrypted) {
            let json = decrypt(&text, key)?;
            let value: Value = serde_json::from_str(&json).map_err(|e| {
                Error::InvalidPayload(format!("decrypted `{encrypted}` is not valid JSON: {e}"))
            })?;
            obj.insert(plain.to_owned(), value);
        }
    }
    Ok(())
}
