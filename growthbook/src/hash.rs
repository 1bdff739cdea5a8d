//! Deterministic bucketing: the FNV-1a hash, bucket ranges, namespaces and
//! query-string overrides.
//!
//! These are the primitives of the GrowthBook assignment algorithm. They are
//! public so that other tools (and the spec runner) can check them directly.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::OnceLock;

/// A `[start, end)` interval of the unit line that one variation owns.
pub type BucketRange = (f64, f64);

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

/// FNV-1a (32 bit) over the UTF-16 code units of the given strings, as if
/// they were concatenated. JS strings are UTF-16, so this matches the other SDKs
/// for non-ASCII ids without building the concatenated string.
fn fnv1a32(parts: &[&str]) -> u32 {
    fnv1a32_from(FNV_OFFSET, parts)
}

/// FNV-1a continued from `state` (the hash of what came before).
fn fnv1a32_from(state: u32, parts: &[&str]) -> u32 {
    let mut hash = state;
    for part in parts {
        // Hashed as ASCII while checking that it is (the check is off the
        // hash's serial chain, so it costs no time), and hashed again as
        // UTF-16 when it was not.
        let (ascii, any) = part.bytes().fold((hash, 0u8), |(hash, any), b| {
            ((hash ^ u32::from(b)).wrapping_mul(FNV_PRIME), any | b)
        });
        hash = if any.is_ascii() {
            ascii
        } else {
            part.encode_utf16().fold(hash, |hash, unit| {
                (hash ^ u32::from(unit)).wrapping_mul(FNV_PRIME)
            })
        };
    }
    hash
}

/// FNV-1a continued over ASCII bytes (the same as over their UTF-16 code
/// units).
fn fnv1a32_bytes(state: u32, bytes: &[u8]) -> u32 {
    bytes.iter().fold(state, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(FNV_PRIME)
    })
}

/// Hashes `value` with `seed` into `[0, 1)`.
///
/// Version 1 is `fnv(value + seed) % 1000 / 1000`; version 2 hashes the decimal
/// string of `fnv(seed + value)` again and keeps four digits. Any other version
/// returns `None`, which callers treat as "not in the experiment".
pub fn hash(seed: &str, value: &str, version: i64) -> Option<f64> {
    hash_seeded(seed, None, HashInput::new(value), version)
}

/// What can be worked out about a seed before any user is hashed with it,
/// so that rules compiled once do not redo it for every user.
#[derive(Debug)]
pub(crate) enum PreparedSeed {
    /// Version 2 hashes the seed first: the FNV state after it.
    Prefix(u32),
    /// Version 1 hashes the seed last: see [`SuffixHash`].
    Suffix(SuffixHash),
    /// Nothing to prepare (another version, or a non-ASCII version-1 seed).
    Nothing,
}

impl PreparedSeed {
    /// Prepares `seed` for hashing with `version`.
    pub(crate) fn new(seed: &str, version: i64) -> PreparedSeed {
        match version {
            1 if seed.is_ascii() => PreparedSeed::Suffix(SuffixHash::new(seed.as_bytes())),
            2 => PreparedSeed::Prefix(fnv1a32(&[seed])),
            _ => PreparedSeed::Nothing,
        }
    }
}

/// FNV-1a continued over a fixed ASCII suffix in one step, whatever its
/// length.
///
/// `h ^ b` (with `b < 256`) changes only the low byte `l` of `h`, so
/// `(h ^ b) * P = h * P + d * P` with `d = (l ^ b) - l`, and the next low
/// byte depends on `l` and `b` alone. Unrolled over the suffix `s` of length
/// `n`: `fnv_from(h, s) = h * P^n + C[l]`, where
/// `C[l] = fnv_from(l, s) - l * P^n` depends on the low byte only.
///
/// The 256 values of `C` are filled in as users need them (each costs one
/// ordinary hash of the suffix), so compiling a payload costs nothing and a
/// rule nobody evaluates takes no table.
#[derive(Debug)]
pub(crate) struct SuffixHash {
    /// `P^n`.
    power: u32,
    table: OnceLock<Box<SuffixTable>>,
}

/// The values of `C` computed so far.
#[derive(Debug)]
struct SuffixTable {
    /// Bit `l` set: `values[l]` is filled in.
    known: [AtomicU64; 4],
    values: [AtomicU32; 256],
}

impl SuffixHash {
    fn new(suffix: &[u8]) -> SuffixHash {
        SuffixHash {
            power: suffix
                .iter()
                .fold(1u32, |power, _| power.wrapping_mul(FNV_PRIME)),
            table: OnceLock::new(),
        }
    }

