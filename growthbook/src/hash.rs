//! Deterministic bucketing: the FNV-1a hash, bucket ranges, namespaces and
//! query-string overrides.
//!
//! These are the primitives of the GrowthBook assignment algorithm. They are
//! public so that other tools (and the spec runner) can check them directly.

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
        if part.is_ascii() {
            for &b in part.as_bytes() {
                hash ^= u32::from(b);
                hash = hash.wrapping_mul(FNV_PRIME);
            }
        } else {
            for unit in part.encode_utf16() {
                hash ^= u32::from(unit);
                hash = hash.wrapping_mul(FNV_PRIME);
            }
        }
    }
    hash
}

/// Hashes `value` with `seed` into `[0, 1)`.
///
/// Version 1 is `fnv(value + seed) % 1000 / 1000`; version 2 hashes the decimal
/// string of `fnv(seed + value)` again and keeps four digits. Any other version
/// returns `None`, which callers treat as "not in the experiment".
pub fn hash(seed: &str, value: &str, version: i64) -> Option<f64> {
    hash_seeded(seed, None, value, version)
}

/// The FNV state after hashing `seed`: version 2 hashes the seed first, so an
/// experiment compiled once need not hash its seed again for every user.
pub(crate) fn seed_state(seed: &str) -> u32 {
    fnv1a32(&[seed])
}

/// [`hash`] with the seed's FNV state when it is known.
pub(crate) fn hash_seeded(
    seed: &str,
    state: Option<u32>,
    value: &str,
    version: i64,
) -> Option<f64> {
    match version {
        1 => Some(f64::from(fnv1a32(&[value, seed]) % 1000) / 1000.0),
        2 => {
            let first = match state {
                Some(state) => fnv1a32_from(state, &[value]),
                None => fnv1a32(&[seed, value]),
            };
            let mut buf = [0u8; 10];
            let digits = u32_to_decimal(first, &mut buf);
            Some(f64::from(fnv1a32_ascii(digits) % 10000) / 10000.0)
        }
        _ => None,
    }
}

/// Writes `n` in decimal into `buf` and returns the digits, without allocating.
fn u32_to_decimal(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// FNV-1a over ASCII bytes (the same as over their UTF-16 code units).
fn fnv1a32_ascii(bytes: &[u8]) -> u32 {
    bytes.iter().fold(FNV_OFFSET, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(FNV_PRIME)
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
    let Some(n) = hash_prefixed("__", &namespace.id, user_id) else {
        return false;
    };
    n >= namespace.start && n < namespace.end
}

fn hash_prefixed(prefix: &str, seed: &str, value: &str) -> Option<f64> {
    Some(f64::from(fnv1a32(&[value, prefix, seed]) % 1000) / 1000.0)
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

/// JS `parseInt(s, 10)`: optional sign and leading digits; `None` for NaN.
fn parse_int_prefix(s: &str) -> Option<i64> {
    let s = s.trim_start();
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    let n: i64 = digits[..end].parse().ok()?;
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_without_allocation() {
        let mut buf = [0u8; 10];
        assert_eq!(u32_to_decimal(0, &mut buf), b"0");
        assert_eq!(u32_to_decimal(u32::MAX, &mut buf), b"4294967295");
    }

    #[test]
    fn parse_int_like_js() {
        assert_eq!(parse_int_prefix("2.054"), Some(2));
        assert_eq!(parse_int_prefix("-1"), Some(-1));
        assert_eq!(parse_int_prefix("foo"), None);
    }
}
