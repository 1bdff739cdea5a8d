//! Version strings as the version operators (`$veq`, `$vgt`, ...) compare
//! them: the JS SDK's `paddedVersionString`, and a comparison against an
//! already padded version that writes nothing out.

use super::{compare_utf16, to_js_string};
use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;

/// The comparable form of a version string: `v` prefix and `+build` dropped,
/// numeric parts left-padded to five characters, and a `~` added to plain
/// `x.y.z` so that it sorts after its pre-releases.
pub(crate) fn padded_version(input: &Value) -> String {
    let raw: Cow<'_, str> = match input {
        Value::Number(_) => Cow::Owned(to_js_string(input)),
        Value::String(s) => Cow::Borrowed(s.as_str()),
        _ => Cow::Borrowed("0"),
    };
    padded_version_string(&raw)
}

/// The form in which the version operators (`$veq`, `$vgt`, `$vlt`, ...)
/// compare versions, as the JS SDK's `paddedVersionString`: a leading `v`
/// and any `+build` suffix dropped, numeric parts left-padded with spaces to
/// five characters, parts joined with `-`, and a `~` added to a plain
/// `x.y.z` so that it sorts after its pre-releases. An empty version reads
/// as `0`.
///
/// Two padded versions order as their versions do, compared as strings:
///
/// ```
/// use growthbook::padded_version_string as padded;
///
/// assert_eq!(padded("v1.2.3+build.7"), "    1-    2-    3-~");
/// assert!(padded("1.9.0") < padded("1.10.0"));
/// assert!(padded("1.0.0-beta") < padded("1.0.0"));
/// assert_eq!(padded("1.2.3"), padded("v1.2.3+build"));
/// ```
pub fn padded_version_string(version: &str) -> String {
    let trimmed = version_core(if version.is_empty() { "0" } else { version });
    // Written into one string: this runs for every version literal compiled.
    let mut padded = String::with_capacity(trimmed.len() + 16);
    pad_version(trimmed, |piece| padded.push_str(piece));
    padded
}

/// Compares a version string with an already padded one, as
/// `padded_version(version).cmp(padded)` would (in UTF-16 code units, like
/// JS string comparison).
pub(crate) fn compare_padded_version(version: &str, padded: &str) -> Ordering {
    let trimmed = version_core(if version.is_empty() { "0" } else { version });
    // Versions are ASCII in practice, where bytes order as UTF-16 code units
    // do: each piece of the padded form is compared as it is produced, so
    // nothing is written out (bytes written one by one and read back as
    // words stalled the CPU's store forwarding). Anything else is padded
    // into a string.
    if trimmed.is_ascii() && padded.is_ascii() {
        return compare_ascii_padded(trimmed.as_bytes(), padded.as_bytes());
    }
    let mut own = String::new();
    pad_version(trimmed, |piece| own.push_str(piece));
    compare_utf16(&own, padded)
}

/// [`compare_padded_version`] of an ASCII version core: the padded form is
/// compared byte by byte as it is produced, so nothing is written out
/// (bytes written one by one and read back as words stalled the CPU's
/// store forwarding) and no `memcmp` is called for pieces of a few bytes.
/// It writes out [`pad_version`]'s rules rather than consuming its pieces:
/// comparing piece by piece through a closure cost 20% more per `$vgte`
/// (919 instructions against 760). The tests hold the two to the same
/// answers.
fn compare_ascii_padded(core: &[u8], padded: &[u8]) -> Ordering {
    let mut at = 0;
    // The next byte of the padded form against the next of `padded`:
    // `Some` once they differ (a longer padded form is greater).
    let mut next = |byte: u8| match padded.get(at) {
        Some(&expected) if expected == byte => {
            at += 1;
            None
        }
        Some(&expected) => Some(byte.cmp(&expected)),
        None => Some(Ordering::Greater),
    };
    let mut parts = 0;
    let mut start = 0;
    loop {
        let len = core[start..]
            .iter()
            .position(|&b| b == b'-' || b == b'.')
            .unwrap_or(core.len() - start);
        let part = &core[start..start + len];
        if parts > 0 {
            if let Some(order) = next(b'-') {
                return order;
            }
        }
        if !part.is_empty() && part.iter().all(u8::is_ascii_digit) {
            for _ in len..5 {
                if let Some(order) = next(b' ') {
                    return order;
                }
            }
        }
        for &byte in part {
            if let Some(order) = next(byte) {
                return order;
            }
        }
        parts += 1;
        start += len + 1;
        if start > core.len() {
            break;
        }
    }
    if parts == 3 {
        for byte in [b'-', b'~'] {
            if let Some(order) = next(byte) {
                return order;
            }
        }
    }
    if at < padded.len() {
        Ordering::Less
    } else {
        Ordering::Equal
    }
}

/// A version without its `v` prefix and `+build` suffix.
fn version_core(raw: &str) -> &str {
    let trimmed = raw.strip_prefix('v').unwrap_or(raw);
    // A byte search: `+` is ASCII, so this cuts at a character boundary.
    match trimmed.bytes().position(|b| b == b'+') {
        Some(plus) => &trimmed[..plus],
        None => trimmed,
    }
}

/// The padded form of a version's core, piece by piece (see
/// [`padded_version`]).
fn pad_version<'v>(trimmed: &'v str, mut emit: impl FnMut(&'v str)) {
    const SPACES: &str = "     ";
    let mut count = 0;
    for part in trimmed.split(['-', '.']) {
        if count > 0 {
            emit("-");
        }
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            emit(&SPACES[part.len().min(5)..]);
        }
        emit(part);
        count += 1;
    }
    if count == 3 {
        emit("-~");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn versions_compare_without_padding_first() {
        let versions = [
            "1.2.3",
            "v1.2.3",
            "1.2.3-beta.1",
            "1.0.0-rc.1+b",
            "",
            "1..2",
            "\u{661}.2.3",
            "a.b.c.d.e.f",
            "123456789",
            "1.2.3.4.5.6.7.8.9.10.11.12.13.14",
            "1.2.3-\u{e9}",
            "9.9.9-abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
            "1.2",
            "1.2.0",
            "1.2.3.0",
            "00001.2.3",
            "123456.2.3",
            "-",
            ".",
            "v",
            "+",
            "1.2.3+",
            "1.2.3-",
        ];
        for version in versions {
            for other in [
                "1.2.3",
                "1.2.3-beta.2",
                "0.9",
                "v2",
                "1.0.0-rc.1",
                "123456789",
                "\u{661}.2.3",
                "1.2.3-\u{e9}",
                "1.2.3.4.5.6.7.8.9.10.11.12.13.14",
                "1.2",
                "1.2.3.0",
                "1.2.3-",
                "",
            ] {
                let padded = padded_version(&json!(other));
                assert_eq!(
                    compare_padded_version(version, &padded),
                    compare_utf16(&padded_version(&json!(version)), &padded),
                    "{version} vs {other}"
                );
            }
        }
    }

    #[test]
    fn versions_pad_numeric_parts() {
        assert_eq!(padded_version(&json!("v1.2.3")), "    1-    2-    3-~");
        assert_eq!(
            padded_version(&json!("1.2.3-beta")),
            "    1-    2-    3-beta"
        );
    }
}