    /// The FNV state after `state` followed by `suffix` (the bytes this was
    /// made for).
    fn continue_from(&self, state: u32, suffix: &[u8]) -> u32 {
        let table = self.table.get_or_init(|| {
            Box::new(SuffixTable {
                known: std::array::from_fn(|_| AtomicU64::new(0)),
                values: std::array::from_fn(|_| AtomicU32::new(0)),
            })
        });
        let low = state & 0xff;
        let (word, bit) = ((low / 64) as usize, 1u64 << (low % 64));
        let c = if table.known[word].load(Ordering::Acquire) & bit != 0 {
            table.values[low as usize].load(Ordering::Relaxed)
        } else {
            // Threads racing here compute and store the same value.
            let c = fnv1a32_bytes(low, suffix).wrapping_sub(low.wrapping_mul(self.power));
            table.values[low as usize].store(c, Ordering::Relaxed);
            table.known[word].fetch_or(bit, Ordering::Release);
            c
        };
        state.wrapping_mul(self.power).wrapping_add(c)
    }
}

/// The value a user is hashed by, with its FNV state when already known.
///
/// Version 1 and namespaces hash the value *first*, so the state after the
/// value is the same for every seed: an instance works it out once for its
/// user's `id` and every version-1 rollout, experiment and namespace goes on
/// from there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HashInput<'a> {
    /// The hash string (see `js::hash_string`).
    text: HashText<'a>,
    /// The FNV state after `text` when known.
    state: Option<u32>,
}

