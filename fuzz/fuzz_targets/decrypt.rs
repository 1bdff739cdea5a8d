//! Any ciphertext and key (separated by a newline): decryption returns an
//! error or text, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (encrypted, key) = text.split_once('\n').unwrap_or((text, "Zvwv/+uhpFDznZ6SX28Yjg=="));
    let _ = growthbook::decrypt(encrypted, key);
    let mut payload = serde_json::json!({"encryptedFeatures": encrypted, "encryptedSavedGroups": encrypted});
    let _ = growthbook::decrypt_payload(&mut payload, key);
});
