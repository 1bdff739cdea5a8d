//! Decryption errors are typed and say what to fix.

use growthbook::{decrypt, decrypt_payload, DecryptError, Error, FeatureSet, GrowthBook};
use serde_json::json;

// A payload encrypted with KEY (from the spec corpus).
const ENCRYPTED: &str =
    "m5ylFM6ndyOJA2OPadubkw==.Uu7ViqgKEt/dWvCyhI46q088PkAEJbnXKf3KPZjf9IEQQ+A8fojNoxw4wIbPX3aj";
const KEY: &str = "Zvwv/+uhpFDznZ6SX28Yjg==";

#[test]
fn the_right_key_decrypts() {
    assert_eq!(
        decrypt(ENCRYPTED, KEY).unwrap(),
        r#"{"feature":{"defaultValue":true}}"#
    );
}

#[test]
fn each_kind_of_bad_input_has_its_own_error() {
    let cases = [
        (
            ENCRYPTED,
            "Zvwv/+uhpFDznZ6SX39Yjg==",
            DecryptError::WrongKeyOrCorrupted,
        ),
        (ENCRYPTED, "not base64!", DecryptError::KeyNotBase64),
        (ENCRYPTED, "c2hvcnQ=", DecryptError::KeyLength),
        ("no-delimiter", KEY, DecryptError::MissingDelimiter),
        ("@@@.@@@", KEY, DecryptError::NotBase64),
        (
            "c2hvcnQ=.Uu7ViqgKEt/dWvCyhI46qw==",
            KEY,
            DecryptError::IvLength,
        ),
        (
            "m5ylFM6ndyOJA2OPadubkw==.Uu7V!qgKEt",
            KEY,
            DecryptError::NotBase64,
        ),
        // Base64, but cut short of a whole block.
        (
            "m5ylFM6ndyOJA2OPadubkw==.Uu7ViqgKEt",
            KEY,
            DecryptError::WrongKeyOrCorrupted,
        ),
    ];
    for (encrypted, key, expected) in cases {
        assert_eq!(
            decrypt(encrypted, key),
            Err(expected),
            "{encrypted} with {key}"
        );
    }
}

#[test]
fn error_messages_never_contain_the_key() {
    let err = decrypt(ENCRYPTED, "Zvwv/+uhpFDznZ6SX39Yjg==").unwrap_err();
    let message = Error::from(err).to_string();
    assert!(
        message.contains("decryption key does not match"),
        "{message}"
    );
    assert!(!message.contains("Zvwv"), "{message}");
}

#[test]
fn whole_payloads_decrypt_in_place() {
    let mut payload = json!({"encryptedFeatures": ENCRYPTED, "dateUpdated": "2026-01-01"});
    decrypt_payload(&mut payload, KEY).unwrap();
    let gb = GrowthBook::builder()
        .features(FeatureSet::from_json(&payload).unwrap().into())
        .build();
    assert!(gb.is_on("feature"));

    let mut wrong = json!({"encryptedFeatures": ENCRYPTED});
    let err = decrypt_payload(&mut wrong, "Zvwv/+uhpFDznZ6SX39Yjg==").unwrap_err();
    assert_eq!(err, Error::Decrypt(DecryptError::WrongKeyOrCorrupted));
}
