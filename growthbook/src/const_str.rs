//! String comparison usable in `const` evaluation, where the compile-time
//! checks of typed features and attributes run (`str::eq` is not `const`).

/// Whether two strings are equal.
pub(crate) const fn equal(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The longest name [`edit_distance_ignoring_case`] measures.
const MAX_MEASURED: usize = 64;

/// The Levenshtein distance between two names, ASCII letters compared
/// without case; `None` for names longer than 64 bytes.
pub(crate) const fn edit_distance_ignoring_case(a: &str, b: &str) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > MAX_MEASURED || b.len() > MAX_MEASURED {
        return None;
    }
    // One row of the distance table at a time: `row[j]` is the distance
    // between the first `i` bytes of `a` and the first `j` of `b`.
    let mut row = [0usize; MAX_MEASURED + 1];
    let mut j = 0;
    while j <= b.len() {
        row[j] = j;
        j += 1;
    }
    let mut i = 1;
    while i <= a.len() {
        let mut diagonal = row[0];
        row[0] = i;
        let mut j = 1;
        while j <= b.len() {
            let substitution = diagonal
                + if a[i - 1].eq_ignore_ascii_case(&b[j - 1]) {
                    0
                } else {
                    1
                };
            let deletion = row[j] + 1;
            let insertion = row[j - 1] + 1;
            diagonal = row[j];
            row[j] = min(substitution, min(deletion, insertion));
            j += 1;
        }
        i += 1;
    }
    Some(row[b.len()])
}

const fn min(a: usize, b: usize) -> usize {
    if a < b {
        a
    } else {
        b
    }
}

/// The total length of `parts`, the size of [`concat()`]'s buffer.
pub(crate) const fn concat_len(parts: &[&str]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < parts.len() {
        len += parts[i].len();
        i += 1;
    }
    len
}

/// `parts` written one after another into `N` bytes (`N` from
/// [`concat_len`]), so that a compile-time check can name what it found in
/// its message: `panic!` in a constant takes one string, not a format.
pub(crate) const fn concat<const N: usize>(parts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = 0;
    let mut i = 0;
    while i < parts.len() {
        let bytes = parts[i].as_bytes();
        let mut j = 0;
        while j < bytes.len() && at < N {
            out[at] = bytes[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        let d = edit_distance_ignoring_case;
        assert_eq!(d("plan", "plan"), Some(0));
        assert_eq!(d("plan", "Plan"), Some(0));
        assert_eq!(d("plan", "plann"), Some(1));
        assert_eq!(d("plan", "pla"), Some(1));
        assert_eq!(d("plan", "plen"), Some(1));
        assert_eq!(d("kitten", "sitting"), Some(3));
        assert_eq!(d("", "abc"), Some(3));
        assert_eq!(d("abc", ""), Some(3));
        assert_eq!(d(&"a".repeat(65), "a"), None);
        const NEAR: Option<usize> = edit_distance_ignoring_case("seats", "seat");
        assert_eq!(NEAR, Some(1));
    }

    #[test]
    fn concat_writes_the_parts_in_order() {
        const PARTS: &[&str] = &["did you mean \"", "plan", "\"?"];
        const LEN: usize = concat_len(PARTS);
        const BYTES: [u8; LEN] = concat::<LEN>(PARTS);
        assert_eq!(std::str::from_utf8(&BYTES), Ok("did you mean \"plan\"?"));
        assert_eq!(concat_len(&[]), 0);
    }
}
