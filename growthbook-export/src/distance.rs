//! Near misses, for "did you mean" hints.

/// Edit distance in characters, counting an insertion, a deletion, a
/// substitution or a swap of two neighbouring characters as one edit (the
/// optimal-string-alignment distance): `emial` is one edit from `email`, as
/// a typist would see it, where plain Levenshtein counts two.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: the one before the previous (for swaps), the
    // previous, and the current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// How many edits (see [`edit_distance`]) a name of `len` bytes may be from
/// an attribute the export uses to be taken for a misspelling of it: one,
/// two past 8, so that a different attribute that merely looks alike
/// (`counts`, `country`) is not.
pub const fn typo_limit(len: usize) -> usize {
    if len > 8 {
        2
    } else {
        1
    }
}

/// The longest name [`ascii_edit_distance_ignoring_case`] measures.
const MAX_MEASURED: usize = 64;

/// [`edit_distance`] of two ASCII names with letters compared without case,
/// usable in `const` (the compile-time checks of nested fields run it);
/// `None` for names longer than 64 bytes. Bytes that are not ASCII compare
/// as bytes.
pub const fn ascii_edit_distance_ignoring_case(a: &str, b: &str) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > MAX_MEASURED || b.len() > MAX_MEASURED {
        return None;
    }
    // The three rows of [`edit_distance`], in arrays.
    let mut before = [0usize; MAX_MEASURED + 1];
    let mut previous = [0usize; MAX_MEASURED + 1];
    let mut current = [0usize; MAX_MEASURED + 1];
    let mut j = 0;
    while j <= b.len() {
        previous[j] = j;
        j += 1;
    }
    let mut i = 1;
    while i <= a.len() {
        current[0] = i;
        let mut j = 1;
        while j <= b.len() {
            let substitution = if a[i - 1].eq_ignore_ascii_case(&b[j - 1]) {
                0
            } else {
                1
            };
            let mut best = min(
                previous[j] + 1,
                min(current[j - 1] + 1, previous[j - 1] + substitution),
            );
            if i > 1
                && j > 1
                && a[i - 1].eq_ignore_ascii_case(&b[j - 2])
                && a[i - 2].eq_ignore_ascii_case(&b[j - 1])
            {
                best = min(best, before[j - 2] + 1);
            }
            current[j] = best;
            j += 1;
        }
        before = previous;
        previous = current;
        i += 1;
    }
    Some(previous[b.len()])
}

const fn min(a: usize, b: usize) -> usize {
    if a < b {
        a
    } else {
        b
    }
}

/// The candidate closest to `name`, if one is close enough to be a likely
/// typo: within a third of the longer name's length (at least 1).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(candidate, name), candidate))
        .filter(|(d, candidate)| *d <= (name.len().max(candidate.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("buton-color", "button-color"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        // A swap of neighbours is one edit.
        assert_eq!(edit_distance("emial", "email"), 1);
        assert_eq!(edit_distance("contry", "cuontry"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("abc", "ca"), 3);
        // Characters, not bytes.
        assert_eq!(edit_distance("pays-é", "pays-e"), 1);
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        let d = ascii_edit_distance_ignoring_case;
        assert_eq!(d("plan", "plan"), Some(0));
        assert_eq!(d("plan", "Plan"), Some(0));
        assert_eq!(d("plan", "plann"), Some(1));
        assert_eq!(d("plan", "pla"), Some(1));
        assert_eq!(d("plan", "plen"), Some(1));
        assert_eq!(d("kitten", "sitting"), Some(3));
        assert_eq!(d("", "abc"), Some(3));
        assert_eq!(d("abc", ""), Some(3));
        assert_eq!(d(&"a".repeat(65), "a"), None);
        const NEAR: Option<usize> = ascii_edit_distance_ignoring_case("seats", "seat");
        assert_eq!(NEAR, Some(1));
        // The same rule as `edit_distance`: a swap of neighbours is one edit.
        assert_eq!(d("plna", "PLAN"), Some(1));
        for (a, b) in [
            ("emial", "email"),
            ("contry", "cuontry"),
            ("abc", "ca"),
            ("ab", "ba"),
        ] {
            assert_eq!(d(a, b), Some(edit_distance(a, b)), "{a} {b}");
        }
    }

    #[test]
    fn closest_finds_near_misses_only() {
        let keys = ["button-color", "dark-mode"];
        assert_eq!(closest("buton-color", keys), Some("button-color"));
        assert_eq!(closest("checkout", keys), None);
    }
}