/// A hash string, as ASCII bytes when known to be ASCII (hashed byte by byte
/// without checking again).
#[derive(Debug, Clone, Copy)]
enum HashText<'a> {
    Ascii(&'a [u8]),
    Text(&'a str),
}

impl<'a> HashInput<'a> {
    /// A value whose state is not known yet.
    pub(crate) fn new(value: &'a str) -> HashInput<'a> {
        HashInput {
            text: HashText::Text(value),
            state: None,
        }
    }

    /// An ASCII value with its FNV state precomputed (see [`value_state`]).
    /// Bytes outside ASCII would hash differently from the other SDKs; the
    /// caller guarantees there are none.
    pub(crate) fn ascii_with_state(value: &'a [u8], state: u32) -> HashInput<'a> {
        HashInput {
            text: HashText::Ascii(value),
            state: Some(state),
        }
    }

    /// The FNV state after `state` followed by the value.
    fn continue_from(&self, state: u32) -> u32 {
        match self.text {
            HashText::Ascii(bytes) => fnv1a32_bytes(state, bytes),
            HashText::Text(text) => fnv1a32_from(state, &[text]),
        }
    }

    /// The FNV state after the value.
    fn state(&self) -> u32 {
        self.state.unwrap_or_else(|| self.continue_from(FNV_OFFSET))
    }

    /// The FNV state after the value followed by `parts`.
    fn then(&self, parts: &[&str]) -> u32 {
        fnv1a32_from(self.state(), parts)
    }
}

/// The FNV state after hashing `value` alone (what [`HashInput`] keeps).
pub(crate) fn value_state(value: &str) -> u32 {
    fnv1a32(&[value])
}

/// [`hash`] with whatever is already known of the seed and of the value.
/// `prepared` must have been prepared from `seed`.
pub(crate) fn hash_seeded(
    seed: &str,
    prepared: Option<&PreparedSeed>,
    input: HashInput<'_>,
    version: i64,
) -> Option<f64> {
    match version {
        1 => {
            let hash = match prepared {
                Some(PreparedSeed::Suffix(suffix)) => {
                    suffix.continue_from(input.state(), seed.as_bytes())
                }
                _ => input.then(&[seed]),
            };
            Some(f64::from(hash % 1000) / 1000.0)
        }
        2 => {
            let seed_state = match prepared {
                Some(PreparedSeed::Prefix(state)) => *state,
                _ => fnv1a32(&[seed]),
            };
            let first = input.continue_from(seed_state);
            Some(f64::from(fnv1a32_decimal(first) % 10000) / 10000.0)
        }
        _ => None,
    }
}

/// FNV-1a over the decimal digits of `n`, most significant first, as if over
/// `n.to_string()`. Each digit is a division by a constant power of ten that
/// does not wait for the previous one, so the only serial chain is the hash
/// itself (writing the digits out one division after another doubled it).
fn fnv1a32_decimal(n: u32) -> u32 {
    let digits = [
        n / 1_000_000_000,
        n / 100_000_000 % 10,
        n / 10_000_000 % 10,
        n / 1_000_000 % 10,
        n / 100_000 % 10,
        n / 10_000 % 10,
        n / 1_000 % 10,
        n / 100 % 10,
        n / 10 % 10,
        n % 10,
    ];
    let len = n.checked_ilog10().unwrap_or(0) as usize + 1;
    digits[digits.len() - len..]
        .iter()
        .fold(FNV_OFFSET, |hash, &d| {
            (hash ^ (u32::from(b'0') + d)).wrapping_mul(FNV_PRIME)
        })
}

/// `n` equal weights summing to 1 (empty for `n < 1`).
pub fn get_equal_weights(n: i64) -> Vec<f64> {
    if n < 1 {
        return Vec::new();
    }
    vec![1.0 / n as f64; n as usize]
}

/// Whether `n` falls in `[start, end)`.
pub fn in_range(n: f64, range: BucketRange) -> bool {
    n >= range.0 && n < range.1
}

/// The bucket range of each variation for the given coverage and weights.
///
/// Coverage is clamped to `[0, 1]`. Weights that do not match the number of
/// variations, or do not sum to 1 (within 0.01), are replaced by equal weights.
pub fn get_bucket_ranges(
    num_variations: usize,
    coverage: f64,
    weights: Option<&[f64]>,
) -> Vec<BucketRange> {
    bucket_ranges(num_variations, coverage, weights).collect()
}

/// [`get_bucket_ranges`] as an iterator, so that choosing a variation needs
/// no allocation.
pub(crate) fn bucket_ranges(
    num_variations: usize,
    coverage: f64,
    weights: Option<&[f64]>,
) -> impl Iterator<Item = BucketRange> + '_ {
    let coverage = if coverage.is_nan() {
        0.0
    } else {
        coverage.clamp(0.0, 1.0)
    };
    let weights = weights.filter(|w| w.len() == num_variations && weights_sum_to_one(w));
    let equal = 1.0 / num_variations as f64;
    let mut cumulative = 0.0;
    (0..num_variations).map(move |i| {
        let w = weights.map_or(equal, |w| w[i]);
        let start = cumulative;
        cumulative += w;
        (start, start + coverage * w)
    })
}

fn weights_sum_to_one(weights: &[f64]) -> bool {
    let total: f64 = weights.iter().sum();
    (0.99..=1.01).contains(&total)
}

/// The index of the range containing `n`, or `None` when no range does.
pub fn choose_variation(n: f64, ranges: &[BucketRange]) -> Option<usize> {
    ranges.iter().position(|r| in_range(n, *r))
}

/// Whether the user falls inside the namespace range `(id, start, end)`.
pub fn in_namespace(user_id: &str, namespace: &Namespace) -> bool {
    in_namespace_input(HashInput::new(user_id), namespace)
}

/// [`in_namespace`] for a value whose FNV state may be known.
pub(crate) fn in_namespace_input(input: HashInput<'_>, namespace: &Namespace) -> bool {
    let n = f64::from(input.then(&["__", &namespace.id]) % 1000) / 1000.0;
    n >= namespace.start && n < namespace.end
}

/// A namespace slice: experiments in the same namespace with non-overlapping
/// ranges never share a user.
#[derive(Debug, Clone, PartialEq)]
pub struct Namespace {
    /// Namespace name.
    pub id: String,
    /// Start of the slice, in `[0, 1]`.
    pub start: f64,
    /// End of the slice (exclusive), in `[0, 1]`.
    pub end: f64,
}

impl Namespace {
    /// Reads the wire form `["name", start, end]`.
    pub fn from_json(value: &serde_json::Value) -> Option<Namespace> {
        match value.as_array()?.as_slice() {
            [id, start, end, ..] => Some(Namespace {
                id: id.as_str()?.to_owned(),
                start: start.as_f64()?,
                end: end.as_f64()?,
            }),
            _ => None,
        }
    }

    /// The wire form `["name", start, end]`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!([self.id, self.start, self.end])
    }
}

/// The variation forced by `?{experiment_key}={index}` in `url`, if valid.
pub fn get_query_string_override(key: &str, url: &str, num_variations: usize) -> Option<usize> {
    let (_, query) = url.split_once('?')?;
    let query = query.split('#').next().unwrap_or("");
    // Anything after a second '?' is not part of this query string.
    let query = query.split('?').next().unwrap_or("");
    let value = query.split('&').find_map(|kv| {
        let mut it = kv.splitn(2, '=');
        (it.next() == Some(key)).then(|| it.next().unwrap_or(""))
    })?;
    let n = parse_int_prefix(value)?;
    usize::try_from(n).ok().filter(|&n| n < num_variations)
}

/// JS `parseInt(s)` (no radix, as the JS SDK calls it): leading JS
/// whitespace, an optional sign, then decimal digits, or hex digits after
/// `0x`/`0X`; `None` for NaN (and beyond `i64`, which no variation index
/// reaches).
fn parse_int_prefix(s: &str) -> Option<i64> {
    let s = s.trim_start_matches(is_js_whitespace);
    let (negative, unsigned) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (digits, radix) = match unsigned.get(..2) {
        Some("0x" | "0X") => (&unsigned[2..], 16),
        _ => (unsigned, 10),
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    let n = i64::from_str_radix(&digits[..end], radix).ok()?;
    Some(if negative { -n } else { n })
}

/// JS `WhiteSpace` and `LineTerminator`, which `parseInt` skips.
fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fnv_of_display(n: u32) -> u32 {
        fnv1a32(&[&n.to_string()])
    }

    #[test]
    fn decimal_hash_matches_the_formatted_number() {
        let mut edges = vec![0, u32::MAX, u32::MAX - 1];
        for p in 0..10 {
            let power = 10u32.pow(p);
            edges.extend([power, power - 1, power + 1, power.saturating_mul(9)]);
        }
        for n in edges {
            assert_eq!(fnv1a32_decimal(n), fnv_of_display(n), "{n}");
        }
        let mut n: u32 = 12345;
        for _ in 0..100_000 {
            n = n.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            assert_eq!(fnv1a32_decimal(n), fnv_of_display(n), "{n}");
        }
    }

    #[test]
    fn a_suffix_table_continues_like_fnv() {
        let mut state: u32 = 7;
        for suffix in [
            "",
            "a",
            "new-search",
            "pricing-page-layout-exp",
            &"z".repeat(300),
        ] {
            let table = SuffixHash::new(suffix.as_bytes());
            for _ in 0..2_000 {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                assert_eq!(
                    table.continue_from(state, suffix.as_bytes()),
                    fnv1a32_from(state, &[suffix]),
                    "{suffix:?} from {state}"
                );
            }
        }
    }

    #[test]
    fn a_known_state_gives_the_same_hash() {
        for (seed, value) in [("seed", "u-0001"), ("", "x"), ("exp-key", "i-42")] {
            let known = HashInput::ascii_with_state(value.as_bytes(), value_state(value));
            for version in [1, 2] {
                assert_eq!(
                    hash_seeded(seed, None, known, version),
                    hash(seed, value, version)
                );
                let prepared = PreparedSeed::new(seed, version);
                for input in [known, HashInput::new(value)] {
                    assert_eq!(
                        hash_seeded(seed, Some(&prepared), input, version),
                        hash(seed, value, version)
                    );
                }
            }
            let ns = Namespace {
                id: "ns".into(),
                start: 0.0,
                end: 0.5,
            };
            assert_eq!(in_namespace_input(known, &ns), in_namespace(value, &ns));
        }
    }

    /// Values hashed as UTF-16 code units, whether they turn out ASCII or
    /// not, as a plain fold over the concatenated text computes it.
    #[test]
    fn values_hash_as_their_utf16_code_units() {
        let reference = |text: &str| {
            text.encode_utf16().fold(FNV_OFFSET, |hash, unit| {
                (hash ^ u32::from(unit)).wrapping_mul(FNV_PRIME)
            })
        };
        for value in ["u-1", "é", "naïve-42", "日本", "😀x", "", "\u{7f}\u{80}"] {
            for seed in ["seed", "s\u{e9}"] {
                let v1 = reference(&format!("{value}{seed}"));
                assert_eq!(hash(seed, value, 1), Some(f64::from(v1 % 1000) / 1000.0));
                let first = reference(&format!("{seed}{value}"));
                let v2 = reference(&first.to_string());
                assert_eq!(hash(seed, value, 2), Some(f64::from(v2 % 10000) / 10000.0));
            }
        }
    }

    #[test]
    fn parse_int_like_js() {
        assert_eq!(parse_int_prefix("2.054"), Some(2));
        assert_eq!(parse_int_prefix("-1"), Some(-1));
        assert_eq!(parse_int_prefix("foo"), None);
    }
}
