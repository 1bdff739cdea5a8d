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
    fn closest_finds_near_misses_only() {
        let keys = ["button-color", "dark-mode"];
        assert_eq!(closest("buton-color", keys), Some("button-color"));
        assert_eq!(closest("checkout", keys), None);
    }
}
