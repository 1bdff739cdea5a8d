//! JavaScript value semantics that the GrowthBook spec is written in.
//!
//! The conformance corpus comes from the JS SDK, so truthiness, number/string
//! coercion, strict equality, relational comparison and `String(x)` follow the
//! ECMAScript rules here. Everything in this module is pure and allocation-free
//! except [`to_js_string`].

pub(crate) mod regex;
pub(crate) mod url;
mod version;

pub use self::version::padded_version_string;
pub(crate) use self::version::{compare_padded_version, padded_version};

use serde_json::{Map, Value};
use std::cmp::Ordering;

/// JS truthiness (`!!value`): `null`, `false`, `0`, `NaN` and `""` are falsy;
/// every array and object (even empty) is truthy.
pub(crate) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// JS `String(number)` (ECMAScript `Number::toString`): the shortest digits
/// that round-trip, in plain notation for decimal exponents from -6 to 20
/// (`0.000001`, `123456789012345680000`) and in exponent notation outside
/// them (`5e-7`, `1e+21`); `-0` is `"0"`.
pub(crate) fn number_to_string(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f == 0.0 {
        return "0".into();
    }
    if f < 0.0 {
        return format!("-{}", number_to_string(-f));
    }
    if f.is_infinite() {
        return "Infinity".into();
    }
    // Rust's `{:e}` gives the same shortest round-trip digits as JS, as
    // `d.ddde[-]x`: the value is 0.ddd * 10^n with n = x + 1.
    let exponent_form = format!("{f:e}");
    let (mantissa, exponent) = exponent_form
        .split_once('e')
        .unwrap_or((exponent_form.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    let n = exponent.parse::<i64>().unwrap_or(0) + 1;
    let mut out = String::with_capacity(32);
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

/// JS `String(value)` for JSON values (`value + ""`).
pub(crate) fn to_js_string(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        // JS has only doubles: a large integer is first rounded to one.
        Value::Number(n) => number_to_string(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::Null => String::new(),
                other => to_js_string(other),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".into(),
    }
}

/// Numeric equality as JS sees it: both sides are doubles, so integers
/// beyond 2^53 compare after rounding, like any other number.
fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    a.as_f64() == b.as_f64()
}

/// `a == b` for the short strings compared on every evaluation (feature
/// keys, attribute keys, country codes): up to 32 bytes are compared with two
/// overlapping word loads instead of a `memcmp` call.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    fn word<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
        let mut w = [0; N];
        w.copy_from_slice(&s[at..at + N]);
        w
    }
    fn ends_match<const N: usize>(a: &[u8], b: &[u8]) -> bool {
        let n = a.len();
        word::<N>(a, 0) == word::<N>(b, 0) && word::<N>(a, n - N) == word::<N>(b, n - N)
    }
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        4..=7 => ends_match::<4>(a, b),
        8..=16 => ends_match::<8>(a, b),
        17..=32 => ends_match::<16>(a, b),
        _ => a == b,
    }
}

/// Objects up to this size are scanned rather than searched.
const SCAN_UP_TO: usize = 32;

/// `map.get(key)`, faster on the small objects that attributes, rules and
/// conditions usually are: a scan compares short keys a word at a time and
/// skips keys of another length outright, where a lookup hashes the key
/// first (SipHash, with `serde_json`'s `preserve_order`). Always inlined:
/// attribute lookups, the hot path, are where it is called most.
#[inline(always)]
pub(crate) fn member<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if map.len() > SCAN_UP_TO {
        return map.get(key);
    }
    let key = key.as_bytes();
    map.iter()
        .find(|(k, _)| same_bytes(k.as_bytes(), key))
        .map(|(_, v)| v)
}

/// [`member`], mutably.
pub(crate) fn member_mut<'a>(map: &'a mut Map<String, Value>, key: &str) -> Option<&'a mut Value> {
    if map.len() > SCAN_UP_TO {
        return map.get_mut(key);
    }
    let key = key.as_bytes();
    map.iter_mut()
        .find(|(k, _)| same_bytes(k.as_bytes(), key))
        .map(|(_, v)| v)
}

/// JS `===` on JSON values: primitives by value, arrays and objects never
/// (they would be distinct references).
pub(crate) fn strict_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        (Value::String(x), Value::String(y)) => same_bytes(x.as_bytes(), y.as_bytes()),
        _ => false,
    }
}

/// Structural equality as `JSON.stringify(a) === JSON.stringify(b)` sees it:
/// numbers compare by value, and objects by their members in JS property
/// order (index-like keys such as `"0"` first, in numeric order, then the
/// other keys in insertion order), so the same members in another order
/// differ.
pub(crate) fn json_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equals(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return false;
            }
            if !x.keys().chain(y.keys()).any(|k| is_array_index(k)) {
                return x
                    .iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && json_equals(va, vb));
            }
            let (x, y) = (js_property_order(x), js_property_order(y));
            x.iter()
                .zip(&y)
                .all(|((ka, va), (kb, vb))| ka == kb && json_equals(va, vb))
        }
        _ => strict_equals(a, b),
    }
}

/// Whether JS treats `key` as an array index (`"0"`, `"42"`, not `"01"`):
/// such keys come first in an object's property order.
pub(crate) fn is_array_index(key: &str) -> bool {
    match key.as_bytes() {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] if rest.len() < 10 => {
            rest.iter().all(u8::is_ascii_digit)
                && key.parse::<u64>().is_ok_and(|n| n < u64::from(u32::MAX))
        }
        _ => false,
    }
}

