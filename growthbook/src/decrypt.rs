//! Encrypted payloads: AES-CBC with PKCS#7 padding, `"<iv>.<ciphertext>"` in
//! base64, and a base64 key, as GrowthBook's SDK connections produce them.

use crate::error::{DecryptError, Error};
use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

/// Decrypts one encrypted string (e.g. `encryptedFeatures`) with a base64 key.
pub fn decrypt(encrypted: &str, key: &str) -> Result<String, DecryptError> {
    let key = STANDARD
        .decode(key.trim())
        .map_err(|_| DecryptError::KeyNotBase64)?;
    let (iv, ciphertext) = encrypted
        .split_once('.')
        .ok_or(DecryptError::MissingDelimiter)?;
    let iv = STANDARD.decode(iv).map_err(|_| DecryptError::NotBase64)?;
    let mut buf = STANDARD
        .decode(ciphertext)
        .map_err(|_| DecryptError::NotBase64)?;
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