/// An object's members in JS property order.
fn js_property_order(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut members: Vec<_> = map.iter().collect();
    // A stable sort keeps the other keys in insertion order.
    members.sort_by_key(|(k, _)| {
        if is_array_index(k) {
            (0, k.parse::<u64>().unwrap_or(0))
        } else {
            (1, 0)
        }
    });
    members
}

/// `f(&s.to_lowercase())` (JS `toLowerCase`), without allocating for the
/// usual short ASCII string: it is lower-cased on the stack, or passed as
/// it is when it has no capitals.
#[inline]
pub(crate) fn with_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    const MAX: usize = 64;
    if s.is_ascii() && s.len() <= MAX {
        if !s.bytes().any(|b| b.is_ascii_uppercase()) {
            return f(s);
        }
        let mut buffer = [0u8; MAX];
        let lower = &mut buffer[..s.len()];
        lower.copy_from_slice(s.as_bytes());
        lower.make_ascii_lowercase();
        // ASCII lower-cased is ASCII: always valid.
        if let Ok(lower) = std::str::from_utf8(lower) {
            return f(lower);
        }
    }
    f(&s.to_lowercase())
}

/// `a.toLowerCase() === b.toLowerCase()`, without allocating when both
/// are ASCII.
pub(crate) fn equal_ignoring_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.to_lowercase() == b.to_lowercase()
}

/// Compares two strings by UTF-16 code units, as JS `<` does.
pub(crate) fn compare_utf16(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEYS: [&str; 22] = [
        "",
        "a",
        "ab",
        "abc",
        "abcd",
        "abce",
        "abcdefg",
        "abcdefh",
        "abcdefgh",
        "abcdefgi",
        "bbcdefgh",
        "abcdefghijklmnop",
        "abcdefghijklmnoq",
        "xbcdefghijklmnop",
        "abcdefghijklmnopq",
        "abcdefghijklmnopr",
        "pricing-page-layout",
        "pricing-page-layouu",
        "qricing-page-layout",
        "abcdefghijklmnopqrstuvwxyz0123456",
        "country",
        "browser",
    ];

    #[test]
    fn same_bytes_is_equality() {
        for a in KEYS {
            for b in KEYS {
                assert_eq!(
                    same_bytes(a.as_bytes(), b.as_bytes()),
                    a == b,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn member_finds_what_get_finds() {
        let small: Map<String, Value> = KEYS
            .iter()
            .take(10)
            .map(|k| (k.to_string(), json!(k)))
            .collect();
        let large: Map<String, Value> = KEYS.iter().map(|k| (k.to_string(), json!(k))).collect();
        for map in [&small, &large] {
            for key in KEYS.iter().chain(&["missing", "abcdefghijklmnopqrs"]) {
                assert_eq!(member(map, key), map.get(*key), "{key:?}");
            }
        }
    }

    /// `(JSON number as written, String(number) as node 20 prints it)`.
    const NODE_NUMBER_STRINGS: &[(&str, &str)] = &[
        ("0", "0"),
        ("-0", "0"),
        ("-0.0", "0"),
        ("1", "1"),
        ("-1", "-1"),
        ("1.0", "1"),
        ("1.5", "1.5"),
        ("0.1", "0.1"),
        ("0.000001", "0.000001"),
        ("1e-6", "0.000001"),
        ("0.0000015", "0.0000015"),
        ("0.00001", "0.00001"),
        ("5e-7", "5e-7"),
        ("0.0000005", "5e-7"),
        ("-5e-7", "-5e-7"),
        ("1e-7", "1e-7"),
        ("1.2345e-7", "1.2345e-7"),
        ("123e-20", "1.23e-18"),
        ("5e-324", "5e-324"),
        ("1e21", "1e+21"),
        ("1.5e21", "1.5e+21"),
        ("1e20", "100000000000000000000"),
        ("999999999999999900000", "999999999999999900000"),
        ("123456789012345680000", "123456789012345680000"),
        ("9007199254740992", "9007199254740992"),
        ("9007199254740993", "9007199254740992"),
        ("9007199254740994", "9007199254740994"),
        ("18446744073709551615", "18446744073709552000"),
        ("9223372036854775807", "9223372036854776000"),
        ("-9223372036854775808", "-9223372036854776000"),
        ("0.3333333333333333", "0.3333333333333333"),
        ("0.30000000000000004", "0.30000000000000004"),
        ("12345.6789", "12345.6789"),
        ("4.35", "4.35"),
        ("100", "100"),
        ("123456789", "123456789"),
        ("1e15", "1000000000000000"),
        ("1e16", "10000000000000000"),
        ("1e100", "1e+100"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ("1.0000000000000002", "1.0000000000000002"),
    ];

    #[test]
    fn number_strings_match_node() {
        for (json, expected) in NODE_NUMBER_STRINGS {
            let value: Value = serde_json::from_str(json).unwrap();
            assert_eq!(to_js_string(&value), *expected, "String({json})");
        }
        assert_eq!(number_to_string(f64::NAN), "NaN");
        assert_eq!(number_to_string(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(to_js_string(&json!([1, null, "a"])), "1,,a");
    }

    #[test]
    fn lower_casing_on_the_stack_agrees_with_to_lowercase() {
        let long = "AbC".repeat(30);
        for s in [
            "",
            "us",
            "US",
            "Staff-Beta_9",
            "ÉCOLE",
            "İ",
            "ΣΑΣ",
            long.as_str(),
        ] {
            assert_eq!(with_lowercase(s, str::to_owned), s.to_lowercase(), "{s}");
            for other in ["us", "STAFF-beta_9", "école", "σας", ""] {
                assert_eq!(
                    equal_ignoring_case(s, other),
                    s.to_lowercase() == other.to_lowercase(),
                    "{s} vs {other}"
                );
            }
        }
    }
}
